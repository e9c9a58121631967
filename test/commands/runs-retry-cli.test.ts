import {copyFile, mkdir} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RunShowOutputSchema} from '../../schemas/runs-output.js';
import {RetryOutputSchema} from '../../schemas/runs-retry.js';
import {REPO_ROOT, runCli, tempDir} from '../helpers/cli.js';
import {queryStore} from '../helpers/db.js';
import {writeChatExport} from '../pipeline/export-fixture.js';

const TEST_WRITERS = path.join(REPO_ROOT, 'test', 'pipeline', 'fixtures', 'test-writers.mjs');

const query = queryStore;

describe('a run per process, its page, and runs retry', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;
  let cwd: string;
  let runsDb: string;
  let processRunId: string;
  const failing = (windows: string) => ({EGREGORA_WRITER_MODULES: TEST_WRITERS, TEST_FAIL_WINDOWS: windows});

  beforeAll(async () => {
    ({dir: root, cleanup} = await tempDir('egregora-retry-'));
    zip = await writeChatExport(path.join(root, 'input'), 450);
    cwd = path.join(root, 'work');
    await mkdir(cwd, {recursive: true});
    runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    const first = await runCli(['process', zip, '--writer', 'failing', '--json'], {cwd, env: failing('1,3')});
    expect(first.code).toBe(11);
    processRunId = String(JSON.parse(first.stdout).process_run_id);
  });
  afterAll(async () => cleanup());

  it("shows the process run as the invocation's page: windows by status, the failed first, the way on", async () => {
    const shown = await runCli(['runs', 'show', processRunId, '--json'], {cwd});
    expect(shown.code).toBe(0);
    const output = RunShowOutputSchema.parse(JSON.parse(shown.stdout));
    expect(output.run).toMatchObject({stage: 'process', status: 'failed', rows_in: 450, rows_out: 3});
    expect(output.run.error).toContain('2 of 5 windows failed (window_1, window_3)');
    expect(output.process?.windows).toEqual({completed: 3, failed: 2});
    expect(output.process?.problems.map((run) => run.stage)).toEqual(['window_1', 'window_3']);
    expect(output.process?.problems[0]?.error).toContain('refuses window 1');
    expect(output.process?.slowest.length).toBeGreaterThan(0);
    expect(output.process?.detail).toMatchObject({export_path: zip, output_dir: path.join(cwd, 'site')});
    expect(output.process?.detail?.settings).toMatchObject({writer: 'failing', windowSize: 100});
    const panel = await runCli(['runs', 'show', processRunId.slice(0, 8)], {cwd});
    expect(panel.stdout).toMatch(/In all\s+5: 2 failed, 3 completed/);
    expect(panel.stdout).toContain(`egregora runs retry ${processRunId.slice(0, 8)}`);
  });

  it("shows a window run's span, files and process run", async () => {
    const [window] = await query(runsDb, `SELECT run_id::VARCHAR AS id FROM runs WHERE stage = 'window_0'`);
    const shown = await runCli(['runs', 'show', String(window?.id), '--json'], {cwd});
    const output = RunShowOutputSchema.parse(JSON.parse(shown.stdout));
    expect(output.window).toMatchObject({window_index: 0, part_index: null, messages: 100});
    expect(output.window?.first_date).toMatch(/^2024-03-01T/);
    expect(output.files?.paths.some((file) => file.startsWith('posts/2024-03-01-w0000'))).toBe(true);
    expect(output.parents.map((run) => run.stage).sort()).toEqual(['ingest', 'process']);
    expect(output.retry_of).toBeNull();
  });

  it('plans a retry with --dry-run and changes nothing', async () => {
    const before = await query(runsDb, 'SELECT count(*)::INTEGER AS n FROM runs');
    const planned = await runCli(['runs', 'retry', '--dry-run', '--json'], {cwd});
    expect(planned.code).toBe(0);
    const output = RetryOutputSchema.parse(JSON.parse(planned.stdout));
    expect(output).toMatchObject({process_run_id: processRunId, outcome: 'planned', summary: null});
    expect(output.windows.map((window) => window.stage)).toEqual(['window_1', 'window_3']);
    expect(await query(runsDb, 'SELECT count(*)::INTEGER AS n FROM runs')).toEqual(before);
  });

  it('retries only the failed windows, as new runs linked to the old ones, which never change', async () => {
    const oldRuns = await query(
      runsDb,
      'SELECT run_id::VARCHAR AS id, status, finished_at::VARCHAR AS f FROM runs',
    );
    // Window 3 fails again, window 1 now succeeds.
    const retried = await runCli(['runs', 'retry', '--json'], {cwd, env: failing('3')});
    expect(retried.code).toBe(11);
    const output = RetryOutputSchema.parse(JSON.parse(retried.stdout));
    expect(output.outcome).toBe('failed');
    expect(output.summary?.windows).toMatchObject({processed: 2, failed: 1});
    const allRuns = await query(
      runsDb,
      'SELECT run_id::VARCHAR AS id, status, finished_at::VARCHAR AS f FROM runs',
    );
    for (const old of oldRuns) expect(allRuns).toContainEqual(old);
    const links = await query(
      runsDb,
      `SELECT n.stage, n.status, o.stage AS old_stage FROM run_retries t
       JOIN runs n ON n.run_id = t.run_id JOIN runs o ON o.run_id = t.retry_of_run_id ORDER BY n.stage`,
    );
    expect(links).toEqual([
      {stage: 'process', status: 'failed', old_stage: 'process'},
      {stage: 'window_1', status: 'completed', old_stage: 'window_1'},
      {stage: 'window_3', status: 'failed', old_stage: 'window_3'},
    ]);
    // Only the two retried windows ran again: no completed window was touched.
    const windowRuns = await query(
      runsDb,
      `SELECT count(*)::INTEGER AS n FROM runs WHERE stage LIKE 'window_%'`,
    );
    expect(windowRuns).toEqual([{n: 5 + 2}]);

    // The retry of the retry re-does what failed again, and succeeds.
    const again = await runCli(['runs', 'retry', '--json'], {cwd, env: failing('')});
    expect(again.code).toBe(0);
    const second = RetryOutputSchema.parse(JSON.parse(again.stdout));
    expect(second).toMatchObject({outcome: 'retried', process_run_id: output.retry_process_run_id});
    expect(second.windows.map((window) => window.stage)).toEqual(['window_3']);

    // The first window run of window 3 now reads "retried by" the first retry.
    const [firstWindow3] = await query(
      runsDb,
      `SELECT r.run_id::VARCHAR AS id FROM runs r JOIN run_lineage l ON l.child_run_id = r.run_id
       WHERE r.stage = 'window_3' AND l.parent_run_id = '${processRunId}'::UUID`,
    );
    const shown = RunShowOutputSchema.parse(
      JSON.parse((await runCli(['runs', 'show', String(firstWindow3?.id), '--json'], {cwd})).stdout),
    );
    expect(shown.retried_by).toHaveLength(1);
  });

  it('says so and does nothing when the windows are already completed', async () => {
    const before = await query(runsDb, 'SELECT count(*)::INTEGER AS n FROM runs');
    const original = await runCli(['runs', 'retry', processRunId, '--json'], {cwd, env: failing('')});
    expect(original.code).toBe(0);
    expect(RetryOutputSchema.parse(JSON.parse(original.stdout)).outcome).toBe('already_completed');
    const [window0] = await query(runsDb, `SELECT run_id::VARCHAR AS id FROM runs WHERE stage = 'window_0'`);
    const one = await runCli(['runs', 'retry', String(window0?.id)], {cwd});
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('is already completed: nothing to do');
    // Only the retry of the original process recorded an invocation (its windows all skipped) and
    // its site's run; the retry of the completed window started nothing.
    const after = await query(runsDb, 'SELECT count(*)::INTEGER AS n FROM runs');
    expect(Number(after[0]?.n)).toBe(Number(before[0]?.n) + 2);
    const newest = await query(runsDb, 'SELECT stage FROM runs ORDER BY started_at DESC LIMIT 2');
    expect(newest.map((row) => row.stage).sort()).toEqual(['process', 'site']);
  });

  it('takes the export from its new place with --export, and refuses another chat', async () => {
    const work = path.join(root, 'moved');
    await mkdir(work, {recursive: true});
    const first = await runCli(['process', zip, '--writer', 'failing', '--json'], {
      cwd: work,
      env: failing('2'),
    });
    expect(first.code).toBe(11);
    const moved = path.join(root, 'moved-export.zip');
    await copyFile(zip, moved);
    const other = await writeChatExport(path.join(root, 'other'), 300);
    const refused = await runCli(['runs', 'retry', '--export', other], {cwd: work, env: failing('')});
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('fingerprint');
    const retried = await runCli(['runs', 'retry', '--export', moved, '--json'], {
      cwd: work,
      env: failing(''),
    });
    expect(retried.code).toBe(0);
    expect(RetryOutputSchema.parse(JSON.parse(retried.stdout)).summary?.input).toBe(moved);
  });

  it('has a friendly answer without a store, and for an unknown prefix', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty, {recursive: true});
    const none = await runCli(['runs', 'retry'], {cwd: empty});
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('No runs are recorded yet');
    const unknown = await runCli(['runs', 'retry', 'ffff0000'], {cwd});
    expect(unknown.code).toBe(3);
  });
});
