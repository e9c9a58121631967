/**
 * Which failed LLM requests are tried again, and after how long. The SDK's own retries are off
 * (`maxRetries: 0`): it silently shortens `Retry-After` waits above 60 s, and its attempts would not
 * be counted on the run.
 */

/**
 * Requests per chat completion, the first one included. Five reach ~15 s of backoff in all
 * (1 + 2 + 4 + 8 s before jitter): long enough for a local server to finish loading a model or a
 * provider's per-minute window to roll over in most cases, short enough that a dead server costs a
 * window well under a minute before it is reported.
 */
export const MAX_ATTEMPTS = 5;

/** The first backoff; each further retry doubles it. */
export const BASE_BACKOFF_MS = 1_000;

/** Longest backoff of our own between two attempts, whatever the attempt number. */
export const MAX_BACKOFF_MS = 30_000;

/**
 * Longest wait a server may ask for with `Retry-After` / `retry-after-ms` that is honoured. A
 * provider's per-minute limits reset within a minute or two; a wait of more than five minutes means
 * a daily quota or an outage, and waiting would only hide that: the request fails with the wait named.
 */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** HTTP statuses worth another attempt: timeouts, conflicts, rate limits and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

const HTTP_DATE = /^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * The server's requested wait, in milliseconds, from `retry-after-ms` (OpenAI's, fractional
 * milliseconds) or `retry-after` (seconds, or an HTTP date); null when neither says anything usable.
 */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | null {
  if (headers === undefined) return null;
  const millis = headers.get('retry-after-ms');
  if (millis !== null && /^\s*\d+(?:\.\d+)?\s*$/.test(millis)) return Math.ceil(Number(millis));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  if (/^\s*\d+(?:\.\d+)?\s*$/.test(value)) return Math.ceil(Number(value) * 1000);
  // Only an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`): Date.parse alone also reads "-5" or "x 99"
  // as dates in 2001, which would mean "retry now" instead of our backoff.
  if (!HTTP_DATE.test(value.trim())) return null;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/**
 * Exponential backoff with "equal jitter": half of the doubled delay is fixed, half random, so
 * windows that failed together (a 503 for everyone) do not all come back at the same instant.
 * `attempt` counts from 1 (the attempt that just failed).
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export type RetryDecision =
  | {readonly retry: true; readonly delayMs: number}
  | {readonly retry: false; readonly reason: 'not-retryable' | 'attempts-exhausted' | 'wait-too-long'};

/**
 * The decision after attempt number `attempt` failed with `failure`. A server's own wait wins over
 * our backoff when it is given, up to MAX_RETRY_AFTER_MS.
 */
export function decideRetry(
  failure: {readonly retryable: boolean; readonly retryAfterMs: number | null},
  attempt: number,
  random: () => number = Math.random,
): RetryDecision {
  if (!failure.retryable) return {retry: false, reason: 'not-retryable'};
  if (attempt >= MAX_ATTEMPTS) return {retry: false, reason: 'attempts-exhausted'};
  if (failure.retryAfterMs !== null) {
    if (failure.retryAfterMs > MAX_RETRY_AFTER_MS) return {retry: false, reason: 'wait-too-long'};
    return {retry: true, delayMs: failure.retryAfterMs};
  }
  return {retry: true, delayMs: backoffMs(attempt, random)};
}

/** Waits `ms`, or rejects with the signal's reason as soon as it is aborted. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, {once: true});
  });
}
