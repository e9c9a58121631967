import {existsSync} from 'node:fs';
import path from 'node:path';
import {type DuckDBConnection, listValue} from '@duckdb/node-api';
import {StoreMissingError} from '../db/errors.js';
import {withReadSession} from '../db/session.js';
import type {ProcessOwner} from './owner.js';
import {CURRENT_SCHEMA_VERSION, inspectSchema, type SchemaInfo, TABLES} from './schema.js';
import {TEXT_LIST} from './sql-types.js';

/**
 * The read side of `egregora doctor` for `.egregora/runs.duckdb`: the rows that break an invariant of
 * the runs store (ARCHITECTURE.md §5), counted, with a few examples each. Read-only, one short
 * session, no judgement: src/doctor/ turns these facts into gates.
 *
 * Rows are read with plain SQL, not through toRunRecord (records.ts): that one validates every row
 * and throws on exactly the damaged rows this module exists to report.
 */

/**
 * How far `duration_seconds` may be from `finished_at − started_at`. The tracker computes both from
 * the same microsecond integers, so they agree to within a double's rounding (~1e-9 s); one
 * millisecond also accepts a writer that rounds to milliseconds, while any real inconsistency (a
 * duration from another clock, a finish rewritten later) is off by far more.
 */
export const DURATION_TOLERANCE_SECONDS = 0.001;

/** What can be wrong with a terminal run's times, in the order they are tested. */
export const TIME_PROBLEMS = [
  'no-finish-time',
  'finished-before-start',
  'no-duration',
  'duration-mismatch',
] as const;
export type TimeProblem = (typeof TIME_PROBLEMS)[number];

export interface TimeViolation {
  readonly runId: string;
  readonly problem: TimeProblem;
}

export interface RunningRun {
  readonly runId: string;
  readonly stage: string;
  /** Null when the store keeps no owner for it (a v1 store, or a row written by another tool). */
  readonly owner: ProcessOwner | null;
}

export interface LineageEdge {
  readonly childRunId: string;
  readonly parentRunId: string;
}

export interface LineageOrphan extends LineageEdge {
  readonly childMissing: boolean;
  readonly parentMissing: boolean;
}

export interface LastRun {
  readonly runId: string;
  readonly stage: string;
  readonly status: string;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
}

/** The newest ingest run, with its note (the parse's notes, or a failure's error). */
export interface LastIngest extends LastRun {
  readonly error: string | null;
}

export interface Counted<T> {
  readonly count: number;
  /** At most `exampleLimit` of them, newest first. */
  readonly examples: readonly T[];
}

export interface RunsIntegrityFacts {
  readonly version: number;
  /** Stored statuses (a `running` row whose owner is gone is still counted as `running` here). */
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly total: number;
  readonly lastRun: LastRun | null;
  readonly lastIngest: LastIngest | null;
  /** Every run stored as `running`, newest first, with its owner. */
  readonly running: readonly RunningRun[];
  /** Count per problem; examples are up to `exampleLimit` per problem. */
  readonly timeViolations: {
    readonly counts: Readonly<Partial<Record<TimeProblem, number>>>;
    readonly examples: readonly TimeViolation[];
  };
  readonly failedWithoutError: Counted<string>;
  /** Rows of run_lineage (0 when the table does not exist). */
  readonly lineageLinks: number;
  readonly lineageOrphans: Counted<LineageOrphan>;
  /**
   * The lineage edges that could lie on a cycle: both ends have edges on the other side (the child is
   * someone's parent and the parent someone's child). Every edge of a cycle qualifies; in a healthy
   * store (ingest → window → part) none or only a few do, so the cycle search never loads the history.
   */
  readonly cycleCandidates: readonly LineageEdge[];
  /** The referenced run ids that are not in `runs`, sorted. */
  readonly missingRunIds: readonly string[];
}

export type RunsIntegrity =
  | {readonly state: 'missing'; readonly dbPath: string}
  /** The file exists but holds no runs table yet. */
  | {readonly state: 'empty'; readonly dbPath: string}
  /** Written by a newer egregora: its columns may mean something else, so nothing was checked. */
  | {readonly state: 'newer'; readonly dbPath: string; readonly version: number}
  | ({readonly state: 'ok'; readonly dbPath: string} & RunsIntegrityFacts);

export interface RunsIntegrityOptions {
  readonly dbPath: string;
  /** Run ids named elsewhere (pipeline.duckdb) whose existence is checked in the same session. */
  readonly referencedRunIds: readonly string[];
  /** How many examples to keep per finding. */
  readonly exampleLimit: number;
}

export async function readRunsIntegrity(options: RunsIntegrityOptions): Promise<RunsIntegrity> {
  const dbPath = path.resolve(options.dbPath);
  const limit = checkExampleLimit(options.exampleLimit);
  const found = await readOnly(dbPath, async (connection): Promise<RunsIntegrity> => {
    const schema = await inspectSchema(connection);
    if (schema.version === null) return {state: 'empty', dbPath};
    if (schema.version > CURRENT_SCHEMA_VERSION) return {state: 'newer', dbPath, version: schema.version};
    const {statusCounts, total} = await readStatusCounts(connection);
    return {
      state: 'ok',
      dbPath,
      version: schema.version,
      statusCounts,
      total,
      lastRun: await readLastRun(connection),
      lastIngest: await readLastIngest(connection),
      running: await readRunning(connection, schema),
      timeViolations: await readTimeViolations(connection, limit),
      failedWithoutError: await readFailedWithoutError(connection, limit),
      lineageLinks: await readLineageLinks(connection, schema),
      lineageOrphans: await readLineageOrphans(connection, schema, limit),
      cycleCandidates: await readCycleCandidates(connection, schema),
      missingRunIds: await readMissingRunIds(connection, options.referencedRunIds),
    };
  });
  return found ?? {state: 'missing', dbPath};
}

/**
 * Which of the given runs are still stored as `running`. A second look for runs judged stale: between
 * the first read and the owner check, a live owner may have finished its run and exited normally.
 */
export async function readStillRunning(dbPath: string, runIds: readonly string[]): Promise<Set<string>> {
  if (runIds.length === 0) return new Set();
  const found = await readOnly(path.resolve(dbPath), async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT run_id::VARCHAR AS run_id FROM ${TABLES.runs}
       WHERE status = 'running' AND run_id IN (SELECT unnest($1::UUID[]))`,
      [listValue([...runIds])],
      [TEXT_LIST],
    );
    return new Set(reader.getRowObjectsJson().map((row) => String(row.run_id)));
  });
  return found ?? new Set();
}

/** A read session, or null when the file is missing (never created: reads never write). */
async function readOnly<T>(
  dbPath: string,
  fn: (connection: DuckDBConnection) => Promise<T>,
): Promise<T | null> {
  if (!existsSync(dbPath)) return null;
  try {
    return await withReadSession(dbPath, fn);
  } catch (error) {
    if (error instanceof StoreMissingError) return null;
    throw error;
  }
}

/** ISO-8601 in UTC with microseconds; the same text readers give (records.ts). */
function isoInstant(column: string): string {
  return `strftime(${column} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')`;
}

async function readStatusCounts(
  connection: DuckDBConnection,
): Promise<{statusCounts: Record<string, number>; total: number}> {
  const reader = await connection.runAndReadAll(
    `SELECT status, count(*) AS n FROM ${TABLES.runs} GROUP BY status ORDER BY status`,
  );
  const statusCounts: Record<string, number> = {};
  let total = 0;
  for (const row of reader.getRowObjectsJson()) {
    const n = Number(row.n);
    statusCounts[String(row.status)] = n;
    total += n;
  }
  return {statusCounts, total};
}

function readLastRun(connection: DuckDBConnection): Promise<LastRun | null> {
  return readNewestRun(connection, null);
}

function readLastIngest(connection: DuckDBConnection): Promise<LastIngest | null> {
  return readNewestRun(connection, 'ingest');
}

/** The newest run, of one stage when given, with its error column (its note, for an ingest). */
async function readNewestRun(connection: DuckDBConnection, stage: string | null): Promise<LastIngest | null> {
  const reader = await connection.runAndReadAll(
    `SELECT r.run_id::VARCHAR AS run_id, r.stage, r.status, r.error, ${isoInstant('r.started_at')} AS started_at
     FROM ${TABLES.runs} r ${stage === null ? '' : 'WHERE r.stage = $1'}
     ORDER BY r.started_at DESC, r.run_id DESC LIMIT 1`,
    stage === null ? [] : [stage],
  );
  const row = reader.getRowObjectsJson()[0];
  if (row === undefined) return null;
  return {
    runId: String(row.run_id),
    stage: String(row.stage),
    status: String(row.status),
    startedAt: String(row.started_at),
    error: row.error === null || row.error === undefined ? null : String(row.error),
  };
}

async function readRunning(connection: DuckDBConnection, schema: SchemaInfo): Promise<RunningRun[]> {
  const withOwners = schema.tables.has(TABLES.owners);
  const reader = await connection.runAndReadAll(
    withOwners
      ? `SELECT r.run_id::VARCHAR AS run_id, r.stage, o.pid, o.host, o.process_start
         FROM ${TABLES.runs} r LEFT JOIN ${TABLES.owners} o ON o.run_id = r.run_id
         WHERE r.status = 'running' ORDER BY r.started_at DESC, r.run_id DESC`
      : `SELECT r.run_id::VARCHAR AS run_id, r.stage, NULL AS pid, NULL AS host, NULL AS process_start
         FROM ${TABLES.runs} r WHERE r.status = 'running' ORDER BY r.started_at DESC, r.run_id DESC`,
  );
  return reader.getRowObjectsJson().map((row) => ({
    runId: String(row.run_id),
    stage: String(row.stage),
    owner:
      row.pid === null || row.host === null
        ? null
        : {
            pid: Number(row.pid),
            host: String(row.host),
            processStart: row.process_start === null ? null : String(row.process_start),
          },
  }));
}

async function readTimeViolations(
  connection: DuckDBConnection,
  limit: number,
): Promise<RunsIntegrityFacts['timeViolations']> {
  // The CASE tests in TIME_PROBLEMS order, so each run is reported once, for its first problem.
  const reader = await connection.runAndReadAll(
    `WITH checked AS (
       SELECT run_id, started_at, CASE
         WHEN finished_at IS NULL THEN 'no-finish-time'
         WHEN finished_at < started_at THEN 'finished-before-start'
         WHEN duration_seconds IS NULL THEN 'no-duration'
         WHEN abs(duration_seconds - (epoch_us(finished_at) - epoch_us(started_at)) / 1000000.0) > $1
           THEN 'duration-mismatch'
       END AS problem
       FROM ${TABLES.runs} WHERE status <> 'running'
     )
     SELECT run_id::VARCHAR AS run_id, problem, count(*) OVER (PARTITION BY problem) AS n
     FROM checked WHERE problem IS NOT NULL
     QUALIFY row_number() OVER (PARTITION BY problem ORDER BY started_at DESC, run_id DESC) <= ${limit}
     ORDER BY problem, started_at DESC, run_id DESC`,
    [DURATION_TOLERANCE_SECONDS],
  );
  const counts: Partial<Record<TimeProblem, number>> = {};
  const examples: TimeViolation[] = [];
  for (const row of reader.getRowObjectsJson()) {
    const problem = String(row.problem) as TimeProblem;
    counts[problem] = Number(row.n);
    examples.push({runId: String(row.run_id), problem});
  }
  return {counts, examples};
}

async function readFailedWithoutError(connection: DuckDBConnection, limit: number): Promise<Counted<string>> {
  const reader = await connection.runAndReadAll(
    `SELECT run_id::VARCHAR AS run_id, count(*) OVER () AS n FROM ${TABLES.runs}
     WHERE status IN ('failed', 'crashed') AND (error IS NULL OR regexp_full_match(error, '\\s*'))
     ORDER BY started_at DESC, run_id DESC LIMIT ${limit}`,
  );
  const rows = reader.getRowObjectsJson();
  return {count: Number(rows[0]?.n ?? 0), examples: rows.map((row) => String(row.run_id))};
}

async function readLineageLinks(connection: DuckDBConnection, schema: SchemaInfo): Promise<number> {
  if (!schema.tables.has(TABLES.lineage)) return 0;
  const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${TABLES.lineage}`);
  return Number(reader.getRowObjectsJson()[0]?.n ?? 0);
}

async function readLineageOrphans(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  limit: number,
): Promise<Counted<LineageOrphan>> {
  if (!schema.tables.has(TABLES.lineage)) return {count: 0, examples: []};
  const reader = await connection.runAndReadAll(
    `SELECT l.child_run_id::VARCHAR AS child, l.parent_run_id::VARCHAR AS parent,
            c.run_id IS NULL AS child_missing, p.run_id IS NULL AS parent_missing, count(*) OVER () AS n
     FROM ${TABLES.lineage} l
     LEFT JOIN ${TABLES.runs} c ON c.run_id = l.child_run_id
     LEFT JOIN ${TABLES.runs} p ON p.run_id = l.parent_run_id
     WHERE c.run_id IS NULL OR p.run_id IS NULL
     ORDER BY l.child_run_id, l.parent_run_id LIMIT ${limit}`,
  );
  const rows = reader.getRowObjectsJson();
  return {
    count: Number(rows[0]?.n ?? 0),
    examples: rows.map((row) => ({
      childRunId: String(row.child),
      parentRunId: String(row.parent),
      childMissing: row.child_missing === true,
      parentMissing: row.parent_missing === true,
    })),
  };
}

async function readCycleCandidates(connection: DuckDBConnection, schema: SchemaInfo): Promise<LineageEdge[]> {
  if (!schema.tables.has(TABLES.lineage)) return [];
  const reader = await connection.runAndReadAll(
    `SELECT child_run_id::VARCHAR AS child, parent_run_id::VARCHAR AS parent FROM ${TABLES.lineage}
     WHERE child_run_id IN (SELECT parent_run_id FROM ${TABLES.lineage})
       AND parent_run_id IN (SELECT child_run_id FROM ${TABLES.lineage})
     ORDER BY child_run_id, parent_run_id`,
  );
  return reader
    .getRowObjectsJson()
    .map((row) => ({childRunId: String(row.child), parentRunId: String(row.parent)}));
}

async function readMissingRunIds(connection: DuckDBConnection, runIds: readonly string[]): Promise<string[]> {
  if (runIds.length === 0) return [];
  const reader = await connection.runAndReadAll(
    `SELECT t.id::VARCHAR AS run_id FROM (SELECT DISTINCT unnest($1::UUID[]) AS id) t
     WHERE NOT EXISTS (SELECT 1 FROM ${TABLES.runs} r WHERE r.run_id = t.id)
     ORDER BY t.id`,
    [listValue([...runIds])],
    [TEXT_LIST],
  );
  return reader.getRowObjectsJson().map((row) => String(row.run_id));
}

/** Examples are for people: more than this many per finding is a dump, not a hint. */
const MAX_EXAMPLE_LIMIT = 100;

function checkExampleLimit(limit: number): number {
  // At least one: the counts ride on the example rows (count(*) OVER ()), so LIMIT 0 would lose them.
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_EXAMPLE_LIMIT) {
    throw new RangeError(`exampleLimit must be a whole number from 1 to ${MAX_EXAMPLE_LIMIT}; got ${limit}.`);
  }
  return limit;
}
