import {existsSync} from 'node:fs';
import path from 'node:path';
import {type DuckDBConnection, type DuckDBValue, listValue} from '@duckdb/node-api';
import type {RunLlmUsage, RunRecord, RunStatus} from '../../schemas/run.js';
import {StoreMissingError, StoreNewerSchemaError} from '../db/errors.js';
import {outputsOfRuns} from '../db/pipeline-store.js';
import {withReadSession} from '../db/session.js';
import {ExitCode, UserError} from '../util/errors.js';
import {firstChildren} from './children.js';
import {newestFirst, readRunRecords, runSelectList, toRunRecord, withEffectiveStatus} from './records.js';
import {
  type ProcessPage,
  type RetryLinks,
  readLlmUsage,
  readProcessPage,
  readRetryLinks,
  readWindowSpan,
  type WindowSpan,
} from './run-pages.js';
import {CURRENT_SCHEMA_VERSION, inspectSchema, type SchemaInfo, TABLES} from './schema.js';

/**
 * The read side of the runs store, used by `runs tail | list | show` and by resume. Every function
 * opens the file read-only (reads never write, and never create a missing store) and reports each
 * run with its effective status (a `running` run whose process is gone reads as `crashed`).
 */

/** Largest `limit` accepted: more rows than any terminal shows, and small enough to hold and validate in memory. */
export const MAX_QUERY_LIMIT = 10_000;

/** `runs show` with an ambiguous prefix lists this many candidates (and the total). */
export const SHOW_MAX_CANDIDATES = 10;

/** `runs show` lists at most this many children (an ingest run has one per window) and reports the total. */
export const SHOW_MAX_CHILDREN = 100;

/** Fewer hex characters than this match too many runs to be a useful prefix (16^4 = 65,536 buckets). */
export const MIN_PREFIX_HEX_CHARS = 4;

/** Stage globs longer than this are a mistake, not a stage name (stages are `ingest`, `window_<i>`, …). */
export const MAX_STAGE_GLOB_CHARS = 200;

export type StoreRead<T> = {state: 'missing'; dbPath: string} | ({state: 'ok'; dbPath: string} & T);

export interface TailRunsOptions {
  readonly dbPath: string;
  readonly limit: number;
}

export interface ListRunsOptions {
  readonly dbPath: string;
  /** Effective statuses to keep (`running` and `crashed` respect stale-owner detection). */
  readonly statuses?: readonly RunStatus[];
  /** Shell-style glob over the stage name: `*` any run of characters, `?` one character, all else literal. */
  readonly stageGlob?: string;
  /** Runs that started at or after this instant. */
  readonly since?: Date;
  /** Runs that started before this instant (exclusive, so `since`/`until` ranges tile without overlap). */
  readonly until?: Date;
  readonly limit: number;
}

export interface ShowRunOptions {
  readonly dbPath: string;
  /** The pipeline's store, where a window run's files are recorded; absent: files are not read. */
  readonly pipelineDb?: string;
  readonly prefix: string;
  /** How many children to read, first started first (at most and by default SHOW_MAX_CHILDREN); all are counted. */
  readonly childLimit?: number;
}

export type ShowMatch =
  | {
      kind: 'found';
      run: RunRecord;
      /** Parents in start order. */
      parents: RunRecord[];
      /** Up to SHOW_MAX_CHILDREN children in start order; `childrenTotal` counts them all. */
      children: RunRecord[];
      childrenTotal: number;
      /** The `run_llm_usage` row of a run whose writer called a model; null otherwise or in older stores. */
      llmUsage: RunLlmUsage | null;
      /** A `process` run's page; null for other runs. */
      processPage: ProcessPage | null;
      /** A window or part run's span; null for other runs and older stores. */
      windowSpan: WindowSpan | null;
      retries: RetryLinks;
      /** A window or part run: the files it and its parts wrote (from pipeline.duckdb), else null. */
      files: {paths: string[]; total: number} | null;
    }
  | {kind: 'none'; prefix: string}
  | {kind: 'ambiguous'; candidates: RunRecord[]; total: number};

/** The newest runs, newest first. */
export async function tailRuns(options: TailRunsOptions): Promise<StoreRead<{runs: RunRecord[]}>> {
  const limit = checkLimit(options.limit);
  return readStore(options.dbPath, async (connection, schema, dbPath) => {
    if (schema.version === null) return {runs: []};
    const records = await readRunRecords(
      connection,
      dbPath,
      `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r ORDER BY ${newestFirst('r')} LIMIT ${limit}`,
    );
    return {runs: await withEffectiveStatus(connection, schema, records)};
  });
}

/** Runs matching every given filter, newest first. */
export async function listRuns(options: ListRunsOptions): Promise<StoreRead<{runs: RunRecord[]}>> {
  const limit = checkLimit(options.limit);
  const params = new Params();
  const where: string[] = [];
  if (options.stageGlob !== undefined) {
    where.push(`r.stage LIKE ${params.add(stageGlobToLike(options.stageGlob))} ESCAPE '\\'`);
  }
  const since = options.since === undefined ? undefined : checkDate(options.since, 'since');
  const until = options.until === undefined ? undefined : checkDate(options.until, 'until');
  if (since && until && since.getTime() >= until.getTime()) {
    throw new UserError(
      `The time range is empty: since (${since.toISOString()}) is not before until (${until.toISOString()}).`,
      ExitCode.usage,
      {hint: 'Give a since that is earlier than until.'},
    );
  }
  if (since) where.push(`r.started_at >= ${params.add(since.toISOString())}::TIMESTAMPTZ`);
  if (until) where.push(`r.started_at < ${params.add(until.toISOString())}::TIMESTAMPTZ`);
  const wanted =
    options.statuses === undefined || options.statuses.length === 0 ? null : new Set(options.statuses);

  return readStore(options.dbPath, async (connection, schema, dbPath) => {
    if (schema.version === null) return {runs: []};
    const select = (extra: string[], values: DuckDBValue[], limitClause: string) => {
      const conditions = [...where, ...extra];
      const whereClause = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
      return readRunRecords(
        connection,
        dbPath,
        `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r ${whereClause} ORDER BY ${newestFirst('r')} ${limitClause}`,
        values,
      );
    };

    if (wanted === null) {
      const records = await select([], params.values, `LIMIT ${limit}`);
      return {runs: await withEffectiveStatus(connection, schema, records)};
    }

    // A stored `running` row may really be `crashed`, so `running` rows cannot be filtered in SQL.
    // Terminal statuses are exact in SQL (with the limit); `running` rows are read newest first, a
    // page at a time, given their effective status and filtered here until `limit` of them match;
    // the two lists are merged and cut to the limit.
    const terminal = [...wanted].filter((status) => status !== 'running');
    const batches: RunRecord[][] = [];
    if (terminal.length > 0) {
      const local = params.clone();
      const list = terminal.map((status) => local.add(status)).join(', ');
      batches.push(await select([`r.status IN (${list})`], local.values, `LIMIT ${limit}`));
    }
    if (wanted.has('running') || wanted.has('crashed')) {
      const matching: RunRecord[] = [];
      for (let offset = 0; matching.length < limit; offset += limit) {
        const page = await select([`r.status = 'running'`], params.values, `LIMIT ${limit} OFFSET ${offset}`);
        const effective = await withEffectiveStatus(connection, schema, page);
        matching.push(...effective.filter((record) => wanted.has(record.status)));
        if (page.length < limit) break;
      }
      batches.push(matching);
    }
    return {runs: batches.flat().sort(compareNewestFirst).slice(0, limit)};
  });
}

/** One run by a prefix of its id, with its parents and children; or why there is no single match. */
export async function showRun(options: ShowRunOptions): Promise<StoreRead<{match: ShowMatch}>> {
  const normalized = normalizeRunIdPrefix(options.prefix);
  const read = await readStore(
    options.dbPath,
    async (connection, schema, dbPath): Promise<{match: ShowMatch}> => {
      const found = await matchRunPrefix(connection, schema, dbPath, normalized);
      if (found.kind === 'none') return {match: {kind: 'none', prefix: options.prefix}};
      if (found.kind === 'ambiguous') return {match: found};
      const chosen = found.run;
      const relatives = await lineageOf(connection, chosen.run_id);
      const childrenTotal = relatives.childrenTotal;
      const childLimit = Math.max(
        0,
        Math.min(SHOW_MAX_CHILDREN, Math.floor(options.childLimit ?? SHOW_MAX_CHILDREN)),
      );
      const parents = await readRunsById(connection, dbPath, relatives.parents);
      const children =
        childrenTotal <= SHOW_MAX_CHILDREN
          ? await readRunsNear(connection, dbPath, {
              after: found.rowPosition,
              ids: relatives.children,
              limit: childLimit,
            })
          : await firstChildren(connection, dbPath, chosen, childrenTotal, childLimit);
      const all = await withEffectiveStatus(connection, schema, [chosen, ...parents, ...children]);
      const llmUsage = await readLlmUsage(connection, schema, chosen.run_id);
      return {
        match: {
          kind: 'found',
          run: all[0] ?? chosen,
          parents: all.slice(1, 1 + parents.length),
          children: all.slice(1 + parents.length),
          childrenTotal,
          llmUsage,
          processPage:
            chosen.stage === 'process'
              ? await readProcessPage(connection, schema, dbPath, chosen, childrenTotal)
              : null,
          windowSpan: chosen.stage.startsWith('window_')
            ? await readWindowSpan(connection, schema, chosen.run_id)
            : null,
          retries: await readRetryLinks(connection, schema, chosen.run_id),
          files: null,
        },
      };
    },
  );
  // A window's files are in the pipeline's store, read in a session of its own after this one.
  if (read.state !== 'ok' || read.match.kind !== 'found' || read.match.windowSpan === null) return read;
  if (options.pipelineDb === undefined) return read;
  const {match} = read;
  const outputs = await outputsOfRuns(options.pipelineDb, [
    match.run.run_id,
    ...match.children.map((run) => run.run_id),
  ]);
  return {...read, match: {...match, files: {paths: outputs.files, total: outputs.total}}};
}

export type PrefixMatch =
  | {
      kind: 'found';
      run: RunRecord /** Its row's position, where its children were likely stored. */;
      rowPosition: number;
    }
  | {kind: 'none'}
  | {kind: 'ambiguous'; candidates: RunRecord[]; total: number};

/**
 * The run a normalized prefix names, as every runs command matches it: an exact id wins, a prefix
 * matching one run finds it, several are ambiguous (the first SHOW_MAX_CANDIDATES, newest first, with
 * their effective status, and how many in all). The found run keeps its stored status.
 */
export async function matchRunPrefix(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  dbPath: string,
  normalized: string | null,
): Promise<PrefixMatch> {
  if (normalized === null || schema.version === null) return {kind: 'none'};
  const [lo, hi] = prefixRange(normalized);
  const reader = await connection.runAndReadAll(
    `SELECT ${runSelectList('r')}, r.rowid AS row_position, count(*) OVER () AS total FROM ${TABLES.runs} r
     WHERE r.run_id BETWEEN $1::UUID AND $2::UUID
     ORDER BY ${newestFirst('r')} LIMIT ${SHOW_MAX_CANDIDATES}`,
    [lo, hi],
  );
  const rows = reader.getRowObjectsJson();
  const total = rows.length === 0 ? 0 : Number(rows[0]?.total);
  const candidates = rows.map((row) => toRunRecord(row, dbPath));
  const exactIndex = candidates.findIndex((run) => run.run_id.replaceAll('-', '') === normalized);
  const chosenIndex = exactIndex !== -1 ? exactIndex : total === 1 ? 0 : -1;
  const chosen = candidates[chosenIndex];
  if (chosen !== undefined) {
    return {kind: 'found', run: chosen, rowPosition: Number(rows[chosenIndex]?.row_position)};
  }
  if (total === 0) return {kind: 'none'};
  return {kind: 'ambiguous', candidates: await withEffectiveStatus(connection, schema, candidates), total};
}

export interface ReusableRunsQuery {
  readonly dbPath: string;
  readonly inputFingerprints: readonly string[];
  readonly configHash: string;
  readonly stage?: string;
}

/**
 * For resume: per input fingerprint, the newest `completed` or `degraded` run with that fingerprint and
 * config hash (and stage, when given). One read session for any number of fingerprints, so a pipeline
 * can look up all its windows at once. A missing store has none.
 */
export async function findReusableRunsInStore(query: ReusableRunsQuery): Promise<Map<string, RunRecord>> {
  const found = new Map<string, RunRecord>();
  if (query.inputFingerprints.length === 0) return found;
  const result = await readStore(query.dbPath, async (connection, schema, dbPath) => {
    if (schema.version === null) return {runs: [] as RunRecord[]};
    const params = new Params();
    // Fingerprints are non-null strings, so the list's inferred type is right (see sql-types.ts).
    const fingerprints = params.add(listValue([...new Set(query.inputFingerprints)]));
    const config = params.add(query.configHash);
    const stage = query.stage === undefined ? '' : `AND r.stage = ${params.add(query.stage)}`;
    const runs = await readRunRecords(
      connection,
      dbPath,
      `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r
       WHERE r.input_fingerprint IN (SELECT unnest(${fingerprints}::VARCHAR[])) AND r.config_hash = ${config}
         AND r.status IN ('completed', 'degraded') ${stage}
       QUALIFY row_number() OVER (PARTITION BY r.input_fingerprint ORDER BY ${newestFirst('r')}) = 1`,
      params.values,
    );
    return {runs};
  });
  if (result.state === 'ok') {
    for (const run of result.runs) if (run.input_fingerprint !== null) found.set(run.input_fingerprint, run);
  }
  return found;
}

export interface ReusableAmongQuery {
  readonly dbPath: string;
  readonly runIds: readonly string[];
  readonly configHash: string;
}

/**
 * For resume, from the other side: which of these runs (those that wrote files into an output folder)
 * finished `completed` or `degraded` under this config hash. One read session for any number of ids.
 */
export async function findReusableRunsAmong(query: ReusableAmongQuery): Promise<Map<string, RunRecord>> {
  const found = new Map<string, RunRecord>();
  if (query.runIds.length === 0) return found;
  const result = await readStore(query.dbPath, async (connection, schema, dbPath) => {
    if (schema.version === null) return {runs: [] as RunRecord[]};
    const params = new Params();
    const ids = params.add(listValue([...new Set(query.runIds)]));
    const config = params.add(query.configHash);
    const runs = await readRunRecords(
      connection,
      dbPath,
      `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r
       WHERE r.run_id IN (SELECT CAST(unnest(${ids}::VARCHAR[]) AS UUID)) AND r.config_hash = ${config}
         AND r.status IN ('completed', 'degraded')`,
      params.values,
    );
    return {runs};
  });
  if (result.state === 'ok') for (const run of result.runs) found.set(run.run_id, run);
  return found;
}

/**
 * Normalizes a run-id prefix: hyphens dropped, lower-cased. Null when it cannot match any id (a
 * non-hex character such as `%`, `_` or a quote, or more than 32 characters), so nothing a user types
 * ever reaches SQL as a pattern. Throws a usage error when it has fewer than MIN_PREFIX_HEX_CHARS.
 */
export function normalizeRunIdPrefix(prefix: string): string | null {
  const compact = prefix.trim().replaceAll('-', '').toLowerCase();
  if (compact.length < MIN_PREFIX_HEX_CHARS) {
    throw new UserError(
      `A run id prefix needs at least ${MIN_PREFIX_HEX_CHARS} characters (hyphens not counted); "${prefix}" has ${compact.length}.`,
      ExitCode.usage,
      {hint: 'Copy more of the run id from `egregora runs tail`.'},
    );
  }
  if (compact.length > 32 || !/^[0-9a-f]+$/.test(compact)) return null;
  return compact;
}

/** The lowest and highest UUIDs starting with `hex`: a range scan needs no pattern matching at all. */
export function prefixRange(hex: string): [string, string] {
  return [toUuidText(hex.padEnd(32, '0')), toUuidText(hex.padEnd(32, 'f'))];
}

function toUuidText(hex32: string): string {
  return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20)}`;
}

/** `*` → `%`, `?` → `_`; LIKE's own wildcards and the escape character are escaped, so they match literally. */
export function stageGlobToLike(glob: string): string {
  if (glob.length > MAX_STAGE_GLOB_CHARS) {
    throw new UserError(
      `A stage pattern can have at most ${MAX_STAGE_GLOB_CHARS} characters.`,
      ExitCode.usage,
    );
  }
  let pattern = '';
  for (const char of glob) {
    if (char === '*') pattern += '%';
    else if (char === '?') pattern += '_';
    else if (char === '%' || char === '_' || char === '\\') pattern += `\\${char}`;
    else pattern += char;
  }
  return pattern;
}

function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) {
    throw new UserError(
      `The limit must be a whole number from 1 to ${MAX_QUERY_LIMIT}; got ${limit}.`,
      ExitCode.usage,
    );
  }
  return limit;
}

function checkDate(date: Date, name: string): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new UserError(`${name} is not a valid date.`, ExitCode.usage);
  }
  return date;
}

function compareNewestFirst(a: RunRecord, b: RunRecord): number {
  // Same-format UTC ISO strings and UUID texts sort like the instants and UUIDs they stand for.
  if (a.started_at !== b.started_at) return a.started_at < b.started_at ? 1 : -1;
  if (a.run_id === b.run_id) return 0;
  return a.run_id < b.run_id ? 1 : -1;
}

/** A run's parents and children by id, from both lineage indexes in one query. */
/**
 * A run's parents, and its children: their count, and their ids only when few enough to be read by
 * id (SHOW_MAX_CHILDREN). Listing the 10,000 ids of a big process run just to count them was ~20-45 ms
 * of its `runs show`; the count alone is ~3-13 ms.
 */
async function lineageOf(
  connection: DuckDBConnection,
  runId: string,
): Promise<{parents: string[]; children: string[]; childrenTotal: number}> {
  const reader = await connection.runAndReadAll(
    `SELECT 'parent' AS side, parent_run_id::VARCHAR AS id FROM ${TABLES.lineage} WHERE child_run_id = $1::UUID
     UNION ALL
     SELECT 'total' AS side, count(*)::VARCHAR AS id FROM ${TABLES.lineage} WHERE parent_run_id = $1::UUID`,
    [runId],
  );
  const parents: string[] = [];
  let childrenTotal = 0;
  for (const row of reader.getRowObjectsJson()) {
    if (row.side === 'parent') parents.push(String(row.id));
    else childrenTotal = Number(row.id);
  }
  if (childrenTotal === 0 || childrenTotal > SHOW_MAX_CHILDREN) return {parents, children: [], childrenTotal};
  const kids = await connection.runAndReadAll(
    `SELECT child_run_id::VARCHAR AS id FROM ${TABLES.lineage} WHERE parent_run_id = $1::UUID`,
    [runId],
  );
  return {parents, children: kids.getRowObjectsJson().map((row) => String(row.id)), childrenTotal};
}

/** The runs with these ids, in start order (each id probes the primary key: see `Params.addUuids`). */
async function readRunsById(
  connection: DuckDBConnection,
  dbPath: string,
  ids: readonly string[],
): Promise<RunRecord[]> {
  if (ids.length === 0) return [];
  const params = new Params();
  const list = params.addUuids(ids);
  return readRunRecords(
    connection,
    dbPath,
    `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r WHERE r.run_id IN (${list}) ORDER BY r.started_at, r.run_id`,
    params.values,
  );
}

/**
 * Rows read after a run's own, looking for its children: runs are appended as they start, so a
 * run's children follow it closely (its windows, a few hundred rows at most, interleaved with the
 * runs of other processes). One vector of DuckDB rows.
 */
const CHILDREN_NEAR_ROWS = 2048;

/**
 * The first `limit` runs (in start order) of these ids, looked for first in the rows that follow
 * position `after` (DuckDB's rowid): scanning those is ~10 ms for 100 children on a 1,000,000-run
 * store, against 30-45 ms for 100 primary-key probes. The position is only a hint: unless every id
 * is found there (a store rebuilt, runs written by hand), they are all read by their key instead.
 */
async function readRunsNear(
  connection: DuckDBConnection,
  dbPath: string,
  near: {readonly after: number; readonly ids: readonly string[]; readonly limit: number},
): Promise<RunRecord[]> {
  const {after, ids, limit} = near;
  if (ids.length === 0 || limit === 0) return [];
  const byKey = async () => (await readRunsById(connection, dbPath, ids)).slice(0, limit);
  if (!Number.isSafeInteger(after)) return byKey();
  const params = new Params([after, after + CHILDREN_NEAR_ROWS]);
  const list = params.addUuids(ids);
  const reader = await connection.runAndReadAll(
    `SELECT ${runSelectList('r')}, count(*) OVER () AS found FROM ${TABLES.runs} r
     WHERE r.rowid BETWEEN $1::BIGINT AND $2::BIGINT AND r.run_id IN (${list})
     ORDER BY r.started_at, r.run_id LIMIT ${limit}`,
    params.values,
  );
  const rows = reader.getRowObjectsJson();
  if (Number(rows[0]?.found ?? 0) !== new Set(ids).size) return byKey();
  return rows.map((row) => toRunRecord(row, dbPath));
}

class Params {
  constructor(readonly values: DuckDBValue[] = []) {}

  add(value: DuckDBValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /**
   * Ids for an `IN (…)` list, one UUID parameter each: DuckDB then probes the primary key for each,
   * where a list parameter or a subquery makes it scan the table (100 children: 10-30 ms instead of
   * 30-60 ms on a 1,000,000-run store).
   */
  addUuids(ids: readonly string[]): string {
    return ids.map((id) => `${this.add(id)}::UUID`).join(', ');
  }

  clone(): Params {
    return new Params([...this.values]);
  }
}

/**
 * Opens the store read-only, learns its schema, runs `read`. A missing file is reported, not created.
 * On a file from a newer egregora the read is still tried (its columns may be compatible); only if
 * it fails is the newer schema given as the reason.
 */
export async function readStore<T extends object>(
  dbPath: string,
  read: (connection: DuckDBConnection, schema: SchemaInfo, dbPath: string) => Promise<T>,
): Promise<StoreRead<T>> {
  const resolved = path.resolve(dbPath);
  if (!existsSync(resolved)) return {state: 'missing', dbPath: resolved};
  try {
    const value = await withReadSession(resolved, async (connection) => {
      const schema = await inspectSchema(connection);
      try {
        return await read(connection, schema, resolved);
      } catch (error) {
        if (
          schema.version !== null &&
          schema.version > CURRENT_SCHEMA_VERSION &&
          !(error instanceof UserError)
        ) {
          throw new StoreNewerSchemaError(resolved, schema.version, CURRENT_SCHEMA_VERSION, error);
        }
        throw error;
      }
    });
    return {state: 'ok', dbPath: resolved, ...value};
  } catch (error) {
    if (error instanceof StoreMissingError) return {state: 'missing', dbPath: resolved};
    throw error;
  }
}
