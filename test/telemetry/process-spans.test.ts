import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {spanIdOf} from '../../src/telemetry/ids.js';
import {runCli, tempDir} from '../helpers/cli.js';
import {type FakeLlmServer, startFakeLlmServer} from '../helpers/fake-llm-server.js';
import {writeChatExport} from '../pipeline/export-fixture.js';
import {closedPort, type Receiver, startReceiver} from './otlp-receiver.js';

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  status?: {code?: number};
  attributes: Array<{key: string; value: Record<string, unknown>}>;
}

function spansOf(receiver: Receiver): JsonSpan[] {
  return receiver.requests.flatMap((request) => {
    const body = JSON.parse(request.body.toString('utf8')) as {
      resourceSpans: Array<{scopeSpans: Array<{spans: JsonSpan[]}>}>;
    };
    return body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
  });
}

function attribute(span: JsonSpan, key: string): unknown {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
}

async function runsOf(cwd: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path.join(cwd, '.egregora', 'runs.duckdb'), {
    access_mode: 'READ_ONLY',
  });
  const connection = await instance.connect();
  try {
    return (
      await connection.runAndReadAll('SELECT run_id::VARCHAR AS id, stage, trace_id FROM runs')
    ).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('process exports one span per run to an OTLP/HTTP collector', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;
  let receiver: Receiver | null = null;
  let llm: FakeLlmServer | null = null;
  let counter = 0;

  beforeAll(async () => {
    ({dir: root, cleanup} = await tempDir('egregora-otel-'));
    zip = await writeChatExport(path.join(root, 'input'), 250);
  });
  afterEach(async () => {
    await receiver?.close();
    await llm?.close();
    receiver = null;
    llm = null;
  });
  afterAll(async () => cleanup());

  async function workspace(): Promise<string> {
    counter += 1;
    const cwd = path.join(root, `case-${counter}`);
    await mkdir(cwd, {recursive: true});
    return cwd;
  }

  it('as http/json: a trace per invocation, recorded in trace_id, process at the root, GenAI attributes on LLM windows', async () => {
    receiver = await startReceiver();
    llm = await startFakeLlmServer();
    const cwd = await workspace();
    const result = await runCli(
      ['process', zip, '--writer', 'llm', '--llm-url', llm.url, '--llm-model', 'fake-model'],
      {cwd, env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json'}},
    );
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('OpenTelemetry');
    const runs = await runsOf(cwd);
    const spans = spansOf(receiver);
    // process, ingest, three windows, the site.
    expect(spans).toHaveLength(runs.length);
    expect(runs).toHaveLength(6);
    const traceIds = new Set(runs.map((run) => run.trace_id));
    expect(traceIds.size).toBe(1);
    const [traceId] = [...traceIds];
    expect(String(traceId)).toMatch(/^[0-9a-f]{32}$/);
    for (const span of spans) expect(span.traceId).toBe(traceId);
    const processRun = runs.find((run) => run.stage === 'process');
    const root = spans.find((span) => span.name === 'process');
    expect(root?.spanId).toBe(spanIdOf(String(processRun?.id)));
    expect(root?.parentSpanId ?? '').toBe('');
    for (const span of spans.filter((each) => each.name !== 'process'))
      expect(span.parentSpanId).toBe(root?.spanId);
    const window = spans.find((span) => span.name === 'window_0');
    expect(attribute(window as JsonSpan, 'gen_ai.request.model')).toBe('fake-model');
    expect(Number(attribute(window as JsonSpan, 'gen_ai.usage.input_tokens'))).toBeGreaterThan(0);
    expect(Number(attribute(window as JsonSpan, 'gen_ai.usage.output_tokens'))).toBeGreaterThan(0);
    expect(attribute(window as JsonSpan, 'egregora.stage')).toBe('window_0');
  });

  it('continues the caller’s TRACEPARENT', async () => {
    receiver = await startReceiver();
    const cwd = await workspace();
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    const result = await runCli(['process', zip], {
      cwd,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        TRACEPARENT: `00-${trace}-${parent}-01`,
      },
    });
    expect(result.code).toBe(0);
    const spans = spansOf(receiver);
    expect(spans.length).toBeGreaterThan(2);
    for (const span of spans) expect(span.traceId).toBe(trace);
    expect(spans.find((span) => span.name === 'process')?.parentSpanId).toBe(parent);
    expect((await runsOf(cwd)).every((run) => run.trace_id === trace)).toBe(true);
  });

  it('in the default protobuf encoding', async () => {
    receiver = await startReceiver();
    const cwd = await workspace();
    const result = await runCli(['process', zip], {cwd, env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin}});
    expect(result.code).toBe(0);
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests[0]?.headers['content-type']).toBe('application/x-protobuf');
    const body = Buffer.concat(receiver.requests.map((request) => request.body));
    expect(body.includes(Buffer.from('window_0'))).toBe(true);
    expect(body.includes(Buffer.from('process'))).toBe(true);
  });

  it('warns once and still succeeds when the collector is unreachable', async () => {
    const cwd = await workspace();
    const port = await closedPort();
    const started = Date.now();
    const result = await runCli(['process', zip], {
      cwd,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      },
    });
    expect(result.code).toBe(0);
    expect(result.stderr.match(/OpenTelemetry/g)).toHaveLength(1);
    expect(result.stderr).toContain('runs.duckdb');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('exports nothing and records no trace id without a collector', async () => {
    const cwd = await workspace();
    const result = await runCli(['process', zip], {cwd});
    expect(result.code).toBe(0);
    expect((await runsOf(cwd)).every((run) => run.trace_id === null)).toBe(true);
  });
});
