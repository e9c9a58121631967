/**
 * Damaged state (issue 5.3). A damaged database, a state directory or output folder that cannot be
 * written: each must end in a clear message on stderr that names the file and says what to do, a
 * deliberate exit code (6 damaged, 12 cannot write), no stack trace, and the damaged file left
 * byte for byte as it was (egregora never deletes or replaces a user's file silently).
 *
 * The runs store is the exception the design makes (ARCHITECTURE.md §5, "Tracking never takes the
 * pipeline down"): when only runs.duckdb is unusable, `process` goes on, writes the posts, warns
 * once, exits 0 and says in its summary that runs were not recorded.
 *
 * Unwritable paths: the tests run as ROOT, and root ignores permission bits (chmod 000 does not
 * stop its writes). So a path is made unwritable the way root cannot get around either: a regular
 * FILE stands where a directory must be (`.egregora` is a file, `--output` or `--dir` point under a
 * file, runs.duckdb is a directory).
 */
import {cp, mkdir, readFile, stat, truncate, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {tempDir} from '../helpers/cli.js';
import {writeChatExport} from '../pipeline/export-fixture.js';
import {
  assertBuilt,
  listFiles,
  STACK_TRACE,
  seededBytes,
  tableNames,
  timedCli,
  withReadOnly,
} from './helpers.js';

const SEED = 0xda6a_9e05;
const WINDOWS = 5; // 450 messages in the default windows of 100

describe.sequential('damaged or unwritable state', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;
  /** A real state directory (runs.duckdb and pipeline.duckdb written by a real run), copied per case. */
  let template: string;
  /**
   * The first characters of a run the template recorded. `runs show` looks a prefix up by the run
   * ids' min/max statistics first: a made-up prefix outside the few ids of a small store is answered
   * "no match" from those alone, without reading a data block, damaged or not (so `abcd` passed or
   * failed with the random ids of the run: ~1 in 10). A recorded run must be read.
   */
  let recordedPrefix: string;
  let caseNumber = 0;

  beforeAll(async () => {
    assertBuilt();
    ({dir: root, cleanup} = await tempDir('egregora-damaged-'));
    zip = await writeChatExport(path.join(root, 'input'), 450);
    const cwd = path.join(root, 'template');
    await mkdir(cwd, {recursive: true});
    const run = await timedCli(['process', zip, '--json'], {cwd});
    expect(run.code, run.stderr).toBe(0);
    template = path.join(cwd, '.egregora');
    recordedPrefix = String((JSON.parse(run.stdout) as {ingest: {run_id: string}}).ingest.run_id).slice(0, 8);
  });
  afterAll(async () => cleanup());

  /** A project whose state is a copy of the template's; returns its directory. */
  async function project(withState = true): Promise<string> {
    caseNumber += 1;
    const cwd = path.join(root, `case-${caseNumber}`);
    await mkdir(cwd, {recursive: true});
    if (withState) await cp(template, path.join(cwd, '.egregora'), {recursive: true});
    return cwd;
  }

  async function randomBytes(file: string, seed: number): Promise<void> {
    await writeFile(file, seededBytes(seed, 256 * 1024));
  }

  async function truncateToHalf(file: string): Promise<void> {
    await truncate(file, Math.floor((await stat(file)).size / 2));
  }

  /**
   * Cuts the file inside the data of its tables. A store is mostly free blocks (runs.duckdb of a
   * small project: 21 blocks of 256 KiB, 11 used), and tables end in different blocks (runs in block
   * 3, schema_version in 1, run_lineage in 17), so "half the file" can leave all the data a command
   * reads whole. This cut lands in the middle of the block where the first table ends, so every
   * table ending there or later (here: schema_version, runs, run_lineage) loses data.
   */
  async function truncateInsideData(file: string): Promise<void> {
    const {blockSize, block} = await withReadOnly(file, async (run) => {
      const [size] = await run('PRAGMA database_size');
      const ends: number[] = [];
      for (const table of await tableNames(run)) {
        const [row] = await run(
          `SELECT max(block_id) AS b FROM pragma_storage_info('${table}') WHERE block_id >= 0`,
        );
        if (row?.b !== null && row?.b !== undefined) ends.push(Number(row.b));
      }
      return {blockSize: Number(size?.block_size), block: Math.min(...ends)};
    });
    // DuckDB's file starts with three 4 KiB headers (the main one and two database headers).
    const headers = 3 * 4096;
    await truncate(file, headers + blockSize * block + Math.floor(blockSize / 2));
  }

  const DAMAGES = [
    {name: 'replaced by random bytes', apply: (file: string) => randomBytes(file, SEED)},
    {name: 'truncated inside its data blocks', apply: truncateInsideData},
  ] as const;

  /** The common contract of a refusal: exit code, the file named, what to do, no trace, no change. */
  function expectClearRefusal(
    result: {code: number | null; stderr: string; stdout: string},
    expected: {code: number; names: string; todo: RegExp; label: string},
  ): void {
    const label = `${expected.label}\nstdout: ${result.stdout.slice(0, 500)}\nstderr: ${result.stderr.slice(0, 1000)}`;
    expect(result.code, label).toBe(expected.code);
    expect(result.stderr, label).toContain(expected.names);
    expect(result.stderr, label).toMatch(expected.todo);
    expect(result.stderr, label).toMatch(/^Error: /m);
    expect(result.stderr, label).not.toMatch(STACK_TRACE);
    expect(result.stderr, label).not.toMatch(/This is a bug in egregora/);
  }

  for (const damage of DAMAGES) {
    it(`runs.duckdb ${damage.name}: runs tail, list and show exit 6, name the file, say to move it aside, leave it unchanged`, async () => {
      const cwd = await project();
      const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
      await damage.apply(runsDb);
      const before = await readFile(runsDb);
      for (const args of [
        ['runs', 'tail'],
        ['runs', 'list', '--status', 'failed'],
        ['runs', 'show', recordedPrefix],
      ]) {
        const result = await timedCli(args, {cwd});
        expectClearRefusal(result, {code: 6, names: runsDb, todo: /Move it aside/, label: args.join(' ')});
        expect((await readFile(runsDb)).equals(before), `${args.join(' ')} changed ${runsDb}`).toBe(true);
      }
    });

    it(`runs.duckdb ${damage.name}: process still writes every post, exits 0, warns once and reports tracking.recorded = false`, async () => {
      const cwd = await project();
      const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
      await damage.apply(runsDb);
      const before = await readFile(runsDb);
      const result = await timedCli(['process', zip, '--json'], {cwd});
      const label = `exit ${result.code}\nstdout: ${result.stdout.slice(0, 800)}\nstderr: ${result.stderr.slice(0, 800)}`;
      expect((await readFile(runsDb)).equals(before), `process changed ${runsDb}`).toBe(true);
      expect(result.stderr, label).not.toMatch(STACK_TRACE);
      expect(result.code, label).toBe(0);
      const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
      expect(summary.tracking.recorded, label).toBe(false);
      expect(summary.tracking.warning, label).toContain(runsDb);
      expect(summary.posts_written, label).toBe(WINDOWS);
      expect((await listFiles(path.join(cwd, 'site'))).filter((file) => file.endsWith('.md'))).toHaveLength(
        WINDOWS,
      );
      expect(result.stderr.match(/Runs are not being recorded/g) ?? [], 'warned exactly once').toHaveLength(
        1,
      );
      expect(result.stderr, label).toContain(runsDb);
    });

    it(`pipeline.duckdb ${damage.name}: process exits 6 naming the file, writes no post, leaves it unchanged`, async () => {
      const cwd = await project();
      const pipelineDb = path.join(cwd, '.egregora', 'pipeline.duckdb');
      await (damage.name === 'replaced by random bytes'
        ? randomBytes(pipelineDb, SEED + 1)
        : damage.apply(pipelineDb));
      const before = await readFile(pipelineDb);
      const result = await timedCli(['process', zip], {cwd});
      expectClearRefusal(result, {code: 6, names: pipelineDb, todo: /Move it aside/, label: 'process'});
      expect((await readFile(pipelineDb)).equals(before), `process changed ${pipelineDb}`).toBe(true);
      expect(await listFiles(path.join(cwd, 'site'))).toEqual([]);
    });
  }

  /**
   * The literal "truncated to half". Whether that damages a store depends on where its used
   * blocks lie (see truncateInsideData); either answer is right as long as nothing is silently wrong:
   * a clear refusal (exit 6, file unchanged), or exactly the runs the intact file holds.
   */
  it('runs.duckdb truncated to half: runs list refuses it clearly, or reads back exactly the intact runs (reported)', async () => {
    const cwd = await project();
    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    const intact = await timedCli(['runs', 'list', '--limit', '1000', '--json'], {cwd});
    expect(intact.code, intact.stderr).toBe(0);
    await truncateToHalf(runsDb);
    const before = await readFile(runsDb);
    const result = await timedCli(['runs', 'list', '--limit', '1000', '--json'], {cwd});
    expect((await readFile(runsDb)).equals(before), `runs list changed ${runsDb}`).toBe(true);
    if (result.code === 0) {
      console.info('[damaged-state.test] runs.duckdb truncated to half: still readable, same runs as intact');
      expect(JSON.parse(result.stdout)).toEqual(JSON.parse(intact.stdout));
    } else {
      console.info('[damaged-state.test] runs.duckdb truncated to half: refused as damaged');
      const text = await timedCli(['runs', 'list', '--limit', '1000'], {cwd});
      expectClearRefusal(text, {code: 6, names: runsDb, todo: /Move it aside/, label: 'runs list'});
    }
  });

  it('runs.duckdb truncated to half: process writes every post and exits 0; runs are recorded, or it says they were not', async () => {
    const cwd = await project();
    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    await truncateToHalf(runsDb);
    const before = await readFile(runsDb);
    const result = await timedCli(['process', zip, '--json'], {cwd});
    const label = `exit ${result.code}\nstdout: ${result.stdout.slice(0, 800)}\nstderr: ${result.stderr.slice(0, 800)}`;
    expect(result.stderr, label).not.toMatch(STACK_TRACE);
    expect(result.code, label).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
    expect(summary.posts_written, label).toBe(WINDOWS);
    console.info(
      `[damaged-state.test] process on a runs.duckdb truncated to half: recorded=${summary.tracking.recorded} (${summary.tracking.warning ?? 'no warning'})`,
    );
    if (!summary.tracking.recorded) {
      expect(summary.tracking.warning, label).toContain(runsDb);
      expect((await readFile(runsDb)).equals(before), `process changed ${runsDb} without recording`).toBe(
        true,
      );
    }
  });

  it('.egregora is a regular file: process exits 12 naming it, suggests --dir, leaves it unchanged', async () => {
    const cwd = await project(false);
    const blocker = path.join(cwd, '.egregora');
    await writeFile(blocker, 'not a directory\n');
    const result = await timedCli(['process', zip], {cwd});
    expectClearRefusal(result, {code: 12, names: blocker, todo: /--dir/, label: '.egregora is a file'});
    expect(await readFile(blocker, 'utf8')).toBe('not a directory\n');
    expect(await listFiles(path.join(cwd, 'site'))).toEqual([]);
  });

  it('--dir under a regular file: process exits 12 naming the state directory, leaves the file unchanged', async () => {
    const cwd = await project(false);
    const blocker = path.join(cwd, 'blocker');
    await writeFile(blocker, 'a file\n');
    const result = await timedCli(['process', zip, '--dir', 'blocker/state'], {cwd});
    expectClearRefusal(result, {
      code: 12,
      names: path.join(blocker, 'state'),
      todo: /--dir/,
      label: '--dir blocker/state',
    });
    expect(await readFile(blocker, 'utf8')).toBe('a file\n');
  });

  it('--output under a regular file: process exits 12 naming the output folder, suggests --output, leaves the file unchanged', async () => {
    const cwd = await project();
    const blocker = path.join(cwd, 'blocker');
    await writeFile(blocker, 'a file\n');
    const result = await timedCli(['process', zip, '--output', 'blocker/site'], {cwd});
    expectClearRefusal(result, {
      code: 12,
      names: 'blocker/site',
      todo: /--output/,
      label: '--output blocker/site',
    });
    expect(await readFile(blocker, 'utf8')).toBe('a file\n');
  });

  it('--output is itself a regular file: process exits 12 naming it, leaves it unchanged', async () => {
    const cwd = await project();
    const blocker = path.join(cwd, 'site');
    await writeFile(blocker, 'a file where the site should go\n');
    const result = await timedCli(['process', zip], {cwd});
    expectClearRefusal(result, {code: 12, names: 'site', todo: /--output/, label: '--output site (a file)'});
    expect(await readFile(blocker, 'utf8')).toBe('a file where the site should go\n');
  });

  it('runs.duckdb is a directory: runs tail exits 12 naming it; process still writes every post, exits 0, tracking.recorded = false', async () => {
    const cwd = await project(false);
    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    await mkdir(runsDb, {recursive: true});
    const tail = await timedCli(['runs', 'tail'], {cwd});
    expectClearRefusal(tail, {code: 12, names: runsDb, todo: /Check|directory/, label: 'runs tail'});

    const result = await timedCli(['process', zip, '--json'], {cwd});
    const label = `exit ${result.code}\nstdout: ${result.stdout.slice(0, 800)}\nstderr: ${result.stderr.slice(0, 800)}`;
    expect(result.stderr, label).not.toMatch(STACK_TRACE);
    expect(result.code, label).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
    expect(summary.tracking.recorded, label).toBe(false);
    expect(summary.tracking.warning, label).toContain(runsDb);
    expect(summary.posts_written, label).toBe(WINDOWS);
    expect(result.stderr.match(/Runs are not being recorded/g) ?? [], 'warned exactly once').toHaveLength(1);
    expect((await stat(runsDb)).isDirectory()).toBe(true);
  });
});
