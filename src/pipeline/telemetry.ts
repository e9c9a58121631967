import {randomBytes} from 'node:crypto';
import {codeRef} from '../runs/code-ref.js';
import {traceIdFromEnv} from '../runs/trace.js';
import type {FinishedRun} from '../runs/tracker.js';
import {telemetryEnabled} from '../telemetry/enabled.js';
import type {SpanRun} from '../telemetry/export-runs.js';

/** Bytes of a W3C trace id (32 hex digits). */
const TRACE_ID_BYTES = 16;

/**
 * The trace this invocation's runs record when they are exported to OpenTelemetry: the caller's
 * (TRACEPARENT), else a fresh one per invocation. Without export, only TRACEPARENT's (or none).
 */
export function invocationTraceId(env: NodeJS.ProcessEnv): string | null {
  const given = traceIdFromEnv(env);
  if (given !== null || !telemetryEnabled(env)) return given;
  return randomBytes(TRACE_ID_BYTES).toString('hex');
}

/**
 * Exports one span per run this invocation finished (the OpenTelemetry SDK is loaded only now, and
 * only when a collector is configured). Returns the warning to show, if any; never throws.
 */
export async function exportInvocationSpans(
  env: NodeJS.ProcessEnv,
  runs: readonly FinishedRun[],
): Promise<string | null> {
  if (!telemetryEnabled(env) || runs.length === 0) return null;
  try {
    const {exportRunSpans} = await import('../telemetry/export-runs.js');
    const result = await exportRunSpans({env, runs: runs.flatMap(toSpanRun), serviceVersion: codeRef()});
    return result.warning;
  } catch (error) {
    return `OpenTelemetry: spans were not exported (${(error as Error).message}); the runs are still in runs.duckdb.`;
  }
}

/**
 * A span's parent is the run's last lineage parent: the process run for the ingest and the windows
 * (whose parents are [ingest, process]), the window for a part.
 */
function toSpanRun(run: FinishedRun): SpanRun[] {
  const {record} = run;
  if (record.trace_id === null) return [];
  return [
    {
      runId: record.run_id,
      stage: record.stage,
      status: record.status,
      error: record.error,
      startedAt: record.started_at,
      finishedAt: record.finished_at,
      parentRunId: run.parentRunIds.at(-1) ?? null,
      traceId: record.trace_id,
      rowsIn: record.rows_in,
      rowsOut: record.rows_out,
      llmCalls: record.llm_calls,
      tokens: record.tokens,
      llm: run.llmUsage
        ? {
            model: run.llmUsage.model,
            inputTokens: run.llmUsage.promptTokens,
            outputTokens: run.llmUsage.completionTokens,
          }
        : null,
    },
  ];
}
