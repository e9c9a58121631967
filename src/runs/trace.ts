/**
 * W3C Trace Context `traceparent`: `version-traceid-parentid-flags`, lowercase hex. Version `ff` is
 * invalid; versions after `00` may append fields, which we ignore (the spec asks parsers to).
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

/** The 32-hex trace id of a valid `traceparent`, or null for anything else. */
export function parseTraceparent(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return null;
  const [, version, traceId, parentId, , rest] = match;
  if (version === undefined || traceId === undefined || parentId === undefined) return null;
  if (version === 'ff') return null;
  if (version === '00' && rest !== undefined) return null;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return null;
  return traceId;
}

/** The trace id this process runs under, from the `TRACEPARENT` variable (OpenTelemetry's convention). */
export function traceIdFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  return parseTraceparent(env.TRACEPARENT);
}
