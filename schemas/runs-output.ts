import * as z from 'zod';
import {RunLlmUsageSchema, RunRecordSchema, RunStatusSchema} from './run.js';

/** `--json` of `runs tail` and `runs list`. `state: missing` means no database exists yet at `db_path`. */
export const RunsListingOutputSchema = z
  .object({
    db_path: z.string(),
    state: z.enum(['missing', 'ok']),
    runs: z.array(RunRecordSchema),
  })
  .strict();
export type RunsListingOutput = z.infer<typeof RunsListingOutputSchema>;

const count = z.number().int().nonnegative();

export const ProcessPageSchema = z
  .object({
    detail: z
      .object({
        export_path: z.string(),
        export_fingerprint: z.string().nullable(),
        chat_entry: z.string().nullable(),
        output_dir: z.string(),
        settings: z.record(z.string(), z.unknown()),
      })
      .strict()
      .nullable(),
    windows: z.partialRecord(RunStatusSchema, count),
    windows_total: count,
    problems: z.array(RunRecordSchema),
    problems_total: count,
    slowest: z.array(RunRecordSchema),
  })
  .strict();

export const WindowSpanSchema = z
  .object({
    window_index: count,
    part_index: count.nullable(),
    first_date: z.string(),
    last_date: z.string(),
    messages: count,
  })
  .strict();

/** `--json` of `runs show`. */
export const RunShowOutputSchema = z
  .object({
    db_path: z.string(),
    run: RunRecordSchema,
    parents: z.array(RunRecordSchema),
    /** The first children in start order (at most 100); `children_total` counts them all. */
    children: z.array(RunRecordSchema),
    children_total: z.number().int().nonnegative(),
    /** The model, token split, retries and cache hits of a run whose writer called a model; else null. */
    llm_usage: RunLlmUsageSchema.nullable(),
    /** A `process` run's page: its windows by status, the problems first, the slowest; else null. */
    process: ProcessPageSchema.nullable(),
    /** A window or part run: which window and the span of its messages; else null. */
    window: WindowSpanSchema.nullable(),
    /** A window or part run: the files it (and its parts) wrote, relative to the output folder. */
    files: z
      .object({paths: z.array(z.string()), total: z.number().int().nonnegative()})
      .strict()
      .nullable(),
    /** `runs retry`: the run this one re-did, and the runs that re-did this one. */
    retry_of: z.string().uuid().nullable(),
    retried_by: z.array(z.string().uuid()),
  })
  .strict();
export type RunShowOutput = z.infer<typeof RunShowOutputSchema>;

/** `--json` of any failed command: printed on stdout instead of the success object. */
export const ErrorOutputSchema = z
  .object({
    error: z
      .object({
        message: z.string(),
        path: z.string().nullable(),
        hint: z.string().nullable(),
        exitCode: z.number().int(),
        details: z.unknown().optional(),
      })
      .strict(),
  })
  .strict();
export type ErrorOutput = z.infer<typeof ErrorOutputSchema>;
