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

/** A window run (not a part): `window_<n>` with nothing after the number. */
const WINDOW_STAGE_SQL = `regexp_full_match(r.stage, 'window_[0-9]+')`;

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

export async function readProcessPage(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  dbPath: string,
  run: RunRecord,
): Promise<ProcessPage> {
  const children = `r.run_id IN (SELECT l.child_run_id FROM ${TABLES.lineage} l WHERE l.parent_run_id = $1::UUID)`;
  const counts = await connection.runAndReadAll(
    `SELECT r.status, count(*) AS n FROM ${TABLES.runs} r WHERE ${children} AND ${WINDOW_STAGE_SQL} GROUP BY r.status`,
    [run.run_id],
  );
  const windows: Partial<Record<RunStatus, number>> = {};
  let total = 0;
  for (const row of counts.getRowObjectsJson()) {
    windows[String(row.status) as RunStatus] = Number(row.n);
    total += Number(row.n);
  }
  // A `running` window of a process that is gone is `crashed`: ask the owners, as every reader does.
  if ((windows.running ?? 0) > 0) {
    const running = await readRunRecords(
      connection,
      dbPath,
      `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r WHERE ${children} AND ${WINDOW_STAGE_SQL} AND r.status = 'running'`,
      [run.run_id],
    );
    const effective = await withEffectiveStatus(connection, schema, running);
    const crashed = effective.filter((record) => record.status === 'crashed').length;
    if (crashed > 0) {
      windows.running = (windows.running ?? 0) - crashed;
      windows.crashed = (windows.crashed ?? 0) + crashed;
      if (windows.running === 0) delete windows.running;
    }
  }
  const problemsTotal = PROBLEM_STATUSES.reduce((sum, status) => sum + (windows[status] ?? 0), 0);
  const problems =
    problemsTotal === 0
      ? []
      : (
          await withEffectiveStatus(
            connection,
            schema,
            await readRunRecords(
              connection,
              dbPath,
              `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r WHERE ${children} AND ${WINDOW_STAGE_SQL}
               AND r.status IN ('failed', 'cancelled', 'crashed', 'running') ORDER BY r.started_at, r.run_id`,
              [run.run_id],
            ),
          )
        )
          .filter((record) => PROBLEM_STATUSES.includes(record.status))
          .slice(0, PAGE_MAX_PROBLEMS);
  const slowest = await readRunRecords(
    connection,
    dbPath,
    `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r WHERE ${children} AND ${WINDOW_STAGE_SQL}
     AND r.duration_seconds IS NOT NULL ORDER BY r.duration_seconds DESC, r.run_id LIMIT ${PAGE_SLOWEST}`,
    [run.run_id],
  );
  return {
    detail: schema.tables.has(TABLES.processes) ? await readProcessDetail(connection, run.run_id) : null,
    windows,
    windows_total: total,
    problems,
    problems_total: problemsTotal,
    slowest,
  };
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
