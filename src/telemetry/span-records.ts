/**
 * Runs → finished spans (`ReadableSpan` of @opentelemetry/sdk-trace-base), the records the OTLP
 * exporters take. The runs already happened, with their own ids and times; a tracer would invent
 * ids and take "now" as the start, so the spans are built directly, as the SDK's own span would
 * look once ended. The SDK modules come in as parameters: this file imports types only, so loading
 * it costs nothing until export is configured.
 */
import type * as OtelApi from '@opentelemetry/api';
import type {Attributes, SpanContext, SpanStatus} from '@opentelemetry/api';
import type {Resource} from '@opentelemetry/resources';
import type {ReadableSpan} from '@opentelemetry/sdk-trace-base';
import {isValidSpanId, isValidTraceId, spanIdOf} from './ids.js';
import {compareHrTime, type HrTime, hrTimeDuration, hrTimeFromIso, hrTimeFromMillis} from './times.js';

export type SpanRunStatus = 'running' | 'completed' | 'failed' | 'degraded' | 'cancelled' | 'crashed';

/** What export needs of one run: a row of `runs` with its lineage parent and LLM usage. */
export interface SpanRun {
  readonly runId: string;
  readonly stage: string;
  readonly status: SpanRunStatus;
  readonly error: string | null;
  /** ISO-8601 instants with microseconds, e.g. 2026-12-03T10:20:52.123456Z. */
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /** The lineage parent (null for the root run). */
  readonly parentRunId: string | null;
  /** 32 lowercase hex. */
  readonly traceId: string;
  readonly rowsIn: number | null;
  readonly rowsOut: number | null;
  readonly llmCalls: number | null;
  readonly tokens: number | null;
  readonly llm: {
    readonly model: string;
    readonly inputTokens: number;
    readonly outputTokens: number;
    /**
     * `gen_ai.provider.name`; default `openai`. The LLM writer speaks the OpenAI API through the
     * `openai` client, and the GenAI conventions name the API flavour here ("SHOULD be set based on
     * the instrumentation's best knowledge and may differ from the actual model provider").
     */
    readonly provider?: string;
  } | null;
}

/** Attribute names. egregora's own are namespaced; the gen_ai.* ones are OpenTelemetry's GenAI conventions. */
export const ATTR = {
  stage: 'egregora.stage',
  runId: 'egregora.run_id',
  status: 'egregora.status',
  error: 'egregora.error',
  rowsIn: 'egregora.rows_in',
  rowsOut: 'egregora.rows_out',
  llmCalls: 'egregora.llm_calls',
  tokens: 'egregora.tokens',
  // GenAI semantic conventions (semconv 1.37+; `gen_ai.system` was renamed `gen_ai.provider.name`).
  genAiOperation: 'gen_ai.operation.name',
  genAiProvider: 'gen_ai.provider.name',
  genAiModel: 'gen_ai.request.model',
  genAiInputTokens: 'gen_ai.usage.input_tokens',
  genAiOutputTokens: 'gen_ai.usage.output_tokens',
} as const;

/** The writer calls a chat-completions API; `chat` is that operation's well-known value. */
const GEN_AI_OPERATION = 'chat';
const DEFAULT_GEN_AI_PROVIDER = 'openai';

export interface SpanBuildContext {
  readonly api: Pick<typeof OtelApi, 'SpanKind' | 'SpanStatusCode' | 'TraceFlags'>;
  readonly resource: Resource;
  readonly scope: {readonly name: string; readonly version: string};
  /**
   * The parent of spans whose run has no lineage parent (the caller's span, from TRACEPARENT), or
   * null. With a trace id, it applies only to runs of that trace: a parent in another trace is no parent.
   */
  readonly rootParent: {readonly spanId: string; readonly traceId: string | null} | null;
  /** Milliseconds since the epoch: the end of runs still `running`. */
  readonly nowMillis: number;
}

export interface BuiltSpans {
  readonly spans: ReadableSpan[];
  /** Runs left out because their trace id or start time is unusable (the collector would drop them). */
  readonly skipped: number;
}

export function buildSpans(runs: readonly SpanRun[], context: SpanBuildContext): BuiltSpans {
  const spans: ReadableSpan[] = [];
  let skipped = 0;
  for (const run of runs) {
    const span = buildSpan(run, context);
    if (span === null) skipped += 1;
    else spans.push(span);
  }
  return {spans, skipped};
}

function buildSpan(run: SpanRun, context: SpanBuildContext): ReadableSpan | null {
  const {api} = context;
  const startTime = hrTimeFromIso(run.startedAt);
  if (!isValidTraceId(run.traceId) || startTime === null) return null;
  const endTime = endTimeOf(run, startTime, context.nowMillis);
  const ownContext: SpanContext = {
    traceId: run.traceId,
    spanId: spanIdOf(run.runId),
    traceFlags: api.TraceFlags.SAMPLED,
    isRemote: false,
  };
  const parentContext = parentContextOf(run, context);
  return {
    name: run.stage,
    kind: api.SpanKind.INTERNAL,
    spanContext: () => ownContext,
    ...(parentContext === null ? {} : {parentSpanContext: parentContext}),
    startTime,
    endTime,
    duration: hrTimeDuration(startTime, endTime),
    status: statusOf(run, api),
    attributes: attributesOf(run),
    links: [],
    events: [],
    ended: true,
    resource: context.resource,
    instrumentationScope: context.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/**
 * A run still `running` ends now (the span covers what is known so far); an unreadable finish, or
 * one before the start (a clock stepped back), ends at the start, as a span may not end before it begins.
 */
function endTimeOf(run: SpanRun, startTime: HrTime, nowMillis: number): HrTime {
  const end =
    run.status === 'running' || run.finishedAt === null
      ? hrTimeFromMillis(nowMillis)
      : (hrTimeFromIso(run.finishedAt) ?? startTime);
  return compareHrTime(end, startTime) < 0 ? startTime : end;
}

/**
 * The lineage parent's span when the run has one; otherwise the caller's span from TRACEPARENT
 * (marked remote: it lives in another process), so the trace continues the caller's.
 */
function parentContextOf(run: SpanRun, context: SpanBuildContext): SpanContext | null {
  const {api} = context;
  if (run.parentRunId !== null) {
    return {
      traceId: run.traceId,
      spanId: spanIdOf(run.parentRunId),
      traceFlags: api.TraceFlags.SAMPLED,
      isRemote: false,
    };
  }
  const root = context.rootParent;
  if (
    root !== null &&
    isValidSpanId(root.spanId) &&
    (root.traceId === null || root.traceId === run.traceId)
  ) {
    return {
      traceId: run.traceId,
      spanId: root.spanId,
      traceFlags: api.TraceFlags.SAMPLED,
      isRemote: true,
    };
  }
  return null;
}

/**
 * ERROR for runs that failed; OK for completed ones. Degraded and cancelled runs are neither an
 * error nor a plain success, so their status stays UNSET, as the span status spec asks for when the
 * outcome is not clearly an error, and `egregora.status` says which they were.
 */
function statusOf(run: SpanRun, api: SpanBuildContext['api']): SpanStatus {
  switch (run.status) {
    case 'failed':
    case 'crashed':
      return {code: api.SpanStatusCode.ERROR, message: run.error ?? run.status};
    case 'completed':
      return {code: api.SpanStatusCode.OK};
    default:
      return {code: api.SpanStatusCode.UNSET};
  }
}

function attributesOf(run: SpanRun): Attributes {
  const attributes: Attributes = {
    [ATTR.stage]: run.stage,
    [ATTR.runId]: run.runId,
    [ATTR.status]: run.status,
  };
  // Nulls are left out: an attribute means "measured", and 0 would claim a count nobody took.
  setIfPresent(attributes, ATTR.error, run.error);
  setIfPresent(attributes, ATTR.rowsIn, run.rowsIn);
  setIfPresent(attributes, ATTR.rowsOut, run.rowsOut);
  setIfPresent(attributes, ATTR.llmCalls, run.llmCalls);
  setIfPresent(attributes, ATTR.tokens, run.tokens);
  if (run.llm !== null) {
    attributes[ATTR.genAiOperation] = GEN_AI_OPERATION;
    attributes[ATTR.genAiProvider] = run.llm.provider ?? DEFAULT_GEN_AI_PROVIDER;
    attributes[ATTR.genAiModel] = run.llm.model;
    attributes[ATTR.genAiInputTokens] = run.llm.inputTokens;
    attributes[ATTR.genAiOutputTokens] = run.llm.outputTokens;
  }
  return attributes;
}

function setIfPresent(attributes: Attributes, key: string, value: string | number | null): void {
  if (value !== null) attributes[key] = value;
}

/**
 * The resource attributes the environment adds, as the SDK's envDetector reads them:
 * `OTEL_RESOURCE_ATTRIBUTES` (`k=v,…`, values percent-decoded, optionally quoted) and
 * `OTEL_SERVICE_NAME`, which wins for `service.name`. A pair that does not parse is skipped.
 */
export function resourceAttributesFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const entry of (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',')) {
    const parts = entry.split('=');
    if (parts.length !== 2) continue;
    const key = (parts[0] ?? '').trim();
    const value = (parts[1] ?? '').trim().replace(/^"|"$/g, '');
    if (key === '') continue;
    try {
      attributes[key] = decodeURIComponent(value);
    } catch {
      // A malformed escape: skip this pair.
    }
  }
  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  if (serviceName) attributes['service.name'] = serviceName;
  return attributes;
}
