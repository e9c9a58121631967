import {existsSync} from 'node:fs';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {RunShowOutputSchema, RunsListingOutputSchema} from '../../schemas/runs-output.js';
import {MANIFEST_NAME} from '../../src/site/manifest.js';
import {REPO_ROOT, runCli, tempDir} from '../helpers/cli.js';
import {queryStore} from '../helpers/db.js';
import {PRIVATE_EMAIL, PRIVATE_NAMES, PRIVATE_PHONE, writeChatExport} from './export-fixture.js';

const TEST_WRITERS = path.join(REPO_ROOT, 'test', 'pipeline', 'fixtures', 'test-writers.mjs');

const query = queryStore;

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, {withFileTypes: true, recursive: true})) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

/** The site's files and bytes, but the renderer's manifest (it records the posts' times). */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const file of await listFiles(dir)) {
    if (file === MANIFEST_NAME) continue;
    files.set(file, (await readFile(path.join(dir, file))).toString('base64'));
  }
  return files;
}

describe('egregora process, spawned as a user runs it', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;

  beforeAll(async () => {
    ({dir: root, cleanup} = await tempDir('egregora-process-'));
    zip = await writeChatExport(path.join(root, 'input'), 450);
  });
  afterAll(async () => cleanup());

  it('processes an export: posts, one run per window plus the ingest, lineage; then resumes and forces', async () => {
    const cwd = path.join(root, 'basic');
    const {mkdir} = await import('node:fs/promises');
    await mkdir(cwd, {recursive: true});
    const first = await runCli(['process', zip, '--json'], {cwd});
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(first.stdout));
    expect(summary.outcome).toBe('completed');
    expect(summary.windows).toMatchObject({total: 5, processed: 5, skipped: 0, failed: 0});
    expect(summary.posts_written).toBe(5);
    expect(summary.ingest.messages).toBe(450);
    expect(summary.tracking.recorded).toBe(true);

    const posts = (await listFiles(path.join(cwd, 'site'))).filter((file) => file.endsWith('.md'));
    expect(posts).toHaveLength(5);
    const post = await readFile(path.join(cwd, 'site', posts[0] ?? ''), 'utf8');
    expect(post.startsWith('---\n')).toBe(true);
    for (const field of ['title:', 'slug:', 'date:', 'tags:', 'summary:', 'authors:', 'window:'])
      expect(post).toContain(field);

    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    const runs = await query(
      runsDb,
      'SELECT CAST(run_id AS VARCHAR) AS id, stage, status, rows_in, rows_out FROM runs',
    );
    // The invocation's own run, the ingest, one run per window and the site's.
    expect(runs).toHaveLength(8);
    expect(runs.find((run) => run.stage === 'site')).toMatchObject({status: 'completed', rows_in: '5'});
    const ingest = runs.find((run) => run.stage === 'ingest');
    expect(ingest).toMatchObject({status: 'completed', rows_out: '450'});
    const invocation = runs.find((run) => run.stage === 'process');
    expect(invocation).toMatchObject({status: 'completed', rows_in: '450', rows_out: '5'});
    expect(summary.process_run_id).toBe(invocation?.id);
    const lineage = await query(
      runsDb,
      'SELECT CAST(child_run_id AS VARCHAR) AS child, CAST(parent_run_id AS VARCHAR) AS parent FROM run_lineage',
    );
    // The ingest's and the site's parent is the process run; each window's, the ingest and the process run.
    expect(lineage).toHaveLength(2 + 5 * 2);
    expect(lineage.filter((row) => row.child === ingest?.id).map((row) => row.parent)).toEqual([
      invocation?.id,
    ]);
    expect(new Set(lineage.map((row) => row.parent))).toEqual(new Set([ingest?.id, invocation?.id]));
    expect(
      runs
        .filter((run) => String(run.stage).startsWith('window_'))
        .map((run) => run.rows_in)
        .sort(),
    ).toEqual(['100', '100', '100', '100', '50']);

    // Every output row names an existing run.
    const pipelineDb = path.join(cwd, '.egregora', 'pipeline.duckdb');
    const outputs = await query(pipelineDb, 'SELECT DISTINCT CAST(run_id AS VARCHAR) AS id FROM outputs');
    for (const output of outputs) expect(runs.map((run) => run.id)).toContain(output.id);
    const messages = await query(
      pipelineDb,
      'SELECT count(*) AS n, count(DISTINCT ingest_run_id) AS runs FROM messages',
    );
    expect(messages[0]).toMatchObject({n: '450', runs: '1'});

    const before = await snapshot(path.join(cwd, 'site'));
    const second = await runCli(['process', zip, '--json'], {cwd});
    expect(second.code).toBe(0);
    const resumed = ProcessSummarySchema.parse(JSON.parse(second.stdout));
    expect(resumed.windows).toMatchObject({total: 5, processed: 0, skipped: 5});
    expect(resumed.ingest.reused).toBe(true);
    // Only the second invocation's own run and its site's are new: no window was redone.
    expect(await query(runsDb, 'SELECT count(*) AS n FROM runs')).toEqual([{n: '10'}]);

    const oldRuns = await query(
      runsDb,
      'SELECT CAST(run_id AS VARCHAR) AS id, status, finished_at::VARCHAR AS f FROM runs ORDER BY id',
    );
    const forced = await runCli(['process', zip, '--force', '--json'], {cwd});
    expect(forced.code).toBe(0);
    expect(ProcessSummarySchema.parse(JSON.parse(forced.stdout)).windows.processed).toBe(5);
    const allRuns = await query(
      runsDb,
      'SELECT CAST(run_id AS VARCHAR) AS id, status, finished_at::VARCHAR AS f FROM runs',
    );
    expect(allRuns).toHaveLength(10 + 8);
    for (const old of oldRuns) expect(allRuns).toContainEqual(old);
    const afterForce = await query(
      pipelineDb,
      'SELECT count(*) AS n, count(DISTINCT ingest_run_id) AS runs FROM messages',
    );
    expect(afterForce[0]).toMatchObject({n: '900', runs: '2'});
    // Same input and config: byte-identical site.
    expect(await snapshot(path.join(cwd, 'site'))).toEqual(before);
  });

  it('a new --output folder, or a deleted post, is written again instead of skipped', async () => {
    const cwd = path.join(root, 'basic');
    const elsewhere = await runCli(['process', zip, '--output', 'elsewhere', '--json'], {cwd});
    expect(elsewhere.code).toBe(0);
    expect(ProcessSummarySchema.parse(JSON.parse(elsewhere.stdout)).windows.processed).toBe(5);
    expect(await snapshot(path.join(cwd, 'elsewhere'))).toEqual(await snapshot(path.join(cwd, 'site')));

    const posts = (await listFiles(path.join(cwd, 'elsewhere'))).filter((file) => file.endsWith('.md'));
    const {rm} = await import('node:fs/promises');
    await rm(path.join(cwd, 'elsewhere', posts[2] ?? ''));
    const again = await runCli(['process', zip, '--output', './elsewhere', '--json'], {cwd});
    expect(ProcessSummarySchema.parse(JSON.parse(again.stdout)).windows).toMatchObject({
      processed: 1,
      skipped: 4,
    });
    expect(existsSync(path.join(cwd, 'elsewhere', posts[2] ?? ''))).toBe(true);
  });

  it('keeps names, phone numbers and e-mail addresses out of the site and the runs store', async () => {
    const cwd = path.join(root, 'basic');
    const texts: string[] = [];
    for (const file of await listFiles(path.join(cwd, 'site')))
      texts.push(await readFile(path.join(cwd, 'site', file), 'latin1'));
    texts.push((await readFile(path.join(cwd, '.egregora', 'runs.duckdb'))).toString('latin1'));
    const haystack = texts.join('\n');
    for (const secret of [
      ...PRIVATE_NAMES,
      ...PRIVATE_NAMES.map((name) => name.split(' ')[0] ?? name),
      PRIVATE_PHONE,
      PRIVATE_EMAIL,
    ]) {
      expect(haystack, secret).not.toContain(secret);
    }
  });

  it('a failing window: its run is failed with the error, the others go on, exit 11, no post for it', async () => {
    const cwd = path.join(root, 'failing');
    const {mkdir} = await import('node:fs/promises');
    await mkdir(cwd, {recursive: true});
    const env = {EGREGORA_WRITER_MODULES: TEST_WRITERS, TEST_FAIL_WINDOWS: '1,3'};
    const result = await runCli(['process', zip, '--writer', 'failing'], {cwd, env});
    expect(result.code).toBe(11);
    expect(result.stdout).toContain('window_1');
    expect(result.stdout).toContain('window_3');
    expect(result.stdout).toMatch(/egregora runs show [0-9a-f]{8}/);
    const posts = (await listFiles(path.join(cwd, 'site'))).filter((file) => file.endsWith('.md'));
    expect(posts).toHaveLength(3);
    expect(posts.some((file) => file.includes('w0001'))).toBe(false);

    const failedList = await runCli(['runs', 'list', '--status', 'failed', '--json'], {cwd});
    const failed = RunsListingOutputSchema.parse(JSON.parse(failedList.stdout)).runs;
    // The invocation's own run failed too: some of its windows did.
    expect(failed.map((run) => run.stage).sort()).toEqual(['process', 'window_1', 'window_3']);
    const shown = await runCli(['runs', 'show', (failed[0]?.run_id ?? '').slice(0, 8), '--json'], {cwd});
    const detail = RunShowOutputSchema.parse(JSON.parse(shown.stdout));
    expect(detail.run.error).toMatch(/^RangeError: the test writer refuses window \d on purpose/);
    expect(detail.run.error).toMatch(/window \d: messages \d+–\d+/);

    // --fail-fast stops at the first failure: fewer windows processed.
    const fast = await runCli(
      ['process', zip, '--writer', 'failing', '--fail-fast', '--concurrency', '1', '--json', '--force'],
      {
        cwd,
        env,
      },
    );
    expect(fast.code).toBe(11);
    const fastSummary = ProcessSummarySchema.parse(JSON.parse(fast.stdout));
    expect(fastSummary.windows.processed).toBe(2);
    expect(fastSummary.windows.failed).toBe(1);
  });

  it('splits a window over the token budget into part runs under the window run', async () => {
    const cwd = path.join(root, 'split');
    const {mkdir} = await import('node:fs/promises');
    await mkdir(cwd, {recursive: true});
    const result = await runCli(['process', zip, '--max-window-tokens', '600', '--json'], {cwd});
    expect(result.code).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
    expect(summary.windows.split).toBeGreaterThan(0);
    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    const parts = await query(
      runsDb,
      `SELECT r.stage, p.stage AS parent_stage FROM runs r JOIN run_lineage l ON l.child_run_id = r.run_id
       JOIN runs p ON p.run_id = l.parent_run_id WHERE r.stage LIKE '%.part_%'`,
    );
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts)
      expect(String(part.stage).startsWith(`${String(part.parent_stage)}.part_`)).toBe(true);
    const posts = (await listFiles(path.join(cwd, 'site'))).filter((file) => file.endsWith('.md'));
    expect(posts.length).toBe(summary.posts_written);
    expect(posts.length).toBeGreaterThan(5);
  });

  it('--dry-run shows the plan and writes nothing at all', async () => {
    const cwd = path.join(root, 'dry');
    const {mkdir} = await import('node:fs/promises');
    await mkdir(cwd, {recursive: true});
    const result = await runCli(['process', zip, '--dry-run'], {cwd});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Dry run');
    expect(result.stdout).toMatch(/Window\s+First\s+Last\s+Messages\s+Action/);
    expect(await readdir(cwd)).toEqual([]);
    const json = await runCli(['process', zip, '--dry-run', '--json'], {cwd});
    const summary = ProcessSummarySchema.parse(JSON.parse(json.stdout));
    expect(summary.plan).toHaveLength(5);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('--dry-run after a run marks the finished windows as skipped', async () => {
    const cwd = path.join(root, 'basic');
    const result = await runCli(['process', zip, '--dry-run', '--json'], {cwd});
    const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
    expect(summary.plan?.every((window) => window.action === 'skip')).toBe(true);
  });

  it('never runs more windows at once than --concurrency', async () => {
    const cwd = path.join(root, 'concurrency');
    const {mkdir} = await import('node:fs/promises');
    await mkdir(cwd, {recursive: true});
    const log = path.join(root, 'concurrency.log');
    const env = {
      EGREGORA_WRITER_MODULES: TEST_WRITERS,
      TEST_CONCURRENCY_LOG: log,
      TEST_WINDOW_DELAY_MS: '60',
    };
    const result = await runCli(
      ['process', zip, '--writer', 'slow', '--concurrency', '2', '--window-size', '25'],
      {cwd, env},
    );
    expect(result.code).toBe(0);
    const seen = (await readFile(log, 'utf8')).trim().split('\n').map(Number);
    expect(seen).toHaveLength(18);
    expect(Math.max(...seen)).toBe(2);
  });

  it('rejects out-of-range numeric flags, saying the range', async () => {
    const cwd = path.join(root, 'dry');
    for (const args of [
      ['--window-size', '0'],
      ['--window-size', '100001'],
      ['--window-unit', 'hours', '--window-size', '9000'],
      ['--overlap', '0.6'],
      ['--overlap', '-0.1'],
      ['--concurrency', '0'],
      ['--concurrency', '33'],
      ['--max-window-tokens', '10'],
    ]) {
      const result = await runCli(['process', zip, ...args], {cwd});
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/between|from/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await readdir(cwd)).toEqual([]);
  });
});
