import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {type LineageDescendant, RunsLineageOutputSchema} from '../../schemas/runs-lineage.js';
import {
  LINEAGE_MAX_DEPTH,
  LINEAGE_MAX_NODES,
  LINEAGE_MAX_WIDTH,
  type LineageMatch,
  runLineage,
} from '../../src/runs/lineage-tree.js';
import {UserError} from '../../src/util/errors.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {suiteTempDir, tempDir} from './helpers.js';
import {
  createStore,
  deadPid,
  insertEdges,
  insertOwner,
  insertRuns,
  runId,
  type SeedRun,
} from './tools-seed.js';

/** A pipeline-shaped family: process → ingest → windows; windows also children of process; a split window. */
const PROCESS = runId('a0000001', 1);
const INGEST = runId('a0000002', 2);
const WINDOWS = [0, 1, 2].map((index) => runId('b0000000', 10 + index));
const PARTS = [1, 2].map((part) => runId('c0000000', 20 + part));
/** A run with more children than LINEAGE_MAX_WIDTH. */
const WIDE = runId('d0000001', 30);
const WIDE_CHILDREN = LINEAGE_MAX_WIDTH + 5;
/** A chain longer than LINEAGE_MAX_DEPTH. */
const CHAIN = [...Array(LINEAGE_MAX_DEPTH + 3).keys()].map((index) => runId('e0000000', 100 + index));
/** Two runs that name each other as parent (only a broken store has this). */
const CYCLE_A = runId('f0000001', 200);
const CYCLE_B = runId('f0000002', 201);
/** Ambiguous prefix: two ids starting with `abcd1234`. */
const AMBIGUOUS = [runId('abcd1234', 300), runId('abcd1234', 301)];
/** A window left running by a process that is gone. */
const STALE = runId('b0000000', 13);

let dbPath: string;

function run(id: string, stage: string, minute: number, extra: Partial<SeedRun> = {}): SeedRun {
  return {id, stage, status: 'completed', minute, ...extra};
}

beforeAll(async () => {
  dbPath = path.join(suiteTempDir(), 'runs.duckdb');
  await createStore(dbPath);
  const runs: SeedRun[] = [
    run(PROCESS, 'process', 0, {duration: 30}),
    run(INGEST, 'ingest', 1, {duration: 2}),
    ...WINDOWS.map((id, index) =>
      run(id, `window_${index}`, 2 + index, index === 1 ? {status: 'degraded'} : {}),
    ),
    run(STALE, 'window_3', 5, {status: 'running', duration: null}),
    ...PARTS.map((id, index) =>
      run(id, `window_1.part_${index + 1}`, 6 + index, index === 1 ? {status: 'failed'} : {}),
    ),
    run(WIDE, 'ingest', 10),
    ...[...Array(WIDE_CHILDREN).keys()].map((index) =>
      run(runId('d0000002', 1000 + index), `window_${index}`, 11 + index),
    ),
    ...CHAIN.map((id, index) => run(id, `chain_${index}`, 50 + index)),
    run(CYCLE_A, 'loop_a', 70),
    run(CYCLE_B, 'loop_b', 71),
    ...AMBIGUOUS.map((id, index) => run(id, 'ingest', 80 + index)),
  ];
  await insertRuns(dbPath, runs);
  await insertEdges(dbPath, [
    [INGEST, PROCESS],
    ...WINDOWS.flatMap((id) => [[id, INGEST] as const, [id, PROCESS] as const]),
    [STALE, INGEST],
    ...PARTS.map((id) => [id, WINDOWS[1] ?? ''] as const),
    ...[...Array(WIDE_CHILDREN).keys()].map((index) => [runId('d0000002', 1000 + index), WIDE] as const),
    ...CHAIN.slice(1).map((id, index) => [id, CHAIN[index] ?? ''] as const),
    [CYCLE_A, CYCLE_B],
    [CYCLE_B, CYCLE_A],
  ]);
  await insertOwner(dbPath, STALE, await deadPid());
});

async function found(prefix: string, file = dbPath) {
  const result = await runLineage({dbPath: file, prefix});
  if (result.state !== 'ok' || result.match.kind !== 'found')
    throw new Error(`no single match for ${prefix}`);
  return RunsLineageOutputSchema.parse(result.match.output);
}

function ids(nodes: readonly {run_id: string}[]): string[] {
  return nodes.map((node) => node.run_id);
}

describe('runs lineage: the trees', () => {
  it("a window's ancestors: its parents, then theirs; a run met twice is marked, not expanded again", async () => {
    const tree = await found(WINDOWS[1] ?? '');
    expect(tree.run.run_id).toBe(WINDOWS[1]);
    expect(tree.parents_total).toBe(2);
    // Parents in start order: the process, then the ingest (whose own parent is the process again).
    expect(ids(tree.parents)).toEqual([PROCESS, INGEST]);
    expect(tree.parents[0]).toMatchObject({stage: 'process', repeated: false, parents: [], parents_total: 0});
    expect(tree.parents[1]?.parents).toEqual([
      expect.objectContaining({run_id: PROCESS, repeated: true, parents_total: 0}),
    ]);
    // Its children, the parts, with status and duration.
    expect(tree.children_total).toBe(2);
    expect(tree.children.map((node) => [node.stage, node.status, node.duration_seconds])).toEqual([
      ['window_1.part_1', 'completed', 1.5],
      ['window_1.part_2', 'failed', 1.5],
    ]);
    expect(tree.truncated).toBe(false);
  });

  it("an ingest's descendants: windows with their parts, effective statuses", async () => {
    const tree = await found(INGEST);
    expect(ids(tree.children)).toEqual([...WINDOWS, STALE]);
    expect(tree.children[1]?.children_total).toBe(2);
    expect(ids(tree.children[1]?.children ?? [])).toEqual(PARTS);
    // The window whose process is gone reads as crashed, as in every reader.
    expect(tree.children[3]?.status).toBe('crashed');
  });

  it(`lists at most ${LINEAGE_MAX_WIDTH} relatives per run, first started first, and counts them all`, async () => {
    const tree = await found(WIDE);
    expect(tree.children).toHaveLength(LINEAGE_MAX_WIDTH);
    expect(tree.children_total).toBe(WIDE_CHILDREN);
    expect(tree.children.map((node) => node.stage)).toEqual(
      [...Array(LINEAGE_MAX_WIDTH).keys()].map((index) => `window_${index}`),
    );
    expect(tree.truncated).toBe(true);
  });

  it(`reads at most ${LINEAGE_MAX_DEPTH} levels each way and says how many more there are`, async () => {
    const top = await found(CHAIN[0] ?? '');
    let level: LineageDescendant | undefined = top.children[0];
    let depth = 1;
    while (level?.children[0]) {
      level = level.children[0];
      depth += 1;
    }
    expect(depth).toBe(LINEAGE_MAX_DEPTH);
    expect(level).toMatchObject({children: [], children_total: 1});
    expect(top.truncated).toBe(true);
    const bottom = await found(CHAIN[CHAIN.length - 1] ?? '');
    expect(bottom.parents_total).toBe(1);
    expect(bottom.truncated).toBe(true);
  });

  it('stops at a cycle instead of walking it forever', async () => {
    const tree = await found(CYCLE_A);
    expect(ids(tree.children)).toEqual([CYCLE_B]);
    expect(tree.children[0]?.children).toEqual([
      expect.objectContaining({run_id: CYCLE_A, repeated: true, children: [], children_total: 1}),
    ]);
    expect(ids(tree.parents)).toEqual([CYCLE_B]);
  });

  it('a run without relatives has empty trees', async () => {
    const tree = await found(AMBIGUOUS[0] ?? '');
    expect(tree).toMatchObject({
      parents: [],
      parents_total: 0,
      children: [],
      children_total: 0,
      truncated: false,
    });
  });

  it(`keeps a huge tree to ${LINEAGE_MAX_NODES} runs`, async () => {
    const file = path.join(tempDir(), 'runs.duckdb');
    await createStore(file);
    // A root with 10 children, 10 grandchildren each, 10 great-grandchildren each: 1,111 runs.
    const root = runId('99990000', 0);
    const runs: SeedRun[] = [run(root, 'root', 0)];
    const edges: [string, string][] = [];
    let n = 1;
    const grow = (parent: string, depth: number) => {
      if (depth === 3) return;
      for (let index = 0; index < 10; index += 1) {
        const child = runId('99990000', n);
        runs.push(run(child, `level_${depth + 1}`, n));
        n += 1;
        edges.push([child, parent]);
        grow(child, depth + 1);
      }
    };
    grow(root, 0);
    await insertRuns(file, runs);
    await insertEdges(file, edges);
    const tree = await found(root, file);
    const count = (nodes: readonly LineageDescendant[]): number =>
      nodes.reduce((sum, node) => sum + 1 + count(node.children), 0);
    expect(count(tree.children) + 1).toBe(LINEAGE_MAX_NODES);
    expect(tree.truncated).toBe(true);
    // Breadth first: every child and grandchild is there before any great-grandchild.
    expect(tree.children).toHaveLength(10);
    for (const child of tree.children) expect(child.children).toHaveLength(10);
  });
});

describe('runs lineage: matching the prefix as `runs show` does', () => {
  async function match(prefix: string): Promise<LineageMatch> {
    const result = await runLineage({dbPath, prefix});
    if (result.state !== 'ok') throw new Error('store missing');
    return result.match;
  }

  it('takes any case and hyphens, and an exact id', async () => {
    expect((await match(PROCESS.toUpperCase())).kind).toBe('found');
    expect((await match(PROCESS.replaceAll('-', '').slice(0, 10))).kind).toBe('found');
  });

  it('reports an ambiguous prefix with its candidates, and no match as none', async () => {
    const ambiguous = await match('abcd1234');
    expect(ambiguous).toMatchObject({kind: 'ambiguous', total: 2});
    if (ambiguous.kind === 'ambiguous')
      expect(ids(ambiguous.candidates).sort()).toEqual([...AMBIGUOUS].sort());
    expect(await match('0123456789')).toEqual({kind: 'none', prefix: '0123456789'});
    // Characters that are not hex never reach SQL as a pattern.
    expect((await match("ab%'_cd")).kind).toBe('none');
  });

  it('refuses a prefix shorter than 4 characters', async () => {
    const error = await runLineage({dbPath, prefix: 'ab-c'}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(ExitCode.usage);
  });

  it('says a missing store is missing', async () => {
    const result = await runLineage({dbPath: path.join(tempDir(), 'runs.duckdb'), prefix: 'abcd'});
    expect(result.state).toBe('missing');
  });
});
