import type {RunRecord, RunStatus} from '../../schemas/run.js';
import {StoreBusyError} from '../db/errors.js';
import {readStore} from './queries.js';
import {readRunRecords, runSelectList, withEffectiveStatus} from './records.js';
import {TABLES} from './schema.js';

/**
 * How often `runs tail --follow` reads the store. Each read is a read-only open, one query and a
 * close (~10-20 ms): four a second keep the view current for a person watching, while the writer
 * still finds the file free over 90% of the time (two readers in tight loops starved it, STACK.md).
 */
export const FOLLOW_POLL_MS = 250;

export interface FollowSnapshot {
  /** The process run followed, with its effective status. */
  readonly process: RunRecord;
  /** Its children (ingest, windows, parts) by effective status. */
  readonly counts: Partial<Record<RunStatus, number>>;
  /** Children still running, first started first. */
  readonly inFlight: readonly RunRecord[];
  /** Children that reached a terminal status since the previous snapshot, in finish order. */
  readonly finished: readonly RunRecord[];
  /** True once the process run itself is no longer running. */
  readonly done: boolean;
}

export interface FollowOptions {
  readonly dbPath: string;
  readonly signal: AbortSignal;
  readonly pollMs?: number;
}

export type FollowStart =
  | {readonly state: 'missing'; readonly dbPath: string}
  | {readonly state: 'none'}
  | {readonly state: 'ok'; readonly processRunId: string; readonly wasRunning: boolean};

/** The process run to follow: the newest one still running, else the newest one. Read-only. */
export async function findProcessToFollow(dbPath: string): Promise<FollowStart> {
  const read = await readStore(dbPath, async (connection, schema, resolved) => {
    if (schema.version === null) return {run: null as RunRecord | null};
    const candidates = await readRunRecords(
      connection,
      resolved,
      `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r WHERE r.stage = 'process'
       ORDER BY (r.status = 'running') DESC, r.started_at DESC, r.run_id DESC LIMIT 20`,
    );
    const effective = await withEffectiveStatus(connection, schema, candidates);
    const running = effective.find((run) => run.status === 'running');
    const newest = [...effective].sort((a, b) => (a.started_at < b.started_at ? 1 : -1))[0];
    return {run: running ?? newest ?? null};
  });
  if (read.state === 'missing') return read;
  if (read.run === null) return {state: 'none'};
  return {state: 'ok', processRunId: read.run.run_id, wasRunning: read.run.status === 'running'};
}

/**
 * Snapshots of one process run until it is no longer running. Never writes; a read that finds the
 * file busy for longer than the readers' bounded retry is skipped, and the next poll tries again.
 */
export async function* followProcess(
  processRunId: string,
  options: FollowOptions,
): AsyncGenerator<FollowSnapshot> {
  const seen = new Map<string, RunStatus>();
  const pollMs = options.pollMs ?? FOLLOW_POLL_MS;
  for (;;) {
    let snapshot: FollowSnapshot | null = null;
    try {
      snapshot = await readSnapshot(options.dbPath, processRunId, seen);
    } catch (error) {
      if (!(error instanceof StoreBusyError)) throw error;
    }
    if (snapshot !== null) {
      yield snapshot;
      if (snapshot.done) return;
    }
    if (options.signal.aborted) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      options.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        {once: true},
      );
    });
    if (options.signal.aborted) return;
  }
}

async function readSnapshot(
  dbPath: string,
  processRunId: string,
  seen: Map<string, RunStatus>,
): Promise<FollowSnapshot | null> {
  const read = await readStore(dbPath, async (connection, schema, resolved) => {
    const rows = await readRunRecords(
      connection,
      resolved,
      `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r
       WHERE r.run_id = $1::UUID
          OR r.run_id IN (SELECT l.child_run_id FROM ${TABLES.lineage} l WHERE l.parent_run_id = $1::UUID)
          OR r.run_id IN (SELECT l2.child_run_id FROM ${TABLES.lineage} l1 JOIN ${TABLES.lineage} l2
                          ON l2.parent_run_id = l1.child_run_id WHERE l1.parent_run_id = $1::UUID)
       ORDER BY r.started_at, r.run_id`,
      [processRunId],
    );
    // Only `running` rows need their owner checked; the rest are final as stored.
    const running = rows.filter((row) => row.status === 'running');
    const effective = new Map(
      (await withEffectiveStatus(connection, schema, running)).map((run) => [run.run_id, run]),
    );
    return {runs: rows.map((row) => effective.get(row.run_id) ?? row)};
  });
  if (read.state === 'missing') return null;
  const process = read.runs.find((run) => run.run_id === processRunId);
  if (process === undefined) return null;
  const children = read.runs.filter((run) => run.run_id !== processRunId);
  const counts: Partial<Record<RunStatus, number>> = {};
  const finished: RunRecord[] = [];
  for (const child of children) {
    counts[child.status] = (counts[child.status] ?? 0) + 1;
    if (child.status !== 'running' && seen.get(child.run_id) !== child.status) finished.push(child);
    seen.set(child.run_id, child.status);
  }
  finished.sort((a, b) => ((a.finished_at ?? '') < (b.finished_at ?? '') ? -1 : 1));
  return {
    process,
    counts,
    inFlight: children.filter((child) => child.status === 'running'),
    finished,
    done: process.status !== 'running',
  };
}
