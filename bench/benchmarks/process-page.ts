import {existsSync} from 'node:fs';
import {copyFile, mkdir, rm} from 'node:fs/promises';
import path from 'node:path';
import {withWriteSession} from '../../src/db/session.js';
import {runsStore} from '../fixtures/runs-store.js';
import {type Benchmark, runsFor, scaled} from '../lib/bench.js';
import {DATA_DIR} from '../lib/paths.js';
import {formatCount, formatMs} from '../lib/stats.js';
import {CLI_RUNS, CLI_WARMUP_RUNS, timeCli} from './cli-timing.js';
import {RUNS_IN_STORE, SHOW_PREFIX_CHARS} from './store-cases.js';

/** Issue #12: the page of one `process` run of 10,000 windows, in the 1,000,000-run store. */
const WINDOWS = 10_000;
const TARGET_MS = 400;
/** About 2% of the big invocation's windows failed, 0.5% crashed: its page lists problems first. */
const FAILED_EVERY = 50;
const CRASHED_EVERY = 200;
const PROCESS_RUN_ID = '7e57ab1e-0000-4000-8000-00000000b16e';
const INGEST_RUN_ID = '19e5ab1e-0000-4000-8000-0000000019e5';

/**
 * `runs show <process-run prefix>` of an invocation with 10,000 window runs, added to a copy of the
 * 1,000,000-run benchmark store: its children counted by status, the failed and crashed first with
 * their errors, the slowest, its side-table rows. The copy is kept in bench/.data/ for later runs.
 */
export const processPage: Benchmark = {
  name: 'process-page',
  summary: '`runs show <process run>` of a 10,000-window invocation in a 1,000,000-run store',
  async run(context) {
    const base = await runsStore(scaled(context, RUNS_IN_STORE), context.log);
    const windows = scaled(context, WINDOWS);
    const stateDir = path.join(DATA_DIR, `process-page-${base.runs}-${windows}`, '.egregora');
    const dbPath = path.join(stateDir, 'runs.duckdb');
    if (!existsSync(dbPath)) {
      context.log(`  adding a ${formatCount(windows)}-window process run to a copy of the store`);
      await rm(path.dirname(stateDir), {recursive: true, force: true});
      await mkdir(stateDir, {recursive: true});
      await copyFile(base.dbPath, dbPath);
      await withWriteSession(dbPath, async (connection) => {
        for (const statement of bigInvocationSql(windows)) await connection.run(statement);
      });
    }
    const runs = runsFor(context, CLI_RUNS);
    const args = ['runs', 'show', PROCESS_RUN_ID.slice(0, SHOW_PREFIX_CHARS), '--dir', stateDir];
    context.log(`  node bin/run.js ${args.join(' ')} × ${runs}`);
    const expectedProblems = Math.floor(windows / FAILED_EVERY) + Math.floor(windows / CRASHED_EVERY);
    const timing = timeCli(args, runs, (run) =>
      run.stdout.includes('egregora runs retry') ? null : 'the page has no retry hint',
    );
    const json = timeCli([...args, '--json'], runs, (run) => {
      const output = JSON.parse(run.stdout) as {process?: {windows_total: number; problems_total: number}};
      if (output.process?.windows_total !== windows) return `windows_total ${output.process?.windows_total}`;
      return output.process.problems_total >= expectedProblems - 1
        ? null
        : `problems_total ${output.process.problems_total}`;
    });
    context.log(`  median ${formatMs(timing.medianMs)} (with --json ${formatMs(json.medianMs)})`);
    return [
      {
        id: 'runs.show-process',
        benchmark: '`runs show <process run>`',
        input: `${formatCount(windows)} windows, ${formatCount(base.runs + windows + 2)} runs`,
        median: timing.medianMs,
        unit: 'ms',
        display: formatMs(timing.medianMs),
        target: `≤ ${TARGET_MS} ms`,
        ratio: `--json ${formatMs(json.medianMs)}`,
        pass: timing.medianMs <= TARGET_MS,
        samples: timing.samplesMs,
        details: {
          runs,
          warmupRuns: CLI_WARMUP_RUNS,
          command: `node bin/run.js ${args.join(' ')}`,
          jsonMedianMs: json.medianMs,
          jsonSamplesMs: json.samplesMs,
        },
      },
    ];
  },
};

/** The big invocation: a process run, its ingest, `windows` window runs with spans, lineage to both. */
function bigInvocationSql(windows: number): string[] {
  const started = "TIMESTAMPTZ '2025-05-31 12:00:00+00'";
  return [
    `INSERT INTO runs VALUES ('${PROCESS_RUN_ID}', NULL, 'process', 'failed',
       'WindowsFailed: ${Math.floor(windows / FAILED_EVERY)} of ${windows} windows failed', 'sha256:${'e'.repeat(64)}',
       'bench', 'sha256:${'f'.repeat(64)}', ${started}, ${started} + INTERVAL 3 HOUR, 10800, 1000000, ${windows}, 0, 0, NULL)`,
    `INSERT INTO runs VALUES ('${INGEST_RUN_ID}', NULL, 'ingest', 'completed', NULL, 'sha256:${'e'.repeat(64)}',
       'bench', 'sha256:${'f'.repeat(64)}', ${started}, ${started} + INTERVAL 20 SECOND, 20, 1100000, 1000000, 0, 0, NULL)`,
    `INSERT INTO process_runs VALUES ('${PROCESS_RUN_ID}', '/data/export.zip', 'sha256:${'e'.repeat(64)}', '_chat.txt', '/data/site',
       '{"writer":"digest","windowUnit":"messages","windowSize":100}')`,
    `CREATE TEMP TABLE big AS
       SELECT i, uuid() AS id,
              CASE WHEN i % ${CRASHED_EVERY} = 7 THEN 'crashed' WHEN i % ${FAILED_EVERY} = 3 THEN 'failed' ELSE 'completed' END AS status,
              0.2 + (hash(i) % 1000) / 1000.0 AS seconds
       FROM range(${windows}) t(i)`,
    `INSERT INTO runs SELECT id, NULL, 'window_' || i, status,
       CASE WHEN status = 'completed' THEN NULL ELSE 'LlmRequestError: HTTP 500 from http://127.0.0.1:11434/v1/chat/completions (gave up after 5 attempts)' END,
       'sha256:' || md5(i::VARCHAR) || md5(i::VARCHAR), 'bench', 'sha256:${'f'.repeat(64)}',
       ${started} + to_seconds(20 + i), ${started} + to_seconds(20 + i + seconds), seconds, 100, 1, 1, 4000, NULL
     FROM big`,
    `INSERT INTO run_lineage SELECT '${INGEST_RUN_ID}', '${PROCESS_RUN_ID}'`,
    `INSERT INTO run_lineage SELECT id, '${INGEST_RUN_ID}' FROM big UNION ALL SELECT id, '${PROCESS_RUN_ID}' FROM big`,
    `INSERT INTO run_windows SELECT id, i, NULL, '2024-01-01T00:00:00', '2024-01-02T00:00:00', 100 FROM big`,
    'DROP TABLE big',
  ];
}
