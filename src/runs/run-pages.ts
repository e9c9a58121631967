import type {DuckDBConnection} from '@duckdb/node-api';
import {type RunLlmUsage, RunLlmUsageSchema, type RunRecord, type RunStatus} from '../../schemas/run.js';
import {childRunsFrom, readChildren} from './children.js';
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

/**
 * The page in one query over the children (a join from the lineage index, materialized once): the
 * counts by stored status, the ids of the running ones (their owners decide whether they crashed),
 * of the first problems and of the slowest. Only those few ids cross into JavaScript: reading all
 * 10,000 rows of a big invocation as strings cost more than the query itself. The join is pruned by
 * start time and checked against the lineage's count of children (`childrenTotal`: see children.ts).
 */
export async function readProcessPage(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  dbPath: string,
  run: RunRecord,
  childrenTotal: number,
): Promise<ProcessPage> {
  const {rows} = await readChildren(childrenTotal, async (pruned) => {
    const reader = await connection.runAndReadAll(
      `WITH j AS MATERIALIZED (
         SELECT r.run_id, r.stage, r.status, r.duration_seconds, r.started_at
         FROM ${childRunsFrom('$1', pruned ? '$2' : null)}),
       k AS (SELECT * FROM j WHERE regexp_full_match(stage, 'window_[0-9]+'))
       SELECT 'found' AS part, NULL AS status, count(*) AS n, NULL AS id, NULL AS rank FROM j
       UNION ALL
       SELECT 'count', status, count(*), NULL, NULL FROM k GROUP BY status
       UNION ALL
       SELECT 'running', status, NULL, run_id::VARCHAR, NULL FROM k WHERE status = 'running'
       UNION ALL
       SELECT 'problem', status, NULL, run_id::VARCHAR, rank FROM (
         SELECT run_id, status, row_number() OVER (ORDER BY started_at, run_id) AS rank FROM k
         WHERE status IN ('failed', 'cancelled', 'crashed')) WHERE rank <= ${PAGE_MAX_PROBLEMS}
       UNION ALL
       SELECT 'slow', status, NULL, run_id::VARCHAR, rank FROM (
         SELECT run_id, status, row_number() OVER (ORDER BY duration_seconds DESC, run_id) AS rank FROM k
         WHERE duration_seconds IS NOT NULL) WHERE rank <= ${PAGE_SLOWEST}`,
      pruned ? [run.run_id, run.started_at] : [run.run_id],
    );
    const rows = reader.getRowObjectsJson();
    const found = Number(rows.find((row) => row.part === 'found')?.n ?? 0);
    return {found, rows: rows.filter((row) => row.part !== 'found')};
  });
  const counts: Partial<Record<RunStatus, number>> = {};
  const running: string[] = [];
  const problems: Array<{id: string; rank: number}> = [];
  const slowest: Array<{id: string; rank: number}> = [];
  let total = 0;
  for (const row of rows) {
    const status = String(row.status) as RunStatus;
    if (row.part === 'count') {
      counts[status] = Number(row.n);
      total += Number(row.n);
    } else if (row.part === 'running') running.push(String(row.id));
    else if (row.part === 'problem') problems.push({id: String(row.id), rank: Number(row.rank)});
    else slowest.push({id: String(row.id), rank: Number(row.rank)});
  }
  // A `running` window of a process that is gone is `crashed`: ask the owners, as every reader does.
  const effective = await withEffectiveStatus(
    connection,
    schema,
    await readByIds(connection, dbPath, running),
  );
  const crashed = effective.filter((record) => record.status === 'crashed');
  if (crashed.length > 0) {
    counts.running = (counts.running ?? 0) - crashed.length;
    if (counts.running === 0) delete counts.running;
    counts.crashed = (counts.crashed ?? 0) + crashed.length;
  }
  const problemsTotal = PROBLEM_STATUSES.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
  const byRank = (entries: Array<{id: string; rank: number}>) =>
    entries.sort((a, b) => a.rank - b.rank).map((entry) => entry.id);
  // Stored problems first, then crashed ones found among the running, up to the page's bound.
  const problemIds = [...byRank(problems), ...crashed.map((record) => record.run_id)].slice(
    0,
    PAGE_MAX_PROBLEMS,
  );
  const slowIds = byRank(slowest);
  const records = new Map(
    (
      await withEffectiveStatus(
        connection,
        schema,
        await readByIds(connection, dbPath, [...problemIds, ...slowIds]),
      )
    ).map((record) => [record.run_id, record]),
  );
  const pick = (ids: readonly string[]) => ids.flatMap((id) => records.get(id) ?? []);
  return {
    detail: schema.tables.has(TABLES.processes) ? await readProcessDetail(connection, run.run_id) : null,
    windows: counts,
    windows_total: total,
    problems: pick(problemIds),
    problems_total: problemsTotal,
    slowest: pick(slowIds),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

/** The `run_llm_usage` row of a run whose writer called a model; null otherwise or in older stores. */
export async function readLlmUsage(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  runId: string,
): Promise<RunLlmUsage | null> {
  if (!schema.tables.has(TABLES.llmUsage)) return null;
  const reader = await connection.runAndReadAll(
    `SELECT model, requests, retries, repairs, cache_hits, prompt_tokens, completion_tokens, fallback
     FROM ${TABLES.llmUsage} WHERE run_id = $1::UUID`,
    [runId],
  );
  const row = reader.getRowObjectsJson()[0];
  if (row === undefined) return null;
  return RunLlmUsageSchema.parse({
    model: row.model,
    requests: Number(row.requests),
    retries: Number(row.retries),
    repairs: Number(row.repairs),
    cache_hits: Number(row.cache_hits),
    prompt_tokens: Number(row.prompt_tokens),
    completion_tokens: Number(row.completion_tokens),
    fallback: row.fallback === true,
  });
}
