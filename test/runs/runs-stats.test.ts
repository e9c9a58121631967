import {existsSync} from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {RunsStatsOutputSchema} from '../../schemas/runs-stats.js';
import {ERROR_HEAD_MAX_CHARS, runsStats, TOP_ERRORS_LIMIT} from '../../src/runs/stats.js';
import {UserError} from '../../src/util/errors.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {query, suiteTempDir, tempDir} from './helpers.js';
import {createStore, deadPid, insertOwner, insertRuns, runId, type SeedRun, startedAt} from './tools-seed.js';

const EACCES = (window: number) =>
  `Error: window ${window}: messages ${window * 100}–${window * 100 + 99}: EACCES: permission denied, open 'site/posts/2024-03-0${window}.md'\ncontext: window ${window}`;

const STALE = runId('eeee0001', 1);
const ALIVE = runId('eeee0002', 2);

const RUNS: SeedRun[] = [
  {
    id: runId('aaaa0000', 0),
    stage: 'process',
    status: 'completed',
    minute: 0,
    duration: 10,
    rowsIn: 500,
    rowsOut: 5,
  },
  {
    id: runId('aaaa0001', 1),
    stage: 'ingest',
    status: 'completed',
    minute: 1,
    duration: 2,
    rowsIn: 1000,
    rowsOut: 900,
  },
  // Windows 0-4: durations 1..5 s, two of them failed with the same kind of error.
  {
    id: runId('bbbb0000', 10),
    stage: 'window_0',
    status: 'completed',
    minute: 2,
    duration: 1,
    llmCalls: 2,
    tokens: 100,
  },
  {
    id: runId('bbbb0001', 11),
    stage: 'window_1',
    status: 'failed',
    minute: 3,
    duration: 2,
    error: EACCES(1),
    llmCalls: 2,
    tokens: 100,
    rowsOut: null,
  },
  {
    id: runId('bbbb0002', 12),
    stage: 'window_2',
    status: 'degraded',
    minute: 4,
    duration: 3,
    llmCalls: 2,
    tokens: 100,
  },
  {
    id: runId('bbbb0003', 13),
    stage: 'window_3',
    status: 'failed',
    minute: 5,
    duration: 4,
    error: EACCES(3),
    llmCalls: 2,
    tokens: 100,
    rowsOut: null,
  },
  {
    id: runId('bbbb0010', 14),
    stage: 'window_10',
    status: 'completed',
    minute: 6,
    duration: 5,
    llmCalls: 2,
    tokens: 100,
  },
  // Parts of a split window.
  {id: runId('cccc0001', 20), stage: 'window_1.part_1', status: 'completed', minute: 7, duration: 0.5},
  {
    id: runId('cccc0002', 21),
    stage: 'window_1.part_2',
    status: 'crashed',
    minute: 8,
    duration: null,
    error: 'ProcessGone: the process that ran this run (PID 4242 on host-a) ended without finishing it',
  },
  // Stages outside the four shapes.
  {id: runId('dddd0001', 30), stage: 'windowX1', status: 'cancelled', minute: 9, duration: 0.1},
  {id: runId('dddd0002', 31), stage: 'window_x', status: 'completed', minute: 10, duration: 0.1},
  // Running: one whose process is gone (reads as crashed), one owned by this live process.
  {id: STALE, stage: 'window_11', status: 'running', minute: 11, duration: null, rowsOut: null},
  {id: ALIVE, stage: 'window_12', status: 'running', minute: 12, duration: null, rowsOut: null},
  // An old run, outside a --since of the seed's day.
  {id: runId('ffff0001', 40), stage: 'window_0', status: 'failed', minute: -60 * 24 * 30, error: 'Old: x'},
];

let dbPath: string;

beforeAll(async () => {
  dbPath = path.join(suiteTempDir(), 'runs.duckdb');
  await createStore(dbPath);
  await insertRuns(dbPath, RUNS);
  await insertOwner(dbPath, STALE, await deadPid());
  await insertOwner(dbPath, ALIVE, process.pid);
});

describe('runs stats: the figures per stage group', () => {
  it('reports every group, in pipeline order, with counts by effective status', async () => {
    const stats = await runsStats({dbPath});
    expect(RunsStatsOutputSchema.parse(stats)).toEqual(stats);
    expect(stats.state).toBe('ok');
    expect(stats.groups.map((group) => group.group)).toEqual([
      'process',
      'ingest',
      'window',
      'part',
      'other',
    ]);
    expect(stats.runs).toBe(RUNS.length);
    const byGroup = Object.fromEntries(stats.groups.map((group) => [group.group, group]));
    expect(byGroup.process?.runs).toBe(1);
    expect(byGroup.ingest?.runs).toBe(1);
    expect(byGroup.part?.runs).toBe(2);
    expect(byGroup.other?.runs).toBe(2);
    // window_0..3, window_10, window_11 (stale), window_12 (alive), the old window_0.
    expect(byGroup.window?.runs).toBe(8);
    expect(byGroup.window?.statuses).toEqual({
      running: 1,
      completed: 2,
      failed: 3,
      degraded: 1,
      cancelled: 0,
      crashed: 1,
    });
    expect(byGroup.other?.statuses.cancelled).toBe(1);
    expect(byGroup.part?.statuses.crashed).toBe(1);
  });

  it('computes the failure rate over the runs that ended', async () => {
    const stats = await runsStats({dbPath});
    const window = stats.groups.find((group) => group.group === 'window');
    // (3 failed + 1 crashed) / (8 runs - 1 running).
    expect(window?.failure_rate).toBeCloseTo(4 / 7, 10);
    const part = stats.groups.find((group) => group.group === 'part');
    expect(part?.failure_rate).toBeCloseTo(1 / 2, 10);
    const process = stats.groups.find((group) => group.group === 'process');
    expect(process?.failure_rate).toBe(0);
  });

  it('gives nearest-rank p50 / p95 and the max of the recorded durations, and the sums', async () => {
    const stats = await runsStats({dbPath, since: new Date(startedAt(0))});
    const window = stats.groups.find((group) => group.group === 'window');
    // Durations 1, 2, 3, 4, 5 (the running ones have none).
    expect(window?.duration_seconds.p50).toBe(3);
    expect(window?.duration_seconds.p95).toBe(5);
    expect(window?.duration_seconds.max).toBeCloseTo(5, 10);
    expect(window?.llm_calls).toBe(10);
    expect(window?.tokens).toBe(500);
    expect(window?.rows_in).toBe(70);
    expect(window?.rows_out).toBe(3);
    const ingest = stats.groups.find((group) => group.group === 'ingest');
    expect(ingest).toMatchObject({rows_in: 1000, rows_out: 900, duration_seconds: {p50: 2, p95: 2, max: 2}});
  });

  it('groups errors by their normalised first line, most frequent first, with the newest run', async () => {
    const stats = await runsStats({dbPath, since: new Date(startedAt(0))});
    expect(stats.top_errors[0]).toEqual({
      error:
        "Error: window <n>: messages <n>–<n>: EACCES: permission denied, open 'site/posts/<n>-<n>-<n>.md'",
      count: 2,
      last_run_id: runId('bbbb0003', 13),
      last_seen_at: '2024-03-01T00:05:00.000000Z',
    });
    const heads = stats.top_errors.map((error) => error.error);
    // The stale run's explanation counts as a crashed run's error.
    expect(
      heads.some((head) => head.startsWith('ProcessGone: the process that ran this run (PID <n> on')),
    ).toBe(true);
    // failed ×2 (one kind), crashed part, stale window (two ProcessGone kinds: different hosts).
    expect(stats.error_runs).toBe(4);
    expect(stats.error_kinds).toBe(stats.top_errors.length);
  });

  it('filters by stage glob and time, and reports the filters', async () => {
    const stats = await runsStats({dbPath, stageGlob: 'window_?', since: new Date(startedAt(0))});
    expect(stats.filters).toEqual({since: startedAt(0), until: null, stage: 'window_?'});
    // window_0..3, and window_x (an `other` stage).
    expect(stats.runs).toBe(5);
    expect(stats.groups.find((group) => group.group === 'window')?.runs).toBe(4);
    expect(stats.groups.find((group) => group.group === 'other')?.runs).toBe(1);
    const old = await runsStats({dbPath, until: new Date(startedAt(0))});
    expect(old.runs).toBe(1);
    expect(old.top_errors).toEqual([
      {error: 'Old: x', count: 1, last_run_id: runId('ffff0001', 40), last_seen_at: expect.any(String)},
    ]);
  });

  it('refuses an empty time range with a usage error', async () => {
    const error = await runsStats({
      dbPath,
      since: new Date(startedAt(10)),
      until: new Date(startedAt(5)),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(ExitCode.usage);
  });
});

describe('runs stats: bounds and empty states', () => {
  it(`lists at most ${TOP_ERRORS_LIMIT} kinds of error and counts the rest`, async () => {
    const file = path.join(tempDir(), 'runs.duckdb');
    await createStore(file);
    // Kind k has k + 1 runs, so the order is known; ids and numbers inside are normalised away.
    const runs: SeedRun[] = [];
    for (let kind = 0; kind < TOP_ERRORS_LIMIT + 3; kind += 1) {
      for (let copy = 0; copy <= kind; copy += 1) {
        runs.push({
          id: runId('a0000000', kind * 100 + copy),
          stage: `window_${kind}`,
          status: 'failed',
          minute: kind * 100 + copy,
          error: `Kind${'abcdefghijklmnop'[kind]}Error: run ${runId('b', copy)} hash sha256:${'ab12'.repeat(16)} took ${copy}.5 s`,
        });
      }
    }
    await insertRuns(file, runs);
    const stats = await runsStats({dbPath: file});
    expect(stats.top_errors).toHaveLength(TOP_ERRORS_LIMIT);
    expect(stats.error_kinds).toBe(TOP_ERRORS_LIMIT + 3);
    expect(stats.error_runs).toBe(runs.length);
    expect(stats.top_errors[0]).toMatchObject({
      error: 'KindmError: run <id> hash sha<n>:<hex> took <n> s',
      count: TOP_ERRORS_LIMIT + 3,
    });
    expect(stats.top_errors.map((error) => error.count)).toEqual(
      [...Array(TOP_ERRORS_LIMIT).keys()].map((index) => TOP_ERRORS_LIMIT + 3 - index),
    );
  });

  it(`cuts an error head at ${ERROR_HEAD_MAX_CHARS} characters`, async () => {
    const file = path.join(tempDir(), 'runs.duckdb');
    await createStore(file);
    await insertRuns(file, [
      {
        id: runId('a0000001', 1),
        stage: 'ingest',
        status: 'failed',
        minute: 0,
        error: `LongError: ${'x'.repeat(5000)}`,
      },
    ]);
    const stats = await runsStats({dbPath: file});
    expect(stats.top_errors[0]?.error).toHaveLength(ERROR_HEAD_MAX_CHARS);
  });

  it('says a missing store is missing, and creates nothing', async () => {
    const file = path.join(tempDir(), 'nothing', 'runs.duckdb');
    const stats = await runsStats({dbPath: file});
    expect(stats).toMatchObject({state: 'missing', runs: 0, groups: [], top_errors: []});
    expect(existsSync(path.dirname(file))).toBe(false);
  });

  it('gives zeros for every group of an empty store', async () => {
    const file = path.join(tempDir(), 'runs.duckdb');
    await createStore(file);
    const stats = await runsStats({dbPath: file});
    expect(stats.state).toBe('ok');
    expect(stats.runs).toBe(0);
    expect(stats.groups).toHaveLength(5);
    for (const group of stats.groups) {
      expect(group).toMatchObject({
        runs: 0,
        failure_rate: null,
        duration_seconds: {p50: null, p95: null, max: null},
      });
    }
    expect(stats.top_errors).toEqual([]);
  });

  it('never writes to the store', async () => {
    const before = await query(dbPath, 'SELECT count(*)::INTEGER AS n, max(status) AS s FROM runs');
    await runsStats({dbPath});
    expect(await query(dbPath, 'SELECT status FROM runs WHERE run_id = $1::UUID', [STALE])).toEqual([
      {status: 'running'},
    ]);
    expect(await query(dbPath, 'SELECT count(*)::INTEGER AS n, max(status) AS s FROM runs')).toEqual(before);
  });
});

describe('runs stats: percentiles', () => {
  it('are nearest-rank, to the millisecond below 10 s and to four significant digits beyond', async () => {
    const file = path.join(tempDir(), 'runs.duckdb');
    await createStore(file);
    // 100 windows of 1.0001 … 1.0100 s (p50 = the 50th, p95 = the 95th), one ingest of 1234.56 s.
    const runs: SeedRun[] = [...Array(100).keys()].map((index) => ({
      id: runId('a1000000', index),
      stage: `window_${index}`,
      status: 'completed',
      minute: index,
      duration: 1 + (index + 1) / 10_000,
    }));
    runs.push({id: runId('a2000000', 1), stage: 'ingest', status: 'completed', minute: 200, duration: 1234.56});
    await insertRuns(file, runs);
    const stats = await runsStats({dbPath: file});
    const window = stats.groups.find((group) => group.group === 'window');
    expect(window?.duration_seconds).toEqual({p50: 1.005, p95: 1.01, max: 1.01});
    const ingest = stats.groups.find((group) => group.group === 'ingest');
    expect(ingest?.duration_seconds).toEqual({p50: 1235, p95: 1235, max: 1234.56});
  });
});
