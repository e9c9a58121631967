import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {generateChat} from '../../../bench/generate/chat.js';
import type {ChatMessage} from '../../../schemas/message.js';
import {parseChatText} from '../../../src/ingest/parser.js';
import {
  createAnalysisThreads,
  QUEUE_BEFORE_NEXT_THREAD,
} from '../../../src/writers/digest/analysis-thread.js';
import {analyzeWindow} from '../../../src/writers/digest/analyze.js';

const CHUNKS = fileURLToPath(new URL('../../../dist/commands/chunks/', import.meta.url));

/** The built CLI's copy of analysis-thread.ts: the module its worker thread runs (`npm test` builds first). */
function builtWorkerModule(): URL {
  const file = readdirSync(CHUNKS).find(
    (name) =>
      name.endsWith('.js') &&
      readFileSync(path.join(CHUNKS, name), 'utf8').includes('egregora-digest-analysis'),
  );
  if (file === undefined)
    throw new Error(`no chunk in ${CHUNKS} holds the analysis worker; run npm run build`);
  return pathToFileURL(path.join(CHUNKS, file));
}

/** Windows of a generated multilingual chat (every script and message kind the generator makes). */
function sampleWindows(): ChatMessage[][] {
  const {text} = generateChat({layout: 'android', messages: 3_000, seed: 11});
  const {messages} = parseChatText(text, {timezone: 'UTC'});
  const windows: ChatMessage[][] = [];
  for (let start = 0; start < messages.length; start += 100) windows.push(messages.slice(start, start + 100));
  return windows;
}

describe('the digest analysis thread', () => {
  it("gives the bundled worker's analysis, equal to the in-thread one, with highlights as the window's own messages", async () => {
    const thread = createAnalysisThreads(builtWorkerModule());
    const windows = sampleWindows();
    const analyses = await Promise.all(windows.map((messages) => thread.analyze(messages)));
    for (const [index, messages] of windows.entries()) {
      const here = analyzeWindow(messages);
      const there = analyses[index];
      expect(there).toEqual(here);
      for (const [position, highlight] of (there?.highlights ?? []).entries()) {
        expect(highlight).toBe(here.highlights[position]);
      }
    }
    expect(analyses.some((analysis) => analysis.topics.length > 0 && analysis.highlights.length > 0)).toBe(
      true,
    );
  });

  it('spreads windows in flight over its threads, each analysis equal to the in-thread one', async () => {
    const threads = createAnalysisThreads(builtWorkerModule(), 2);
    const windows = sampleWindows();
    const analyses = await Promise.all(windows.map((messages) => threads.analyze(messages)));
    for (const [index, messages] of windows.entries())
      expect(analyses[index]).toEqual(analyzeWindow(messages));
    expect(threads.answeredByWorker).toBe(windows.length);
    expect(threads.threadsAnswering).toBe(2);
  });

  it('starts a second thread only when the first has a queue', async () => {
    const threads = createAnalysisThreads(builtWorkerModule(), 2);
    for (const messages of sampleWindows().slice(0, 5)) await threads.analyze(messages);
    expect(threads.answeredByWorker).toBe(5);
    expect(threads.threadsAnswering).toBe(1);
  });

  it('gives the next thread work only once one analysis is queued behind the one being computed', async () => {
    const threads = createAnalysisThreads(builtWorkerModule(), 2);
    const windows = sampleWindows();
    await Promise.all(
      windows.slice(0, QUEUE_BEFORE_NEXT_THREAD).map((messages) => threads.analyze(messages)),
    );
    expect(threads.threadsAnswering).toBe(1);
    await Promise.all(
      windows.slice(0, QUEUE_BEFORE_NEXT_THREAD + 1).map((messages) => threads.analyze(messages)),
    );
    expect(threads.threadsAnswering).toBe(2);
  });

  it('analyzes in the calling thread when no worker can start', async () => {
    const thread = createAnalysisThreads(pathToFileURL(path.join(CHUNKS, 'no-such-module.js')));
    const [messages = []] = sampleWindows();
    expect(await thread.analyze(messages)).toEqual(analyzeWindow(messages));
    expect(await thread.analyze(messages)).toEqual(analyzeWindow(messages));
    expect(thread.answeredByWorker).toBe(0);
  });

  it("rejects with the analysis's own error, and keeps serving other windows", async () => {
    const thread = createAnalysisThreads(builtWorkerModule());
    const [messages = []] = sampleWindows();
    const broken = [{...messages[0], kind: 'message', text: null}] as unknown as ChatMessage[];
    await expect(thread.analyze(broken)).rejects.toBeInstanceOf(TypeError);
    expect(await thread.analyze(messages)).toEqual(analyzeWindow(messages));
    expect(thread.answeredByWorker).toBe(1);
  });
});
