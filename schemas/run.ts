import * as z from 'zod';

import {RUN_STATUSES} from './run-statuses.js';

export {RUN_STATUSES};
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** The statuses a tracker may finish a run with. `crashed` is only ever set by reconciliation. */
export const FinishStatusSchema = z.enum(['completed', 'failed', 'degraded', 'cancelled']);
export type FinishStatus = z.infer<typeof FinishStatusSchema>;

const isoInstant = z.string().datetime({offset: true});
const count = z.number().int().nonnegative();

/**
 * One row of the `runs` table as readers return it (snake_case, as in the table, so that
 * `--json` output, SQL and docs use one name per field). `status` is the *effective* status:
 * a `running` row whose owning process is gone reads as `crashed`.
 */
export const RunRecordSchema = z.object({
  run_id: z.string().uuid(),
  tenant_id: z.string().nullable(),
  stage: z.string().min(1),
  status: RunStatusSchema,
  error: z.string().nullable(),
  input_fingerprint: z.string().nullable(),
  code_ref: z.string().nullable(),
  config_hash: z.string().nullable(),
  started_at: isoInstant,
  finished_at: isoInstant.nullable(),
  duration_seconds: z.number().nonnegative().nullable(),
  rows_in: count.nullable(),
  rows_out: count.nullable(),
  llm_calls: count.nullable(),
  tokens: count.nullable(),
  trace_id: z.string().nullable(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** A row of `run_llm_usage` as readers return it: the detail of an LLM run's `llm_calls` and `tokens`. */
export const RunLlmUsageSchema = z
  .object({
    model: z.string(),
    requests: count,
    retries: count,
    repairs: count,
    cache_hits: count,
    prompt_tokens: count,
    completion_tokens: count,
    fallback: z.boolean(),
  })
  .strict();
export type RunLlmUsage = z.infer<typeof RunLlmUsageSchema>;

/** What a stage knows about itself while it runs; passed to the function `runStage` wraps. */
export const RunContextSchema = z.object({
  runId: z.string().uuid(),
  stage: z.string().min(1),
  tenantId: z.string().nullable(),
  parentRunIds: z.array(z.string().uuid()),
  dbPath: z.string().min(1),
  traceId: z.string().nullable(),
});
export type RunContext = z.infer<typeof RunContextSchema>;

/**
 * What a RunTracker says when it closes, for the pipeline's summary and `--json`. `recorded` is false
 * when runs could not be written (read-only directory, busy or damaged store, …); `reason` says why.
 */
export const TrackerReportSchema = z.object({
  recorded: z.boolean(),
  reason: z.string().nullable(),
  runsStarted: count,
  runsFinished: count,
  warnings: z.array(z.string()),
  dbPath: z.string().min(1),
});
export type TrackerReport = z.infer<typeof TrackerReportSchema>;
