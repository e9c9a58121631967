import {type MeasureOptions, type Timed, tail, timeCommand} from '../lib/measure.js';
import {CLI_BIN, REPO_ROOT} from '../lib/paths.js';
import {median} from '../lib/stats.js';

/** Fresh processes per command: 15 gives a stable median of a ~100-400 ms command (issue: ≥ 15). */
export const CLI_RUNS = 15;
/** Untimed runs first: the first start-up reads the files from disk; later ones from the page cache. */
export const CLI_WARMUP_RUNS = 2;
export const CLI_TIMEOUT_MS = 60_000;

export interface CliTiming {
  readonly medianMs: number;
  readonly samplesMs: number[];
  /** Median CPU time of the child (see Timed.cpuMs), or null where it cannot be read. */
  readonly cpuMedianMs: number | null;
  readonly stdoutBytes: number;
  readonly firstLine: string;
}

/**
 * Runs `node bin/run.js <args>` in fresh processes and returns the median wall time. Output is piped
 * (not a TTY), as when a user pipes it or a script calls it: Ink then prints without colours.
 */
export function timeCli(
  args: readonly string[],
  runs: number,
  check: (run: Timed) => string | null,
): CliTiming {
  const options: MeasureOptions = {
    cwd: REPO_ROOT,
    // Piped output has no colours anyway; FORCE_COLOR from the caller's environment must not add them.
    env: {...process.env, FORCE_COLOR: '0'},
    timeoutMs: CLI_TIMEOUT_MS,
  };
  const command = ['node', 'bin/run.js', ...args].join(' ');
  const samplesMs: number[] = [];
  const cpuSamplesMs: number[] = [];
  let last: Timed | undefined;
  for (let run = -CLI_WARMUP_RUNS; run < runs; run += 1) {
    const result = timeCommand(process.execPath, [CLI_BIN, ...args], options);
    const problem =
      result.exitCode === 0 ? check(result) : `exit code ${result.exitCode}: ${tail(result.stderr)}`;
    if (problem !== null) throw new Error(`\`${command}\` did not work: ${problem}`);
    if (run >= 0) {
      samplesMs.push(result.wallMs);
      if (result.cpuMs !== null) cpuSamplesMs.push(result.cpuMs);
    }
    last = result;
  }
  return {
    medianMs: median(samplesMs),
    samplesMs,
    cpuMedianMs: cpuSamplesMs.length === samplesMs.length ? median(cpuSamplesMs) : null,
    stdoutBytes: Buffer.byteLength(last?.stdout ?? ''),
    firstLine: (last?.stdout ?? '').split('\n')[0] ?? '',
  };
}
