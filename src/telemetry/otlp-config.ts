/**
 * The OTLP/HTTP exporter settings, read from the `env` the caller passes, with the rules of the
 * OpenTelemetry JS SDK (@opentelemetry/otlp-exporter-base 0.208, configuration/*-env-configuration):
 * signal-specific `OTEL_EXPORTER_OTLP_TRACES_*` variables win over the general ones, blank values
 * count as unset, the general endpoint gets `v1/traces` appended and the traces endpoint is used as
 * given. The SDK reads `process.env` itself; reading the passed `env` instead keeps this function
 * explicit and testable, and the values are then handed to the exporter as its own options (which
 * take precedence over what it reads).
 */

export type OtlpProtocol = 'http/protobuf' | 'http/json';

/**
 * How long one export may take by default, in milliseconds. Export happens at the end of a command,
 * after the work is done and recorded, so every second it waits is a second the user waits for
 * nothing. A collector on the same machine or network answers in milliseconds; 3 s leaves room for
 * a remote one across a slow link (a TLS handshake plus one request), while an unreachable one costs
 * the user no more than a short pause. The SDK's default of 10 s suits long-lived services, not a CLI.
 */
export const EXPORT_TIMEOUT_MS = 3000;

/**
 * The most `OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT` may raise that to. A user who asks for a longer
 * wait gets it, up to the SDK's own default (10 s): beyond that a collector is not "slow" but down.
 */
export const MAX_EXPORT_TIMEOUT_MS = 10_000;

export interface OtlpTraceConfig {
  /** Where spans are posted, e.g. http://localhost:4318/v1/traces. */
  readonly url: string;
  readonly protocol: OtlpProtocol;
  /** From OTEL_EXPORTER_OTLP_HEADERS, overridden key by key by OTEL_EXPORTER_OTLP_TRACES_HEADERS. */
  readonly headers: Readonly<Record<string, string>>;
  /** Undefined: the SDK's default (none). */
  readonly compression: 'gzip' | 'none' | undefined;
  /** The whole export's budget, EXPORT_TIMEOUT_MS unless the environment says otherwise. */
  readonly timeoutMs: number;
}

export type OtlpConfigResult =
  | {readonly ok: true; readonly config: OtlpTraceConfig}
  | {readonly ok: false; readonly endpoint: string | null; readonly reason: string};

const TRACES_PATH = 'v1/traces';

export function resolveOtlpConfig(env: NodeJS.ProcessEnv): OtlpConfigResult {
  const endpoint = endpointOf(env);
  if (endpoint === null) {
    return {
      ok: false,
      endpoint: null,
      reason: 'neither OTEL_EXPORTER_OTLP_ENDPOINT nor OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set',
    };
  }
  const url = parseUrl(endpoint.url);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return {
      ok: false,
      endpoint: endpoint.url,
      reason: `${endpoint.variable} is not an http(s) URL`,
    };
  }
  const protocol = protocolOf(env);
  if (!protocol.ok) return {ok: false, endpoint: url.href, reason: protocol.reason};
  return {
    ok: true,
    config: {
      url: url.href,
      protocol: protocol.value,
      headers: {
        ...parseHeaders(setting(env, 'OTEL_EXPORTER_OTLP_HEADERS')),
        ...parseHeaders(setting(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS')),
      },
      compression: compressionOf(env),
      timeoutMs: timeoutOf(env),
    },
  };
}

/**
 * The endpoint for display in a warning: scheme, host and path only. User info and the query are
 * dropped because that is where people put credentials, and warnings end up in CI logs.
 */
export function displayEndpoint(endpoint: string): string {
  const url = parseUrl(endpoint);
  return url === null ? '(an invalid URL)' : `${url.protocol}//${url.host}${url.pathname}`;
}

function endpointOf(env: NodeJS.ProcessEnv): {variable: string; url: string} | null {
  const specific = setting(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (specific !== undefined) return {variable: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', url: specific.trim()};
  const general = setting(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (general === undefined) return null;
  const base = general.trim();
  return {
    variable: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    url: `${base.endsWith('/') ? base : `${base}/`}${TRACES_PATH}`,
  };
}

function protocolOf(env: NodeJS.ProcessEnv): {ok: true; value: OtlpProtocol} | {ok: false; reason: string} {
  const variable =
    setting(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') === undefined
      ? 'OTEL_EXPORTER_OTLP_PROTOCOL'
      : 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL';
  const value = setting(env, variable)?.trim().toLowerCase() ?? 'http/protobuf';
  if (value === 'http/protobuf' || value === 'http/json') return {ok: true, value};
  // gRPC needs another exporter package (and a native-free gRPC stack); egregora ships OTLP/HTTP only.
  return {
    ok: false,
    reason: `${variable}=${value} is not supported (use http/protobuf or http/json)`,
  };
}

function compressionOf(env: NodeJS.ProcessEnv): 'gzip' | 'none' | undefined {
  for (const variable of ['OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION']) {
    const value = setting(env, variable)?.trim();
    // Like the SDK, an invalid value is ignored rather than fatal.
    if (value === 'gzip' || value === 'none') return value;
  }
  return undefined;
}

function timeoutOf(env: NodeJS.ProcessEnv): number {
  for (const variable of ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const raw = setting(env, variable);
    if (raw === undefined) continue;
    const value = Number(raw);
    if (Number.isFinite(value) && value > 0) return Math.min(value, MAX_EXPORT_TIMEOUT_MS);
  }
  return EXPORT_TIMEOUT_MS;
}

/**
 * `key=value` pairs separated by commas, keys and values percent-decoded and trimmed, as the SDK's
 * `parseKeyPairsIntoRecord` (W3C baggage format, properties after `;` ignored). One difference: a
 * malformed percent escape skips that pair, where the SDK's decodeURIComponent would throw.
 */
export function parseHeaders(raw: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (raw === undefined) return headers;
  for (const entry of raw.split(',')) {
    const pair = entry.split(';')[0] ?? '';
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    try {
      const key = decodeURIComponent(pair.slice(0, separator).trim());
      const value = decodeURIComponent(pair.slice(separator + 1).trim());
      if (key !== '' && value !== '') headers[key] = value;
    } catch {
      // A malformed escape: this pair is dropped, the others still apply.
    }
  }
  return headers;
}

/** A variable's value, or undefined when unset or blank (the SDK's getStringFromEnv). */
function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
