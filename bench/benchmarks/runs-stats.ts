import type {Benchmark} from '../lib/bench.js';
import {SHOW_PREFIX_CHARS, type StoreCase, timeStoreCases} from './store-cases.js';

/** The line for `runs stats` on the 1,000,000-run store. */
const STATS_TARGET_MS = 500;

const CASES: readonly StoreCase[] = [
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
  run: (context) => timeStoreCases(context, CASES),
};
