import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {Window} from '../../schemas/window.js';
import {withReadSession} from '../../src/db/session.js';
import {parseChatText} from '../../src/ingest/parser.js';
import {RunTracker} from '../../src/runs/tracker.js';
import {cutWindows} from '../../src/windows/index.js';
import type {Writer, WriterInput, WriterOutput} from '../../src/writers/writer.js';
import {generateChat} from '../generate/chat.js';
import {type Benchmark, runsFor} from '../lib/bench.js';
import {collectGarbage} from '../lib/gc.js';
import {BENCH_SEED} from '../lib/inputs.js';
import {formatCount, formatMs, formatRatio, median} from '../lib/stats.js';

/** Issue #6: 10,000 windows through a writer that does nothing. */
const WINDOWS = 10_000;
/** Tracked and untracked loops, alternated; at least 5 per the brief. */
const RUNS = 7;
const WARMUP_RUNS = 1;
const TARGET_MS_PER_WINDOW = 0.5;
const CONFIG_HASH = `sha256:${'c'.repeat(64)}`;

const EMPTY_OUTPUT: WriterOutput = {posts: [], media: [], llmCalls: 0, tokens: 0, shortfalls: []};

/**
 * A writer that does nothing but give the event loop a turn, as a real writer does while it writes
 * its files: without that turn, the tracker's timed flushes could never run during the loop and all
 * writing would fall into `close()`, which is not how a pipeline behaves.
 */
const noopWriter: Writer = {
  name: 'noop',
  write(_input: WriterInput): Promise<WriterOutput> {
    return new Promise((resolve) => setImmediate(() => resolve(EMPTY_OUTPUT)));
  },
};

export const trackingOverhead: Benchmark = {
  name: 'tracking',
  summary: '10,000 windows through a no-op writer, tracked (RunTracker) vs untracked',
  async run(context) {
    // The windows are never part of the timing: one message each, cut by the project's own code.
    const {text} = generateChat({layout: 'android', messages: WINDOWS, seed: BENCH_SEED});
    const {messages} = parseChatText(text, {timezone: 'UTC'});
    const windows = cutWindows(messages, {unit: 'messages', size: 1, overlap: 0});
    if (windows.length !== WINDOWS) throw new Error(`expected ${WINDOWS} windows, cut ${windows.length}`);
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'egregora-bench-tracking-'));
    try {
      const runs = runsFor(context, RUNS);
      const untracked: number[] = [];
      const tracked: number[] = [];
      for (let run = -WARMUP_RUNS; run < runs; run += 1) {
        collectGarbage();
        const plain = await timeUntracked(windows);
        collectGarbage();
        const dbPath = path.join(scratch, `runs-${run + WARMUP_RUNS}.duckdb`);
        const withTracker = await timeTracked(windows, dbPath);
        await checkRecorded(dbPath);
        if (run < 0) continue;
        untracked.push(plain);
        tracked.push(withTracker);
        context.log(
          `  run ${run + 1}/${runs}: untracked ${formatMs(plain)}, tracked ${formatMs(withTracker)}`,
        );
      }
      const perWindow = (median(tracked) - median(untracked)) / WINDOWS;
      const pairs = tracked.map((value, index) => (value - (untracked[index] ?? 0)) / WINDOWS);
      return [
        {
          id: 'tracking-overhead',
          benchmark: 'tracking overhead',
          input: `${formatCount(WINDOWS)} windows, no-op writer`,
          median: perWindow,
          unit: 'ms/window',
          display: `${formatMs(perWindow)}/window`,
          target: `< ${TARGET_MS_PER_WINDOW} ms/window`,
          ratio: `${formatRatio(median(tracked) / median(untracked))} untracked`,
          pass: perWindow < TARGET_MS_PER_WINDOW,
          samples: pairs,
          details: {
            windows: WINDOWS,
            runs,
            trackedMedianMs: median(tracked),
            untrackedMedianMs: median(untracked),
            trackedMs: tracked,
            untrackedMs: untracked,
            measured:
              'open + ingest run + start/write/finish per window + close (flush), fresh store each run',
          },
        },
      ];
    } finally {
      await rm(scratch, {recursive: true, force: true});
    }
  },
};

const CHAT = {title: 'bench', windowCount: WINDOWS};
const MEDIA = {has: () => false, read: async () => null};

async function timeUntracked(windows: readonly Window[]): Promise<number> {
  const signal = new AbortController().signal;
  const started = performance.now();
  for (const window of windows) await noopWriter.write({window, chat: CHAT, media: MEDIA, signal});
  return performance.now() - started;
}

/** The pipeline's tracking pattern (window-step.ts): an ingest run, then one run per window, its child. */
async function timeTracked(windows: readonly Window[], dbPath: string): Promise<number> {
  const signal = new AbortController().signal;
  const started = performance.now();
  const tracker = await RunTracker.open({dbPath});
  const ingest = tracker.start({stage: 'ingest'});
  tracker.finish(ingest.runId, {status: 'completed', rowsOut: windows.length});
  for (const window of windows) {
    const run = tracker.start({
      stage: `window_${window.index}`,
      rowsIn: window.messages.length,
      inputFingerprint: window.fingerprint,
      configHash: CONFIG_HASH,
      parentRunIds: [ingest.runId],
    });
    const output = await noopWriter.write({window, chat: CHAT, media: MEDIA, signal});
    tracker.finish(run.runId, {status: 'completed', rowsOut: output.posts.length, llmCalls: 0, tokens: 0});
  }
  await tracker.flush();
  const report = await tracker.close();
  const elapsed = performance.now() - started;
  if (!report.recorded) throw new Error(`the tracker stopped recording: ${report.reason}`);
  return elapsed;
}

/** A tracker that silently stopped writing would look fast: every run must be in the store. */
async function checkRecorded(dbPath: string): Promise<void> {
  const counts = await withReadSession(dbPath, async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT (SELECT count(*) FROM runs WHERE status = 'completed')::INTEGER AS runs,
              (SELECT count(*) FROM run_lineage)::INTEGER AS lineage`,
    );
    return reader.getRowObjectsJson()[0];
  });
  if (counts?.runs !== WINDOWS + 1 || counts.lineage !== WINDOWS) {
    throw new Error(
      `the store holds ${String(counts?.runs)} runs and ${String(counts?.lineage)} lineage rows`,
    );
  }
}
