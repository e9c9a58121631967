import * as z from 'zod';

/**
 * The stage groups `runs stats` reports, in pipeline order: the `process` invocation, its `ingest`,
 * the `window_<i>` runs, their `window_<i>.part_<j>` parts (a window split for the writer's budget),
 * and `other` for any stage outside these shapes (a stage written by hand or by a newer egregora).
 */
export const STAGE_GROUPS = ['process', 'ingest', 'window', 'part', 'other'] as const;
export const StageGroupSchema = z.enum(STAGE_GROUPS);
export type StageGroup = z.infer<typeof StageGroupSchema>;

const count = z.number().int().nonnegative();
const seconds = z.number().nonnegative().nullable();
const isoInstant = z.string().datetime({offset: true});

/** Runs per effective status (a `running` run whose process is gone counts as `crashed`). */
export const StatusCountsSchema = z
  .object({
    running: count,
    completed: count,
    failed: count,
    degraded: count,
    cancelled: count,
    crashed: count,
  })
  .strict();
export type StatusCounts = z.infer<typeof StatusCountsSchema>;

export const StageGroupStatsSchema = z
  .object({
    group: StageGroupSchema,
    runs: count,
    statuses: StatusCountsSchema,
    /** (failed + crashed) / runs that ended (all but `running`); null when none ended. */
    failure_rate: z.number().min(0).max(1).nullable(),
    /**
     * Over the runs with a recorded duration; null when there are none. p50 / p95 are nearest-rank
     * percentiles of the durations counted to 1 ms below 10 s (to four significant digits beyond);
     * max is exact.
     */
    duration_seconds: z.object({p50: seconds, p95: seconds, max: seconds}).strict(),
    rows_in: count,
    rows_out: count,
    llm_calls: count,
    tokens: count,
  })
  .strict();
export type StageGroupStats = z.infer<typeof StageGroupStatsSchema>;

/**
 * One kind of error: the first line of the error text (`Type: message`) with ids, hashes and numbers
 * replaced by `<id>`, `<hex>` and `<n>`, so that the same failure in many windows counts once.
 */
export const TopErrorSchema = z
  .object({
    error: z.string(),
    count: z.number().int().positive(),
    /** The newest run with this error, for `egregora runs show <id>`. */
    last_run_id: z.string().uuid(),
    last_seen_at: isoInstant,
  })
  .strict();
export type TopError = z.infer<typeof TopErrorSchema>;

/** `--json` of `runs stats`. `state: missing` means no database exists yet at `db_path`. */
export const RunsStatsOutputSchema = z
  .object({
    db_path: z.string(),
    state: z.enum(['missing', 'ok']),
    filters: z
      .object({
        since: isoInstant.nullable(),
        until: isoInstant.nullable(),
        stage: z.string().nullable(),
      })
      .strict(),
    runs: count,
    /** Every group in STAGE_GROUPS order, empty ones included (none when the store is missing). */
    groups: z.array(StageGroupStatsSchema),
    /** The most frequent errors of failed and crashed runs, most frequent first (at most 10). */
    top_errors: z.array(TopErrorSchema),
    /** How many distinct kinds of error there are (more than `top_errors` lists when it was cut). */
    error_kinds: count,
    /** Failed and crashed runs that recorded an error text. */
    error_runs: count,
  })
  .strict();
export type RunsStatsOutput = z.infer<typeof RunsStatsOutputSchema>;
