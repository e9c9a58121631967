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
import {assertBuilt, listFiles, STACK_TRACE, seededBytes, timedCli} from './helpers.js';

const SEED = 0xda6a_9e05;
const WINDOWS = 5; // 450 messages in the default windows of 100

describe.sequential('damaged or unwritable state', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;
  /** A real state directory (runs.duckdb and pipeline.duckdb written by a real run), copied per case. */
  let template: string;
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

  const DAMAGES = [
    {name: 'replaced by random bytes', apply: (file: string) => randomBytes(file, SEED)},
    {name: 'truncated to half', apply: truncateToHalf},
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
        ['runs', 'show', 'abcd'],
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
