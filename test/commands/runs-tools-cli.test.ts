import {existsSync} from 'node:fs';
import {mkdir, readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RunsExportOutputSchema} from '../../schemas/runs-export.js';
import {RunsLineageOutputSchema} from '../../schemas/runs-lineage.js';
import {ErrorOutputSchema} from '../../schemas/runs-output.js';
import {RunsStatsOutputSchema} from '../../schemas/runs-stats.js';
import {withReadSession} from '../../src/db/session.js';
import {runCli, tempDir} from '../helpers/cli.js';
import {createStore, insertEdges, insertRuns, runId, type SeedRun} from '../runs/tools-seed.js';

const PROCESS = runId('a1110000', 1);
const INGEST = runId('a2220000', 2);
const WINDOWS = [...Array(14).keys()].map((index) => runId('b3330000', 10 + index));
/** Two ids sharing the prefix `c4440000`. */
const TWINS = [runId('c4440000', 100), runId('c4440000', 101)];

const RUNS: SeedRun[] = [
  {
    id: PROCESS,
    stage: 'process',
    status: 'failed',
    minute: 0,
    duration: 20,
    error: 'WindowsFailed: 2 windows failed',
  },
  {id: INGEST, stage: 'ingest', status: 'completed', minute: 1, duration: 2, rowsIn: 1500, rowsOut: 1400},
  ...WINDOWS.map(
    (id, index): SeedRun => ({
      id,
      stage: `window_${index}`,
      status: index % 7 === 3 ? 'failed' : 'completed',
      minute: 2 + index,
      duration: 0.1 * (index + 1),
      error:
        index % 7 === 3
          ? `Error: window ${index}: EACCES: permission denied, open 'site/posts/${index}.md.tmp'`
          : null,
      llmCalls: 1,
      tokens: 250,
    }),
  ),
  ...TWINS.map((id, index): SeedRun => ({id, stage: 'ingest', status: 'completed', minute: 100 + index})),
];

describe('runs stats | lineage | export, spawned as a user runs them', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let populated: string;
  let fresh: string;
  let dbPath: string;

  beforeAll(async () => {
    ({dir, cleanup} = await tempDir());
    populated = path.join(dir, 'populated');
    fresh = path.join(dir, 'fresh');
    await mkdir(path.join(populated, '.egregora'), {recursive: true});
    await mkdir(fresh);
    dbPath = path.join(populated, '.egregora', 'runs.duckdb');
    await createStore(dbPath);
    await insertRuns(dbPath, RUNS);
    await insertEdges(dbPath, [
      [INGEST, PROCESS],
      ...WINDOWS.flatMap((id) => [[id, INGEST] as const, [id, PROCESS] as const]),
    ]);
  });

  afterAll(async () => {
    await cleanup();
  });

  describe('runs stats', () => {
    it('prints the group tables and the top errors on stdout', async () => {
      const result = await runCli(['runs', 'stats'], {cwd: populated});
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('== Outcomes by stage group ==');
      expect(result.stdout).toMatch(/^window\s+14\s+12\s+0\s+2\s+/m);
      expect(result.stdout).toMatch(/^process\s+1\s+0\s+0\s+1\s+/m);
      expect(result.stdout).toMatch(/^part\s+0\s+/m);
      expect(result.stdout).toContain(
        "Error: window <n>: EACCES: permission denied, open 'site/posts/<n>.md.tmp'",
      );
      // Piped: no colours.
      expect(result.stdout).not.toContain('\u001b[');
    });

    it('--json is the schema, with the figures', async () => {
      const result = await runCli(['runs', 'stats', '--json'], {cwd: populated});
      expect(result.code).toBe(0);
      const stats = RunsStatsOutputSchema.parse(JSON.parse(result.stdout));
      expect(stats.runs).toBe(RUNS.length);
      const window = stats.groups.find((group) => group.group === 'window');
      expect(window).toMatchObject({runs: 14, llm_calls: 14, tokens: 3500});
      expect(window?.failure_rate).toBeCloseTo(2 / 14, 10);
      expect(stats.top_errors[0]).toMatchObject({count: 2, last_run_id: WINDOWS[10]});
      expect(stats.error_kinds).toBe(2);
    });

    it('filters with --stage / --since / --until and says when nothing matches', async () => {
      const filtered = await runCli(['runs', 'stats', '--stage', 'window_1?', '--json'], {cwd: populated});
      expect(RunsStatsOutputSchema.parse(JSON.parse(filtered.stdout)).runs).toBe(4);
      const none = await runCli(['runs', 'stats', '--since', '1d'], {cwd: populated});
      expect(none.code).toBe(0);
      expect(none.stdout).toBe('');
      expect(none.stderr).toContain('No runs match these filters.');
    });

    it('refuses an unreadable date and an empty range with exit 2', async () => {
      const bad = await runCli(['runs', 'stats', '--since', 'yesterday'], {cwd: populated});
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--since "yesterday" is not a date I can read.');
      const empty = await runCli(
        ['runs', 'stats', '--since', '2024-03-02', '--until', '2024-03-01', '--json'],
        {
          cwd: populated,
        },
      );
      expect(empty.code).toBe(2);
      expect(ErrorOutputSchema.parse(JSON.parse(empty.stdout)).error.message).toContain(
        'The time range is empty',
      );
    });

    it('without a store: says so, exit 0, creates nothing', async () => {
      const result = await runCli(['runs', 'stats'], {cwd: fresh});
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('No runs are recorded yet');
      expect(result.stderr).toContain('egregora process');
      const json = await runCli(['runs', 'stats', '--json'], {cwd: fresh});
      expect(RunsStatsOutputSchema.parse(JSON.parse(json.stdout)).state).toBe('missing');
      expect(existsSync(path.join(fresh, '.egregora'))).toBe(false);
    });
  });

  describe('runs lineage', () => {
    it('draws the trees with status and duration, bounded, and "and N more"', async () => {
      const result = await runCli(['runs', 'lineage', INGEST.slice(0, 8)], {cwd: populated});
      expect(result.code).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^${INGEST} ingest completed 2\\.00s started `));
      expect(result.stdout).toContain('`-- a1110000 process failed 20.00s');
      expect(result.stdout).toContain('|-- b3330000 window_0 completed 0.10s');
      expect(result.stdout).toContain('`-- ...and 4 more');
    });

    it('--json is the tree as nested nodes', async () => {
      const result = await runCli(['runs', 'lineage', PROCESS, '--json'], {cwd: populated});
      expect(result.code).toBe(0);
      const tree = RunsLineageOutputSchema.parse(JSON.parse(result.stdout));
      expect(tree.run.run_id).toBe(PROCESS);
      expect(tree.children_total).toBe(15);
      expect(tree.children).toHaveLength(10);
      const ingest = tree.children[0];
      expect(ingest).toMatchObject({run_id: INGEST, children_total: 14});
      // The windows are children of both: under the ingest they are marked as listed elsewhere.
      expect(ingest?.children.slice(0, 9).every((child) => child.repeated)).toBe(true);
      expect(tree.truncated).toBe(true);
    });

    it('exit 3 when nothing matches, 4 when several runs do, 2 for a short prefix', async () => {
      const none = await runCli(['runs', 'lineage', 'ffff0000'], {cwd: populated});
      expect(none.code).toBe(3);
      expect(none.stderr).toContain('No run id starts with "ffff0000"');
      const ambiguous = await runCli(['runs', 'lineage', 'c4440000'], {cwd: populated});
      expect(ambiguous.code).toBe(4);
      expect(ambiguous.stderr).toContain('matches 2 runs');
      expect(ambiguous.stderr).toContain(TWINS[0]);
      const json = await runCli(['runs', 'lineage', 'c4440000', '--json'], {cwd: populated});
      expect(json.code).toBe(4);
      expect(ErrorOutputSchema.parse(JSON.parse(json.stdout)).error.details).toMatchObject({total: 2});
      const short = await runCli(['runs', 'lineage', 'ab'], {cwd: populated});
      expect(short.code).toBe(2);
      const missing = await runCli(['runs', 'lineage', 'abcd'], {cwd: fresh});
      expect(missing.code).toBe(3);
      expect(missing.stderr).toContain('No runs are recorded yet');
    });
  });

  describe('runs export', () => {
    async function readBack(file: string, reader: string): Promise<number> {
      return withReadSession(dbPath, async (connection) => {
        const result = await connection.runAndReadAll(
          `SELECT count(*)::INTEGER AS n FROM (SELECT CAST(run_id AS UUID) AS run_id, stage, status FROM ${reader}($1)
             EXCEPT ALL SELECT run_id, stage, status FROM runs)`,
          [file],
        );
        return Number(result.getRowObjectsJson()[0]?.n);
      });
    }

    for (const [format, reader] of [
      ['parquet', 'read_parquet'],
      ['csv', 'read_csv'],
      ['json', 'read_json'],
    ] as const) {
      it(`--format ${format} writes every run and, with --lineage, the edges; they read back in DuckDB`, async () => {
        const out = path.join(dir, `export-${format}`);
        await mkdir(out);
        const result = await runCli(
          ['runs', 'export', '--format', format, '--output', path.join(out, 'all'), '--lineage', '--json'],
          {cwd: populated},
        );
        expect(result.code).toBe(0);
        const report = RunsExportOutputSchema.parse(JSON.parse(result.stdout));
        expect(report.files.map((file) => [file.kind, path.basename(file.path), file.rows])).toEqual([
          ['runs', 'all', RUNS.length],
          ['lineage', 'all.lineage', 1 + 2 * WINDOWS.length],
        ]);
        expect(await readBack(path.join(out, 'all'), reader)).toBe(0);
        expect((await readdir(out)).sort()).toEqual(['all', 'all.lineage']);
      });
    }

    it('prints what it wrote, and refuses to overwrite without --force (exit 2)', async () => {
      const out = path.join(dir, 'export-again');
      await mkdir(out);
      const first = await runCli(['runs', 'export', '-o', 'runs.csv', '--status', 'failed'], {
        cwd: out,
        env: {EGREGORA_DIR: path.join(populated, '.egregora')},
      });
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/runs \(csv\)\s+3\s+[\d.]+ (B|kB)\s+.*runs\.csv/);
      const csv = await readFile(path.join(out, 'runs.csv'), 'utf8');
      expect(csv.split('\n')[0]).toBe(
        'run_id,tenant_id,stage,status,error,input_fingerprint,code_ref,config_hash,started_at,finished_at,duration_seconds,rows_in,rows_out,llm_calls,tokens,trace_id',
      );
      const again = await runCli(
        ['runs', 'export', '-o', 'runs.csv', '--dir', path.join(populated, '.egregora')],
        {cwd: out},
      );
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('runs.csv already exists; egregora did not overwrite it.');
      expect(again.stderr).toContain('--force');
      expect(await readFile(path.join(out, 'runs.csv'), 'utf8')).toBe(csv);
      const forced = await runCli(
        ['runs', 'export', '-o', 'runs.csv', '--force', '--json', '--dir', path.join(populated, '.egregora')],
        {cwd: out},
      );
      expect(forced.code).toBe(0);
      expect(RunsExportOutputSchema.parse(JSON.parse(forced.stdout)).files[0]?.rows).toBe(RUNS.length);
    });

    it('refuses a folder that does not exist and an unknown format (exit 2)', async () => {
      const missing = await runCli(['runs', 'export', '-o', 'no/such/runs.parquet'], {cwd: populated});
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('does not exist');
      const unknown = await runCli(['runs', 'export', '-o', 'runs.txt'], {cwd: populated});
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('--format');
      const badFormat = await runCli(['runs', 'export', '-o', 'x', '--format', 'xml'], {cwd: populated});
      expect(badFormat.code).toBe(2);
      const badLimit = await runCli(['runs', 'export', '-o', 'x.csv', '--limit', '0'], {cwd: populated});
      expect(badLimit.code).toBe(2);
      expect(badLimit.stderr).toContain('--limit must be a whole number from 1 to 10000000');
    });

    it('without a store: says so, writes nothing, exit 0', async () => {
      const result = await runCli(['runs', 'export', '-o', 'runs.parquet'], {cwd: fresh});
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('No runs are recorded yet');
      expect(result.stderr).toContain('nothing was exported');
      expect(await readdir(fresh)).toEqual([]);
      const json = await runCli(['runs', 'export', '-o', 'runs.parquet', '--json'], {cwd: fresh});
      expect(RunsExportOutputSchema.parse(JSON.parse(json.stdout))).toMatchObject({
        state: 'missing',
        files: [],
      });
    });

    it('--help lists the flags', async () => {
      const result = await runCli(['runs', 'export', '--help'], {cwd: fresh});
      expect(result.code).toBe(0);
      for (const flag of [
        '--format',
        '--output',
        '--lineage',
        '--force',
        '--status',
        '--stage',
        '--since',
        '--until',
        '--limit',
      ]) {
        expect(result.stdout).toContain(flag);
      }
    });
  });
});
