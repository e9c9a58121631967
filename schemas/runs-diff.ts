import * as z from 'zod';
import {RunLlmUsageSchema, RunRecordSchema, RunStatusSchema} from './run.js';

const count = z.number().int().nonnegative();

/** A compared value: text, a number, or null when the run has none. */
const FieldValueSchema = z.union([z.string(), z.number(), z.null()]);

/** One field of the two runs that differs. `delta` (b − a) and `ratio` (b / a) for numbers. */
export const FieldDiffSchema = z
  .object({
    field: z.string().min(1),
    a: FieldValueSchema,
    b: FieldValueSchema,
    delta: z.number().nullable(),
    ratio: z.number().nullable(),
  })
  .strict();
export type FieldDiff = z.infer<typeof FieldDiffSchema>;

/**
 * One setting (a flattened key of the recorded settings, e.g. `llm.model`) that differs. `only` names
 * the side that has the key when the other has none (its value is then null there).
 */
export const SettingDiffSchema = z
  .object({
    key: z.string().min(1),
    a: z.unknown(),
    b: z.unknown(),
    only: z.enum(['a', 'b']).nullable(),
  })
  .strict();
export type SettingDiff = z.infer<typeof SettingDiffSchema>;

/**
 * How a window compares across the two process runs, most telling first:
 * - `status_changed`: both have it, their runs ended differently (e.g. completed vs failed);
 * - `changed_input`: same status, but the window's messages differ (its input fingerprint);
 * - `changed_content`: same status and input, but different posts or media (by content hash);
 * - `added` / `removed`: the window exists only in b / only in a (e.g. another window size);
 * - `not_run_in_a` / `not_run_in_b`: the window belongs to both, but that process did not run it
 *   (resume skipped it: an earlier run's files were reused; that run is named when it can be found);
 * - `unchanged`: same status, input and files.
 */
export const WINDOW_CHANGES = [
  'status_changed',
  'changed_input',
  'changed_content',
  'added',
  'removed',
  'not_run_in_a',
  'not_run_in_b',
  'unchanged',
] as const;
export const WindowChangeSchema = z.enum(WINDOW_CHANGES);
export type WindowChange = z.infer<typeof WindowChangeSchema>;

export const WindowFileSchema = z
  .object({
    path: z.string(),
    sha256: z.string(),
  })
  .strict();

/**
 * One side of a window: the run that produced it. `ran` is false when the process did not run the
 * window itself; `run_id` is then the earlier run it reused (null when that cannot be found).
 */
export const WindowSideSchema = z
  .object({
    run_id: z.string().uuid().nullable(),
    ran: z.boolean(),
    status: RunStatusSchema.nullable(),
    input_fingerprint: z.string().nullable(),
    /** The posts it (and its parts) wrote, by path, at most a few; `posts_total` counts them all. */
    posts: z.array(WindowFileSchema),
    posts_total: count,
    media_total: count,
  })
  .strict();
export type WindowSide = z.infer<typeof WindowSideSchema>;

export const WindowDiffSchema = z
  .object({
    window_index: count,
    change: WindowChangeSchema,
    /** Null when the window does not exist on that side (`added`, `removed`). */
    a: WindowSideSchema.nullable(),
    b: WindowSideSchema.nullable(),
    /** Whether the sets of (path, content hash) differ; null when a side has no files to compare. */
    posts_differ: z.boolean().nullable(),
    media_differ: z.boolean().nullable(),
  })
  .strict();
export type WindowDiff = z.infer<typeof WindowDiffSchema>;

export const WindowCountsSchema = z
  .object(
    Object.fromEntries(WINDOW_CHANGES.map((change) => [change, count])) as Record<WindowChange, typeof count>,
  )
  .strict();
export type WindowCounts = z.infer<typeof WindowCountsSchema>;

export const WindowsDiffSchema = z
  .object({
    /** Window runs each process ran itself. */
    runs_in_a: count,
    runs_in_b: count,
    /**
     * Whether the windows' files were compared (pipeline.duckdb was there): when false, a window
     * whose posts changed but whose status and input did not reads as `unchanged`.
     */
    files_compared: z.boolean(),
    /** Every compared window (the union of both sides' windows) by how it compares. */
    counts: WindowCountsSchema,
    /**
     * Of the `not_run_in_…` windows, those whose reused earlier run matches the other side (status,
     * input and files): that part of the blog is the same, so they are counted and not listed.
     */
    not_run_same: count,
    /**
     * The windows that differ, most telling first, then by index: everything but `unchanged` and
     * the not-run windows whose reused files are the other side's. At most a bounded number.
     */
    changed: z.array(WindowDiffSchema),
    total_changed: count,
  })
  .strict();
export type WindowsDiff = z.infer<typeof WindowsDiffSchema>;

/** `--json` of `runs diff`. */
export const RunsDiffOutputSchema = z
  .object({
    db_path: z.string(),
    a: RunRecordSchema,
    b: RunRecordSchema,
    /** a and b are one run (diffing a run with itself: nothing differs). */
    same_run: z.boolean(),
    /** The run_llm_usage row of each side, when its writer called a model. */
    llm_usage: z.object({a: RunLlmUsageSchema.nullable(), b: RunLlmUsageSchema.nullable()}).strict(),
    /** The fields that differ, in the table's order (`started_at` differs for any two runs). */
    fields: z.array(FieldDiffSchema),
    /** Which process run's recorded settings each side's were read from (itself, or its parent). */
    settings_from: z.object({a: z.string().uuid().nullable(), b: z.string().uuid().nullable()}).strict(),
    /** The settings that differ, key by key; null when either side has no recorded settings. */
    settings: z.array(SettingDiffSchema).nullable(),
    /** Both runs are process runs: their windows compared; else null. */
    windows: WindowsDiffSchema.nullable(),
    /** Both runs are window (or part) runs: their files compared as one window; else null. */
    window: WindowDiffSchema.nullable(),
  })
  .strict();
export type RunsDiffOutput = z.infer<typeof RunsDiffOutputSchema>;
