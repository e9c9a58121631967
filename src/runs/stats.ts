import type {DuckDBConnection} from '@duckdb/node-api';
import {RUN_STATUSES} from '../../schemas/run.js';
import {
  type RunsStatsOutput,
  RunsStatsOutputSchema,
  STAGE_GROUPS,
  type StageGroup,
  type StageGroupStats,
  type StatusCounts,
  type TopError,
} from '../../schemas/runs-stats.js';
import {
  effectiveRunsRelation,
  filterConditions,
  type RunFilters,
  readStaleRuns,
  whereClause,
} from './run-filters.js';
import {readRunsStore, SqlParams} from './store-read.js';

/**
 * `runs stats`: figures per stage group and the most frequent errors, over the runs that match the
 * filters. Two queries answer it whatever the store's size: one scan of the few columns the group
 * figures need (counts by status, duration percentiles, sums), and one over the failed and crashed
 * runs' errors (bench/benchmarks/runs-stats.ts measures them on a 1,000,000-run store).
 */

/**
 * Kinds of error listed; the rest are counted ("and N more"). Ten fill a screen with the failures
 * that matter: on real stores a handful of kinds cover almost every failed run.
 */
export const TOP_ERRORS_LIMIT = 10;

/**
 * The normalised head of an error is cut to this many characters: the `Type: message` line says what
 * failed well within it, and a bound keeps one odd multi-kilobyte line from filling the table.
 */
export const ERROR_HEAD_MAX_CHARS = 200;

export interface RunsStatsOptions {
  readonly dbPath: string;
  readonly stageGlob?: string;
  readonly since?: Date;
  readonly until?: Date;
}

/**
 * A stage's group, in SQL, over `alias.stage`. Exact shapes only: `window_12` is a window,
 * `window_12.part_3` a part; `window_x` or `windows` are `other`.
 */
export function stageGroupSql(alias: string): string {
  const stage = `${alias}.stage`;
  return `CASE WHEN ${stage} = 'process' THEN 'process'
    WHEN ${stage} = 'ingest' THEN 'ingest'
    WHEN regexp_full_match(${stage}, 'window_[0-9]+') THEN 'window'
    WHEN regexp_full_match(${stage}, 'window_[0-9]+\\.part_[0-9]+') THEN 'part'
    ELSE 'other' END`;
}

/**
 * The head an error is grouped by: its first line, with UUIDs, long hex strings (hashes, trace ids)
 * and numbers replaced, so `window 3: … 300–399` and `window 7: … 700–799` are one kind. In SQL, so
 * that grouping happens where the rows are.
 */
export function errorHeadSql(column: string): string {
  const firstLine = `split_part(${column}, chr(10), 1)`;
  const replace = (text: string, pattern: string, by: string) =>
    `regexp_replace(${text}, '${pattern}', '${by}', 'g')`;
  // In this order: whole numbers first (so a long one is a number, not hex), then hex runs (which
  // now all hold a letter), then digits left inside words (`window_3`).
  const ids = replace(
    firstLine,
    '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
    '<id>',
  );
  const numbers = replace(ids, '\\b[0-9]+(\\.[0-9]+)?\\b', '<n>');
  const hex = replace(numbers, '\\b[0-9a-fA-F]{8,}\\b', '<hex>');
  const digits = replace(hex, '[0-9]+', '<n>');
  return `left(trim(${digits}), ${ERROR_HEAD_MAX_CHARS})`;
}

function isoSql(column: string): string {
  return `strftime(${column} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')`;
}

export async function runsStats(options: RunsStatsOptions): Promise<RunsStatsOutput> {
  const filters = {stageGlob: options.stageGlob, since: options.since, until: options.until};
  // Checked before the store is opened, so a bad flag is reported even where no store exists.
  filterConditions(filters, new SqlParams(), 'r');
  const base = {
    filters: {
      since: options.since?.toISOString() ?? null,
      until: options.until?.toISOString() ?? null,
      stage: options.stageGlob ?? null,
    },
  };
  const result = await readRunsStore(options.dbPath, async (connection, schema) => {
    if (schema.version === null) return {groups: emptyGroups(), errors: noErrors()};
    const stale = await readStaleRuns(connection, schema);
    const groups = await readGroups(connection, stale, filters);
    const errors = await readTopErrors(connection, stale, filters);
    return {groups, errors};
  });
  const output: RunsStatsOutput =
    result.state === 'missing'
      ? {
          db_path: result.dbPath,
          state: 'missing',
          ...base,
          runs: 0,
          groups: [],
          top_errors: [],
          error_kinds: 0,
          error_runs: 0,
        }
      : {
          db_path: result.dbPath,
          state: 'ok',
          ...base,
          runs: result.groups.reduce((sum, group) => sum + group.runs, 0),
          groups: result.groups,
          top_errors: result.errors.top,
          error_kinds: result.errors.kinds,
          error_runs: result.errors.runs,
        };
  return RunsStatsOutputSchema.parse(output);
}

type Filters = RunFilters;

function zeroCounts(): StatusCounts {
  return {running: 0, completed: 0, failed: 0, degraded: 0, cancelled: 0, crashed: 0};
}

function emptyGroup(group: StageGroup): StageGroupStats {
  return {
    group,
    runs: 0,
    statuses: zeroCounts(),
    failure_rate: null,
    duration_seconds: {p50: null, p95: null, max: null},
    rows_in: 0,
    rows_out: 0,
    llm_calls: 0,
    tokens: 0,
  };
}

function emptyGroups(): StageGroupStats[] {
  return STAGE_GROUPS.map(emptyGroup);
}

function noErrors(): {top: TopError[]; kinds: number; runs: number} {
  return {top: [], kinds: 0, runs: 0};
}

function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/**
 * Durations are counted in buckets for the percentiles: to the millisecond below 10 s, then to
 * four significant digits (0.01 s below 100 s, 0.1 s below 1,000 s, 1 s beyond). Finer than any
 * table shows them, and it bounds the buckets of a group to a few tens of thousands whatever the
 * store's size, so one scan answers every figure: an exact quantile needs every duration of a group
 * in memory, and took twice the time of the whole scan on 1,000,000 runs in a fresh process.
 */
function durationBucketSql(column: string): string {
  return `CASE WHEN ${column} < 10 THEN round(${column}, 3) WHEN ${column} < 100 THEN round(${column}, 2)
    WHEN ${column} < 1000 THEN round(${column}, 1) ELSE round(${column}) END`;
}

/** The percentiles reported, in whole percent (integer arithmetic: no rank is lost to rounding). */
const PERCENTILES = [50, 95] as const;

/**
 * One scan for the group figures: the runs are counted per (group, status, duration bucket), a few
 * thousand rows, from which the counts by status, the sums, the exact maximum and the nearest-rank
 * percentiles of each group are taken.
 */
async function readGroups(
  connection: DuckDBConnection,
  stale: ReadonlyMap<string, string>,
  filters: Filters,
): Promise<StageGroupStats[]> {
  const params = new SqlParams();
  const relation = effectiveRunsRelation(stale, params);
  const where = whereClause(filterConditions(filters, params, 'r'));
  const byStatus = RUN_STATUSES.map(
    (status) => `coalesce(sum(b.runs) FILTER (WHERE b.status = ${params.add(status)}), 0) AS "n_${status}"`,
  ).join(', ');
  // Sums of BIGINT are HUGEINT; the figures fit a BIGINT by far, and DuckDB gives those as text.
  const columns = ['rows_in', 'rows_out', 'llm_calls', 'tokens'] as const;
  const perBucket = columns.map((column) => `sum(r.${column}) AS ${column}`).join(', ');
  const perGroup = columns.map((column) => `coalesce(sum(b.${column}), 0)::BIGINT AS ${column}`).join(', ');
  // Nearest rank: the smallest duration with at least p% of the group's timed runs at or below it.
  const percentiles = PERCENTILES.map(
    (p) => `min(c.seconds) FILTER (WHERE c.at_or_below * 100 >= ${p} * c.timed) AS p${p}`,
  ).join(', ');
  const reader = await connection.runAndReadAll(
    `WITH buckets AS (
       SELECT ${stageGroupSql('r')} AS stage_group, r.status, ${durationBucketSql('r.duration_seconds')} AS seconds,
         count(*) AS runs, count(r.duration_seconds) AS timed, max(r.duration_seconds) AS max_seconds, ${perBucket}
       FROM ${relation} r ${where} GROUP BY ALL
     ),
     figures AS (
       SELECT b.stage_group, sum(b.runs)::BIGINT AS runs, ${byStatus}, max(b.max_seconds) AS max_seconds, ${perGroup}
       FROM buckets b GROUP BY b.stage_group
     ),
     durations AS (
       SELECT b.stage_group, b.seconds, sum(b.timed) AS timed FROM buckets b WHERE b.seconds IS NOT NULL GROUP BY ALL
     ),
     cumulative AS (
       SELECT d.stage_group, d.seconds,
         sum(d.timed) OVER (PARTITION BY d.stage_group ORDER BY d.seconds) AS at_or_below,
         sum(d.timed) OVER (PARTITION BY d.stage_group) AS timed
       FROM durations d
     ),
     ranks AS (SELECT c.stage_group, ${percentiles} FROM cumulative c GROUP BY c.stage_group)
     SELECT f.*, p.p50, p.p95 FROM figures f LEFT JOIN ranks p ON p.stage_group = f.stage_group`,
    params.values,
    params.types,
  );
  const found = new Map<string, StageGroupStats>();
  for (const row of reader.getRowObjectsJson()) {
    const statuses = zeroCounts();
    for (const status of RUN_STATUSES) statuses[status] = Number(row[`n_${status}`] ?? 0);
    const ended = Number(row.runs) - statuses.running;
    found.set(String(row.stage_group), {
      group: String(row.stage_group) as StageGroup,
      runs: Number(row.runs),
      statuses,
      failure_rate: ended > 0 ? (statuses.failed + statuses.crashed) / ended : null,
      duration_seconds: {
        p50: numberOrNull(row.p50),
        p95: numberOrNull(row.p95),
        max: numberOrNull(row.max_seconds),
      },
      rows_in: Number(row.rows_in),
      rows_out: Number(row.rows_out),
      llm_calls: Number(row.llm_calls),
      tokens: Number(row.tokens),
    });
  }
  return STAGE_GROUPS.map((group) => found.get(group) ?? emptyGroup(group));
}

/** One query over the failed and crashed runs: the most frequent error heads, and how many there are. */
async function readTopErrors(
  connection: DuckDBConnection,
  stale: ReadonlyMap<string, string>,
  filters: Filters,
): Promise<{top: TopError[]; kinds: number; runs: number}> {
  const params = new SqlParams();
  const relation = effectiveRunsRelation(stale, params);
  const conditions = filterConditions(filters, params, 'r');
  conditions.push(`r.status IN ('failed', 'crashed')`, 'r.error IS NOT NULL');
  const reader = await connection.runAndReadAll(
    // Grouped by the raw first line before normalising: the same failure repeats its first line, so
    // the regular expressions run once per distinct line instead of once per run (half the time on
    // the 1,000,000-run store's ~10,000 failures, which have ~1,800 distinct first lines).
    `WITH lines AS (
       SELECT split_part(r.error, chr(10), 1) AS line, count(*) AS runs,
         arg_max(r.run_id, (r.started_at, r.run_id)) AS last_run_id, max(r.started_at) AS last_started_at
       FROM ${relation} r ${whereClause(conditions)} GROUP BY line
     ),
     heads AS (SELECT ${errorHeadSql('line')} AS head, runs, last_run_id, last_started_at FROM lines)
     SELECT head, sum(runs)::BIGINT AS runs,
       arg_max(last_run_id, (last_started_at, last_run_id))::VARCHAR AS last_run_id,
       ${isoSql('max(last_started_at)')} AS last_seen_at,
       count(*) OVER () AS kinds, sum(sum(runs)) OVER ()::BIGINT AS error_runs
     FROM heads GROUP BY head
     ORDER BY runs DESC, head LIMIT ${TOP_ERRORS_LIMIT}`,
    params.values,
    params.types,
  );
  const rows = reader.getRowObjectsJson();
  const first = rows[0];
  if (first === undefined) return noErrors();
  return {
    top: rows.map((row) => ({
      error: String(row.head),
      count: Number(row.runs),
      last_run_id: String(row.last_run_id),
      last_seen_at: String(row.last_seen_at),
    })),
    kinds: Number(first.kinds),
    runs: Number(first.error_runs),
  };
}
