import {runsStore} from '../fixtures/runs-store.js';
import {type BenchContext, runsFor, scaled} from '../lib/bench.js';
import type {BenchResult} from '../lib/results.js';
import {formatCount, formatMs} from '../lib/stats.js';
import {CLI_RUNS, CLI_WARMUP_RUNS, timeCli} from './cli-timing.js';

/** Issue #6: a runs store with 1,000,000 runs. */
export const RUNS_IN_STORE = 1_000_000;
/** An 8-hex-character prefix, as a user copies it from `runs tail`. */
export const SHOW_PREFIX_CHARS = 8;

/** One runs command timed on the benchmark store. */
export interface StoreCase {
  readonly id: string;
  readonly label: string;
  readonly args: (stateDir: string, showRunId: string) => string[];
  /** Null: measured for the record, with no line to meet. */
  readonly targetMs: number | null;
  /** Why the output is not what the command should print, or null when it is. */
  readonly check: (stdout: string, showRunId: string) => string | null;
}

/**
 * Times each case in fresh processes on the 1,000,000-run store, once as people see it and once
 * with `--json` (without the Ink view: what drawing it costs, for the diagnosis).
 */
export async function timeStoreCases(
  context: BenchContext,
  cases: readonly StoreCase[],
): Promise<BenchResult[]> {
  const store = await runsStore(scaled(context, RUNS_IN_STORE), context.log);
  const runs = runsFor(context, CLI_RUNS);
  const results: BenchResult[] = [];
  for (const item of cases) {
    const args = item.args(store.stateDir, store.showRunId);
    context.log(`  node bin/run.js ${args.join(' ')} × ${runs}`);
    const timing = timeCli(args, runs, (run) => item.check(run.stdout, store.showRunId));
    const json = timeCli([...args, '--json'], runs, (run) =>
      run.stdout.trimStart().startsWith('{') ? null : 'no JSON',
    );
    const cpu = (value: number | null) => (value === null ? '?' : formatMs(value));
    context.log(
      `  median ${formatMs(timing.medianMs)}, CPU ${cpu(timing.cpuMedianMs)} (with --json: ${formatMs(json.medianMs)}, CPU ${cpu(json.cpuMedianMs)})`,
    );
    results.push({
      id: item.id,
      benchmark: item.label,
      input: `${formatCount(store.runs)} runs`,
      median: timing.medianMs,
      unit: 'ms',
      display: formatMs(timing.medianMs),
      target: item.targetMs === null ? '-' : `≤ ${item.targetMs} ms`,
      ratio: null,
      pass: item.targetMs === null ? null : timing.medianMs <= item.targetMs,
      samples: timing.samplesMs,
      details: {
        runs,
        warmupRuns: CLI_WARMUP_RUNS,
        command: `node bin/run.js ${args.join(' ')}`,
        storeRuns: store.runs,
        storeFailedRuns: store.failed,
        storeBuildSeconds: store.buildSeconds,
        cpuMedianMs: timing.cpuMedianMs,
        jsonMedianMs: json.medianMs,
        jsonCpuMedianMs: json.cpuMedianMs,
        jsonSamplesMs: json.samplesMs,
      },
    });
  }
  return results;
}
