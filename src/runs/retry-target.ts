import type {DuckDBConnection} from '@duckdb/node-api';
import type {RunRecord} from '../../schemas/run.js';
import {readStore, type StoreRead} from './queries.js';
import {readRunRecords, runSelectList, withEffectiveStatus} from './records.js';
import {type ProcessDetailRecord, readProcessDetail} from './run-pages.js';
import {type SchemaInfo, TABLES} from './schema.js';

/** A window run `runs retry` may re-do. */
export interface RetryCandidate {
  readonly runId: string;
  readonly stage: string;
  /** Effective status (a `running` run of a dead process reads `crashed`). */
  readonly status: RunRecord['status'];
  readonly windowIndex: number;
  /** The window's content fingerprint as the run recorded it: the retry must read the same window. */
  readonly fingerprint: string | null;
  readonly error: string | null;
}

export interface RetryTarget {
  readonly process: RunRecord;
  /** What the process needs to be repeated; null for a process run of a store without it. */
  readonly detail: ProcessDetailRecord | null;
  /** The windows to re-do: the failed, cancelled and crashed ones, or the one window asked for. */
  readonly candidates: readonly RetryCandidate[];
  /** When one window run was named: it (whatever its status), else null. */
  readonly window: RetryCandidate | null;
}

const RETRYABLE: ReadonlySet<RunRecord['status']> = new Set(['failed', 'cancelled', 'crashed']);
const WINDOW_STAGE = /^window_(\d+)$/;
const PART_STAGE = /^window_(\d+)\.part_\d+$/;

/**
 * What `runs retry` would re-do: for a process run (the newest when `runId` is null) its failed,
 * cancelled and crashed window runs; for a window run (or a part, meaning its window) that one window,
 * with the process run it belongs to. Null `target` when there is no process run to retry.
 */
export async function readRetryTarget(
  dbPath: string,
  runId: string | null,
): Promise<StoreRead<{target: RetryTarget | null; problem: string | null}>> {
  return readStore(dbPath, async (connection, schema, resolved) => {
    if (!schema.tables.has(TABLES.processes)) {
      return {target: null, problem: 'this store was written before egregora recorded process runs'};
    }
    const named = runId === null ? null : await runById(connection, resolved, runId);
    if (runId !== null && named === null) return {target: null, problem: `run ${runId} is not in the store`};
    let windowRun: RunRecord | null = null;
    let processRun: RunRecord | null;
    if (named === null) {
      processRun = await newestProcessRun(connection, resolved);
      if (processRun === null) return {target: null, problem: 'no process run is recorded yet'};
    } else if (named.stage === 'process') {
      processRun = named;
    } else if (WINDOW_STAGE.test(named.stage) || PART_STAGE.test(named.stage)) {
      windowRun = PART_STAGE.test(named.stage)
        ? await parentWithStage(connection, resolved, named, WINDOW_STAGE)
        : named;
      if (windowRun === null)
        return {target: null, problem: `the window run of part ${named.run_id} is not recorded`};
      processRun = await parentWithStage(connection, resolved, windowRun, /^process$/);
      if (processRun === null) {
        return {
          target: null,
          problem: `window run ${windowRun.run_id} has no process run (it was recorded before egregora kept them)`,
        };
      }
    } else {
      return {
        target: null,
        problem: `run ${named.run_id} is a ${named.stage} run; retry takes a process or window run`,
      };
    }
    const [effectiveProcess] = await withEffectiveStatus(connection, schema, [processRun]);
    const detail = await readProcessDetail(connection, processRun.run_id);
    if (windowRun !== null) {
      const [candidate] = await candidatesOf(connection, schema, [windowRun]);
      return {
        target: {
          process: effectiveProcess ?? processRun,
          detail,
          candidates: candidate && RETRYABLE.has(candidate.status) ? [candidate] : [],
          window: candidate ?? null,
        },
        problem: null,
      };
    }
    const windows = await readRunRecords(
      connection,
      resolved,
      `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r
       WHERE r.run_id IN (SELECT l.child_run_id FROM ${TABLES.lineage} l WHERE l.parent_run_id = $1::UUID)
         AND regexp_full_match(r.stage, 'window_[0-9]+')
         AND r.status IN ('failed', 'cancelled', 'running')
       ORDER BY r.started_at, r.run_id`,
      [processRun.run_id],
    );
    const candidates = (await candidatesOf(connection, schema, windows)).filter((candidate) =>
      RETRYABLE.has(candidate.status),
    );
    return {
      target: {process: effectiveProcess ?? processRun, detail, candidates, window: null},
      problem: null,
    };
  });
}

async function candidatesOf(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  runs: readonly RunRecord[],
): Promise<RetryCandidate[]> {
  const effective = await withEffectiveStatus(connection, schema, runs);
  return effective.map((run) => ({
    runId: run.run_id,
    stage: run.stage,
    status: run.status,
    windowIndex: Number(WINDOW_STAGE.exec(run.stage)?.[1] ?? -1),
    fingerprint: run.input_fingerprint,
    error: run.error,
  }));
}

async function runById(
  connection: DuckDBConnection,
  dbPath: string,
  runId: string,
): Promise<RunRecord | null> {
  const [run] = await readRunRecords(
    connection,
    dbPath,
    `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r WHERE r.run_id = $1::UUID`,
    [runId],
  );
  return run ?? null;
}

async function newestProcessRun(connection: DuckDBConnection, dbPath: string): Promise<RunRecord | null> {
  const [run] = await readRunRecords(
    connection,
    dbPath,
    `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r JOIN ${TABLES.processes} p ON p.run_id = r.run_id
     ORDER BY r.started_at DESC, r.run_id DESC LIMIT 1`,
  );
  return run ?? null;
}

async function parentWithStage(
  connection: DuckDBConnection,
  dbPath: string,
  child: RunRecord,
  stage: RegExp,
): Promise<RunRecord | null> {
  const parents = await readRunRecords(
    connection,
    dbPath,
    `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r
     WHERE r.run_id IN (SELECT l.parent_run_id FROM ${TABLES.lineage} l WHERE l.child_run_id = $1::UUID)`,
    [child.run_id],
  );
  return parents.find((parent) => stage.test(parent.stage)) ?? null;
}
