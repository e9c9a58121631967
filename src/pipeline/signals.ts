/**
 * Turns Ctrl-C and SIGTERM into a graceful stop: the first signal aborts `controller` (no new
 * windows are taken, in-flight runs are marked `cancelled`, results so far are kept); a second
 * signal means the user will not wait, so we exit at once with 130 — everything committed so far
 * is already safe on disk, and the next run reconciles what was in flight.
 */
export interface SignalGuard {
  readonly signal: AbortSignal;
  /** Which signal stopped us, if one did. */
  readonly received: () => NodeJS.Signals | null;
  readonly dispose: () => void;
}

const INTERRUPTED_EXIT_CODE = 130;

export function guardSignals(onFirstSignal?: (signal: NodeJS.Signals) => void): SignalGuard {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const handler = (signal: NodeJS.Signals): void => {
    if (received !== null) {
      process.exit(INTERRUPTED_EXIT_CODE);
    }
    received = signal;
    onFirstSignal?.(signal);
    controller.abort(new Error(`stopped by ${signal}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
