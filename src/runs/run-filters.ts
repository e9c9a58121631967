import {type DuckDBConnection, listValue} from '@duckdb/node-api';
import type {RunStatus} from '../../schemas/run.js';
import {ExitCode, UserError} from '../util/errors.js';
import {crashExplanation, ownerStateCache} from './owner.js';
import {stageGlobToLike} from './queries.js';
import {RUNS_COLUMN_NAMES, type SchemaInfo, TABLES} from './schema.js';
import {TEXT_LIST} from './sql-types.js';
import type {SqlParams} from './store-read.js';

/** The filters of `runs list`, shared by `runs stats` (no status) and `runs export`. */
export interface RunFilters {
  /** Effective statuses to keep. */
  readonly statuses?: readonly RunStatus[];
  /** Shell-style glob over the stage: `*` any text, `?` one character, everything else literal. */
  readonly stageGlob?: string;
  /** Runs that started at or after this instant. */
  readonly since?: Date;
  /** Runs that started before this instant (exclusive, so ranges tile without overlap). */
  readonly until?: Date;
}

/** Refuses an invalid date and a range that cannot hold any run, as `runs list` does. */
export function checkTimeRange(since: Date | undefined, until: Date | undefined): void {
  for (const [name, date] of [
    ['since', since],
    ['until', until],
  ] as const) {
    if (date !== undefined && Number.isNaN(date.getTime())) {
      throw new UserError(`--${name} is not a valid date.`, ExitCode.usage);
    }
  }
  if (since && until && since.getTime() >= until.getTime()) {
    throw new UserError(
      `The time range is empty: since (${since.toISOString()}) is not before until (${until.toISOString()}).`,
      ExitCode.usage,
      {hint: 'Give a since that is earlier than until.'},
    );
  }
}

/**
 * The WHERE conditions of the filters over a runs relation aliased `alias`, every value a parameter.
 * `started_at` ranges are served by DuckDB's per-row-group min/max (runs are appended in start
 * order), so a recent range reads only the recent row groups.
 */
export function filterConditions(filters: RunFilters, params: SqlParams, alias: string): string[] {
  checkTimeRange(filters.since, filters.until);
  const where: string[] = [];
  if (filters.stageGlob !== undefined) {
    where.push(`${alias}.stage LIKE ${params.add(stageGlobToLike(filters.stageGlob))} ESCAPE '\\'`);
  }
  if (filters.since)
    where.push(`${alias}.started_at >= ${params.add(filters.since.toISOString())}::TIMESTAMPTZ`);
  if (filters.until)
    where.push(`${alias}.started_at < ${params.add(filters.until.toISOString())}::TIMESTAMPTZ`);
  if (filters.statuses !== undefined && filters.statuses.length > 0) {
    const list = [...new Set(filters.statuses)].map((status) => params.add(status)).join(', ');
    where.push(`${alias}.status IN (${list})`);
  }
  return where;
}

export function whereClause(conditions: readonly string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

/**
 * The `running` runs whose process is provably gone (owner.ts), by id, with the explanation every
 * reader gives them. `run_owners` holds only live or stale runs (a row goes with the run's finish),
 * so this reads a handful of rows, whatever the size of the history.
 */
export async function readStaleRuns(
  connection: DuckDBConnection,
  schema: SchemaInfo,
): Promise<Map<string, string>> {
  const stale = new Map<string, string>();
  if (!schema.tables.has(TABLES.owners)) return stale;
  const reader = await connection.runAndReadAll(
    `SELECT o.run_id::VARCHAR AS run_id, o.pid, o.host, o.process_start
     FROM ${TABLES.owners} o JOIN ${TABLES.runs} r ON r.run_id = o.run_id
     WHERE r.status = 'running'`,
  );
  const stateOf = ownerStateCache();
  for (const row of reader.getRowObjectsJson()) {
    const owner = {
      pid: Number(row.pid),
      host: String(row.host),
      processStart: row.process_start === null ? null : String(row.process_start),
    };
    if (stateOf(owner) === 'gone') stale.set(String(row.run_id), crashExplanation(owner));
  }
  return stale;
}

/**
 * The runs table with effective statuses, as a relation to select FROM: the 16 columns in their
 * order, a stale `running` run read as `crashed` with its explanation as the error. Without stale
 * runs (the usual case) it is the table itself, so every filter and index applies unchanged. With
 * them it is a projection (the few ids looked up in a list per row), not a join: rows keep the
 * table's order, which `runs export` relies on.
 */
export function effectiveRunsRelation(stale: ReadonlyMap<string, string>, params: SqlParams): string {
  if (stale.size === 0) return TABLES.runs;
  const ids = `${params.add(listValue([...stale.keys()]), TEXT_LIST)}::UUID[]`;
  const errors = `${params.add(listValue([...stale.values()]), TEXT_LIST)}::VARCHAR[]`;
  const columns = RUNS_COLUMN_NAMES.map((name) => {
    if (name === 'status')
      return `CASE WHEN list_contains(${ids}, b.run_id) THEN 'crashed' ELSE b.status END AS status`;
    if (name === 'error')
      return `coalesce(list_extract(${errors}, list_position(${ids}, b.run_id)), b.error) AS error`;
    return `b.${name}`;
  });
  return `(SELECT ${columns.join(', ')} FROM ${TABLES.runs} b)`;
}
