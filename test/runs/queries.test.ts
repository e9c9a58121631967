import {existsSync} from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {RunRecordSchema} from '../../schemas/run.js';
import {withWriteSession} from '../../src/db/session.js';
import {
  listRuns,
  MAX_QUERY_LIMIT,
  normalizeRunIdPrefix,
  prefixRange,
  SHOW_MAX_CANDIDATES,
  SHOW_MAX_CHILDREN,
  showRun,
  stageGlobToLike,
  tailRuns,
} from '../../src/runs/queries.js';
import {ensureSchema} from '../../src/runs/schema.js';
import {UserError} from '../../src/util/errors.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {execute, suiteTempDir, tempDir} from './helpers.js';

interface Seed {
  id: string;
  stage: string;
  status: string;
  /** Minutes after 2024-03-01T00:00:00Z. */
  minute: number;
}

/** ids are valid v4 UUIDs with chosen leading characters, so prefix rules can be tested exactly. */
function id(head: string, n: number): string {
  const hex = `${head}${'0'.repeat(8 - head.length)}`;
  return `${hex}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

const SEEDS: Seed[] = [
  {id: id('aaaa0001', 1), stage: 'ingest', status: 'completed', minute: 0},
  {id: id('aaaa0002', 2), stage: 'window_0', status: 'completed', minute: 1},
  {id: id('aaaa0003', 3), stage: 'window_1', status: 'failed', minute: 2},
  {id: id('aaab0004', 4), stage: 'window_2', status: 'degraded', minute: 3},
  {id: id('bbbb0005', 5), stage: 'window_10', status: 'failed', minute: 4},
  {id: id('bbbb0006', 6), stage: 'windowX1', status: 'cancelled', minute: 5},
  {id: id('cccc0007', 7), stage: 'window%1', status: 'crashed', minute: 6},
  {id: id('cccc0008', 8), stage: 'split_0', status: 'completed', minute: 7},
  // Two runs started in the same microsecond: run_id decides the order.
  {id: id('dddd0009', 9), stage: 'window_3', status: 'completed', minute: 8},
  {id: id('dddd000a', 10), stage: 'window_4', status: 'completed', minute: 8},
];

function startedAt(minute: number): string {
  return new Date(Date.UTC(2024, 2, 1, 0, minute)).toISOString();
}

let dbPath: string;

beforeAll(async () => {
  dbPath = path.join(suiteTempDir(), 'runs.duckdb');
  await withWriteSession(dbPath, (connection) => ensureSchema(connection, {dbPath, codeRef: 'test'}));
  const values = SEEDS.map(
    (seed) =>
      `('${seed.id}', '${seed.stage}', '${seed.status}', '${startedAt(seed.minute)}'::TIMESTAMPTZ, ` +
      `'${startedAt(seed.minute)}'::TIMESTAMPTZ + INTERVAL 1500 MILLISECONDS, 1.5, 7, 3)`,
  );
  await execute(
    dbPath,
    `INSERT INTO runs (run_id, stage, status, started_at, finished_at, duration_seconds, rows_in, rows_out) VALUES ${values.join(', ')}`,
    `INSERT INTO run_lineage VALUES ('${id('aaaa0002', 2)}', '${id('aaaa0001', 1)}'), ('${id('aaaa0003', 3)}', '${id('aaaa0001', 1)}'),
       ('${id('cccc0008', 8)}', '${id('aaaa0003', 3)}')`,
  );
});

function ids(result: Awaited<ReturnType<typeof tailRuns>>): string[] {
  if (result.state !== 'ok') throw new Error('store missing');
  return result.runs.map((run) => run.run_id);
}

const newestFirst = [...SEEDS]
  .sort((a, b) => b.minute - a.minute || (a.id < b.id ? 1 : -1))
  .map((seed) => seed.id);

describe('a missing store', () => {
  it('is reported as missing by every query, and nothing is created', async () => {
    const missing = path.join(tempDir(), 'nothing-here', 'runs.duckdb');
    expect(await tailRuns({dbPath: missing, limit: 5})).toEqual({state: 'missing', dbPath: missing});
    expect(await listRuns({dbPath: missing, limit: 5, statuses: ['failed']})).toEqual({
      state: 'missing',
      dbPath: missing,
    });
    expect(await showRun({dbPath: missing, prefix: 'abcd'})).toEqual({state: 'missing', dbPath: missing});
    expect(existsSync(path.dirname(missing))).toBe(false);
  });
});

describe('tailRuns', () => {
  it('returns the newest runs first, run_id breaking ties, cut to the limit', async () => {
    expect(ids(await tailRuns({dbPath, limit: 100}))).toEqual(newestFirst);
    expect(ids(await tailRuns({dbPath, limit: 3}))).toEqual(newestFirst.slice(0, 3));
  });

  it('returns records that satisfy RunRecordSchema: ISO instants with offset, counts as numbers', async () => {
    const result = await tailRuns({dbPath, limit: 1});
    if (result.state !== 'ok') throw new Error('missing');
    const [run] = result.runs;
    expect(RunRecordSchema.parse(run)).toEqual(run);
    expect(run).toMatchObject({
      started_at: '2024-03-01T00:08:00.000000Z',
      finished_at: '2024-03-01T00:08:01.500000Z',
      duration_seconds: 1.5,
      rows_in: 7,
      rows_out: 3,
      llm_calls: null,
    });
  });

  it('refuses limits out of range with a usage error', async () => {
    for (const limit of [0, -1, 1.5, MAX_QUERY_LIMIT + 1, Number.NaN]) {
      const error = await tailRuns({dbPath, limit}).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(ExitCode.usage);
    }
  });
});

describe('listRuns', () => {
  it('filters by status', async () => {
    expect(ids(await listRuns({dbPath, statuses: ['failed'], limit: 50}))).toEqual([
      id('bbbb0005', 5),
      id('aaaa0003', 3),
    ]);
    expect(ids(await listRuns({dbPath, statuses: ['failed', 'crashed'], limit: 50}))).toEqual([
      id('cccc0007', 7),
      id('bbbb0005', 5),
      id('aaaa0003', 3),
    ]);
    expect(ids(await listRuns({dbPath, statuses: ['failed', 'crashed'], limit: 2}))).toEqual([
      id('cccc0007', 7),
      id('bbbb0005', 5),
    ]);
    expect(ids(await listRuns({dbPath, statuses: [], limit: 50}))).toEqual(newestFirst);
    expect(ids(await listRuns({dbPath, statuses: ['running'], limit: 50}))).toEqual([]);
  });

  it('matches stage globs with * and ?, and takes _, % and \\ literally', async () => {
    const stages = async (stageGlob: string) => {
      const result = await listRuns({dbPath, stageGlob, limit: 50});
      return result.state === 'ok' ? result.runs.map((run) => run.stage).sort() : [];
    };
    expect(await stages('window_*')).toEqual([
      'window_0',
      'window_1',
      'window_10',
      'window_2',
      'window_3',
      'window_4',
    ]);
    expect(await stages('window_?')).toEqual(['window_0', 'window_1', 'window_2', 'window_3', 'window_4']);
    expect(await stages('window?1')).toEqual(['window%1', 'windowX1', 'window_1']);
    expect(await stages('window%1')).toEqual(['window%1']);
    expect(await stages('window_1')).toEqual(['window_1']);
    expect(await stages('%')).toEqual([]);
    expect(await stages('_____')).toEqual([]);
    expect(await stages('ingest')).toEqual(['ingest']);
    expect(await stages('*')).toHaveLength(SEEDS.length);
    expect(await stages("it's")).toEqual([]);
    expect(stageGlobToLike('a\\b_c%d*e?')).toBe('a\\\\b\\_c\\%d%e_');
  });

  it('keeps runs started at or after since and before until', async () => {
    const at = (minute: number) => new Date(startedAt(minute));
    expect(ids(await listRuns({dbPath, since: at(7), limit: 50}))).toEqual(newestFirst.slice(0, 3));
    expect(ids(await listRuns({dbPath, until: at(1), limit: 50}))).toEqual([id('aaaa0001', 1)]);
    expect(
      ids(await listRuns({dbPath, since: at(2), until: at(4), statuses: ['failed', 'degraded'], limit: 50})),
    ).toEqual([id('aaab0004', 4), id('aaaa0003', 3)]);
    const empty = await listRuns({dbPath, since: at(4), until: at(4), limit: 50}).catch(
      (caught: unknown) => caught,
    );
    expect((empty as UserError).exitCode).toBe(ExitCode.usage);
    const invalid = await listRuns({dbPath, since: new Date('nope'), limit: 50}).catch(
      (caught: unknown) => caught,
    );
    expect((invalid as UserError).exitCode).toBe(ExitCode.usage);
  });
});

describe('showRun', () => {
  const match = async (prefix: string) => {
    const result = await showRun({dbPath, prefix});
    if (result.state !== 'ok') throw new Error('missing');
    return result.match;
  };

  it('finds a run by a unique prefix, case-insensitive, hyphens optional, with parents and children', async () => {
    const target = id('aaaa0003', 3);
    for (const prefix of [
      'aaaa0003',
      'AAAA0003',
      'aaaa-0003',
      target.toUpperCase(),
      target.replaceAll('-', ''),
      ` ${target} `,
    ]) {
      const found = await match(prefix);
      expect(found.kind, prefix).toBe('found');
      if (found.kind !== 'found') continue;
      expect(found.run.run_id).toBe(target);
      expect(found.parents.map((run) => run.run_id)).toEqual([id('aaaa0001', 1)]);
      expect(found.children.map((run) => run.run_id)).toEqual([id('cccc0008', 8)]);
      expect(found.childrenTotal).toBe(1);
    }
    const parent = await match('aaaa0001');
    expect(parent.kind === 'found' && parent.children.map((run) => run.stage)).toEqual([
      'window_0',
      'window_1',
    ]);
  });

  it('reports ambiguous prefixes with newest-first candidates and the total', async () => {
    const found = await match('aaaa');
    expect(found).toMatchObject({kind: 'ambiguous', total: 3});
    expect(found.kind === 'ambiguous' && found.candidates.map((run) => run.run_id)).toEqual([
      id('aaaa0003', 3),
      id('aaaa0002', 2),
      id('aaaa0001', 1),
    ]);
    expect(await match('AAAB')).toMatchObject({kind: 'found', run: {stage: 'window_2'}});
  });

  it('lets an exact id win even when other ids share a long prefix', async () => {
    const local = path.join(tempDir(), 'runs.duckdb');
    await withWriteSession(local, (connection) => ensureSchema(connection, {dbPath: local, codeRef: 'test'}));
    const exact = '12345678-0000-4000-8000-000000000001';
    await execute(
      local,
      `INSERT INTO runs (run_id, stage, status, started_at) VALUES
        ('${exact}', 'a', 'completed', '2024-01-01'), ('12345678-0000-4000-8000-000000000010', 'b', 'completed', '2024-01-02')`,
    );
    const found = await showRun({dbPath: local, prefix: exact});
    expect(found.state === 'ok' && found.match.kind === 'found' && found.match.run.run_id).toBe(exact);
    const ambiguous = await showRun({dbPath: local, prefix: '12345678-0000-4000-8000-00000000001'});
    expect(ambiguous.state === 'ok' && ambiguous.match.kind).toBe('found');
    const both = await showRun({dbPath: local, prefix: '12345678-0000-4000-8000-0000000000'});
    expect(both.state === 'ok' && both.match).toMatchObject({kind: 'ambiguous', total: 2});
  });

  it('caps the candidates and still counts them all', async () => {
    const local = path.join(tempDir(), 'runs.duckdb');
    await withWriteSession(local, (connection) => ensureSchema(connection, {dbPath: local, codeRef: 'test'}));
    const rows = Array.from(
      {length: SHOW_MAX_CANDIDATES + 5},
      (_, n) => `('${id('eeee', n)}', 'w', 'completed', TIMESTAMPTZ '2024-01-01' + INTERVAL (${n}) MINUTE)`,
    );
    await execute(local, `INSERT INTO runs (run_id, stage, status, started_at) VALUES ${rows.join(', ')}`);
    const result = await showRun({dbPath: local, prefix: 'eeee'});
    expect(result.state === 'ok' && result.match).toMatchObject({
      kind: 'ambiguous',
      total: SHOW_MAX_CANDIDATES + 5,
    });
    expect(
      result.state === 'ok' && result.match.kind === 'ambiguous' && result.match.candidates,
    ).toHaveLength(SHOW_MAX_CANDIDATES);
  });

  it('lists the first children in start order and counts them all, and every parent of a run', async () => {
    const local = path.join(tempDir(), 'runs.duckdb');
    await withWriteSession(local, (connection) => ensureSchema(connection, {dbPath: local, codeRef: 'test'}));
    const parentA = id('f0000001', 1);
    const parentB = id('f0000002', 2);
    const childCount = SHOW_MAX_CHILDREN + 3;
    // Children are inserted newest first, so start order is not insertion order.
    const children = Array.from({length: childCount}, (_, n) => id('f1', childCount - n));
    const at = (minute: number) => `TIMESTAMPTZ '2024-01-01' + INTERVAL (${minute}) MINUTE`;
    const runRows = [
      `('${parentA}', 'ingest', 'completed', ${at(0)})`,
      `('${parentB}', 'window_0', 'completed', ${at(-1)})`,
      ...children.map((child, n) => `('${child}', 'window_${n}', 'completed', ${at(childCount - n)})`),
    ];
    await execute(local, `INSERT INTO runs (run_id, stage, status, started_at) VALUES ${runRows.join(', ')}`);
    const lineageRows = [
      ...children.map((child) => `('${child}', '${parentA}')`),
      `('${children[0]}', '${parentB}')`,
    ];
    await execute(local, `INSERT INTO run_lineage VALUES ${lineageRows.join(', ')}`);
    const many = await showRun({dbPath: local, prefix: parentA});
    const inStartOrder = [...children].reverse();
    expect(many.state === 'ok' && many.match.kind === 'found').toBe(true);
    if (many.state !== 'ok' || many.match.kind !== 'found') return;
    expect(many.match.childrenTotal).toBe(childCount);
    expect(many.match.children.map((run) => run.run_id)).toEqual(inStartOrder.slice(0, SHOW_MAX_CHILDREN));
    const firstTen = await showRun({dbPath: local, prefix: parentA, childLimit: 10});
    expect(
      firstTen.state === 'ok' &&
        firstTen.match.kind === 'found' &&
        firstTen.match.children.map((run) => run.run_id),
    ).toEqual(inStartOrder.slice(0, 10));
    const few = await showRun({dbPath: local, prefix: parentB});
    expect(few.state === 'ok' && few.match).toMatchObject({kind: 'found', childrenTotal: 1});
    const child = await showRun({dbPath: local, prefix: children[0] ?? ''});
    expect(
      child.state === 'ok' && child.match.kind === 'found' && child.match.parents.map((run) => run.run_id),
    ).toEqual([parentB, parentA]);
  });

  it('lists and counts a child stamped before its parent (a clock stepped back), on both pages', async () => {
    const local = path.join(tempDir(), 'runs.duckdb');
    await withWriteSession(local, (connection) => ensureSchema(connection, {dbPath: local, codeRef: 'test'}));
    const parent = id('f4000001', 1);
    const early = id('f5', 0);
    const windows = Array.from({length: SHOW_MAX_CHILDREN + 5}, (_, n) => id('f5', n + 1));
    const at = (minute: number) => `TIMESTAMPTZ '2024-01-01' + INTERVAL (${minute}) MINUTE`;
    // Runs older than the parent fill the table first, as in a real store appended in start order.
    await execute(
      local,
      `INSERT INTO runs (run_id, stage, status, started_at)
       SELECT uuid(), 'window_0', 'completed', ${at(-100_000)} + to_seconds(i) FROM range(5000) t(i)`,
    );
    const rows = [
      `('${parent}', 'process', 'failed', ${at(0)})`,
      ...windows.map((window, n) => `('${window}', 'window_${n + 1}', 'completed', ${at(n + 1)})`),
      `('${early}', 'window_0', 'failed', ${at(-30)})`,
    ];
    await execute(local, `INSERT INTO runs (run_id, stage, status, started_at) VALUES ${rows.join(', ')}`);
    await execute(
      local,
      `INSERT INTO run_lineage VALUES ${[early, ...windows].map((child) => `('${child}', '${parent}')`).join(', ')}`,
    );
    const shown = await showRun({dbPath: local, prefix: parent, childLimit: 3});
    expect(shown.state === 'ok' && shown.match.kind === 'found').toBe(true);
    if (shown.state !== 'ok' || shown.match.kind !== 'found') return;
    expect(shown.match.childrenTotal).toBe(windows.length + 1);
    expect(shown.match.children.map((run) => run.run_id)).toEqual([early, ...windows.slice(0, 2)]);
    expect(shown.match.processPage).toMatchObject({
      windows_total: windows.length + 1,
      windows: {completed: windows.length, failed: 1},
      problems_total: 1,
    });
    expect(shown.match.processPage?.problems.map((run) => run.run_id)).toEqual([early]);
  });

  it('finds children wherever they are stored, near their parent or far from it', async () => {
    const local = path.join(tempDir(), 'runs.duckdb');
    await withWriteSession(local, (connection) => ensureSchema(connection, {dbPath: local, codeRef: 'test'}));
    const parent = id('f2000001', 1);
    const near = id('f3', 1);
    const far = id('f3', 2);
    const at = (minute: number) => `TIMESTAMPTZ '2024-01-01' + INTERVAL (${minute}) MINUTE`;
    await execute(
      local,
      `INSERT INTO runs (run_id, stage, status, started_at) VALUES
        ('${parent}', 'ingest', 'completed', ${at(0)}), ('${near}', 'window_0', 'completed', ${at(1)})`,
    );
    // More unrelated runs than the rows read after a parent, then a late child (a resumed window).
    await execute(
      local,
      `INSERT INTO runs (run_id, stage, status, started_at)
       SELECT uuid(), 'other', 'completed', ${at(2)} FROM range(3000)`,
    );
    await execute(
      local,
      `INSERT INTO runs (run_id, stage, status, started_at) VALUES ('${far}', 'window_1', 'completed', ${at(3)})`,
    );
    await execute(local, `INSERT INTO run_lineage VALUES ('${near}', '${parent}'), ('${far}', '${parent}')`);
    const shown = await showRun({dbPath: local, prefix: parent});
    expect(
      shown.state === 'ok' && shown.match.kind === 'found' && shown.match.children.map((run) => run.run_id),
    ).toEqual([near, far]);
    for (const childLimit of [0, 1]) {
      const limited = await showRun({dbPath: local, prefix: parent, childLimit});
      expect(limited.state === 'ok' && limited.match).toMatchObject({
        kind: 'found',
        childrenTotal: 2,
        children: [near].slice(0, childLimit).map((run_id) => ({run_id})),
      });
    }
  });

  it('reads only the first children asked for, in start order, from rows stored near the parent', async () => {
    const local = path.join(tempDir(), 'runs.duckdb');
    await withWriteSession(local, (connection) => ensureSchema(connection, {dbPath: local, codeRef: 'test'}));
    const parent = id('f4000001', 1);
    // Stored in reverse start order, right after their parent.
    const children = Array.from({length: 30}, (_, n) => id('f5', 30 - n));
    const at = (minute: number) => `TIMESTAMPTZ '2024-01-01' + INTERVAL (${minute}) MINUTE`;
    const rows = [
      `('${parent}', 'ingest', 'completed', ${at(0)})`,
      ...children.map((child, n) => `('${child}', 'window_${n}', 'completed', ${at(30 - n)})`),
    ];
    await execute(local, `INSERT INTO runs (run_id, stage, status, started_at) VALUES ${rows.join(', ')}`);
    await execute(
      local,
      `INSERT INTO run_lineage VALUES ${children.map((child) => `('${child}', '${parent}')`).join(', ')}`,
    );
    const shown = await showRun({dbPath: local, prefix: parent, childLimit: 5});
    expect(shown.state === 'ok' && shown.match).toMatchObject({kind: 'found', childrenTotal: 30});
    expect(
      shown.state === 'ok' && shown.match.kind === 'found' && shown.match.children.map((run) => run.run_id),
    ).toEqual([...children].reverse().slice(0, 5));
  });

  it('never treats what the user typed as a pattern: %, _, quotes and other non-hex match nothing', async () => {
    for (const prefix of [
      '%%%%',
      '____',
      'aaa%',
      'aaa_',
      "aaaa'",
      "' OR 1=1 --",
      'aaaa*',
      'zzzz',
      'aaaa0003x',
      'a'.repeat(33),
    ]) {
      expect(await match(prefix), prefix).toEqual({kind: 'none', prefix});
    }
    expect(await match('ffff')).toEqual({kind: 'none', prefix: 'ffff'});
  });

  it('asks for at least four hex characters', async () => {
    for (const prefix of ['', 'abc', 'a-b-c', '--ab--', '%']) {
      const error = await showRun({dbPath, prefix}).catch((caught: unknown) => caught);
      expect(error, prefix).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(ExitCode.usage);
      expect((error as UserError).message).toContain('at least 4');
    }
  });

  it('computes the UUID range of a prefix', () => {
    expect(prefixRange('abcd')).toEqual([
      'abcd0000-0000-0000-0000-000000000000',
      'abcdffff-ffff-ffff-ffff-ffffffffffff',
    ]);
    expect(normalizeRunIdPrefix('ABCD-EF')).toBe('abcdef');
    expect(normalizeRunIdPrefix('abcd%')).toBeNull();
  });
});

describe('effective status in filters', () => {
  it('returns a stale running run as crashed and keeps the limit when filtering on running/crashed', async () => {
    const local = path.join(tempDir(), 'runs.duckdb');
    await withWriteSession(local, (connection) => ensureSchema(connection, {dbPath: local, codeRef: 'test'}));
    const {hostname} = await import('node:os');
    const stale = id('5555', 1);
    const live = id('5555', 2);
    const rows = Array.from(
      {length: 30},
      (_, n) => `('${id('6666', n)}', 'w', 'crashed', TIMESTAMPTZ '2024-01-01' + INTERVAL (${n}) MINUTE)`,
    );
    await execute(
      local,
      `INSERT INTO runs (run_id, stage, status, started_at) VALUES ${rows.join(', ')},
         ('${stale}', 'w', 'running', '2023-06-01'), ('${live}', 'w', 'running', '2025-01-01')`,
      `INSERT INTO run_owners VALUES ('${stale}', 999999999, '${hostname()}', NULL), ('${live}', ${process.pid}, '${hostname()}', NULL)`,
    );
    const crashed = await listRuns({dbPath: local, statuses: ['crashed'], limit: 50});
    expect(crashed.state === 'ok' && crashed.runs).toHaveLength(31);
    expect(crashed.state === 'ok' && crashed.runs.at(-1)?.run_id).toBe(stale);
    const limited = await listRuns({dbPath: local, statuses: ['crashed'], limit: 5});
    expect(ids(limited)).toEqual([29, 28, 27, 26, 25].map((n) => id('6666', n)));
    const running = await listRuns({dbPath: local, statuses: ['running'], limit: 5});
    expect(ids(running)).toEqual([live]);
    const both = await listRuns({dbPath: local, statuses: ['running', 'crashed'], limit: 2});
    expect(ids(both)).toEqual([live, id('6666', 29)]);
  });

  it('finds a live running run behind more stale ones than the limit', async () => {
    const local = path.join(tempDir(), 'runs.duckdb');
    await withWriteSession(local, (connection) => ensureSchema(connection, {dbPath: local, codeRef: 'test'}));
    const {hostname} = await import('node:os');
    const live = id('7777', 99);
    const stale = Array.from({length: 7}, (_, n) => id('7777', n));
    await execute(
      local,
      `INSERT INTO runs (run_id, stage, status, started_at) VALUES ('${live}', 'w', 'running', '2024-01-01'),
         ${stale.map((runId, n) => `('${runId}', 'w', 'running', TIMESTAMPTZ '2024-02-01' + INTERVAL (${n}) MINUTE)`).join(', ')}`,
      `INSERT INTO run_owners VALUES ('${live}', ${process.pid}, '${hostname()}', NULL),
         ${stale.map((runId) => `('${runId}', 999999999, '${hostname()}', NULL)`).join(', ')}`,
    );
    expect(ids(await listRuns({dbPath: local, statuses: ['running'], limit: 2}))).toEqual([live]);
    expect(ids(await listRuns({dbPath: local, statuses: ['crashed'], limit: 2}))).toEqual([
      stale[6],
      stale[5],
    ]);
  });
});
