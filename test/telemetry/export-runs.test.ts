// exportRunSpans against a real HTTP collector stand-in (test/telemetry/otlp-receiver.ts): what goes
// over the wire in both encodings, and that no collector failure can break or stall a command.
import {afterEach, describe, expect, it} from 'vitest';
import {EXPORT_TIMEOUT_MS, exportRunSpans, type SpanRun, spanIdOf} from '../../src/telemetry/export-runs.js';
import {closedPort, type Receiver, startReceiver} from './otlp-receiver.js';
import {decodeSpans} from './protobuf-wire.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

/** An invocation as the runs store would hold it: process → ingest → windows → a split part. */
function invocation(traceId = TRACE_ID): SpanRun[] {
  const base = {
    traceId,
    error: null,
    rowsIn: null,
    rowsOut: null,
    llmCalls: null,
    tokens: null,
    llm: null,
  } as const;
  return [
    {
      ...base,
      runId: 'run-process',
      stage: 'process',
      status: 'failed',
      error: 'WindowFailed: 1 of 3 windows failed',
      startedAt: '2026-12-03T10:20:50.000001Z',
      finishedAt: '2026-12-03T10:20:59.999999Z',
      parentRunId: null,
    },
    {
      ...base,
      runId: 'run-ingest',
      stage: 'ingest',
      status: 'completed',
      startedAt: '2026-12-03T10:20:50.100000Z',
      finishedAt: '2026-12-03T10:20:51.123456Z',
      parentRunId: 'run-process',
      rowsIn: 120,
      rowsOut: 100,
    },
    {
      ...base,
      runId: 'run-window-0',
      stage: 'window_0',
      status: 'completed',
      startedAt: '2026-12-03T10:20:52.123456Z',
      finishedAt: '2026-12-03T10:20:53.654321Z',
      parentRunId: 'run-ingest',
      rowsIn: 100,
      rowsOut: 1,
      llmCalls: 1,
      tokens: 1500,
      llm: {model: 'gpt-test', inputTokens: 1200, outputTokens: 300},
    },
    {
      ...base,
      runId: 'run-window-1',
      stage: 'window_1',
      status: 'crashed',
      error: 'process 4242 died',
      startedAt: '2026-12-03T10:20:54Z',
      finishedAt: '2026-12-03T10:20:55Z',
      parentRunId: 'run-ingest',
    },
    {
      ...base,
      runId: 'run-window-1-part-1',
      stage: 'window_1.part_1',
      status: 'degraded',
      error: 'SplitWindow: prompt over budget',
      startedAt: '2026-12-03T10:20:54.5Z',
      finishedAt: '2026-12-03T10:20:54.75Z',
      parentRunId: 'run-window-1',
    },
    {
      ...base,
      runId: 'run-window-2',
      stage: 'window_2',
      status: 'cancelled',
      startedAt: '2026-12-03T10:20:56Z',
      finishedAt: '2026-12-03T10:20:57Z',
      parentRunId: 'run-ingest',
    },
    {
      ...base,
      runId: 'run-window-3',
      stage: 'window_3',
      status: 'running',
      startedAt: '2026-12-03T10:20:58Z',
      finishedAt: null,
      parentRunId: 'run-ingest',
    },
  ];
}

// OTLP/JSON, as the exporter writes it (ids in hex, times as strings of nanoseconds).
type JsonValue = {stringValue?: string; intValue?: number | string; doubleValue?: number};
type JsonSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: {code?: number; message?: string};
  attributes: {key: string; value: JsonValue}[];
};
type JsonRequest = {
  resourceSpans: {
    resource: {attributes: {key: string; value: JsonValue}[]};
    scopeSpans: {scope: {name: string; version?: string}; spans: JsonSpan[]}[];
  }[];
};

function attributes(list: {key: string; value: JsonValue}[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const {key, value} of list) {
    out[key] =
      value.stringValue ??
      (value.intValue === undefined ? (value.doubleValue ?? NaN) : Number(value.intValue));
  }
  return out;
}

/** OTLP status codes (trace/v1 Status.StatusCode). */
const UNSET = 0;
const OK = 1;
const ERROR = 2;

let receiver: Receiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

describe('exportRunSpans over http/json', () => {
  it('sends one span per run, with ids, lineage, times, status and attributes', async () => {
    receiver = await startReceiver();
    const runs = invocation();
    const before = Date.now();
    const result = await exportRunSpans({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=general,x-team=egregora',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-api-key=traces%20key',
      },
      runs,
      serviceVersion: '1.2.3',
      rootParentSpanId: CALLER_SPAN,
    });
    expect(result).toEqual({exported: runs.length, warning: null});

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    if (request === undefined) throw new Error('no request');
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/traces');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-api-key']).toBe('traces key');
    expect(request.headers['x-team']).toBe('egregora');
    expect(request.headers['user-agent']).toMatch(/^egregora\/1\.2\.3 OTel-OTLP-Exporter-JavaScript\//);

    const body = JSON.parse(request.body.toString('utf8')) as JsonRequest;
    expect(body.resourceSpans).toHaveLength(1);
    const [resourceSpans] = body.resourceSpans;
    if (resourceSpans === undefined) throw new Error('no resourceSpans');
    expect(attributes(resourceSpans.resource.attributes)).toMatchObject({
      'service.name': 'egregora',
      'service.version': '1.2.3',
    });
    const spans = resourceSpans.scopeSpans.flatMap((scope) => scope.spans);
    expect(spans.map((span) => span.name)).toEqual(runs.map((run) => run.stage));
    const byName = new Map(spans.map((span) => [span.name, span]));
    const span = (name: string): JsonSpan => {
      const found = byName.get(name);
      if (found === undefined) throw new Error(`no span ${name}`);
      return found;
    };

    for (const run of runs) {
      const exported = span(run.stage);
      expect(exported.traceId).toBe(TRACE_ID);
      expect(exported.spanId).toBe(spanIdOf(run.runId));
      // The root continues the caller's trace; every other span names its lineage parent's.
      expect(exported.parentSpanId).toBe(run.parentRunId === null ? CALLER_SPAN : spanIdOf(run.parentRunId));
      expect(exported.kind).toBe(1); // SPAN_KIND_INTERNAL
      expect(attributes(exported.attributes)).toMatchObject({
        'egregora.stage': run.stage,
        'egregora.run_id': run.runId,
        'egregora.status': run.status,
      });
    }

    // Microsecond times survive exactly.
    expect(BigInt(span('window_0').startTimeUnixNano)).toBe(
      BigInt(Date.UTC(2026, 11, 3, 10, 20, 52)) * 1_000_000n + 123_456_000n,
    );
    expect(BigInt(span('window_0').endTimeUnixNano)).toBe(
      BigInt(Date.UTC(2026, 11, 3, 10, 20, 53)) * 1_000_000n + 654_321_000n,
    );
    // A run still running ends at export time.
    const runningEnd = Number(BigInt(span('window_3').endTimeUnixNano) / 1_000_000n);
    expect(runningEnd).toBeGreaterThanOrEqual(before - 1);
    expect(runningEnd).toBeLessThanOrEqual(Date.now() + 1);

    expect(span('process').status).toEqual({code: ERROR, message: 'WindowFailed: 1 of 3 windows failed'});
    expect(span('window_1').status).toEqual({code: ERROR, message: 'process 4242 died'});
    expect(span('ingest').status.code).toBe(OK);
    expect(span('window_0').status.code).toBe(OK);
    for (const name of ['window_1.part_1', 'window_2', 'window_3']) {
      expect(span(name).status.code ?? UNSET).toBe(UNSET);
    }
    expect(attributes(span('window_1.part_1').attributes)['egregora.status']).toBe('degraded');
    expect(attributes(span('window_2').attributes)['egregora.status']).toBe('cancelled');

    expect(attributes(span('ingest').attributes)).toMatchObject({
      'egregora.rows_in': 120,
      'egregora.rows_out': 100,
    });
    // Unmeasured counts are left out, not sent as zero.
    expect(Object.keys(attributes(span('ingest').attributes))).not.toContain('egregora.llm_calls');
    expect(Object.keys(attributes(span('ingest').attributes)).some((key) => key.startsWith('gen_ai.'))).toBe(
      false,
    );

    expect(attributes(span('window_0').attributes)).toMatchObject({
      'egregora.llm_calls': 1,
      'egregora.tokens': 1500,
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
    });
  });

  it('takes the root parent from TRACEPARENT when none is passed, for runs of that trace only', async () => {
    receiver = await startReceiver();
    const other = 'ffffffffffffffffffffffffffffffff';
    const runs = [
      ...invocation().slice(0, 1),
      ...invocation(other)
        .slice(0, 1)
        .map((run) => ({...run, runId: 'x'})),
    ];
    const result = await exportRunSpans({
      env: {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.origin}/custom/traces`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        TRACEPARENT: `00-${TRACE_ID}-${CALLER_SPAN}-01`,
      },
      runs,
      serviceVersion: '1.2.3',
    });
    expect(result.warning).toBeNull();
    expect(receiver.requests[0]?.path).toBe('/custom/traces');
    const body = JSON.parse(receiver.requests[0]?.body.toString('utf8') ?? '{}') as JsonRequest;
    const spans = body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(spans.find((s) => s.traceId === TRACE_ID)?.parentSpanId).toBe(CALLER_SPAN);
    expect(spans.find((s) => s.traceId === other)?.parentSpanId ?? '').toBe('');
  });

  it('lets OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES add to the resource', async () => {
    receiver = await startReceiver();
    await exportRunSpans({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'egregora-ci',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=ci',
      },
      runs: invocation().slice(0, 1),
      serviceVersion: '1.2.3',
    });
    const body = JSON.parse(receiver.requests[0]?.body.toString('utf8') ?? '{}') as JsonRequest;
    expect(attributes(body.resourceSpans[0]?.resource.attributes ?? [])).toMatchObject({
      'service.name': 'egregora-ci',
      'service.version': '1.2.3',
      'deployment.environment': 'ci',
    });
  });

  it('sends many runs in batches of at most 512 spans', async () => {
    receiver = await startReceiver();
    const template = invocation()[2] as SpanRun;
    const runs = Array.from({length: 600}, (_, i) => ({
      ...template,
      runId: `run-${i}`,
      stage: `window_${i}`,
    }));
    const result = await exportRunSpans({
      env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json'},
      runs,
      serviceVersion: '1.2.3',
    });
    expect(result).toEqual({exported: 600, warning: null});
    const counts = receiver.requests.map((request) => {
      const body = JSON.parse(request.body.toString('utf8')) as JsonRequest;
      return body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length;
    });
    expect(counts).toEqual([512, 88]);
  });
});

describe('exportRunSpans over http/protobuf (the default)', () => {
  it('sends protobuf with the trace id, span ids, lineage and stage names', async () => {
    receiver = await startReceiver();
    const runs = invocation();
    const result = await exportRunSpans({
      env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin},
      runs,
      serviceVersion: '1.2.3',
      rootParentSpanId: null,
    });
    expect(result).toEqual({exported: runs.length, warning: null});
    const [request] = receiver.requests;
    if (request === undefined) throw new Error('no request');
    expect(request.headers['content-type']).toBe('application/x-protobuf');
    // The raw bytes, before any decoding: the trace id as 16 bytes, the stage names as UTF-8.
    expect(request.body.includes(Buffer.from(TRACE_ID, 'hex'))).toBe(true);
    for (const run of runs) expect(request.body.includes(Buffer.from(run.stage, 'utf8'))).toBe(true);

    const spans = decodeSpans(request.body);
    expect(spans).toHaveLength(runs.length);
    expect(spans.map((span) => span.name)).toEqual(runs.map((run) => run.stage));
    for (const [index, run] of runs.entries()) {
      expect(spans[index]).toMatchObject({
        traceId: TRACE_ID,
        spanId: spanIdOf(run.runId),
        // rootParentSpanId null: the root has no parent.
        parentSpanId: run.parentRunId === null ? '' : spanIdOf(run.parentRunId),
      });
    }
    expect(spans.map((span) => span.statusCode)).toEqual([ERROR, OK, OK, ERROR, UNSET, UNSET, UNSET]);
  });
});

describe('exportRunSpans when it cannot export', () => {
  const bound = EXPORT_TIMEOUT_MS + 1000;

  it('returns a warning quickly when nothing listens on the port', async () => {
    const port = await closedPort();
    const started = Date.now();
    const result = await exportRunSpans({
      env: {OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`},
      runs: invocation(),
      serviceVersion: '1.2.3',
    });
    expect(Date.now() - started).toBeLessThan(bound);
    expect(result.exported).toBe(0);
    expectWarning(result.warning, `http://127.0.0.1:${port}/v1/traces`);
    expect(result.warning).toContain('ECONNREFUSED');
  });

  it('returns a warning when the collector answers 500', async () => {
    receiver = await startReceiver({status: 500});
    const result = await exportRunSpans({
      env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json'},
      runs: invocation(),
      serviceVersion: '1.2.3',
    });
    expect(receiver.requests).toHaveLength(1);
    expect(result.exported).toBe(0);
    expectWarning(result.warning, `${receiver.origin}/v1/traces`);
    expect(result.warning).toContain('HTTP 500');
  });

  it('retries a busy collector within the budget, then warns', async () => {
    receiver = await startReceiver({status: 503});
    const timeout = 1500;
    const started = Date.now();
    const result = await exportRunSpans({
      env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, OTEL_EXPORTER_OTLP_TIMEOUT: String(timeout)},
      runs: invocation(),
      serviceVersion: '1.2.3',
    });
    expect(Date.now() - started).toBeLessThan(timeout + 1000);
    // The SDK retried (its first back-off is about 1 s) before the budget ran out.
    expect(receiver.requests.length).toBeGreaterThanOrEqual(2);
    expectWarning(result.warning, `${receiver.origin}/v1/traces`);
    expect(result.warning).toContain('busy');
  });

  it('gives up on a collector that never answers within the timeout it was given', async () => {
    receiver = await startReceiver({hang: true});
    const timeout = 500;
    const started = Date.now();
    const result = await exportRunSpans({
      env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, OTEL_EXPORTER_OTLP_TIMEOUT: String(timeout)},
      runs: invocation(),
      serviceVersion: '1.2.3',
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(timeout - 50);
    expect(elapsed).toBeLessThan(timeout + 1000);
    expect(result.exported).toBe(0);
    expectWarning(result.warning, `${receiver.origin}/v1/traces`);
  });

  it('gives up within the default bound on a collector that never answers', async () => {
    receiver = await startReceiver({hang: true});
    const started = Date.now();
    const result = await exportRunSpans({
      env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin},
      runs: invocation(),
      serviceVersion: '1.2.3',
    });
    expect(Date.now() - started).toBeLessThan(bound);
    expectWarning(result.warning, `${receiver.origin}/v1/traces`);
  });

  it('warns about an unsupported protocol without sending anything', async () => {
    receiver = await startReceiver();
    const result = await exportRunSpans({
      env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc'},
      runs: invocation(),
      serviceVersion: '1.2.3',
    });
    expect(receiver.requests).toHaveLength(0);
    expectWarning(result.warning, `${receiver.origin}/v1/traces`);
    expect(result.warning).toContain('grpc');
  });

  it('exports the usable runs and counts the others in the warning', async () => {
    receiver = await startReceiver();
    const runs = invocation();
    const broken = [
      {...runs[0], traceId: 'not-a-trace-id'} as SpanRun,
      {...runs[1], startedAt: 'soon'} as SpanRun,
    ];
    const result = await exportRunSpans({
      env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin},
      runs: [...broken, ...runs.slice(2)],
      serviceVersion: '1.2.3',
    });
    expect(result.exported).toBe(runs.length - 2);
    expect(result.warning).toContain(`2 of ${runs.length} spans were not exported`);
    expect(decodeSpans(receiver.requests[0]?.body ?? Buffer.alloc(0))).toHaveLength(runs.length - 2);
  });

  it('does nothing, and loads nothing, when export is not configured or there is nothing to export', async () => {
    receiver = await startReceiver();
    expect(await exportRunSpans({env: {}, runs: invocation(), serviceVersion: '1'})).toEqual({
      exported: 0,
      warning: null,
    });
    expect(
      await exportRunSpans({
        env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin},
        runs: [],
        serviceVersion: '1',
      }),
    ).toEqual({exported: 0, warning: null});
    expect(receiver.requests).toHaveLength(0);
  });
});

/** One line that names the endpoint, says the spans were not exported and where the runs still are. */
function expectWarning(warning: string | null, endpoint: string): void {
  expect(warning).not.toBeNull();
  expect(warning).not.toContain('\n');
  expect(warning).toContain(endpoint);
  expect(warning).toMatch(/spans were not exported/);
  expect(warning).toContain('runs.duckdb');
}
