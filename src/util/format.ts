/** How many characters of a run id people see in tables; enough to be unique in practice and to type. */
export const SHORT_ID_LENGTH = 8;

export const UNKNOWN = '-';

export function shortId(runId: string): string {
  return runId.slice(0, SHORT_ID_LENGTH);
}

/** `12.45s` under a minute, `3m 05s` under an hour, `2h 03m 05s` beyond; `-` when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return UNKNOWN;
  if (seconds < 60) return `${seconds.toFixed(2)}s`;
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = whole % 60;
  const mm = String(minutes).padStart(2, '0');
  const ss = String(secs).padStart(2, '0');
  return hours > 0 ? `${hours}h ${mm}m ${ss}s` : `${minutes}m ${ss}s`;
}

/**
 * Whole numbers with thousands separators (`1,234,567`), rounded half away from zero; `-` when
 * unknown. Grouped by hand: an `Intl.NumberFormat` costs ~10 ms of ICU set-up in every command that
 * imports this file, for a format that never changes with the locale.
 */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return UNKNOWN;
  const whole = Math.round(Math.abs(value));
  const digits = String(whole);
  if (!/^\d+$/.test(digits)) return `${value < 0 && whole !== 0 ? '-' : ''}${digits}`;
  const head = digits.length % 3 || 3;
  let grouped = digits.slice(0, head);
  for (let at = head; at < digits.length; at += 3) grouped += `,${digits.slice(at, at + 3)}`;
  return value < 0 && whole !== 0 ? `-${grouped}` : grouped;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** An instant as local wall-clock time, `2026-11-22 04:33:15`, in the machine's (or TZ's) zone. */
export function formatLocalTime(iso: string | null | undefined): string {
  if (!iso) return UNKNOWN;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return UNKNOWN;
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${pad2(date.getHours())}:${pad2(
    date.getMinutes(),
  )}:${pad2(date.getSeconds())}`;
}
