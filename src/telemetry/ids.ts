/**
 * Trace and span ids of exported runs. Spans are made after the fact, possibly by another process
 * (`runs retry` exports a child of a run exported earlier), so a run's span id cannot be random: it
 * is derived from the run id, and any process can name the span of any run.
 */
import {createHash} from 'node:crypto';
import {parseTraceparent} from '../runs/trace.js';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ALL_ZERO = /^0+$/;
const SPAN_ID_HEX = 16;

/**
 * The span id of a run: the first 16 hex digits of sha256(runId). W3C Trace Context forbids the
 * all-zero id; should those 64 bits ever be zero (a 2^-64 chance), the next 16 digits are used, so
 * the id stays deterministic and valid.
 */
export function spanIdOf(runId: string): string {
  const digest = createHash('sha256').update(runId, 'utf8').digest('hex');
  for (let start = 0; start + SPAN_ID_HEX <= digest.length; start += SPAN_ID_HEX) {
    const candidate = digest.slice(start, start + SPAN_ID_HEX);
    if (!ALL_ZERO.test(candidate)) return candidate;
  }
  // Unreachable: all 256 bits of a sha256 digest being zero is not a case anyone will meet.
  return '0000000000000001';
}

/** 32 lowercase hex digits, not all zero (W3C Trace Context). */
export function isValidTraceId(value: string): boolean {
  return TRACE_ID.test(value) && !ALL_ZERO.test(value);
}

/** 16 lowercase hex digits, not all zero (W3C Trace Context). */
export function isValidSpanId(value: string): boolean {
  return SPAN_ID.test(value) && !ALL_ZERO.test(value);
}

/**
 * The parent-id of a valid `traceparent` (the caller's span), or null. Passed to exportRunSpans as
 * `rootParentSpanId`, it hangs the invocation's root span under the caller's span, so the trace a CI
 * job or a wrapper script started continues through egregora. Validation is the runs store's own
 * (src/runs/trace.ts), so the trace id recorded in runs.duckdb and this parent come from one parse.
 */
export function parentSpanIdFromTraceparent(value: string | undefined | null): string | null {
  if (value === undefined || value === null || parseTraceparent(value) === null) return null;
  return value.trim().split('-')[2] ?? null;
}
