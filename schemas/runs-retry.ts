import * as z from 'zod';
import {ProcessSummarySchema} from './process.js';
import {RunStatusSchema} from './run.js';

/** `--json` of `runs retry`: what was (or would be) re-done, and the repeated process's summary. */
export const RetryOutputSchema = z
  .object({
    process_run_id: z.string().uuid(),
    process_status: RunStatusSchema,
    export_path: z.string().nullable(),
    /** The windows re-done (or, with --dry-run, to be re-done): each a new run, a retry of `retry_of`. */
    windows: z.array(
      z
        .object({
          stage: z.string(),
          window: z.number().int().nonnegative(),
          retry_of: z.string().uuid(),
          status: RunStatusSchema,
          error: z.string().nullable(),
        })
        .strict(),
    ),
    /** When one window run was named: it and its status. */
    asked_window: z
      .object({stage: z.string(), run_id: z.string().uuid(), status: RunStatusSchema})
      .strict()
      .nullable(),
    outcome: z.enum(['planned', 'retried', 'failed', 'cancelled', 'nothing_to_retry', 'already_completed']),
    exit_code: z.number().int(),
    /** The retry's own process run. */
    retry_process_run_id: z.string().uuid().nullable(),
    summary: ProcessSummarySchema.nullable(),
  })
  .strict();
export type RetryOutput = z.infer<typeof RetryOutputSchema>;
