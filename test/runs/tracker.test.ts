import {createHash, randomBytes} from 'node:crypto';
import {chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {RunContextSchema, RunRecordSchema} from '../../schemas/run.js';
import {configHash} from '../../src/runs/fingerprint.js';
import {showRun, tailRuns} from '../../src/runs/queries.js';
import {
  FLUSH_BATCH_SIZE,
  RunAlreadyFinishedError,
  RunTracker,
  runStage,
  TrackerClosedError,
  UnknownRunError,
} from '../../src/runs/tracker.js';
import {execute, query, runningAsRoot, sleep, spawnFixture, tempDbPath, tempDir} from './helpers.js';

const ROW = `SELECT run_id::VARCHAR AS run_id, stage, status, error, input_fingerprint, config_hash, code_ref, tenant_id, trace_id,
  epoch_us(started_at) AS started_us, epoch_us(finished_at) AS finished_us, duration_seconds,
  (epoch_us(finished_at) - epoch_us(started_at))::DOUBLE / 1000000 AS computed_duration,
  rows_in, rows_out, llm_calls, tokens FROM runs`;

async function row(dbPath: string, runId: string) {
  const rows = await query(dbPath, `${ROW} WHERE run_id = $1::UUID`, [runId]);
  expect(rows).toHaveLength(1);
  return rows[0] as Record<string, unknown>;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A tracker that never flushes by itself, so each test decides when transitions are written. */
function openManual(dbPath: string, extra: Partial<Parameters<typeof RunTracker.open>[0]> = {}) {
  return RunTracker.open({
    dbPath,
    flushIntervalMs: 60_000,
    flushBatchSize: 1_000_000,
    codeRef: 'test-ref',
    ...extra,
  });
}

describe('RunTracker transitions', () => {
  it('records a start as running with its owner and lineage, then the finish, with duration = finished - started', async () => {
    const dbPath = tempDbPath();
    const tracker = await openManual(dbPath, {tenantId: 'acme'});
    const parent = tracker.start({stage: 'ingest', rowsIn: 5});
    const child = tracker.start({
      stage: 'window_0',
      rowsIn: 100,
      inputFingerprint: 'sha256:in',
      configHash: 'sha256:cfg',
      parentRunIds: [parent.runId],
    });
    expect(RunContextSchema.parse(child)).toEqual(child);
    expect(child).toMatchObject({stage: 'window_0', tenantId: 'acme', parentRunIds: [parent.runId], dbPath});
    await tracker.flush();

    expect(await row(dbPath, child.runId)).toMatchObject({
      status: 'running',
      finished_us: null,
      duration_seconds: null,
      rows_in: '100',
      input_fingerprint: 'sha256:in',
      config_hash: 'sha256:cfg',
      code_ref: 'test-ref',
      tenant_id: 'acme',
    });
    expect(await query(dbPath, 'SELECT pid FROM run_owners WHERE run_id = $1::UUID', [child.runId])).toEqual([
      {pid: process.pid},
    ]);
    expect(
      await query(
        dbPath,
        'SELECT parent_run_id::VARCHAR AS p FROM run_lineage WHERE child_run_id = $1::UUID',
        [child.runId],
      ),
    ).toEqual([{p: parent.runId}]);

    tracker.finish(child.runId, {status: 'completed', rowsOut: 3, llmCalls: 0, tokens: 0});
    tracker.finish(parent.runId, {status: 'completed', rowsOut: 5});
    const report = await tracker.close();
    expect(report).toEqual({
      recorded: true,
      reason: null,
      runsStarted: 2,
      runsFinished: 2,
      warnings: [],
      dbPath,
    });
    const finished = await row(dbPath, child.runId);
    expect(finished).toMatchObject({
      status: 'completed',
      rows_out: '3',
      llm_calls: '0',
      tokens: '0',
      error: null,
    });
    expect(finished.duration_seconds).toBe(finished.computed_duration);
    expect(Number(finished.finished_us)).toBeGreaterThanOrEqual(Number(finished.started_us));
    expect(await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM run_owners')).toEqual([{n: 0}]);
    // The read side sees the same lineage.
    const shown = await showRun({dbPath, prefix: parent.runId});
    expect(
      shown.state === 'ok' && shown.match.kind === 'found' && shown.match.children.map((run) => run.run_id),
    ).toEqual([child.runId]);
    const tail = await tailRuns({dbPath, limit: 5});
    expect(tail.state === 'ok' && tail.runs.map((run) => run.run_id)).toEqual([child.runId, parent.runId]);
  });

  it('coalesces a start and finish in one batch into a single final row (no owner row)', async () => {
    const dbPath = tempDbPath();
    const tracker = await openManual(dbPath);
    const context = tracker.start({stage: 'window_1', rowsIn: 1});
    tracker.finish(context.runId, {status: 'degraded', rowsOut: 1, error: 'fallback writer used'});
    await tracker.close();
    const stored = await row(dbPath, context.runId);
    expect(stored).toMatchObject({status: 'degraded', error: 'fallback writer used', rows_out: '1'});
    expect(stored.duration_seconds).toBe(stored.computed_duration);
    expect(await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM run_owners')).toEqual([{n: 0}]);
  });

  it('finishes with every finishing status, in coalesced and separate batches', async () => {
    const dbPath = tempDbPath();
    const tracker = await openManual(dbPath);
    const statuses = ['completed', 'failed', 'degraded', 'cancelled'] as const;
    const early = statuses.map((status) => ({status, context: tracker.start({stage: `early_${status}`})}));
    await tracker.flush();
    for (const {status, context} of early)
      tracker.finish(context.runId, {status, error: status === 'failed' ? new RangeError('x') : undefined});
    const late = statuses.map((status) => ({status, context: tracker.start({stage: `late_${status}`})}));
    for (const {status, context} of late) tracker.finish(context.runId, {status});
    await tracker.close();
    for (const {status, context} of [...early, ...late]) {
      expect((await row(dbPath, context.runId)).status).toBe(status);
    }
    expect((await row(dbPath, early[1]?.context.runId ?? '')).error).toBe('RangeError: x');
  });

  it('takes started_at when start() is called, not when the batch is flushed', async () => {
    const dbPath = tempDbPath();
    const tracker = await openManual(dbPath);
    const before = Date.now() * 1000;
    const context = tracker.start({stage: 'ingest'});
    const after = Date.now() * 1000;
    await sleep(300);
    await tracker.close();
    const started = Number((await row(dbPath, context.runId)).started_us);
    expect(started).toBeGreaterThanOrEqual(before - 2_000);
    expect(started).toBeLessThanOrEqual(after + 2_000);
  });

  it('flushes by itself when the batch size is reached or the interval passes', async () => {
    const dbPath = tempDbPath();
    const bySize = await RunTracker.open({dbPath, flushIntervalMs: 60_000, flushBatchSize: 3});
    bySize.start({stage: 'a'});
    bySize.start({stage: 'b'});
    await sleep(100);
    expect(await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM runs')).toEqual([{n: 0}]);
    bySize.start({stage: 'c'});
    await waitFor(async () => (await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM runs'))[0]?.n === 3);
    await bySize.close();

    const byTime = await RunTracker.open({dbPath, flushIntervalMs: 50, flushBatchSize: 1_000});
    byTime.start({stage: 'd'});
    await waitFor(async () => (await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM runs'))[0]?.n === 4);
    await byTime.close();
    expect(FLUSH_BATCH_SIZE).toBeGreaterThan(1);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('terminal runs never change', () => {
  it('throws a typed error for a second finish, an unknown run and use after close', async () => {
    const dbPath = tempDbPath();
    const tracker = await openManual(dbPath);
    const context = tracker.start({stage: 'window_0'});
    tracker.finish(context.runId, {status: 'completed'});
    expect(() => tracker.finish(context.runId, {status: 'failed'})).toThrow(RunAlreadyFinishedError);
    expect(() => tracker.finish(context.runId, {status: 'completed'})).toThrow(
      /already finished \(completed\)/,
    );
    expect(() => tracker.finish('00000000-0000-4000-8000-000000000000', {status: 'failed'})).toThrow(
      UnknownRunError,
    );
    expect(() => tracker.finish(tracker.start({stage: 'x'}).runId, {status: 'crashed' as never})).toThrow(
      TypeError,
    );
    expect(() => tracker.start({stage: ''})).toThrow(TypeError);
    expect(() => tracker.start({stage: 's', rowsIn: -1})).toThrow(RangeError);
    expect(() => tracker.start({stage: 's', parentRunIds: ['not-a-uuid']})).toThrow(TypeError);
    await tracker.close();
    expect(() => tracker.start({stage: 'late'})).toThrow(TrackerClosedError);
    expect((await row(dbPath, context.runId)).status).toBe('completed');
  });

  it('does not overwrite a run another writer already finished, and says so', async () => {
    const dbPath = tempDbPath();
    const warnings: string[] = [];
    const tracker = await openManual(dbPath, {onWarning: (message) => warnings.push(message)});
    const context = tracker.start({stage: 'window_0'});
    await tracker.flush();
    // Another writer (another tracker, another process) finishes the same run first.
    await execute(
      dbPath,
      `UPDATE runs SET status = 'completed', finished_at = now() WHERE run_id = '${context.runId}'`,
    );
    tracker.finish(context.runId, {status: 'failed', error: new Error('too late')});
    const report = await tracker.close();
    const stored = await row(dbPath, context.runId);
    expect(stored).toMatchObject({status: 'completed', error: null});
    expect(report.recorded).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(context.runId);
    expect(warnings[0]).toContain('(completed)');
  });
});

describe('runStage', () => {
  it('finishes completed with what outcome says and returns the result', async () => {
    const dbPath = tempDbPath();
    const tracker = await openManual(dbPath);
    let seen: string | null = null;
    const result = await runStage(
      tracker,
      {stage: 'window_2', rowsIn: 10, inputFingerprint: 'sha256:w2', configHash: 'sha256:c'},
      async (context) => {
        seen = context.runId;
        return {posts: 2};
      },
      {outcome: (value) => ({rowsOut: value.posts, llmCalls: 0, tokens: 0})},
    );
    expect(result).toEqual({posts: 2});
    await tracker.close();
    expect(await row(dbPath, seen ?? '')).toMatchObject({status: 'completed', rows_out: '2', rows_in: '10'});
  });

  it('finishes failed with the error text and re-throws the very same error', async () => {
    const dbPath = tempDbPath();
    const tracker = await openManual(dbPath);
    const original = new TypeError('cannot read the window', {cause: new Error('ENOENT: gone')});
    let runId = '';
    const thrown = await runStage(tracker, {stage: 'window_3'}, async (context) => {
      runId = context.runId;
      throw original;
    }).catch((error: unknown) => error);
    expect(thrown).toBe(original);
    await tracker.close();
    const stored = await row(dbPath, runId);
    expect(stored.status).toBe('failed');
    expect(stored.error).toBe('TypeError: cannot read the window\ncaused by: Error: ENOENT: gone');
  });

  it('leaves a run finished meanwhile (e.g. cancelled by a signal handler) as it is', async () => {
    const dbPath = tempDbPath();
    const tracker = await openManual(dbPath);
    let runId = '';
    await expect(
      runStage(tracker, {stage: 'window_4'}, async (context) => {
        runId = context.runId;
        tracker.finish(context.runId, {status: 'cancelled'});
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    await tracker.close();
    expect((await row(dbPath, runId)).status).toBe('cancelled');
  });
});

describe('fingerprints, config hash and trace id', () => {
  it('gives the same config hash whatever the key order, a different one for different values', async () => {
    const a = configHash({window: {unit: 'messages', size: 100, overlap: 0}, writer: 'offline', tz: 'UTC'});
    const b = configHash({tz: 'UTC', writer: 'offline', window: {overlap: 0, size: 100, unit: 'messages'}});
    expect(a).toBe(b);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(
      configHash({window: {unit: 'messages', size: 101, overlap: 0}, writer: 'offline', tz: 'UTC'}),
    ).not.toBe(a);
    const dbPath = tempDbPath();
    const tracker = await openManual(dbPath);
    const first = tracker.start({stage: 's', configHash: a});
    const second = tracker.start({stage: 's', configHash: b});
    await tracker.close();
    expect((await row(dbPath, first.runId)).config_hash).toBe((await row(dbPath, second.runId)).config_hash);
  });

  it('takes the trace id from a valid TRACEPARENT only', async () => {
    const dbPath = tempDbPath();
    const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const tracker = await openManual(dbPath, {env: {TRACEPARENT: valid}});
    const context = tracker.start({stage: 's'});
    expect(context.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    await tracker.close();
    expect((await row(dbPath, context.runId)).trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');

    for (const invalid of [
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
      'garbage',
      '',
    ]) {
      const other = await openManual(dbPath, {env: {TRACEPARENT: invalid}});
      expect(other.start({stage: 's'}).traceId, invalid).toBeNull();
      await other.close();
    }
    const future = await openManual(dbPath, {env: {TRACEPARENT: `01-${valid.slice(3)}-what-comes-later`}});
    expect(future.start({stage: 's'}).traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    await future.close();
    const none = await openManual(dbPath, {env: {}});
    expect(none.start({stage: 's'}).traceId).toBeNull();
    await none.close();
  });
});

describe('findReusableRun', () => {
  it('finds the newest completed or degraded run with the same fingerprint and config, in memory and in the store', async () => {
    const dbPath = tempDbPath();
    const tracker = await openManual(dbPath);
    expect(await tracker.findReusableRun({inputFingerprint: 'sha256:w', configHash: 'sha256:c'})).toBeNull();
    const failed = tracker.start({stage: 'window_0', inputFingerprint: 'sha256:w', configHash: 'sha256:c'});
    tracker.finish(failed.runId, {status: 'failed', error: new Error('x')});
    expect(await tracker.findReusableRun({inputFingerprint: 'sha256:w', configHash: 'sha256:c'})).toBeNull();
    const done = tracker.start({stage: 'window_0', inputFingerprint: 'sha256:w', configHash: 'sha256:c'});
    tracker.finish(done.runId, {status: 'degraded'});
    // Not flushed yet: found in memory.
    const local = await tracker.findReusableRun({inputFingerprint: 'sha256:w', configHash: 'sha256:c'});
    expect(local?.run_id).toBe(done.runId);
    expect(RunRecordSchema.parse(local)).toEqual(local);
    expect(
      await tracker.findReusableRun({inputFingerprint: 'sha256:w', configHash: 'sha256:other'}),
    ).toBeNull();
    expect(
      await tracker.findReusableRun({
        inputFingerprint: 'sha256:w',
        configHash: 'sha256:c',
        stage: 'window_9',
      }),
    ).toBeNull();
    await tracker.close();

    const next = await openManual(dbPath);
    const stored = await next.findReusableRun({
      inputFingerprint: 'sha256:w',
      configHash: 'sha256:c',
      stage: 'window_0',
    });
    expect(stored).toMatchObject({run_id: done.runId, status: 'degraded'});
    expect(stored?.started_at).toBe(local?.started_at);
    const many = await next.findReusableRuns({
      inputFingerprints: ['sha256:w', 'sha256:none'],
      configHash: 'sha256:c',
    });
    expect([...many.keys()]).toEqual(['sha256:w']);
    await next.close();
  });
});

describe('when the store cannot be written, tracking stops but the pipeline does not', () => {
  async function exercise(tracker: RunTracker): Promise<void> {
    for (let index = 0; index < 5; index += 1) {
      const result = await runStage(tracker, {stage: `window_${index}`}, async () => index * 2);
      expect(result).toBe(index * 2);
    }
    await tracker.flush();
  }

  it('a directory that cannot be written', async () => {
    const dir = tempDir();
    let dbPath: string;
    if (runningAsRoot) {
      // Root writes through any permission bits, so chmod cannot make a directory unwritable here:
      // put the store under a regular file instead, which no user can create a directory in.
      writeFileSync(path.join(dir, 'not-a-dir'), 'x');
      dbPath = path.join(dir, 'not-a-dir', '.egregora', 'runs.duckdb');
    } else {
      mkdirSync(path.join(dir, 'locked'));
      chmodSync(path.join(dir, 'locked'), 0o555);
      dbPath = path.join(dir, 'locked', '.egregora', 'runs.duckdb');
    }
    const warnings: string[] = [];
    const tracker = await RunTracker.open({dbPath, onWarning: (message) => warnings.push(message)});
    await exercise(tracker);
    const report = await tracker.close();
    expect(report).toMatchObject({recorded: false, runsStarted: 5, runsFinished: 5});
    expect(report.reason).toMatch(/Cannot write the runs store .*(not a directory|permission denied)/);
    expect(warnings).toHaveLength(1);
    expect(report.warnings).toEqual(warnings);
  });

  it('a store path that is a directory', async () => {
    const dbPath = tempDbPath();
    mkdirSync(dbPath);
    const warnings: string[] = [];
    const tracker = await RunTracker.open({dbPath, onWarning: (message) => warnings.push(message)});
    await exercise(tracker);
    const report = await tracker.close();
    expect(report.recorded).toBe(false);
    expect(report.reason).toContain('is a directory');
    expect(warnings).toHaveLength(1);
  });

  it('a damaged file: not overwritten, warned about once', async () => {
    const dbPath = tempDbPath();
    writeFileSync(dbPath, randomBytes(100_000));
    const before = sha256(dbPath);
    const warnings: string[] = [];
    const tracker = await RunTracker.open({dbPath, onWarning: (message) => warnings.push(message)});
    expect(tracker.recording).toBe(false);
    await exercise(tracker);
    expect(await tracker.findReusableRun({inputFingerprint: 'sha256:x', configHash: 'sha256:y'})).toBeNull();
    const report = await tracker.close();
    expect(report.recorded).toBe(false);
    expect(report.reason).toContain('not a DuckDB database or is damaged');
    expect(report.reason).toContain('Move it aside');
    expect(warnings).toHaveLength(1);
    expect(sha256(dbPath)).toBe(before);
    expect(readdirSync(path.dirname(dbPath))).toEqual(['runs.duckdb']);
  });

  it('a lock held by another process for longer than the bound', async () => {
    const dbPath = tempDbPath();
    await (await RunTracker.open({dbPath})).close();
    const holder = spawnFixture('hold-lock.ts', [dbPath]);
    await holder.line((line) => line === 'locked');
    const warnings: string[] = [];
    const started = performance.now();
    const tracker = await RunTracker.open({
      dbPath,
      busyTimeoutMs: 300,
      onWarning: (message) => warnings.push(message),
    });
    expect(performance.now() - started).toBeLessThan(3_000);
    await exercise(tracker);
    const report = await tracker.close();
    expect(report.recorded).toBe(false);
    expect(report.reason).toContain(`locked by process ${holder.process.pid}`);
    expect(warnings).toHaveLength(1);
  });
});
