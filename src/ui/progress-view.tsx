import {render} from 'ink';
import type {ProcessProgress} from '../pipeline/process.js';
import {visibleControls} from '../util/terminal.js';
import {ProcessProgress as ProgressPanel, type ProgressSnapshot, progressLine} from './ProcessProgress.js';

/**
 * Plain progress lines (logs, CI, pipes) come at most this often: often enough to show life in a
 * log, rarely enough that a 10,000-window run does not bury the summary.
 */
export const PLAIN_PROGRESS_INTERVAL_MS = 2_000;
/** Runs shorter than this print no progress at all: the summary follows at once. */
export const PLAIN_PROGRESS_DELAY_MS = 1_000;
/** A live terminal view redraws at most this often; faster is invisible and costs CPU. */
const LIVE_REDRAW_INTERVAL_MS = 100;

export interface ProgressView {
  update(progress: ProcessProgress): void;
  warn(message: string): void;
  /** Removes the live view (or prints nothing more) before the summary is written. */
  stop(): void;
}

export interface ProgressViewOptions {
  readonly stream: NodeJS.WriteStream;
  readonly live: boolean;
  readonly color: boolean;
}

/** The progress of `process`: a live Ink view on a terminal, plain lines at a bounded rate otherwise. */
export function createProgressView(options: ProgressViewOptions): ProgressView {
  const startedAt = performance.now();
  const warnings: string[] = [];
  let latest: ProcessProgress | null = null;
  const snapshot = (): ProgressSnapshot | null =>
    latest && {...latest, elapsedSeconds: (performance.now() - startedAt) / 1000, warnings};

  if (!options.live) {
    let lastLine = 0;
    let lastPhase = '';
    return {
      update(progress) {
        latest = progress;
        const now = performance.now();
        if (now - startedAt < PLAIN_PROGRESS_DELAY_MS) return;
        if (progress.phase === lastPhase && now - lastLine < PLAIN_PROGRESS_INTERVAL_MS) return;
        lastPhase = progress.phase;
        lastLine = now;
        const current = snapshot();
        if (current) options.stream.write(`${progressLine(current)}\n`);
      },
      warn(message) {
        options.stream.write(`warning: ${visibleControls(message)}\n`);
      },
      stop() {},
    };
  }

  let instance: ReturnType<typeof render> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const draw = (): void => {
    timer = null;
    const current = snapshot();
    if (!current) return;
    const element = <ProgressPanel snapshot={current} color={options.color} />;
    if (instance) instance.rerender(element);
    else instance = render(element, {stdout: options.stream, patchConsole: false, exitOnCtrlC: false});
  };
  return {
    update(progress) {
      latest = progress;
      timer ??= setTimeout(draw, LIVE_REDRAW_INTERVAL_MS);
    },
    warn(message) {
      // Warnings name files and stores, whose paths may hold anything: shown, never obeyed.
      warnings.push(visibleControls(message));
      timer ??= setTimeout(draw, LIVE_REDRAW_INTERVAL_MS);
    },
    stop() {
      if (timer) clearTimeout(timer);
      draw();
      instance?.unmount();
      instance = null;
    },
  };
}
