import * as z from 'zod';
import {RunLlmUsageSchema, RunRecordSchema} from './run.js';

/** `--json` of `runs tail` and `runs list`. `state: missing` means no database exists yet at `db_path`. */
export const RunsListingOutputSchema = z
  .object({
    db_path: z.string(),
    state: z.enum(['missing', 'ok']),
    runs: z.array(RunRecordSchema),
  })
  .strict();
export type RunsListingOutput = z.infer<typeof RunsListingOutputSchema>;

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
