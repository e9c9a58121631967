/**
 * Run times as OpenTelemetry HrTime ([seconds, nanoseconds]). The runs store keeps microseconds;
 * `Date.parse` keeps milliseconds only, so the fraction is read by hand and the rest left to Date.
 */

/** [whole seconds since the epoch, nanoseconds within that second], the SDK's HrTime. */
export type HrTime = [number, number];

/**
 * `2026-12-03T10:20:52.123456Z`, also with a space for the `T` (DuckDB's text form), up to nine
 * fraction digits and a `Z`, `+HH`, `+HHMM` or `+HH:MM` offset.
 */
const INSTANT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const NANOS_DIGITS = 9;

/** The instant as HrTime, or null when the text is not such an instant. */
export function hrTimeFromIso(text: string): HrTime | null {
  const match = INSTANT.exec(text.trim());
  if (!match) return null;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const millis = Date.parse(`${date}T${time}${normalizeZone(zone)}`);
  if (!Number.isFinite(millis)) return null;
  // No fraction went into Date.parse, so `millis` is a whole number of seconds.
  return [Math.floor(millis / 1000), Number(fraction.padEnd(NANOS_DIGITS, '0'))];
}

export function hrTimeFromMillis(millis: number): HrTime {
  const seconds = Math.floor(millis / 1000);
  return [seconds, Math.round((millis - seconds * 1000) * 1e6)];
}

/** 1 if a is after b, -1 if before, 0 if equal. */
export function compareHrTime(a: HrTime, b: HrTime): number {
  if (a[0] !== b[0]) return a[0] > b[0] ? 1 : -1;
  if (a[1] !== b[1]) return a[1] > b[1] ? 1 : -1;
  return 0;
}

/** end − start; callers ensure end is not before start. */
export function hrTimeDuration(start: HrTime, end: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}

function normalizeZone(zone: string): string {
  if (zone.toUpperCase() === 'Z') return 'Z';
  const sign = zone.slice(0, 1);
  const digits = zone.slice(1).replace(':', '');
  return `${sign}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}
