import {runsStore} from '../fixtures/runs-store.js';
import {type Benchmark, runsFor, scaled} from '../lib/bench.js';
import type {BenchResult} from '../lib/results.js';
import {formatCount, formatMs} from '../lib/stats.js';
import {CLI_RUNS, CLI_WARMUP_RUNS, timeCli} from './cli-timing.js';
import {RUNS_IN_STORE, SHOW_PREFIX_CHARS} from './runs-queries.js';

/** The line for `runs stats` on the 1,000,000-run store. */
const STATS_TARGET_MS = 500;

interface StatsCase {
  readonly id: string;
  readonly label: string;
  readonly args: (stateDir: string, showRunId: string) => string[];
  /** Null: measured for the record, with no line to meet. */
  readonly targetMs: number | null;
  readonly check: (stdout: string) => string | null;
}

const CASES: readonly StatsCase[] = [
  {
    id: 'runs-stats.all',
    label: '`runs stats`',
    args: (dir) => ['runs', 'stats', '--dir', dir],
    targetMs: STATS_TARGET_MS,
    check: (stdout) => (/^window\s/m.test(stdout) ? null : 'no window group'),
  },
  {
    // The fixture's history ends 2025-06-01: three months of it, windows only.
    id: 'runs-stats.filtered',
    label: "`runs stats --stage 'window_*' --since 2025-03-01`",
    args: (dir) => ['runs', 'stats', '--stage', 'window_*', '--since', '2025-03-01', '--dir', dir],
    targetMs: STATS_TARGET_MS,
    check: (stdout) => (stdout.includes('Top errors') ? null : 'no top errors table'),
  },
  {
    id: 'runs-lineage.ingest',
    label: `\`runs lineage <${SHOW_PREFIX_CHARS}-char prefix of an ingest run>\``,
    args: (dir, id) => ['runs', 'lineage', id.slice(0, SHOW_PREFIX_CHARS), '--dir', dir],
    targetMs: null,
    check: (stdout) => (stdout.includes('...and 90 more') ? null : 'the tree is not shown'),
  },
];

export const runsStats: Benchmark = {
  name: 'runs-stats',
  summary: '`runs stats` (all, and filtered) and `runs lineage` on a 1,000,000-run store',
  async run(context) {
    const size = scaled(context, RUNS_IN_STORE);
    const store = await runsStore(size, context.log);
    const runs = runsFor(context, CLI_RUNS);
    const results: BenchResult[] = [];
    for (const item of CASES) {
      const args = item.args(store.stateDir, store.showRunId);
      context.log(`  node bin/run.js ${args.join(' ')} × ${runs}`);
      const timing = timeCli(args, runs, (run) => item.check(run.stdout));
      // Without the Ink tables: what rendering costs, for the diagnosis.
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
        target: item.targetMs === null ? '-' : `< ${item.targetMs} ms`,
        ratio: null,
        pass: item.targetMs === null ? null : timing.medianMs < item.targetMs,
        samples: timing.samplesMs,
        details: {
          runs,
          warmupRuns: CLI_WARMUP_RUNS,
          command: `node bin/run.js ${args.join(' ')}`,
          storeRuns: store.runs,
          cpuMedianMs: timing.cpuMedianMs,
          jsonMedianMs: json.medianMs,
          jsonCpuMedianMs: json.cpuMedianMs,
          jsonSamplesMs: json.samplesMs,
        },
      });
    }
    return results;
  },
};
