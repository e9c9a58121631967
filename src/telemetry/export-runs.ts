/**
 * Export of runs to OpenTelemetry: one span per run, posted to an OTLP/HTTP collector with the
 * official JS SDK's exporters (protobuf by default, JSON on request). Nothing here is imported
 * statically but types and small local helpers; the SDK is loaded with `import()` inside
 * exportRunSpans, so commands that never export pay nothing at start-up.
 *
 * Export is a courtesy on top of runs.duckdb, never a reason for a command to fail or hang: every
 * failure becomes one warning line, and the whole export has a bounded time budget.
 */
import type {ReadableSpan} from '@opentelemetry/sdk-trace-base';
import {telemetryEnabled} from './enabled.js';
import {parentSpanIdFromTraceparent} from './ids.js';
import {displayEndpoint, type OtlpTraceConfig, resolveOtlpConfig} from './otlp-config.js';
import {buildSpans, resourceAttributesFromEnv, type SpanRun} from './span-records.js';

export {telemetryEnabled} from './enabled.js';
export {parentSpanIdFromTraceparent, spanIdOf} from './ids.js';
export {EXPORT_TIMEOUT_MS, MAX_EXPORT_TIMEOUT_MS} from './otlp-config.js';
export type {SpanRun, SpanRunStatus} from './span-records.js';

export interface ExportResult {
  /** Spans the collector accepted. */
  readonly exported: number;
  /** One line for the user when some or all spans were not exported; null when all were (or export is off). */
  readonly warning: string | null;
}

export interface ExportRunSpansOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly runs: readonly SpanRun[];
  /** The tool's version, as `service.version` of the resource. */
  readonly serviceVersion: string;
  /**
   * The span that parentless runs hang under: the parent-id of TRACEPARENT, so the trace continues
   * the caller's. Undefined: taken from `env.TRACEPARENT`, and used only for runs of that trace.
   * Null: none.
   */
  readonly rootParentSpanId?: string | null;
}

/** The resource's `service.name`, unless OTEL_SERVICE_NAME says otherwise. */
const SERVICE_NAME = 'egregora';

/**
 * Spans per request. The SDK's BatchSpanProcessor sends at most 512 per export by default, a size
 * every collector accepts (roughly 0.3 MB of protobuf for runs); a chat of thousands of windows goes
 * out in a few requests rather than one body large enough to meet a collector's size limit.
 */
const MAX_SPANS_PER_REQUEST = 512;

/**
 * How long past the budget we wait for the exporter to report before giving up on it. The exporter
 * times its request out itself (it is given the remaining budget); this only guards against a
 * callback that never comes, and is short because the user is waiting.
 */
const DEADLINE_GRACE_MS = 250;

/** Exports one span per run. Never throws; see the file comment. */
export async function exportRunSpans(options: ExportRunSpansOptions): Promise<ExportResult> {
  if (options.runs.length === 0 || !telemetryEnabled(options.env)) return {exported: 0, warning: null};
  const resolved = resolveOtlpConfig(options.env);
  if (!resolved.ok) {
    return {
      exported: 0,
      warning: warningLine(resolved.endpoint, options.runs.length, options.runs.length, [resolved.reason]),
    };
  }
  try {
    return await exportWithConfig(resolved.config, options);
  } catch (error) {
    // Loading the SDK or building spans failed (a broken install, a bug): still only a warning.
    return {
      exported: 0,
      warning: warningLine(resolved.config.url, options.runs.length, options.runs.length, [reasonOf(error)]),
    };
  }
}

async function exportWithConfig(
  config: OtlpTraceConfig,
  options: ExportRunSpansOptions,
): Promise<ExportResult> {
  const deadline = Date.now() + config.timeoutMs;
  const sdk = await loadSdk(config);
  const traceparent = options.env.TRACEPARENT;
  const {spans, skipped} = buildSpans(options.runs, {
    api: sdk.api,
    resource: sdk.resources
      .defaultResource()
      .merge(
        sdk.resources.resourceFromAttributes({
          'service.name': SERVICE_NAME,
          'service.version': options.serviceVersion,
        }),
      )
      .merge(sdk.resources.resourceFromAttributes(resourceAttributesFromEnv(options.env))),
    scope: {name: SERVICE_NAME, version: options.serviceVersion},
    rootParent:
      options.rootParentSpanId === undefined
        ? rootParentFromTraceparent(traceparent)
        : options.rootParentSpanId === null
          ? null
          : {spanId: options.rootParentSpanId, traceId: null},
    nowMillis: Date.now(),
  });

  const reasons: string[] = [];
  if (skipped > 0) reasons.push(`${skipped} run(s) without a valid trace id or start time`);
  let exported = 0;
  for (let start = 0; start < spans.length; start += MAX_SPANS_PER_REQUEST) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      reasons.push(`no answer within ${config.timeoutMs} ms`);
      break;
    }
    const batch = spans.slice(start, start + MAX_SPANS_PER_REQUEST);
    const outcome = await exportBatch(sdk, config, batch, remaining, options.serviceVersion);
    if (!outcome.ok) {
      reasons.push(outcome.reason);
      break;
    }
    exported += batch.length;
  }
  const total = options.runs.length;
  return {
    exported,
    warning: exported === total ? null : warningLine(config.url, total - exported, total, reasons),
  };
}

type Sdk = Awaited<ReturnType<typeof loadSdk>>;

/** The SDK parts, loaded on demand; only the exporter of the configured protocol is loaded. */
async function loadSdk(config: OtlpTraceConfig) {
  const [api, core, resources, exporter] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    config.protocol === 'http/json'
      ? import('@opentelemetry/exporter-trace-otlp-http')
      : import('@opentelemetry/exporter-trace-otlp-proto'),
  ]);
  return {
    api: namespaceWith(api, 'SpanStatusCode'),
    core: namespaceWith(core, 'ExportResultCode'),
    resources: namespaceWith(resources, 'resourceFromAttributes'),
    OTLPTraceExporter: namespaceWith(exporter, 'OTLPTraceExporter').OTLPTraceExporter,
  };
}

/**
 * The module namespace that has `member`. These packages are CommonJS for Node (their `main`).
 * Node's own `import()` of CommonJS finds the named exports, but the CLI is bundled with esbuild
 * (bin/bundle.js), whose `import()` of a CommonJS module in a split chunk offers only `default`
 * (= module.exports). Looking for a known member in both places works either way.
 */
function namespaceWith<T extends object>(namespace: T, member: keyof T): T {
  if (typeof namespace[member] !== 'undefined') return namespace;
  const fallback: unknown = (namespace as {default?: unknown}).default;
  return typeof fallback === 'object' && fallback !== null && member in fallback
    ? (fallback as T)
    : namespace;
}

type BatchOutcome = {readonly ok: true} | {readonly ok: false; readonly reason: string};
type ExporterConfig = NonNullable<ConstructorParameters<Sdk['OTLPTraceExporter']>[0]>;

/**
 * One request through a fresh exporter whose own timeout is what is left of the budget, so no
 * request outlives the export (a hung socket would otherwise keep the CLI's process alive).
 * The exporter's retries of 429/502/503/504 happen within that timeout too.
 */
async function exportBatch(
  sdk: Sdk,
  config: OtlpTraceConfig,
  spans: ReadableSpan[],
  remainingMs: number,
  serviceVersion: string,
): Promise<BatchOutcome> {
  const exporterConfig: ExporterConfig = {
    url: config.url,
    headers: {...config.headers},
    timeoutMillis: remainingMs,
    // Sequential requests: one at a time is all the exporter will ever hold.
    concurrencyLimit: 1,
    userAgent: `egregora/${serviceVersion}`,
    ...(config.compression === undefined
      ? {}
      : {compression: config.compression as NonNullable<ExporterConfig['compression']>}),
  };
  let exporter: InstanceType<Sdk['OTLPTraceExporter']>;
  let sent: Promise<BatchOutcome>;
  try {
    exporter = new sdk.OTLPTraceExporter(exporterConfig);
    const started = exporter;
    sent = new Promise<BatchOutcome>((resolve) => {
      started.export(spans, (result) => {
        resolve(
          result.code === sdk.core.ExportResultCode.SUCCESS
            ? {ok: true}
            : {ok: false, reason: reasonOf(result.error)},
        );
      });
    });
  } catch (error) {
    // A synchronous failure (configuration, serialization) ends this batch, not the count so far.
    return {ok: false, reason: reasonOf(error)};
  }
  const outcome = await withDeadline(sent, remainingMs + DEADLINE_GRACE_MS, {
    ok: false,
    reason: `no answer within ${Math.round(remainingMs)} ms`,
  });
  // After a success nothing is pending and shutdown is immediate; after a timeout it would wait for
  // the request it abandoned, so it is not awaited then (the request times itself out).
  const shutdown = exporter.shutdown().catch(() => undefined);
  if (outcome.ok) await withDeadline(shutdown, DEADLINE_GRACE_MS, undefined);
  return outcome;
}

function rootParentFromTraceparent(
  traceparent: string | undefined,
): {spanId: string; traceId: string} | null {
  const spanId = parentSpanIdFromTraceparent(traceparent);
  const traceId = traceparent?.trim().split('-')[1];
  return spanId === null || traceId === undefined ? null : {spanId, traceId};
}

function withDeadline<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Longest reason shown: a collector's error body can be a whole HTML page. */
const MAX_REASON_CHARS = 160;

/** What the exporter reports once its retries of 429/502/503/504 answers ran out of time. */
const RETRYABLE_GAVE_UP = 'Export failed with retryable status';

/** A failure as a few words for the warning, on one line. */
function reasonOf(error: unknown): string {
  // Node's "happy eyeballs" connect (localhost → ::1 and 127.0.0.1) fails with an AggregateError
  // whose own message is empty; the first attempt's error says what happened.
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  let text: string;
  if (error instanceof Error) {
    // OTLPExporterError: `code` is the HTTP status, `data` the response body.
    const {code, data} = error as Error & {code?: unknown; data?: unknown};
    if (typeof code === 'number') {
      const body = typeof data === 'string' && data.trim() !== '' ? `: ${data}` : '';
      text = `HTTP ${code}${error.message ? ` ${error.message}` : ''}${body}`;
    } else if (error.message === RETRYABLE_GAVE_UP) {
      // The SDK drops the status it retried on; say what the retryable ones mean.
      text = 'the collector answered "busy" (HTTP 429/502/503/504) until the time ran out';
    } else {
      text = error.message || (typeof code === 'string' ? code : error.name);
    }
  } else {
    text = error === undefined ? 'unknown error' : String(error);
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 1)}…` : line;
}

function warningLine(
  endpoint: string | null,
  notExported: number,
  total: number,
  reasons: readonly string[],
): string {
  const where = endpoint === null ? 'the collector' : displayEndpoint(endpoint);
  const count = notExported === total ? 'spans were' : `${notExported} of ${total} spans were`;
  const why = reasons.length > 0 ? ` (${reasons.join('; ')})` : '';
  return `OpenTelemetry: ${count} not exported to ${where}${why}; the runs are still in runs.duckdb.`;
}
