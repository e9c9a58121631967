/**
 * Live observers (issue 5.2). Users run `egregora runs tail` in a second terminal while `process`
 * writes the runs store: every read must answer quickly (the writer holds the file only for short
 * sessions, readers retry), and what it shows must only move forward. And two `process` commands on
 * one project must not both work on it: the second waits and skips, or stops with exit 13 naming
 * the first; neither corrupts the other's runs.
 */
import {mkdir} from 'node:fs/promises';
import {loadavg} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {ErrorOutputSchema, RunsListingOutputSchema} from '../../schemas/runs-output.js';
import {tempDir} from '../helpers/cli.js';
import {writeChatExport} from '../pipeline/export-fixture.js';
import {
  assertBuilt,
  query,
  STACK_TRACE,
  type StartedCli,
  startCli,
  TEST_WRITERS,
  timedCli,
  waitForLockOwner,
} from './helpers.js';

/** Sequential `runs tail --json` calls made while `process` runs (the issue's "at least 50"). */
const OBSERVER_CALLS = 50;
/** Each observer call, spawn to exit, must take less than this (the issue's bound). */
const CALL_LIMIT_MS = 2_000;

describe.sequential('observers and a second process while process runs', () => {
  let root: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    assertBuilt();
    ({dir: root, cleanup} = await tempDir('egregora-observers-'));
  });
  afterAll(async () => cleanup());

  it(`${OBSERVER_CALLS} runs tail --json calls while process writes: each exits 0 within ${CALL_LIMIT_MS} ms, finished runs never go down; a second process is turned away with 13`, async () => {
    // 8,000 messages in windows of 10 (801 runs: under the 1000 rows `runs tail -n 1000` shows), 200 ms
    // each at concurrency 2: ~80 s of work, far longer than the observer needs (50 calls of 0.5-1 s);
    // `process` is stopped with SIGINT once the observer is done.
    const zip = await writeChatExport(path.join(root, 'input-large'), 8_000);
    const cwd = path.join(root, 'observed');
    await mkdir(cwd, {recursive: true});
    const env = {EGREGORA_WRITER_MODULES: TEST_WRITERS, TEST_WINDOW_DELAY_MS: '200'};
    const flags = ['--window-size', '10', '--writer', 'slow', '--concurrency', '2', '--json'];
    const writer = startCli(['process', zip, ...flags], {cwd, env, timeoutMs: 180_000});
    await waitForLockOwner(path.join(cwd, '.egregora'), writer.pid, 30_000);

    // A second `process` on the same project while the first works: it must not work alongside.
    const second = startCli(['process', zip, ...flags.filter((flag) => flag !== '--json')], {
      cwd,
      env,
      timeoutMs: 60_000,
    });

    try {
      await observe(cwd, writer, second);
    } finally {
      // Never leave a writer behind a failed assertion (the temp dir is removed after the file).
      for (const child of [writer.child, second.child]) if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 240_000);

  async function observe(cwd: string, writer: StartedCli, second: StartedCli): Promise<void> {
    const calls: {ms: number; finished: number; total: number; baselineMs: number | null}[] = [];
    let previousFinished = 0;
    // A call over the limit is followed by the same command where there is no store (no lock to wait
    // for): if that one is slow too, the machine was overloaded; if not, the time went to the store.
    const baselineDir = path.join(path.dirname(cwd), 'no-store');
    await mkdir(baselineDir, {recursive: true});
    for (let call = 1; call <= OBSERVER_CALLS; call += 1) {
      const result = await timedCli(['runs', 'tail', '-n', '1000', '--json'], {cwd, timeoutMs: 30_000});
      const label = `call ${call}: ${Math.round(result.ms)} ms, exit ${result.code}, ${result.stderr.slice(0, 400)}`;
      expect(result.code, label).toBe(0);
      expect(result.stderr, label).not.toMatch(STACK_TRACE);
      const listing = RunsListingOutputSchema.parse(JSON.parse(result.stdout));
      const finished = listing.runs.filter((run) => run.status !== 'running').length;
      expect(
        listing.runs.filter((run) => run.status === 'crashed' || run.status === 'failed'),
        label,
      ).toEqual([]);
      expect(finished, `${label}: finished runs went down from ${previousFinished}`).toBeGreaterThanOrEqual(
        previousFinished,
      );
      expect(listing.runs.length, 'the export must stay under the 1000 rows tail can show').toBeLessThan(
        1000,
      );
      previousFinished = finished;
      const baselineMs =
        result.ms >= CALL_LIMIT_MS
          ? (await timedCli(['runs', 'tail', '-n', '1000', '--json'], {cwd: baselineDir})).ms
          : null;
      calls.push({ms: result.ms, finished, total: listing.runs.length, baselineMs});
    }
    const stillRunning = writer.child.exitCode === null && writer.child.signalCode === null;
    const times = calls.map((call) => call.ms).sort((a, b) => a - b);
    console.info(
      `[observers.test] ${calls.length} runs tail calls: p50 ${Math.round(times[Math.floor(times.length / 2)] ?? 0)} ms, ` +
        `max ${Math.round(times.at(-1) ?? 0)} ms; finished runs ${calls[0]?.finished} → ${calls.at(-1)?.finished}`,
    );
    expect(stillRunning, 'process ended before the observer was done: make the export larger').toBe(true);
    const slow = calls
      .map((call, index) => ({
        call: index + 1,
        ms: Math.round(call.ms),
        sameCommandWithoutStoreMs: Math.round(call.baselineMs ?? 0),
        loadAverage: loadavg()[0]?.toFixed(1),
      }))
      .filter((call) => call.ms >= CALL_LIMIT_MS);
    expect(slow, `runs tail calls that took ${CALL_LIMIT_MS} ms or more`).toEqual([]);
    expect(calls.at(-1)?.finished ?? 0, 'the observer saw the writer make progress').toBeGreaterThan(
      calls[0]?.finished ?? 0,
    );

    // The second process: it waited for the lock (10 s) while the first went on, then gave up.
    const turnedAway = await second.done;
    if (turnedAway.code === 0) {
      // Allowed by the issue only if it waited for the first to finish and then skipped everything.
      expect(turnedAway.stdout).toMatch(/skipped/i);
    } else {
      expect(turnedAway.code, turnedAway.stderr).toBe(13);
      expect(turnedAway.stderr).toContain(`PID ${writer.pid}`);
      expect(turnedAway.stderr).toMatch(/Another egregora process/);
      expect(turnedAway.stderr).not.toMatch(STACK_TRACE);
    }

    writer.child.kill('SIGINT');
    const stopped = await writer.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    const alive = await timedCli(['runs', 'list', '--status', 'running', '--status', 'crashed', '--json'], {
      cwd,
    });
    expect(RunsListingOutputSchema.parse(JSON.parse(alive.stdout)).runs).toEqual([]);
    const failed = await timedCli(['runs', 'list', '--status', 'failed', '--json'], {cwd});
    expect(RunsListingOutputSchema.parse(JSON.parse(failed.stdout)).runs).toEqual([]);
  }

  it('two process commands on one project at once: one works, the other waits and skips or exits 13; one completed run per window', async () => {
    const zip = await writeChatExport(path.join(root, 'input-small'), 3_000);
    const cwd = path.join(root, 'twice');
    await mkdir(cwd, {recursive: true});
    const env = {EGREGORA_WRITER_MODULES: TEST_WRITERS, TEST_WINDOW_DELAY_MS: '20'};
    const flags = ['--window-size', '20', '--writer', 'slow', '--concurrency', '2', '--json'];
    const a = startCli(['process', zip, ...flags], {cwd, env});
    const b = startCli(['process', zip, ...flags], {cwd, env});
    const results = await Promise.all([a.done, b.done]);
    const outcomes = results.map((result, index) => {
      const label = `${index === 0 ? 'A' : 'B'}: exit ${result.code}, ${result.stderr.slice(0, 400)}`;
      expect(result.stderr, label).not.toMatch(STACK_TRACE);
      const json = JSON.parse(result.stdout) as unknown;
      if (result.code === 0) return {label, summary: ProcessSummarySchema.parse(json), error: null};
      expect(result.code, label).toBe(13);
      return {label, summary: null, error: ErrorOutputSchema.parse(json).error};
    });
    const worked = outcomes.filter((outcome) => outcome.summary?.windows.processed === 150);
    expect(worked, outcomes.map((outcome) => outcome.label).join('\n')).toHaveLength(1);
    const otherIndex = outcomes.findIndex((outcome) => outcome !== worked[0]);
    const other = outcomes[otherIndex];
    const workerPid = otherIndex === 0 ? b.pid : a.pid;
    console.info(
      `[observers.test] two at once: ${other?.summary ? 'the second waited, then skipped everything' : `the second exited 13: ${other?.error?.message}`}`,
    );
    if (other?.summary) {
      expect(other.summary.windows, other.label).toMatchObject({processed: 0, skipped: 150, failed: 0});
      expect(other.summary.ingest.reused, other.label).toBe(true);
    } else {
      expect(other?.error?.message, other?.label).toContain(`PID ${workerPid}`);
      expect(other?.error?.exitCode).toBe(13);
    }

    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    const perWindow = await query(
      runsDb,
      `SELECT stage, count(*) FILTER (WHERE status = 'completed') AS completed, count(*) AS runs
       FROM runs WHERE stage LIKE 'window_%' GROUP BY stage`,
    );
    expect(perWindow).toHaveLength(150);
    for (const row of perWindow) expect(row, String(row.stage)).toMatchObject({completed: '1', runs: '1'});
    expect(await query(runsDb, "SELECT count(*) AS n FROM runs WHERE stage = 'ingest'")).toEqual([{n: '1'}]);
    const failed = await timedCli(['runs', 'list', '--status', 'failed', '--json'], {cwd});
    expect(failed.code).toBe(0);
    expect(RunsListingOutputSchema.parse(JSON.parse(failed.stdout)).runs).toEqual([]);
    const alive = await timedCli(['runs', 'list', '--status', 'running', '--status', 'crashed', '--json'], {
      cwd,
    });
    expect(RunsListingOutputSchema.parse(JSON.parse(alive.stdout)).runs).toEqual([]);
  }, 120_000);
});
