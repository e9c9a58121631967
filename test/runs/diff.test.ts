import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {type RunsDiffOutput, RunsDiffOutputSchema} from '../../schemas/runs-diff.js';
import {type DiffMatch, diffRuns, diffSettings, flattenSettings} from '../../src/runs/diff.js';
import {REPO_ROOT, runCli, tempDir} from '../helpers/cli.js';
import {queryStore} from '../helpers/db.js';
import {type FakeLlmServer, startFakeLlmServer} from '../helpers/fake-llm-server.js';
import {writeChatExport} from '../pipeline/export-fixture.js';

const TEST_WRITERS = path.join(REPO_ROOT, 'test', 'pipeline', 'fixtures', 'test-writers.mjs');

const query = queryStore;

interface Workspace {
  readonly cwd: string;
  readonly runsDb: string;
  readonly pipelineDb: string;
}

async function workspace(root: string, name: string): Promise<Workspace> {
  const cwd = path.join(root, name);
  await mkdir(cwd, {recursive: true});
  return {
    cwd,
    runsDb: path.join(cwd, '.egregora', 'runs.duckdb'),
    pipelineDb: path.join(cwd, '.egregora', 'pipeline.duckdb'),
  };
}

/** Runs `process` in the workspace and returns its process run's id, checking the exit code. */
async function processRun(
  at: Workspace,
  args: readonly string[],
  expectedCode: number,
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  const result = await runCli(['process', ...args, '--json'], {cwd: at.cwd, env});
  expect(result.code, result.stderr).toBe(expectedCode);
  const id = ProcessSummarySchema.parse(JSON.parse(result.stdout)).process_run_id;
  if (id === null) throw new Error('the process run was not recorded');
  return id;
}

async function diff(at: Workspace, a: string, b: string, withFiles = true): Promise<RunsDiffOutput> {
  const read = await diffRuns({
    dbPath: at.runsDb,
    ...(withFiles ? {pipelineDb: at.pipelineDb} : {}),
    a,
    b,
  });
  if (read.state !== 'ok') throw new Error('the store is missing');
  const match: DiffMatch = read.match;
  if (match.kind !== 'found') throw new Error(`no single match: ${match.kind}`);
  return RunsDiffOutputSchema.parse({db_path: read.dbPath, ...match.output});
}

async function windowRunOf(at: Workspace, processRunId: string, index: number): Promise<string> {
  const [row] = await query(
    at.runsDb,
    `SELECT r.run_id::VARCHAR AS id FROM runs r JOIN run_lineage l ON l.child_run_id = r.run_id
     WHERE l.parent_run_id = '${processRunId}'::UUID AND r.stage = 'window_${index}'`,
  );
  return String(row?.id);
}

describe('runs diff against stores that process wrote', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;
  let server: FakeLlmServer;
  let main: Workspace;
  let resumed: Workspace;
  /** main: the digest writer, 100-message windows (5 windows). */
  let baseline: string;
  /** main: --force, 80-message windows (6 windows). */
  let smaller: string;
  /** main: --force, the failing test writer, window 2 refused. */
  let failing: string;
  /** main: --force, the LLM writer against a fake server, two models. */
  let llm: string;
  let llmOther: string;
  /** resumed: windows 1 and 3 fail, then a plain re-run redoes only those, then --force with window 0 failing. */
  let firstTry: string;
  let resume: string;
  let forcedAgain: string;

  beforeAll(async () => {
    ({dir: root, cleanup} = await tempDir('egregora-diff-'));
    zip = await writeChatExport(path.join(root, 'input'), 450);
    server = await startFakeLlmServer();
    main = await workspace(root, 'main');
    baseline = await processRun(main, [zip], 0);
    smaller = await processRun(main, [zip, '--force', '--window-size', '80'], 0);
    const writers = (fail: string) => ({EGREGORA_WRITER_MODULES: TEST_WRITERS, TEST_FAIL_WINDOWS: fail});
    failing = await processRun(main, [zip, '--force', '--writer', 'failing'], 11, writers('2'));
    const llmArgs = ['--force', '--writer', 'llm', '--llm-url', server.url, '--no-llm-cache'];
    llm = await processRun(main, [zip, ...llmArgs, '--llm-model', 'fake-model'], 0);
    llmOther = await processRun(main, [zip, ...llmArgs, '--llm-model', 'other-model'], 0);

    resumed = await workspace(root, 'resumed');
    firstTry = await processRun(resumed, [zip, '--writer', 'failing'], 11, writers('1,3'));
    resume = await processRun(resumed, [zip, '--writer', 'failing'], 0, writers(''));
    forcedAgain = await processRun(resumed, [zip, '--writer', 'failing', '--force'], 11, writers('0'));
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  it('finds nothing different between a run and itself', async () => {
    const output = await diff(main, baseline.slice(0, 8), baseline);
    expect(output.same_run).toBe(true);
    expect(output.fields).toEqual([]);
    expect(output.settings).toEqual([]);
    expect(output.settings_from).toEqual({a: baseline, b: baseline});
    expect(output.windows).toMatchObject({runs_in_a: 5, runs_in_b: 5, changed: [], total_changed: 0});
    expect(output.windows?.counts.unchanged).toBe(5);
  });

  it('another window size: the setting, the windows whose input changed and the one added', async () => {
    const output = await diff(main, baseline, smaller);
    expect(output.settings).toEqual([{key: 'windowSize', a: 100, b: 80, only: null}]);
    expect(output.fields.map((field) => field.field)).toContain('config_hash');
    const windows = output.windows;
    expect(windows).toMatchObject({runs_in_a: 5, runs_in_b: 6});
    expect(windows?.counts).toMatchObject({changed_input: 5, added: 1, removed: 0, not_run_in_a: 0});
    // Most telling first: the changed inputs by index, then the added window.
    expect(windows?.changed.map((window) => [window.window_index, window.change])).toEqual([
      [0, 'changed_input'],
      [1, 'changed_input'],
      [2, 'changed_input'],
      [3, 'changed_input'],
      [4, 'changed_input'],
      [5, 'added'],
    ]);
    const added = windows?.changed.at(-1);
    expect(added?.a).toBeNull();
    expect(added?.b).toMatchObject({ran: true, status: 'completed', posts_total: 1});
    expect(added?.b?.posts[0]?.path).toMatch(/^posts\/.*-w0005-.*\.md$/);
    expect(added?.b?.posts[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);

    const reverse = await diff(main, smaller, baseline);
    expect(reverse.windows?.counts).toMatchObject({changed_input: 5, removed: 1, added: 0});
    expect(reverse.settings).toEqual([{key: 'windowSize', a: 80, b: 100, only: null}]);
  });

  it('a failing writer: status, error, rows out and the one window whose status changed', async () => {
    const output = await diff(main, baseline, failing);
    const fields = new Map(output.fields.map((field) => [field.field, field]));
    expect(fields.get('status')).toMatchObject({a: 'completed', b: 'failed'});
    expect(String(fields.get('error')?.b)).toMatch(/^WindowsFailed: 1 of 5 windows failed \(window_2\)/);
    expect(fields.get('rows_out')).toMatchObject({a: 5, b: 4, delta: -1, ratio: 0.8});
    expect(fields.has('input_fingerprint')).toBe(false);
    expect(fields.get('duration_seconds')?.delta).toBeCloseTo(
      (output.b.duration_seconds ?? 0) - (output.a.duration_seconds ?? 0),
    );
    expect(output.settings).toEqual([{key: 'writer', a: 'digest', b: 'failing', only: null}]);
    expect(output.windows?.counts).toMatchObject({status_changed: 1, unchanged: 4});
    const [changed] = output.windows?.changed ?? [];
    expect(changed).toMatchObject({
      window_index: 2,
      change: 'status_changed',
      a: {status: 'completed', posts_total: 1, ran: true},
      b: {status: 'failed', posts_total: 0, ran: true},
      posts_differ: true,
    });
    expect(changed?.b?.run_id).toBe(await windowRunOf(main, failing, 2));
  });

  it('another writer on the same windows: every post changed content, the llm settings only in b', async () => {
    const output = await diff(main, baseline, llm);
    expect(output.windows?.counts).toMatchObject({changed_content: 5, unchanged: 0});
    expect(output.windows?.changed.every((window) => window.posts_differ === true)).toBe(true);
    const settings = new Map((output.settings ?? []).map((setting) => [setting.key, setting]));
    expect(settings.get('writer')).toMatchObject({a: 'digest', b: 'llm', only: null});
    expect(settings.get('llm')).toMatchObject({a: null, only: 'a'});
    expect(settings.get('llm.model')).toMatchObject({a: null, b: 'fake-model', only: 'b'});
    expect(settings.get('llm.url')).toMatchObject({b: server.url, only: 'b'});
  });

  it('two window runs: the model and token split, and the settings of their process runs', async () => {
    const a = await windowRunOf(main, llm, 0);
    const b = await windowRunOf(main, llmOther, 0);
    const output = await diff(main, a, b);
    expect(output.llm_usage.a?.model).toBe('fake-model');
    expect(output.llm_usage.b?.model).toBe('other-model');
    const fields = new Map(output.fields.map((field) => [field.field, field]));
    expect(fields.get('llm.model')).toMatchObject({a: 'fake-model', b: 'other-model'});
    expect(fields.has('input_fingerprint')).toBe(false);
    expect(output.settings_from).toEqual({a: llm, b: llmOther});
    expect(output.settings).toEqual([{key: 'llm.model', a: 'fake-model', b: 'other-model', only: null}]);
    expect(output.windows).toBeNull();
    expect(output.window).toMatchObject({window_index: 0, a: {run_id: a}, b: {run_id: b}});
  });

  it('a resumed process: the re-done windows changed status, the skipped ones were not run, not removed', async () => {
    const output = await diff(resumed, firstTry, resume);
    expect(output.settings).toEqual([]);
    const windows = output.windows;
    expect(windows).toMatchObject({runs_in_a: 5, runs_in_b: 2, not_run_same: 3, total_changed: 2});
    expect(windows?.counts).toMatchObject({status_changed: 2, not_run_in_b: 3, removed: 0});
    expect(
      windows?.changed.map((window) => [window.window_index, window.a?.status, window.b?.status]),
    ).toEqual([
      [1, 'failed', 'completed'],
      [3, 'failed', 'completed'],
    ]);
    const reverse = await diff(resumed, resume, firstTry);
    expect(reverse.windows?.counts).toMatchObject({not_run_in_a: 3, added: 0, status_changed: 2});
  });

  it('a skipped window is compared through the earlier run it reused', async () => {
    // forcedAgain ran every window (window 0 failed); resume skipped 0, 2 and 4, reusing firstTry's runs.
    const output = await diff(resumed, forcedAgain, resume);
    const windows = output.windows;
    expect(windows?.counts).toMatchObject({not_run_in_b: 3, unchanged: 2});
    expect(windows?.not_run_same).toBe(2);
    expect(windows?.changed).toHaveLength(1);
    const [window0] = windows?.changed ?? [];
    expect(window0).toMatchObject({
      window_index: 0,
      change: 'not_run_in_b',
      a: {ran: true, status: 'failed'},
      b: {ran: false, status: 'completed', run_id: await windowRunOf(resumed, firstTry, 0)},
      posts_differ: true,
    });
  });

  it('without the pipeline store the files are not compared, and say so', async () => {
    const output = await diff(main, baseline, llm, false);
    expect(output.windows?.files_compared).toBe(false);
    expect(output.windows?.counts).toMatchObject({unchanged: 5, changed_content: 0});
    expect(output.windows?.changed).toEqual([]);
    const window = await diff(
      main,
      await windowRunOf(main, baseline, 1),
      await windowRunOf(main, llm, 1),
      false,
    );
    expect(window.window).toMatchObject({posts_differ: null, media_differ: null});
  });

  it('names the argument that matched nothing, and refuses a prefix too short to use', async () => {
    const read = await diffRuns({dbPath: main.runsDb, a: baseline, b: 'ffff0000'});
    expect(read.state === 'ok' && read.match).toEqual({kind: 'none', side: 'b', prefix: 'ffff0000'});
    await expect(diffRuns({dbPath: main.runsDb, a: baseline, b: 'ab'})).rejects.toThrow(
      /^Run b: .*at least 4/,
    );
    const missing = await diffRuns({dbPath: path.join(root, 'nowhere', 'runs.duckdb'), a: 'abcd', b: 'abcd'});
    expect(missing.state).toBe('missing');
  });
});

describe('settings key by key', () => {
  it('flattens nested objects into dotted keys and keeps arrays and empty objects whole', () => {
    expect([
      ...flattenSettings({a: 1, llm: {model: 'm', deep: {x: true}}, tags: [1, 2], none: {}, off: null}),
    ]).toEqual([
      ['a', 1],
      ['llm.model', 'm'],
      ['llm.deep.x', true],
      ['tags', [1, 2]],
      ['none', {}],
      ['off', null],
    ]);
  });

  it('lists each key that differs, and the keys only one side has', () => {
    expect(
      diffSettings(
        {windowSize: 100, writer: 'digest', llm: {model: 'a', url: 'u'}, chat: null},
        {windowSize: 100, writer: 'llm', llm: {model: 'b', url: 'u'}, overlap: 0.1},
      ),
    ).toEqual([
      {key: 'chat', a: null, b: null, only: 'a'},
      {key: 'llm.model', a: 'a', b: 'b', only: null},
      {key: 'overlap', a: null, b: 0.1, only: 'b'},
      {key: 'writer', a: 'digest', b: 'llm', only: null},
    ]);
  });
});
