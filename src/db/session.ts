import {existsSync} from 'node:fs';
import path from 'node:path';
import {type DuckDBConnection, DuckDBInstance} from '@duckdb/node-api';
import {classifyDuckDBError, StoreBusyError, StoreMissingError, toStoreError} from './errors.js';
import {type AccessMode, acquireInstance, type Lease} from './registry.js';

/**
 * How long a reader keeps retrying a locked file. A write session measured here takes ~20 ms on a
 * small store and up to ~0.7 s on a 1,000,000-run store (index maintenance and checkpoint), and the
 * tracker leaves hundreds of milliseconds between sessions, so `runs tail` in a second terminal must
 * succeed within 2 s while `process` runs; a lock held longer is someone else holding the file open.
 */
export const READ_BUSY_TIMEOUT_MS = 2_000;

/**
 * How long a writer keeps retrying. Longer than a reader's: readers in tight loops can take turns
 * holding shared locks, and giving up means the pipeline's runs go unrecorded; still short enough
 * that a file held open by another program (a DuckDB shell) is reported while the user is watching.
 */
export const WRITE_BUSY_TIMEOUT_MS = 5_000;

/** First retry delay: a failed open costs ~8 ms, so retrying sooner than that only burns CPU. */
export const RETRY_FIRST_DELAY_MS = 5;

/**
 * Backoff caps. A reader backs off to 100 ms (a human does not notice, and it leaves gaps for the
 * writer); a writer caps lower, at 50 ms, so it finds the gaps between readers' ~11 ms sessions
 * (measured: two readers in tight loops starved a writer that backed off as far as they did).
 */
export const READ_RETRY_MAX_DELAY_MS = 100;
export const WRITE_RETRY_MAX_DELAY_MS = 50;

export interface SessionOptions {
  /** Overrides the busy bound (tests use short bounds; the defaults are the constants above). */
  readonly busyTimeoutMs?: number;
}

export type SessionFn<T> = (connection: DuckDBConnection) => Promise<T>;

/**
 * Opens `dbPath` read-write, runs `fn` inside ONE transaction (rolled back if `fn` throws), checkpoints
 * and closes. The file is held only for that transaction, so readers in other processes get in
 * between writes. Write sessions on one file are serialized within the process.
 */
export async function withWriteSession<T>(
  dbPath: string,
  fn: SessionFn<T>,
  options: SessionOptions = {},
): Promise<T> {
  const key = path.resolve(dbPath);
  return serializeWrites(key, async () => {
    const lease = await leaseFor(key, 'write', options.busyTimeoutMs ?? WRITE_BUSY_TIMEOUT_MS);
    try {
      const connection = await lease.instance.connect();
      try {
        await connection.run('BEGIN TRANSACTION');
        let result: T;
        try {
          result = await fn(connection);
          await connection.run('COMMIT');
        } catch (error) {
          await connection.run('ROLLBACK').catch(() => undefined);
          throw toStoreError(error, key, 'write');
        }
        // Checkpoint here, asynchronously on DuckDB's threads: otherwise closeSync() does it on the
        // event loop (measured ~0.4 s on a 1,000,000-run store). Best effort: if another connection of
        // this process still has a transaction open, DuckDB declines and the close checkpoints instead.
        await connection.run('CHECKPOINT').catch(() => undefined);
        return result;
      } finally {
        connection.closeSync();
      }
    } finally {
      lease.release();
    }
  });
}

/**
 * Opens `dbPath` read-only (or borrows this process's open read-write instance), runs `fn`, closes.
 * The file must exist: DuckDB fails a read-only open of a missing file, so callers check first; if it
 * vanished in between, this throws StoreMissingError without creating anything.
 */
export async function withReadSession<T>(
  dbPath: string,
  fn: SessionFn<T>,
  options: SessionOptions = {},
): Promise<T> {
  const key = path.resolve(dbPath);
  if (!existsSync(key)) throw new StoreMissingError(key);
  const lease = await leaseFor(key, 'read', options.busyTimeoutMs ?? READ_BUSY_TIMEOUT_MS);
  try {
    const connection = await lease.instance.connect();
    try {
      return await fn(connection).catch((error: unknown) => {
        throw toStoreError(error, key, 'read');
      });
    } finally {
      connection.closeSync();
    }
  } finally {
    lease.release();
  }
}

function leaseFor(key: string, mode: AccessMode, busyTimeoutMs: number): Promise<Lease> {
  return acquireInstance(key, mode, () => openWithRetry(key, mode, busyTimeoutMs));
}

async function openWithRetry(key: string, mode: AccessMode, busyTimeoutMs: number): Promise<DuckDBInstance> {
  const startedAt = performance.now();
  const maxDelay = mode === 'read' ? READ_RETRY_MAX_DELAY_MS : WRITE_RETRY_MAX_DELAY_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await DuckDBInstance.create(key, mode === 'read' ? {access_mode: 'READ_ONLY'} : {});
    } catch (error) {
      const kind = classifyDuckDBError(error);
      if (kind.kind !== 'lock-conflict') throw toStoreError(error, key, mode);
      const waited = performance.now() - startedAt;
      if (waited >= busyTimeoutMs) {
        throw new StoreBusyError(key, {pid: kind.pid, holder: kind.holder, waitedMs: waited}, error);
      }
      await sleep(Math.min(backoffDelay(attempt, maxDelay), busyTimeoutMs - waited));
    }
  }
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random): the random half keeps a reader
 * and a writer that collided once from colliding again in lockstep.
 */
export function backoffDelay(
  attempt: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, RETRY_FIRST_DELAY_MS * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

const writeQueues = new Map<string, Promise<unknown>>();

/** One write session per file at a time within this process, so two trackers never race their transactions. */
async function serializeWrites<T>(key: string, run: () => Promise<T>): Promise<T> {
  const previous = writeQueues.get(key) ?? Promise.resolve();
  const next = previous.then(run, run);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  writeQueues.set(key, settled);
  try {
    return await next;
  } finally {
    if (writeQueues.get(key) === settled) writeQueues.delete(key);
  }
}
