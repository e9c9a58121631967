import {describe, expect, it} from 'vitest';
import {
  BASE_BACKOFF_MS,
  backoffMs,
  decideRetry,
  isRetryableStatus,
  MAX_ATTEMPTS,
  MAX_BACKOFF_MS,
  MAX_RETRY_AFTER_MS,
  retryAfterMs,
  sleep,
} from '../../../src/writers/llm/retry-policy.js';

describe('isRetryableStatus', () => {
  it.each([408, 409, 429, 500, 502, 503, 504])('retries %i', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([400, 401, 403, 404, 413, 422])('does not retry %i', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe('retryAfterMs', () => {
  const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('reads retry-after-ms, rounding fractional milliseconds up', () => {
    expect(retryAfterMs(new Headers({'retry-after-ms': '1234.2'}), NOW)).toBe(1235);
    expect(retryAfterMs(new Headers({'retry-after-ms': '20'}), NOW)).toBe(20);
  });

  it('prefers retry-after-ms over retry-after', () => {
    expect(retryAfterMs(new Headers({'retry-after-ms': '5', 'retry-after': '60'}), NOW)).toBe(5);
  });

  it('falls back to retry-after when retry-after-ms is garbage', () => {
    expect(retryAfterMs(new Headers({'retry-after-ms': 'soon', 'retry-after': '2'}), NOW)).toBe(2000);
  });

  it('reads retry-after in seconds, fractional too', () => {
    expect(retryAfterMs(new Headers({'retry-after': '3'}), NOW)).toBe(3000);
    expect(retryAfterMs(new Headers({'retry-after': '0.5'}), NOW)).toBe(500);
    expect(retryAfterMs(new Headers({'retry-after': '0'}), NOW)).toBe(0);
  });

  it('reads retry-after as an HTTP date in the future', () => {
    const date = new Date(NOW + 90_000).toUTCString();
    expect(retryAfterMs(new Headers({'retry-after': date}), NOW)).toBe(90_000);
  });

  it('gives 0 for an HTTP date in the past', () => {
    const date = new Date(NOW - 60_000).toUTCString();
    expect(retryAfterMs(new Headers({'retry-after': date}), NOW)).toBe(0);
  });

  it('gives null for garbage, an empty value, no header, or no headers', () => {
    expect(retryAfterMs(new Headers({'retry-after': 'in a while'}), NOW)).toBeNull();
    expect(retryAfterMs(new Headers({'retry-after': '  '}), NOW)).toBeNull();
    expect(retryAfterMs(new Headers({'retry-after': '10 seconds'}), NOW)).toBeNull();
    expect(retryAfterMs(new Headers(), NOW)).toBeNull();
    expect(retryAfterMs(undefined, NOW)).toBeNull();
  });
});

describe('backoffMs', () => {
  it('doubles from BASE_BACKOFF_MS with equal jitter in [ceiling/2, ceiling]', () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
      expect(
        backoffMs(attempt, () => 0),
        `attempt ${attempt}, random 0`,
      ).toBe(ceiling / 2);
      expect(
        backoffMs(attempt, () => 0.999999),
        `attempt ${attempt}, random ~1`,
      ).toBe(ceiling);
      const middle = backoffMs(attempt, () => 0.5);
      expect(middle).toBe(Math.round(ceiling * 0.75));
    }
  });

  it('gives 500–1000 ms after the first attempt, 4000–8000 ms after the fourth', () => {
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(1, () => 0.999999)).toBe(1000);
    expect(backoffMs(4, () => 0)).toBe(4000);
    expect(backoffMs(4, () => 0.999999)).toBe(8000);
  });

  it('is capped by MAX_BACKOFF_MS however many attempts failed', () => {
    expect(backoffMs(50, () => 0.999999)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(50, () => 0)).toBe(MAX_BACKOFF_MS / 2);
    expect(backoffMs(2000, () => 0.999999)).toBe(MAX_BACKOFF_MS);
  });

  it('stays within bounds with the real random', () => {
    for (let i = 0; i < 200; i += 1) {
      const value = backoffMs(3);
      expect(value).toBeGreaterThanOrEqual(2000);
      expect(value).toBeLessThanOrEqual(4000);
    }
  });
});

describe('decideRetry', () => {
  const zero = () => 0;

  it('does not retry what is not retryable', () => {
    expect(decideRetry({retryable: false, retryAfterMs: 10}, 1, zero)).toEqual({
      retry: false,
      reason: 'not-retryable',
    });
  });

  it('retries with backoff up to MAX_ATTEMPTS attempts in all', () => {
    expect(MAX_ATTEMPTS).toBe(5);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      expect(decideRetry({retryable: true, retryAfterMs: null}, attempt, zero)).toEqual({
        retry: true,
        delayMs: backoffMs(attempt, zero),
      });
    }
    expect(decideRetry({retryable: true, retryAfterMs: null}, MAX_ATTEMPTS, zero)).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
    });
    expect(decideRetry({retryable: true, retryAfterMs: 5}, MAX_ATTEMPTS + 1, zero)).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
    });
  });

  it("takes the server's wait over the backoff, even a zero or a long one", () => {
    expect(decideRetry({retryable: true, retryAfterMs: 42}, 1, zero)).toEqual({retry: true, delayMs: 42});
    expect(decideRetry({retryable: true, retryAfterMs: 0}, 3, zero)).toEqual({retry: true, delayMs: 0});
    expect(decideRetry({retryable: true, retryAfterMs: MAX_RETRY_AFTER_MS}, 1, zero)).toEqual({
      retry: true,
      delayMs: MAX_RETRY_AFTER_MS,
    });
  });

  it('gives up on a wait above MAX_RETRY_AFTER_MS', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(300_000);
    expect(decideRetry({retryable: true, retryAfterMs: MAX_RETRY_AFTER_MS + 1}, 1, zero)).toEqual({
      retry: false,
      reason: 'wait-too-long',
    });
  });
});

describe('sleep', () => {
  it('resolves after the delay', async () => {
    const started = performance.now();
    await sleep(20, new AbortController().signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('rejects at once with the reason when already aborted', async () => {
    const reason = new Error('stop now');
    await expect(sleep(10_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('rejects with the reason as soon as it is aborted while waiting', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const started = performance.now();
    const waiting = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(reason), 10);
    await expect(waiting).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('retryAfterMs: only numbers and HTTP dates', () => {
  it.each(['-5', 'retry 10', 'x 99', '2026-01-01'])(
    'gives null for %j, so the usual backoff applies',
    (value) => {
      expect(retryAfterMs(new Headers({'retry-after': value}), Date.UTC(2026, 0, 1))).toBeNull();
    },
  );
});
