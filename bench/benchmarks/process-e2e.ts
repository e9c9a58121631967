import {spawnSync} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {type Benchmark, runsFor, scaled} from '../lib/bench.js';
import {cachedExport} from '../lib/inputs.js';
import {runMeasured, runNodeMeasured, tail} from '../lib/measure.js';
import {CLI_BIN, REPO_ROOT} from '../lib/paths.js';
import type {BenchResult} from '../lib/results.js';
import {formatBytes, formatCount, formatMs, formatRatio, GB, median} from '../lib/stats.js';

/** Issue #6: 1,000,000 messages, default windows, the digest writer, from the zip. */
const MESSAGES = 1_000_000;
/** Each run takes tens of seconds; 3 fresh runs give a median within the suite's time budget. */
const RUNS = 3;
const TARGET_WALL_S = 30;
const TARGET_RSS_BYTES = 1 * GB;
/** Ten times the target: a run this long has failed anyway, and must not hang the suite. */
const TIMEOUT_MS = 10 * TARGET_WALL_S * 1000;
/** Android: the platform most exports come from (its parse is as fast as iOS's). */
const LAYOUT = 'android';

/** The part of `process --json` the benchmark checks: a run that skipped work would look fast. */
interface ProcessJson {
  readonly outcome?: string;
  readonly ingest?: {readonly messages?: number};
  readonly windows?: {readonly total?: number; readonly processed?: number};
  readonly posts_written?: number;
}

/** Default windows are 100 messages: a million messages make 10,000 windows. */
const DEFAULT_WINDOW_MESSAGES = 100;

/** `node` arguments of `egregora process <zip> --json` writing its site and state into `scratch`. */
export function processArgs(zipPath: string, scratch: string, extra: readonly string[] = []): string[] {
  return [
    CLI_BIN,
    'process',
    zipPath,
    '--output',
    path.join(scratch, 'site'),
    '--dir',
    path.join(scratch, '.egregora'),
    '--json',
    ...extra,
  ];
}

export const processEndToEnd: Benchmark = {
  name: 'process',
  summary: '`egregora process` on a 1,000,000-message export, default windows, digest writer',
  async run(context) {
    const messages = scaled(context, MESSAGES);
    context.log(`  preparing a ${formatCount(messages)}-message export`);
    const input = await cachedExport(LAYOUT, messages);
    const runs = runsFor(context, RUNS);
    const walls: number[] = [];
    const peaks: number[] = [];
    let summary: ProcessJson | null = null;
    for (let run = 0; run < runs; run += 1) {
      const scratch = await mkdtemp(path.join(os.tmpdir(), 'egregora-bench-process-'));
      try {
        const args = processArgs(input.zipPath, scratch);
        const measured = await runNodeMeasured(args, {cwd: REPO_ROOT, timeoutMs: TIMEOUT_MS});
        if (measured.timedOut) throw new Error(`process did not finish within ${TIMEOUT_MS / 1000} s`);
        if (measured.exitCode !== 0 || measured.peakRssBytes === null) {
          throw new Error(`process exited ${measured.exitCode}: ${tail(measured.stderr || measured.stdout)}`);
        }
        summary = JSON.parse(measured.stdout) as ProcessJson;
        const expectedWindows = Math.ceil(input.stats.messages / DEFAULT_WINDOW_MESSAGES);
        if (
          summary.outcome !== 'completed' ||
          summary.ingest?.messages !== input.stats.messages ||
          summary.windows?.processed !== expectedWindows
        ) {
          throw new Error(
            `process did not do the whole job: outcome ${summary.outcome}, ${summary.ingest?.messages} messages, ` +
              `${summary.windows?.processed} of ${expectedWindows} windows processed`,
          );
        }
        walls.push(measured.wallMs);
        peaks.push(measured.peakRssBytes);
        context.log(
          `  run ${run + 1}/${runs}: ${formatMs(measured.wallMs)}, peak RSS ${formatBytes(measured.peakRssBytes)}`,
        );
      } finally {
        await rm(scratch, {recursive: true, force: true});
      }
    }
    const wall = median(walls);
    const peak = median(peaks);
    const baseline = await unzipBaseline(input.zipPath, runs);
    const inputLabel = `${formatCount(messages)} msgs, ${formatBytes(input.zipBytes)} zip`;
    const baselineRatio = baseline === null ? null : wall / baseline.medianMs;
    const results: BenchResult[] = [
      {
        id: 'process.wall',
        benchmark: '`process` end to end, wall',
        input: inputLabel,
        median: wall / 1000,
        unit: 's',
        display: formatMs(wall),
        target: `< ${TARGET_WALL_S} s`,
        ratio:
          baselineRatio === null || baseline === null
            ? 'no unzip here'
            : `${formatRatio(baselineRatio)} unzip baseline (${formatMs(baseline.medianMs)})`,
        pass: wall < TARGET_WALL_S * 1000,
        samples: walls.map((ms) => ms / 1000),
        details: {
          command: `node bin/run.js process <zip> --output <tmp>/site --dir <tmp>/.egregora --json`,
          layout: LAYOUT,
          messages,
          textBytes: input.stats.bytes,
          zipBytes: input.zipBytes,
          runs,
          baselineMedianMs: baseline?.medianMs ?? null,
          baselineSamplesMs: baseline?.samplesMs ?? null,
          baselineLines: baseline?.lines ?? null,
          summary,
        },
        ...(baseline === null
          ? {note: '`unzip` is not installed here, so there is no `unzip -p | wc -l` baseline.'}
          : {}),
      },
      {
        id: 'process.rss',
        benchmark: '`process` end to end, peak RSS',
        input: inputLabel,
        median: peak / GB,
        unit: 'GB',
        display: formatBytes(peak),
        target: `< ${formatBytes(TARGET_RSS_BYTES)}`,
        ratio: `${formatRatio(peak / input.stats.bytes)} text`,
        pass: peak < TARGET_RSS_BYTES,
        samples: peaks.map((bytes) => bytes / GB),
        details: {runs, textBytes: input.stats.bytes},
      },
    ];
    return results;
  },
};

interface Baseline {
  readonly medianMs: number;
  readonly samplesMs: number[];
  readonly lines: number;
}

/** `unzip -p export.zip | wc -l` on the same file: the floor of reading the chat at all. */
async function unzipBaseline(zipPath: string, runs: number): Promise<Baseline | null> {
  const found = spawnSync('sh', ['-c', 'command -v unzip && command -v wc'], {encoding: 'utf8'});
  if (found.status !== 0) return null;
  const samplesMs: number[] = [];
  let lines = 0;
  for (let run = 0; run < runs; run += 1) {
    const measured = await runMeasured('sh', ['-c', 'unzip -p "$1" | wc -l', 'sh', zipPath], {
      timeoutMs: TIMEOUT_MS,
    });
    if (measured.exitCode !== 0) return null;
    samplesMs.push(measured.wallMs);
    lines = Number(measured.stdout.trim());
  }
  return {medianMs: median(samplesMs), samplesMs, lines};
}
