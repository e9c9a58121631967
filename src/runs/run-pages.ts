import type {DuckDBConnection} from '@duckdb/node-api';
import type {RunRecord, RunStatus} from '../../schemas/run.js';
import {readRunRecords, runSelectList, withEffectiveStatus} from './records.js';
import {type SchemaInfo, TABLES} from './schema.js';

/**
 * The extra parts of `runs show` for the runs that have them: a `process` run's page (its windows
 * counted by status, the problems first, the slowest, what it spent) and a window run's span, files
 * and retry links. All reads; each part is skipped on stores too old to have its table.
 */

/** Failed, cancelled and crashed windows listed with their errors on a process run's page. */
export const PAGE_MAX_PROBLEMS = 10;
/** The slowest windows shown: enough to see where the time went, few enough to read. */
export const PAGE_SLOWEST = 5;

const PROBLEM_STATUSES: readonly RunStatus[] = ['failed', 'cancelled', 'crashed'];

export interface ProcessDetailRecord {
  readonly export_path: string;
  readonly export_fingerprint: string | null;
  readonly chat_entry: string | null;
  readonly output_dir: string;
  readonly settings: Record<string, unknown>;
}

export interface ProcessPage {
  readonly detail: ProcessDetailRecord | null;
  /** Window runs (not parts, not the ingest) by effective status. */
  readonly windows: Partial<Record<RunStatus, number>>;
  readonly windows_total: number;
  /** Failed, cancelled and crashed windows first started first, at most PAGE_MAX_PROBLEMS. */
  readonly problems: RunRecord[];
  readonly problems_total: number;
  readonly slowest: RunRecord[];
}

export interface WindowSpan {
  readonly window_index: number;
  readonly part_index: number | null;
  readonly first_date: string;
  readonly last_date: string;
  readonly messages: number;
}

export interface RetryLinks {
  /** The run this one re-did (`runs retry`), when it is a retry. */
  readonly retry_of: string | null;
  /** Runs that re-did this one, oldest first. */
  readonly retried_by: string[];
}

/** A child's columns the page is computed from, read in one join over the lineage index. */
interface ChildRow {
  readonly id: string;
  readonly stage: string;
  readonly status: RunStatus;
  readonly seconds: number | null;
  readonly started: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WINDOW_STAGE = /^window_\d+$/;

/**
 * One read of the children's few columns (a join from the lineage index: ~40 ms for 10,000 windows in
 * a 1,000,000-run store, where a filter per figure took as long each), the figures computed here, and
 * the full rows read only for the runs the page lists (problems, slowest) by their primary keys.
 */
export async function readProcessPage(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  dbPath: string,
  run: RunRecord,
): Promise<ProcessPage> {
  const reader = await connection.runAndReadAll(
    `SELECT r.run_id::VARCHAR AS id, r.stage, r.status, r.duration_seconds AS seconds, epoch_us(r.started_at) AS started
     FROM (SELECT l.child_run_id AS child FROM ${TABLES.lineage} l WHERE l.parent_run_id = $1::UUID) k
     JOIN ${TABLES.runs} r ON r.run_id = k.child`,
    [run.run_id],
  );
  const windows: ChildRow[] = [];
  for (const row of reader.getRowObjectsJson()) {
    const stage = String(row.stage);
    if (!WINDOW_STAGE.test(stage)) continue;
    windows.push({
      id: String(row.id),
      stage,
      status: String(row.status) as RunStatus,
      seconds: row.seconds === null ? null : Number(row.seconds),
      started: String(row.started).padStart(20, '0'),
    });
  }
  windows.sort((a, b) => (a.started < b.started ? -1 : a.started > b.started ? 1 : a.id < b.id ? -1 : 1));
  // A `running` window of a process that is gone is `crashed`: ask the owners, as every reader does.
  const runningIds = windows.filter((row) => row.status === 'running').map((row) => row.id);
  const effective = new Map<string, RunStatus>();
  if (runningIds.length > 0) {
    for (const record of await withEffectiveStatus(
      connection,
      schema,
      await readByIds(connection, dbPath, runningIds),
    )) {
      effective.set(record.run_id, record.status);
    }
  }
  const statusOf = (row: ChildRow): RunStatus => effective.get(row.id) ?? row.status;
  const counts: Partial<Record<RunStatus, number>> = {};
  for (const row of windows) counts[statusOf(row)] = (counts[statusOf(row)] ?? 0) + 1;
  const problemRows = windows.filter((row) => PROBLEM_STATUSES.includes(statusOf(row)));
  const slowestRows = windows
    .filter((row) => row.seconds !== null)
    .sort((a, b) => (b.seconds ?? 0) - (a.seconds ?? 0) || (a.id < b.id ? -1 : 1))
    .slice(0, PAGE_SLOWEST);
  const listed = problemRows.slice(0, PAGE_MAX_PROBLEMS);
  const records = new Map(
    (
      await withEffectiveStatus(
        connection,
        schema,
        await readByIds(
          connection,
          dbPath,
          [...listed, ...slowestRows].map((row) => row.id),
        ),
      )
    ).map((record) => [record.run_id, record]),
  );
  const pick = (rows: readonly ChildRow[]) => rows.flatMap((row) => records.get(row.id) ?? []);
  return {
    detail: schema.tables.has(TABLES.processes) ? await readProcessDetail(connection, run.run_id) : null,
    windows: counts,
    windows_total: windows.length,
    problems: pick(listed),
    problems_total: problemRows.length,
    slowest: pick(slowestRows),
  };
}

/** Full rows of a few runs by id: each id a primary-key probe (ids are checked to be UUIDs first). */
async function readByIds(
  connection: DuckDBConnection,
  dbPath: string,
  ids: readonly string[],
): Promise<RunRecord[]> {
  const unique = [...new Set(ids)].filter((id) => UUID.test(id));
  if (unique.length === 0) return [];
  const list = unique.map((id) => `'${id}'::UUID`).join(', ');
  return readRunRecords(
    connection,
    dbPath,
    `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r WHERE r.run_id IN (${list})`,
  );
}

export async function readProcessDetail(
  connection: DuckDBConnection,
  runId: string,
): Promise<ProcessDetailRecord | null> {
  const reader = await connection.runAndReadAll(
    `SELECT export_path, export_fingerprint, chat_entry, output_dir, settings FROM ${TABLES.processes} WHERE run_id = $1::UUID`,
    [runId],
  );
  const row = reader.getRowObjectsJson()[0];
  if (row === undefined) return null;
  let settings: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(String(row.settings));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      settings = parsed as Record<string, unknown>;
  } catch {
    // A settings text that is not JSON was not written by egregora; show the rest.
  }
  return {
    export_path: String(row.export_path),
    export_fingerprint: row.export_fingerprint === null ? null : String(row.export_fingerprint),
    chat_entry: row.chat_entry === null ? null : String(row.chat_entry),
    output_dir: String(row.output_dir),
    settings,
  };
}

export async function readWindowSpan(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  runId: string,
): Promise<WindowSpan | null> {
  if (!schema.tables.has(TABLES.windows)) return null;
  const reader = await connection.runAndReadAll(
    `SELECT window_index, part_index, first_date, last_date, messages FROM ${TABLES.windows} WHERE run_id = $1::UUID`,
    [runId],
  );
  const row = reader.getRowObjectsJson()[0];
  if (row === undefined) return null;
  return {
    window_index: Number(row.window_index),
    part_index: row.part_index === null ? null : Number(row.part_index),
    first_date: String(row.first_date),
    last_date: String(row.last_date),
    messages: Number(row.messages),
  };
}

export async function readRetryLinks(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  runId: string,
): Promise<RetryLinks> {
  if (!schema.tables.has(TABLES.retries)) return {retry_of: null, retried_by: []};
  const reader = await connection.runAndReadAll(
    `SELECT 'of' AS side, t.retry_of_run_id::VARCHAR AS id, NULL AS started FROM ${TABLES.retries} t WHERE t.run_id = $1::UUID
     UNION ALL
     SELECT 'by' AS side, t.run_id::VARCHAR AS id, r.started_at AS started FROM ${TABLES.retries} t
       JOIN ${TABLES.runs} r ON r.run_id = t.run_id WHERE t.retry_of_run_id = $1::UUID
     ORDER BY started`,
    [runId],
  );
  let retryOf: string | null = null;
  const retriedBy: string[] = [];
  for (const row of reader.getRowObjectsJson()) {
    if (row.side === 'of') retryOf = String(row.id);
    else retriedBy.push(String(row.id));
  }
  return {retry_of: retryOf, retried_by: retriedBy};
}
