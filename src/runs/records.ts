import {type DuckDBConnection, type DuckDBValue, listValue} from '@duckdb/node-api';
import {type RunRecord, RunRecordSchema} from '../../schemas/run.js';
import {StoreDamagedError} from '../db/errors.js';
import {crashExplanation, type OwnerState, ownerStateCache, type ProcessOwner} from './owner.js';
import {type SchemaInfo, TABLES} from './schema.js';
import {TEXT_LIST} from './sql-types.js';

/** ISO-8601 in UTC with microseconds (`2024-01-02T03:04:05.123456Z`), the form RunRecordSchema accepts. */
function isoInstant(column: string): string {
  return `strftime(${column} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')`;
}

/**
 * The select list that turns a `runs` row (aliased `alias`) into a RunRecord's fields. Aliases reuse
 * the column names, so ORDER BY must qualify (`r.started_at`): an unqualified name would sort by the
 * formatted text and, measured on 1,000,000 rows, take 0.4 s instead of 15 ms.
 */
export function runSelectList(alias: string): string {
  return [
    `${alias}.run_id::VARCHAR AS run_id`,
    `${alias}.tenant_id`,
    `${alias}.stage`,
    `${alias}.status`,
    `${alias}.error`,
    `${alias}.input_fingerprint`,
    `${alias}.code_ref`,
    `${alias}.config_hash`,
    `${isoInstant(`${alias}.started_at`)} AS started_at`,
    `${isoInstant(`${alias}.finished_at`)} AS finished_at`,
    `${alias}.duration_seconds`,
    `${alias}.rows_in`,
    `${alias}.rows_out`,
    `${alias}.llm_calls`,
    `${alias}.tokens`,
    `${alias}.trace_id`,
  ].join(', ');
}

/** Newest first; run_id breaks ties so that pages and repeated reads are stable. */
export function newestFirst(alias: string): string {
  return `${alias}.started_at DESC, ${alias}.run_id DESC`;
}

type JsonRow = Record<string, unknown>;

function bigintColumn(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : Number(value);
}

/** One row as DuckDB's JSON conversion gives it (BIGINT as text) → a validated RunRecord. */
export function toRunRecord(row: JsonRow, dbPath: string): RunRecord {
  const candidate = {
    ...row,
    rows_in: bigintColumn(row.rows_in),
    rows_out: bigintColumn(row.rows_out),
    llm_calls: bigintColumn(row.llm_calls),
    tokens: bigintColumn(row.tokens),
  };
  const parsed = RunRecordSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'row'}: ${issue.message}` : 'invalid row';
    throw new StoreDamagedError(
      `${dbPath} holds a run egregora cannot read (run ${String(row.run_id)}, ${where}); egregora did not change it.`,
      dbPath,
      {hint: 'The row was probably written by another tool; `runs show` of other runs still works.'},
    );
  }
  return parsed.data;
}

/** Runs the query and returns its rows as validated RunRecords (stored status; see withEffectiveStatus). */
export async function readRunRecords(
  connection: DuckDBConnection,
  dbPath: string,
  sql: string,
  params: DuckDBValue[] = [],
): Promise<RunRecord[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowObjectsJson().map((row) => toRunRecord(row, dbPath));
}

/** Owners of the given runs, by run id. Empty when the store predates the ownership table (v1). */
export async function readOwners(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  runIds: readonly string[],
): Promise<Map<string, ProcessOwner>> {
  const owners = new Map<string, ProcessOwner>();
  if (runIds.length === 0 || !schema.tables.has(TABLES.owners)) return owners;
  const reader = await connection.runAndReadAll(
    `SELECT run_id::VARCHAR AS run_id, pid, host, process_start FROM ${TABLES.owners}
     WHERE run_id IN (SELECT unnest($1::UUID[]))`,
    [listValue([...runIds])],
    [TEXT_LIST],
  );
  for (const row of reader.getRowObjectsJson()) {
    owners.set(String(row.run_id), {
      pid: Number(row.pid),
      host: String(row.host),
      processStart: row.process_start === null ? null : String(row.process_start),
    });
  }
  return owners;
}

/**
 * The status every reader reports: a `running` run whose owner is provably gone (owner.ts) reads as
 * `crashed`, with the explanation as its error, even before a writer has reconciled it. Runs without
 * an owner record (written by v1) or owned on another host stay `running`: nothing proves otherwise.
 */
export async function withEffectiveStatus(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  records: readonly RunRecord[],
  stateOf: (owner: ProcessOwner) => OwnerState = ownerStateCache(),
): Promise<RunRecord[]> {
  const running = records.filter((record) => record.status === 'running').map((record) => record.run_id);
  if (running.length === 0) return [...records];
  const owners = await readOwners(connection, schema, running);
  return records.map((record) => {
    if (record.status !== 'running') return record;
    const owner = owners.get(record.run_id);
    if (owner === undefined || stateOf(owner) !== 'gone') return record;
    return {...record, status: 'crashed', error: crashExplanation(owner)};
  });
}
