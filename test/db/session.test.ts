import {createHash, randomBytes} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {
  classifyDuckDBError,
  StoreAccessError,
  StoreBusyError,
  StoreDamagedError,
  StoreMissingError,
} from '../../src/db/errors.js';
import {openInstanceCount} from '../../src/db/registry.js';
import {
  backoffDelay,
  READ_RETRY_MAX_DELAY_MS,
  RETRY_FIRST_DELAY_MS,
  withReadSession,
  withWriteSession,
} from '../../src/db/session.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {execute, query, spawnFixture, tempDir} from '../runs/helpers.js';

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('withWriteSession / withReadSession', () => {
  it('commits the write transaction and releases the file when done', async () => {
    const dbPath = path.join(tempDir(), 'a.duckdb');
    await execute(dbPath, 'CREATE TABLE t (x INTEGER)', 'INSERT INTO t VALUES (1), (2)');
    expect(openInstanceCount()).toBe(0);
    expect(await query(dbPath, 'SELECT sum(x)::INTEGER AS s FROM t')).toEqual([{s: 3}]);
    expect(openInstanceCount()).toBe(0);
    // Another process can take the write lock at once: closing really released it.
    const holder = spawnFixture('hold-lock.ts', [dbPath, '1']);
    await holder.line((line) => line === 'released');
  });

  it('rolls back everything when the function throws, and re-throws its error', async () => {
    const dbPath = path.join(tempDir(), 'a.duckdb');
    await execute(dbPath, 'CREATE TABLE t (x INTEGER)');
    const boom = new Error('boom');
    const error = await caught(
      withWriteSession(dbPath, async (connection) => {
        await connection.run('INSERT INTO t VALUES (1)');
        throw boom;
      }),
    );
    expect(error).toBe(boom);
    expect(await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM t')).toEqual([{n: 0}]);
  });

  it('shares one instance per file in a process: a read during a write borrows the writer instance', async () => {
    const dbPath = path.join(tempDir(), 'a.duckdb');
    await execute(dbPath, 'CREATE TABLE t (x INTEGER)');
    let countsDuringWrite: number[] = [];
    await withWriteSession(dbPath, async (connection) => {
      await connection.run('INSERT INTO t VALUES (1)');
      // Not committed yet: the reader sees the committed state, through the same instance.
      const rows = await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM t');
      countsDuringWrite = [openInstanceCount(), Number(rows[0]?.n)];
    });
    expect(countsDuringWrite).toEqual([1, 0]);
    expect(openInstanceCount()).toBe(0);
  });

  it('serializes concurrent write sessions on one file within the process', async () => {
    const dbPath = path.join(tempDir(), 'a.duckdb');
    await execute(dbPath, 'CREATE TABLE t (x INTEGER)');
    const order: string[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        withWriteSession(dbPath, async (connection) => {
          order.push(`begin ${n}`);
          await connection.run(`INSERT INTO t VALUES (${n})`);
          await new Promise((resolve) => setTimeout(resolve, 10));
          order.push(`end ${n}`);
        }),
      ),
    );
    expect(order).toEqual(['begin 1', 'end 1', 'begin 2', 'end 2', 'begin 3', 'end 3']);
    expect(await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM t')).toEqual([{n: 3}]);
  });

  it('does not open (or create) a missing file for reading', async () => {
    const dbPath = path.join(tempDir(), 'missing.duckdb');
    const error = await caught(withReadSession(dbPath, async () => 1));
    expect(error).toBeInstanceOf(StoreMissingError);
    expect(existsSync(dbPath)).toBe(false);
  });

  it('retries a lock conflict and succeeds once the other process lets go', async () => {
    const dbPath = path.join(tempDir(), 'a.duckdb');
    await execute(dbPath, 'CREATE TABLE t (x INTEGER)');
    const holder = spawnFixture('hold-lock.ts', [dbPath, '400']);
    await holder.line((line) => line === 'locked');
    const started = performance.now();
    expect(await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM t')).toEqual([{n: 0}]);
    expect(performance.now() - started).toBeGreaterThan(100);
  });

  it('gives up on a lock held too long with storeBusy naming the file, the PID and its command line', async () => {
    const dbPath = path.join(tempDir(), 'a.duckdb');
    await execute(dbPath, 'CREATE TABLE t (x INTEGER)');
    const holder = spawnFixture('hold-lock.ts', [dbPath]);
    await holder.line((line) => line === 'locked');
    const started = performance.now();
    const error = await caught(withReadSession(dbPath, async () => 1, {busyTimeoutMs: 300}));
    const waited = performance.now() - started;
    expect(error).toBeInstanceOf(StoreBusyError);
    const busy = error as StoreBusyError;
    expect(busy.exitCode).toBe(ExitCode.storeBusy);
    expect(busy.pid).toBe(holder.process.pid);
    expect(busy.message).toContain(dbPath);
    expect(busy.message).toContain(`process ${holder.process.pid}`);
    expect(busy.commandLine).toContain('hold-lock.ts');
    expect(busy.hint).toMatch(/Wait for process \d+ to finish/);
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(2_000);
    // Writers give up the same way.
    const writeError = await caught(withWriteSession(dbPath, async () => 1, {busyTimeoutMs: 200}));
    expect(writeError).toBeInstanceOf(StoreBusyError);
    expect(openInstanceCount()).toBe(0);
  });

  it('reports a file that is not a DuckDB database as storeDamaged and leaves it untouched', async () => {
    const dir = tempDir();
    const dbPath = path.join(dir, 'runs.duckdb');
    writeFileSync(dbPath, randomBytes(64 * 1024));
    const before = sha256(dbPath);
    for (const open of [withReadSession, withWriteSession]) {
      const error = await caught(open(dbPath, async () => 1));
      expect(error).toBeInstanceOf(StoreDamagedError);
      const damaged = error as StoreDamagedError;
      expect(damaged.exitCode).toBe(ExitCode.storeDamaged);
      expect(damaged.message).toContain(dbPath);
      expect(damaged.message).toContain('did not change it');
      expect(damaged.hint).toContain('Move it aside');
    }
    expect(sha256(dbPath)).toBe(before);
    expect(readdirSync(dir)).toEqual(['runs.duckdb']);
  });

  it('reports a truncated or block-damaged database as storeDamaged', async () => {
    const dir = tempDir();
    const good = path.join(dir, 'good.duckdb');
    await execute(good, 'CREATE TABLE t AS SELECT range AS x, md5(range::VARCHAR) AS y FROM range(200000)');
    const bytes = readFileSync(good);
    const truncated = path.join(dir, 'truncated.duckdb');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const scrambled = path.join(dir, 'scrambled.duckdb');
    const copy = Buffer.from(bytes);
    for (let index = 300_000; index < 600_000; index += 1) copy[index] = ((copy[index] ?? 0) * 7 + 13) & 255;
    writeFileSync(scrambled, copy);
    for (const file of [truncated, scrambled]) {
      const before = sha256(file);
      const error = await caught(query(file, 'SELECT sum(x)::DOUBLE AS s, count(DISTINCT y) AS n FROM t'));
      expect(error, file).toBeInstanceOf(StoreDamagedError);
      expect((error as StoreDamagedError).message).toContain(file);
      expect(sha256(file)).toBe(before);
    }
  });

  it('maps a path that cannot hold a database to a cannot-write error', async () => {
    const dir = tempDir();
    const asDirectory = path.join(dir, 'runs.duckdb');
    mkdirSync(asDirectory);
    const error = await caught(withWriteSession(asDirectory, async () => 1));
    expect(error).toBeInstanceOf(StoreAccessError);
    expect((error as StoreAccessError).exitCode).toBe(ExitCode.cannotWrite);
    expect((error as StoreAccessError).message).toContain('is a directory');

    writeFileSync(path.join(dir, 'file'), 'x');
    const underFile = await caught(withWriteSession(path.join(dir, 'file', 'runs.duckdb'), async () => 1));
    expect(underFile).toBeInstanceOf(StoreAccessError);
    expect((underFile as StoreAccessError).reason).toBe('a part of the path is not a directory');
  });
});

describe('classifyDuckDBError', () => {
  it('recognises the real lock-conflict message with holder and PID', () => {
    const message =
      'IO Error: Could not set lock on file "/tmp/x/runs.duckdb": Conflicting lock is held in /usr/bin/node (PID 2713). See also https://duckdb.org/docs/stable/connect/concurrency';
    expect(classifyDuckDBError(new Error(message))).toEqual({
      kind: 'lock-conflict',
      holder: '/usr/bin/node',
      pid: 2713,
    });
  });

  it('recognises not-a-database, missing, permission and full-disk messages', () => {
    expect(
      classifyDuckDBError(
        new Error('IO Error: The file "/x" exists, but it is not a valid DuckDB database file!'),
      ),
    ).toEqual({
      kind: 'not-a-database',
      newerDuckDB: false,
    });
    expect(
      classifyDuckDBError(
        new Error('IO Error: Cannot open database "/x" in read-only mode: database does not exist'),
      ),
    ).toEqual({kind: 'missing'});
    expect(classifyDuckDBError(new Error('IO Error: Cannot open file "/x": Permission denied'))).toEqual({
      kind: 'cannot-access',
      reason: 'permission denied',
    });
    expect(classifyDuckDBError(new Error('IO Error: Cannot open file "/x": Read-only file system'))).toEqual({
      kind: 'cannot-access',
      reason: 'the file system is read-only',
    });
    expect(
      classifyDuckDBError(new Error('IO Error: Could not write file "/x": No space left on device')),
    ).toEqual({
      kind: 'cannot-access',
      reason: 'the disk is full',
    });
    expect(classifyDuckDBError(new Error('Binder Error: column "x" not found'))).toEqual({kind: 'other'});
  });
});

describe('backoffDelay', () => {
  it('grows exponentially from the first delay, never past the cap, with up to half of it random', () => {
    expect(backoffDelay(0, READ_RETRY_MAX_DELAY_MS, () => 0)).toBe(RETRY_FIRST_DELAY_MS / 2);
    expect(backoffDelay(0, READ_RETRY_MAX_DELAY_MS, () => 1)).toBe(RETRY_FIRST_DELAY_MS);
    expect(backoffDelay(3, READ_RETRY_MAX_DELAY_MS, () => 1)).toBe(RETRY_FIRST_DELAY_MS * 8);
    expect(backoffDelay(50, READ_RETRY_MAX_DELAY_MS, () => 1)).toBe(READ_RETRY_MAX_DELAY_MS);
    expect(backoffDelay(50, READ_RETRY_MAX_DELAY_MS, () => 0)).toBe(READ_RETRY_MAX_DELAY_MS / 2);
  });
});
