import {CHAT_LAYOUTS, type ChatLayout} from '../generate/chat.js';
import {type BenchContext, type Benchmark, runsFor, scaled} from '../lib/bench.js';
import {bundledChild} from '../lib/children.js';
import {cachedExport} from '../lib/inputs.js';
import {runNodeMeasured, tail} from '../lib/measure.js';
import type {BenchResult} from '../lib/results.js';
import {formatBytes, formatCount, formatRatio, MB, median} from '../lib/stats.js';

/** Issue #6: a 1,000,000-message chat, read from the zip. */
const MESSAGES = 1_000_000;
/** Fresh processes per layout; peak RSS varies little between runs, so 3 suffice for a median. */
const RUNS = 3;
const TARGET_RSS_RATIO = 2.5;
/** Far above the few seconds a parse takes; a hung child must not hang the suite. */
const TIMEOUT_MS = 120_000;

export const parseMemory: Benchmark = {
  name: 'parse-memory',
  summary: 'peak RSS of a streaming parse of a 1,000,000-message chat from the zip, in a fresh process',
  async run(context) {
    const results: BenchResult[] = [];
    for (const layout of CHAT_LAYOUTS) results.push(await measureLayout(context, layout));
    return results;
  },
};

interface ChildReport {
  readonly messages: number;
  readonly chatBytes: number;
  readonly baselineRss: number;
  readonly endRss: number;
}

async function measureLayout(context: BenchContext, layout: ChatLayout): Promise<BenchResult> {
  const messages = scaled(context, MESSAGES);
  context.log(`parse memory (${layout}): preparing a ${formatCount(messages)}-message export`);
  const input = await cachedExport(layout, messages);
  const child = await bundledChild('parse-memory');
  const peaks: number[] = [];
  const reports: ChildReport[] = [];
  const wallMs: number[] = [];
  for (let run = 0; run < runsFor(context, RUNS); run += 1) {
    const measured = await runNodeMeasured([child, input.zipPath], {timeoutMs: TIMEOUT_MS});
    if (measured.exitCode !== 0 || measured.peakRssBytes === null) {
      throw new Error(`the parse-memory child failed (exit ${measured.exitCode}): ${tail(measured.stderr)}`);
    }
    const report = JSON.parse(measured.stdout) as ChildReport;
    if (report.messages !== input.stats.messages) {
      throw new Error(
        `the streaming parse read ${report.messages} messages of ${input.stats.messages} (${layout})`,
      );
    }
    peaks.push(measured.peakRssBytes);
    reports.push(report);
    wallMs.push(measured.wallMs);
    context.log(
      `  run ${run + 1}: peak RSS ${formatBytes(measured.peakRssBytes)} in ${(measured.wallMs / 1000).toFixed(2)} s`,
    );
  }
  const peak = median(peaks);
  const textBytes = input.stats.bytes;
  const ratio = peak / textBytes;
  return {
    id: `parse-memory.${layout}`,
    benchmark: `parse memory, ${layout === 'ios' ? 'iOS' : 'Android'}`,
    input: `${formatCount(messages)} msgs from zip, ${formatBytes(textBytes)} text`,
    median: peak / MB,
    unit: 'MB',
    display: `${formatBytes(peak)} peak RSS`,
    target: `< ${TARGET_RSS_RATIO}× text (${formatBytes(textBytes * TARGET_RSS_RATIO)})`,
    ratio: `${formatRatio(ratio)} text`,
    pass: ratio < TARGET_RSS_RATIO,
    samples: peaks.map((value) => value / MB),
    details: {
      layout,
      messages,
      textBytes,
      zipBytes: input.zipBytes,
      zipPath: input.zipPath,
      ratio,
      medianWallMs: median(wallMs),
      processBaselineRssMB: median(reports.map((report) => report.baselineRss)) / MB,
    },
  };
}
