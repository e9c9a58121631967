import type {DuckDBConnection} from '@duckdb/node-api';
import {RUN_STATUSES} from '../../schemas/run.js';
import {StoreDamagedError, StoreNewerSchemaError} from '../db/errors.js';

/**
 * Schema versions:
 * 1. The original design: `runs` with a four-status CHECK (running, completed, failed, degraded) and
 *    `run_lineage`; no version table, no ownership table.
 * 2. Six statuses (+ cancelled, crashed), `run_owners` for stale-run detection, `schema_version`.
 * 3. Side tables, nothing else changes (a v2 file migrates by creating them; its runs simply have no
 *    rows there): `run_llm_usage` (the detail of an LLM run's `llm_calls` and `tokens`),
 *    `process_runs` (what a `process` invocation needs to be repeated), `run_windows` (the span of a
 *    window run) and `run_retries` (which run a retry re-did).
 * Only write sessions migrate; readers read any version whose columns they know.
 */
export const CURRENT_SCHEMA_VERSION = 3;

/** The 16 columns of the original design, in order; they never change (ARCHITECTURE.md §5). */
export const RUNS_COLUMNS = [
  ['run_id', 'UUID PRIMARY KEY'],
  ['tenant_id', 'VARCHAR'],
  ['stage', 'VARCHAR NOT NULL'],
  ['status', 'VARCHAR NOT NULL'],
  ['error', 'VARCHAR'],
  ['input_fingerprint', 'VARCHAR'],
  ['code_ref', 'VARCHAR'],
  ['config_hash', 'VARCHAR'],
  ['started_at', 'TIMESTAMPTZ NOT NULL'],
  ['finished_at', 'TIMESTAMPTZ'],
  ['duration_seconds', 'DOUBLE'],
  ['rows_in', 'BIGINT'],
  ['rows_out', 'BIGINT'],
  ['llm_calls', 'BIGINT'],
  ['tokens', 'BIGINT'],
  ['trace_id', 'VARCHAR'],
] as const;

export type RunsColumn = (typeof RUNS_COLUMNS)[number][0];
export const RUNS_COLUMN_NAMES: readonly RunsColumn[] = RUNS_COLUMNS.map(([name]) => name);

export const TABLES = {
  runs: 'runs',
  lineage: 'run_lineage',
  owners: 'run_owners',
  version: 'schema_version',
  llmUsage: 'run_llm_usage',
  processes: 'process_runs',
  windows: 'run_windows',
  retries: 'run_retries',
} as const;

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function runsTableDdl(table: string, statuses: readonly string[]): string {
  const columns = RUNS_COLUMNS.map(([name, type]) =>
    name === 'status'
      ? `${name} ${type} CHECK (status IN (${statuses.map(sqlString).join(', ')}))`
      : `${name} ${type}`,
  );
  return `CREATE TABLE IF NOT EXISTS ${table} (\n  ${columns.join(',\n  ')}\n)`;
}

/**
 * The five indexes of the design. `started_at` is indexed without DESC: DuckDB accepts `DESC` in
 * CREATE INDEX but drops it (its ART indexes have no direction; duckdb_indexes() shows the plain
 * column), and newest-first reads are served by a top-N sort either way.
 */
export const RUNS_INDEXES = [
  ['runs_started_at_idx', 'started_at'],
  ['runs_stage_idx', 'stage'],
  ['runs_status_idx', 'status'],
  ['runs_input_fingerprint_idx', 'input_fingerprint'],
  ['runs_tenant_id_idx', 'tenant_id'],
] as const;

const LINEAGE_DDL = `CREATE TABLE IF NOT EXISTS ${TABLES.lineage} (
  child_run_id UUID,
  parent_run_id UUID,
  PRIMARY KEY (child_run_id, parent_run_id)
)`;

/**
 * One index per side of the lineage: DuckDB answers a lookup on one column of the composite primary
 * key by scanning the whole table (`runs show` of one run's parents: 110-210 ms on a 1,000,000-run
 * store, 7-9 ms with these). Created if missing on every write session, so older stores gain them
 * at their next write; reads work without them, only slower.
 */
export const LINEAGE_INDEXES = [
  ['run_lineage_child_idx', 'child_run_id'],
  ['run_lineage_parent_idx', 'parent_run_id'],
] as const;

/**
 * Who owns each `running` run: rows are added with a run's start and removed with its finish, so the
 * table holds only live (or stale) runs and reconciliation reads a handful of rows, not the history.
 * `process_start` tells a live PID from a reused one (see owner.ts).
 */
const OWNERS_DDL = `CREATE TABLE IF NOT EXISTS ${TABLES.owners} (
  run_id UUID PRIMARY KEY,
  pid INTEGER NOT NULL,
  host VARCHAR NOT NULL,
  process_start VARCHAR
)`;

/**
 * One row per run whose writer called a model: the split of `tokens` into prompt and completion, the
 * model, and how the requests went. `runs.llm_calls` = `requests`, `runs.tokens` = the two token sums.
 */
const LLM_USAGE_DDL = `CREATE TABLE IF NOT EXISTS ${TABLES.llmUsage} (
  run_id UUID PRIMARY KEY,
  model VARCHAR NOT NULL,
  requests BIGINT NOT NULL,
  retries BIGINT NOT NULL,
  repairs BIGINT NOT NULL,
  cache_hits BIGINT NOT NULL,
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  fallback BOOLEAN NOT NULL
)`;

/**
 * One row per `process` run: what `runs retry` needs to repeat it. `settings` is the canonical JSON
 * of the effective settings (never a secret: the API key is not a setting).
 */
const PROCESSES_DDL = `CREATE TABLE IF NOT EXISTS ${TABLES.processes} (
  run_id UUID PRIMARY KEY,
  export_path VARCHAR NOT NULL,
  export_fingerprint VARCHAR,
  chat_entry VARCHAR,
  output_dir VARCHAR NOT NULL,
  settings VARCHAR NOT NULL
)`;

/** One row per window (or part) run: which window it was and the time span of its messages. */
const WINDOWS_DDL = `CREATE TABLE IF NOT EXISTS ${TABLES.windows} (
  run_id UUID PRIMARY KEY,
  window_index INTEGER NOT NULL,
  part_index INTEGER,
  first_date VARCHAR NOT NULL,
  last_date VARCHAR NOT NULL,
  messages INTEGER NOT NULL
)`;

/** `retry of`: a window run started by `runs retry` names the run it re-did. Old runs never change. */
const RETRIES_DDL = `CREATE TABLE IF NOT EXISTS ${TABLES.retries} (
  run_id UUID PRIMARY KEY,
  retry_of_run_id UUID NOT NULL
)`;
const RETRIES_INDEX = `CREATE INDEX IF NOT EXISTS run_retries_of_idx ON ${TABLES.retries} (retry_of_run_id)`;

/** One row per version the file has been brought to, with when and by which code. */
const VERSION_DDL = `CREATE TABLE IF NOT EXISTS ${TABLES.version} (
  version INTEGER PRIMARY KEY,
  applied_at TIMESTAMPTZ NOT NULL,
  code_ref VARCHAR
)`;

export interface SchemaInfo {
  readonly tables: ReadonlySet<string>;
  /** Null when there is no runs table at all (a new, empty file). */
  readonly version: number | null;
}

/** Which of our tables exist and the schema version; cheap enough for every read session. */
export async function inspectSchema(connection: DuckDBConnection): Promise<SchemaInfo> {
  const reader = await connection.runAndReadAll(
    `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary`,
  );
  const tables = new Set(reader.getRowObjectsJson().map((row) => String(row.table_name)));
  if (!tables.has(TABLES.runs)) return {tables, version: null};
  if (!tables.has(TABLES.version)) return {tables, version: 1};
  const versionReader = await connection.runAndReadAll(
    `SELECT max(version) AS version FROM ${TABLES.version}`,
  );
  const found = versionReader.getRowObjectsJson()[0]?.version;
  // An empty version table cannot come from us (it is created and filled in one transaction).
  return {tables, version: found === null || found === undefined ? 1 : Number(found)};
}

export interface SchemaChange {
  /** The version found (null: the store was new), and the version the file is at now. */
  readonly from: number | null;
  readonly to: number;
}

/**
 * Brings the store to the current schema inside the caller's write transaction: creates it when new,
 * migrates older versions, and refuses (StoreNewerSchemaError) a file from a newer egregora.
 * Idempotent: on a current file it only confirms the tables exist.
 */
export async function ensureSchema(
  connection: DuckDBConnection,
  options: {readonly dbPath: string; readonly codeRef: string | null},
): Promise<SchemaChange> {
  const info = await inspectSchema(connection);
  if (info.version !== null && info.version > CURRENT_SCHEMA_VERSION) {
    throw new StoreNewerSchemaError(options.dbPath, info.version, CURRENT_SCHEMA_VERSION);
  }
  if (info.version !== null) await assertRunsColumns(connection, options.dbPath);
  if (info.version === 1) await rebuildRunsTable(connection);
  await createCurrentObjects(connection);
  if (info.version !== CURRENT_SCHEMA_VERSION) {
    await connection.run(`INSERT INTO ${TABLES.version} VALUES ($1, now(), $2) ON CONFLICT DO NOTHING`, [
      CURRENT_SCHEMA_VERSION,
      options.codeRef,
    ]);
  }
  return {from: info.version, to: CURRENT_SCHEMA_VERSION};
}

async function createCurrentObjects(connection: DuckDBConnection): Promise<void> {
  await connection.run(runsTableDdl(TABLES.runs, RUN_STATUSES));
  for (const [name, column] of RUNS_INDEXES) {
    await connection.run(`CREATE INDEX IF NOT EXISTS ${name} ON ${TABLES.runs} (${column})`);
  }
  await connection.run(LINEAGE_DDL);
  for (const [name, column] of LINEAGE_INDEXES) {
    await connection.run(`CREATE INDEX IF NOT EXISTS ${name} ON ${TABLES.lineage} (${column})`);
  }
  await connection.run(OWNERS_DDL);
  await connection.run(VERSION_DDL);
  await connection.run(LLM_USAGE_DDL);
  await connection.run(PROCESSES_DDL);
  await connection.run(WINDOWS_DDL);
  await connection.run(RETRIES_DDL);
  await connection.run(RETRIES_INDEX);
}

/**
 * v1 → v2: DuckDB cannot alter a CHECK constraint, and cannot rename a table that has indexes, so the
 * table is rebuilt: copy the rows aside, drop the table (its indexes go with it), create it with the
 * new CHECK, copy every row back; the caller recreates the indexes. All in the caller's transaction,
 * so a failure leaves the v1 file exactly as it was.
 */
async function rebuildRunsTable(connection: DuckDBConnection): Promise<void> {
  const columns = RUNS_COLUMN_NAMES.join(', ');
  const aside = 'runs_migrating_from_v1';
  await connection.run(`DROP TABLE IF EXISTS ${aside}`);
  await connection.run(`CREATE TABLE ${aside} AS SELECT ${columns} FROM ${TABLES.runs}`);
  await connection.run(`DROP TABLE ${TABLES.runs}`);
  await connection.run(runsTableDdl(TABLES.runs, RUN_STATUSES));
  await connection.run(`INSERT INTO ${TABLES.runs} (${columns}) SELECT ${columns} FROM ${aside}`);
  await connection.run(`DROP TABLE ${aside}`);
}

/** A `runs` table without our 16 columns belongs to something else: never touch it. */
async function assertRunsColumns(connection: DuckDBConnection, dbPath: string): Promise<void> {
  const reader = await connection.runAndReadAll(
    `SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1`,
    [TABLES.runs],
  );
  const present = new Set(reader.getRowObjectsJson().map((row) => String(row.column_name)));
  const missing = RUNS_COLUMN_NAMES.filter((name) => !present.has(name));
  if (missing.length > 0) {
    throw new StoreDamagedError(
      `${dbPath} has a runs table egregora does not recognise (missing columns: ${missing.join(', ')}); egregora did not change it.`,
      dbPath,
    );
  }
}
