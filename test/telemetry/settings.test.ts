// The cheap parts of telemetry: whether it is on, span ids, the exporter settings read from the
// environment, and run times. No SDK and no network here.
import {describe, expect, it} from 'vitest';
import {telemetryEnabled} from '../../src/telemetry/enabled.js';
import {isValidSpanId, parentSpanIdFromTraceparent, spanIdOf} from '../../src/telemetry/ids.js';
import {
  displayEndpoint,
  EXPORT_TIMEOUT_MS,
  MAX_EXPORT_TIMEOUT_MS,
  parseHeaders,
  resolveOtlpConfig,
} from '../../src/telemetry/otlp-config.js';
import {resourceAttributesFromEnv} from '../../src/telemetry/span-records.js';
import {hrTimeFromIso} from '../../src/telemetry/times.js';

describe('telemetryEnabled', () => {
  it('is on when either endpoint variable is set', () => {
    expect(telemetryEnabled({OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318'})).toBe(true);
    expect(telemetryEnabled({OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4318/v1/traces'})).toBe(
      true,
    );
  });

  it('is off when neither is set, or they are empty or blank', () => {
    expect(telemetryEnabled({})).toBe(false);
    expect(telemetryEnabled({OTEL_EXPORTER_OTLP_ENDPOINT: ''})).toBe(false);
    expect(
      telemetryEnabled({OTEL_EXPORTER_OTLP_ENDPOINT: '  ', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ''}),
    ).toBe(false);
    // Other OTLP variables alone do not name a collector.
    expect(
      telemetryEnabled({OTEL_EXPORTER_OTLP_HEADERS: 'a=b', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json'}),
    ).toBe(false);
  });

  it("obeys the SDK's off switches", () => {
    const endpoint = {OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318'};
    expect(telemetryEnabled({...endpoint, OTEL_SDK_DISABLED: 'TRUE'})).toBe(false);
    expect(telemetryEnabled({...endpoint, OTEL_SDK_DISABLED: 'false'})).toBe(true);
    expect(telemetryEnabled({...endpoint, OTEL_TRACES_EXPORTER: 'none'})).toBe(false);
    expect(telemetryEnabled({...endpoint, OTEL_TRACES_EXPORTER: 'otlp'})).toBe(true);
  });
});

describe('spanIdOf', () => {
  it('is deterministic, 16 lowercase hex, not zero, and differs between runs', () => {
    const runId = '0193a5f2-7c1e-7a3b-9d4e-5f6a7b8c9d0e';
    expect(spanIdOf(runId)).toBe(spanIdOf(runId));
    expect(spanIdOf(runId)).toMatch(/^[0-9a-f]{16}$/);
    expect(isValidSpanId(spanIdOf(runId))).toBe(true);
    expect(spanIdOf(runId)).not.toBe(spanIdOf('0193a5f2-7c1e-7a3b-9d4e-5f6a7b8c9d0f'));
  });

  it('is the first 16 hex of sha256(runId)', () => {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    expect(spanIdOf('abc')).toBe('ba7816bf8f01cfea');
  });
});

describe('parentSpanIdFromTraceparent', () => {
  it('takes the parent-id of a valid traceparent and refuses the rest', () => {
    expect(parentSpanIdFromTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).toBe(
      'b7ad6b7169203331',
    );
    expect(parentSpanIdFromTraceparent(undefined)).toBeNull();
    expect(parentSpanIdFromTraceparent('00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01')).toBeNull();
    expect(parentSpanIdFromTraceparent('garbage')).toBeNull();
  });
});

describe('resolveOtlpConfig', () => {
  it('appends v1/traces to the general endpoint, with or without a trailing slash', () => {
    for (const endpoint of ['http://collector:4318', 'http://collector:4318/']) {
      const result = resolveOtlpConfig({OTEL_EXPORTER_OTLP_ENDPOINT: endpoint});
      expect(result.ok && result.config.url).toBe('http://collector:4318/v1/traces');
    }
    const withPath = resolveOtlpConfig({OTEL_EXPORTER_OTLP_ENDPOINT: 'https://example.test/otlp'});
    expect(withPath.ok && withPath.config.url).toBe('https://example.test/otlp/v1/traces');
  });

  it('uses the traces endpoint as given, and prefers it', () => {
    const result = resolveOtlpConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://general:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/custom/path',
    });
    expect(result.ok && result.config.url).toBe('http://traces:4318/custom/path');
  });

  it('defaults to protobuf and the bounded timeout; JSON on request', () => {
    const plain = resolveOtlpConfig({OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318'});
    expect(plain.ok && plain.config.protocol).toBe('http/protobuf');
    expect(plain.ok && plain.config.timeoutMs).toBe(EXPORT_TIMEOUT_MS);
    const json = resolveOtlpConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(json.ok && json.config.protocol).toBe('http/json');
    const specific = resolveOtlpConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
    });
    expect(specific.ok && specific.config.protocol).toBe('http/protobuf');
  });

  it('refuses gRPC and URLs that are not http(s), naming the variable', () => {
    const grpc = resolveOtlpConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    });
    expect(grpc.ok).toBe(false);
    expect(!grpc.ok && grpc.reason).toContain('OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported');
    const bad = resolveOtlpConfig({OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url'});
    expect(!bad.ok && bad.reason).toContain('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  });

  it('merges headers, the traces-specific ones winning', () => {
    const result = resolveOtlpConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20general,x-team=egregora',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'authorization=Bearer%20traces',
    });
    expect(result.ok && result.config.headers).toEqual({
      authorization: 'Bearer traces',
      'x-team': 'egregora',
    });
  });

  it('honours the timeout variables, up to a ceiling', () => {
    const env = {OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318'};
    const low = resolveOtlpConfig({...env, OTEL_EXPORTER_OTLP_TIMEOUT: '500'});
    expect(low.ok && low.config.timeoutMs).toBe(500);
    const high = resolveOtlpConfig({...env, OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '600000'});
    expect(high.ok && high.config.timeoutMs).toBe(MAX_EXPORT_TIMEOUT_MS);
    const invalid = resolveOtlpConfig({...env, OTEL_EXPORTER_OTLP_TIMEOUT: '-1'});
    expect(invalid.ok && invalid.config.timeoutMs).toBe(EXPORT_TIMEOUT_MS);
  });
});

describe('parseHeaders', () => {
  it('skips malformed pairs and keeps the others', () => {
    expect(parseHeaders('a=1,=2,b,c=%E0%A4%A,d = 4 ;prop')).toEqual({a: '1', d: '4'});
  });
});

describe('displayEndpoint', () => {
  it('leaves out credentials and the query', () => {
    expect(displayEndpoint('https://user:secret@collector.test:4318/v1/traces?token=abc')).toBe(
      'https://collector.test:4318/v1/traces',
    );
  });
});

describe('resourceAttributesFromEnv', () => {
  it('reads OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME winning for service.name', () => {
    expect(
      resourceAttributesFromEnv({
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=ci,service.name=other,team="a%20b",broken',
        OTEL_SERVICE_NAME: 'egregora-ci',
      }),
    ).toEqual({'deployment.environment': 'ci', 'service.name': 'egregora-ci', team: 'a b'});
  });
});

describe('hrTimeFromIso', () => {
  it('keeps microseconds', () => {
    expect(hrTimeFromIso('2026-12-03T10:20:52.123456Z')).toEqual([
      Date.UTC(2026, 11, 3, 10, 20, 52) / 1000,
      123456000,
    ]);
    expect(hrTimeFromIso('2026-12-03T10:20:52Z')).toEqual([Date.UTC(2026, 11, 3, 10, 20, 52) / 1000, 0]);
  });

  it('reads offsets and DuckDB’s space-separated form', () => {
    const utc = hrTimeFromIso('2026-12-03T10:20:52.5Z');
    expect(hrTimeFromIso('2026-12-03T12:20:52.5+02:00')).toEqual(utc);
    expect(hrTimeFromIso('2026-12-03 10:20:52.500000+00')).toEqual(utc);
  });

  it('refuses what is not an instant', () => {
    expect(hrTimeFromIso('yesterday')).toBeNull();
    expect(hrTimeFromIso('2026-12-03T10:20:52')).toBeNull();
  });
});
