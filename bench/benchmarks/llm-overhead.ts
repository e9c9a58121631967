import {spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import type {Window} from '../../schemas/window.js';
import {parseChatText} from '../../src/ingest/parser.js';
import {runPool} from '../../src/pipeline/pool.js';
import {RunTracker} from '../../src/runs/tracker.js';
import {cutWindows} from '../../src/windows/index.js';
import {createLlmWriter} from '../../src/writers/llm/llm-writer.js';
import type {Writer} from '../../src/writers/writer.js';
import {generateChat} from '../generate/chat.js';
import {type Benchmark, runsFor, scaled} from '../lib/bench.js';
import {bundledChild} from '../lib/children.js';
import {collectGarbage} from '../lib/gc.js';
import {BENCH_SEED} from '../lib/inputs.js';
import {formatCount, formatMs, median} from '../lib/stats.js';

/** Issue #11: 1,000 windows against a fake server that answers at once. */
const WINDOWS = 1_000;
/** Messages per window: a short window keeps the fake server's share small; the prompt is still real. */
const WINDOW_MESSAGES = 40;
const RUNS = Number(process.env.EGREGORA_BENCH_LLM_RUNS ?? 5);
const TARGET_MS_PER_WINDOW = 2;
/** The default concurrency of `process` on this machine's two cores. */
const CONCURRENCY = 2;
const CONFIG_HASH = `sha256:${'d'.repeat(64)}`;

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * egregora's own cost per LLM window: prompt build, the request through the `openai` client, reply
 * validation, the cache write, and the run's tracking (start, finish with its usage row, flushes to a
 * real DuckDB file). The server runs in another process, so this process's CPU time is egregora's
 * alone; that CPU time per window is the figure held against the target, wall time is shown beside it.
 */
export const llmOverhead: Benchmark = {
  name: 'llm',
  summary: '1,000 LLM windows against a fake server answering in 0 ms: egregora CPU per window',
  async run(context) {
    const windows = windowsOf(scaled(context, WINDOWS * WINDOW_MESSAGES) / WINDOW_MESSAGES);
    const server = await startServer();
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'egregora-bench-llm-'));
    try {
      const samples: Sample[] = [];
      const runs = runsFor(context, RUNS);
      for (let run = -1; run < runs; run += 1) {
        collectGarbage();
        const stateDir = path.join(scratch, `state-${run + 1}`);
        const sample = await timeWindows(windows, server.url, stateDir);
        if (run < 0) continue;
        samples.push(sample);
        context.log(
          `  run ${run + 1}/${runs}: ${formatMs(sample.cpuMs / windows.length)} CPU, ${formatMs(sample.wallMs / windows.length)} wall per window`,
        );
      }
      const counters = await server.stop();
      const expected = windows.length * (runs + 1);
      if (counters.requests !== expected) {
        throw new Error(`the server counted ${counters.requests} requests, expected ${expected}`);
      }
      const cpuPerWindow = median(samples.map((sample) => sample.cpuMs)) / windows.length;
      const wallPerWindow = median(samples.map((sample) => sample.wallMs)) / windows.length;
      return [
        {
          id: 'llm-overhead',
          benchmark: 'LLM writer overhead',
          input: `${formatCount(windows.length)} windows of ${WINDOW_MESSAGES} messages, concurrency ${CONCURRENCY}`,
          median: cpuPerWindow,
          unit: 'ms/window',
          display: `${formatMs(cpuPerWindow)} CPU/window`,
          target: `≤ ${TARGET_MS_PER_WINDOW} ms/window`,
          ratio: `${formatMs(wallPerWindow)} wall/window`,
          pass: cpuPerWindow <= TARGET_MS_PER_WINDOW,
          samples: samples.map((sample) => sample.cpuMs / windows.length),
          details: {
            windows: windows.length,
            runs,
            wallMs: samples.map((sample) => sample.wallMs),
            cpuMs: samples.map((sample) => sample.cpuMs),
            measured:
              'per window: prompt, POST /chat/completions (openai client, real HTTP to a server in another process), ' +
              'zod validation, cache write, run start/finish with its usage row; fresh state and store each run',
          },
        },
      ];
    } finally {
      await server.stop().catch(() => undefined);
      await rm(scratch, {recursive: true, force: true});
    }
  },
};

function windowsOf(count: number): Window[] {
  const {text} = generateChat({layout: 'android', messages: count * WINDOW_MESSAGES, seed: BENCH_SEED});
  const {messages} = parseChatText(text, {timezone: 'UTC'});
  return cutWindows(messages, {unit: 'messages', size: WINDOW_MESSAGES, overlap: 0}).slice(0, count);
}

async function timeWindows(windows: readonly Window[], url: string, stateDir: string): Promise<Sample> {
  const writer: Writer = createLlmWriter({
    stateDir,
    llm: {url, model: 'fake-model', instructions: '', timeoutSeconds: 60, cache: true},
    apiKey: null,
    onWarning: (message) => {
      throw new Error(message);
    },
  });
  const chat = {title: null, windowCount: windows.length, realNames: ['Someone Real']};
  const media = {has: () => false, read: async () => null};
  const signal = new AbortController().signal;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const tracker = await RunTracker.open({dbPath: path.join(stateDir, 'runs.duckdb')});
  const ingest = tracker.start({stage: 'ingest'});
  tracker.finish(ingest.runId, {status: 'completed'});
  await runPool(
    windows,
    CONCURRENCY,
    async (window) => {
      const run = tracker.start({
        stage: `window_${window.index}`,
        rowsIn: window.messages.length,
        inputFingerprint: window.fingerprint,
        configHash: CONFIG_HASH,
        parentRunIds: [ingest.runId],
      });
      const output = await writer.write({window, chat, media, signal});
      if (output.llm === undefined || output.shortfalls.length > 0) throw new Error('the reply was not used');
      tracker.finish(run.runId, {
        status: 'completed',
        rowsOut: output.posts.length,
        llmCalls: output.llmCalls,
        tokens: output.tokens,
        llmUsage: output.llm,
      });
    },
    () => false,
  );
  const report = await tracker.close();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (!report.recorded) throw new Error(`the tracker stopped recording: ${report.reason}`);
  return {wallMs, cpuMs: (used.user + used.system) / 1000};
}

async function startServer(): Promise<{url: string; stop(): Promise<{requests: number}>}> {
  const script = await bundledChild('fake-llm-server');
  const child = spawn(process.execPath, [script], {stdio: ['pipe', 'pipe', 'inherit']});
  const lines = createInterface({input: child.stdout});
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new Error('the fake LLM server did not start');
  let stopped: Promise<{requests: number}> | null = null;
  return {
    url: String(first.value),
    stop() {
      stopped ??= (async () => {
        child.stdin.end();
        const last = await iterator.next();
        return JSON.parse(String(last.value ?? '{"requests":-1}')) as {requests: number};
      })();
      return stopped;
    },
  };
}
