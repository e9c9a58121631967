import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {PROFILE_NAMES, type ProfileName} from '../generate/profiles.js';
import type {BenchContext, Benchmark} from '../lib/bench.js';
import {BENCH_SEED, type CachedExport, cachedExport} from '../lib/inputs.js';
import {childrenCpuMs, type Measured, runNodeMeasured, tail} from '../lib/measure.js';
import {CLI_BIN, REPO_ROOT} from '../lib/paths.js';
import type {BenchResult} from '../lib/results.js';
import {formatBytes, formatCount, formatMs, formatRatio, MB, median} from '../lib/stats.js';
import {processArgs} from './process-e2e.js';

/**
 * Issue #14: `process` on every content profile of the generator, against `parse --json` of the
 * same export as a whole process, alternating in one run: a speed that holds on one generator's
 * text only is not a speed. For each profile and round, in this order: `parse <zip> --json >
 * /dev/null`, `process <zip> --no-html --json` (the pipeline: ingest, windows, digest posts, runs),
 * and in the first HTML_ROUNDS rounds `process <zip> --json` with the default settings (which also
 * render the HTML site at the end). The profiles' order rotates each round, so that no profile
 * always runs first after a quiet spell.
 */

const MESSAGES = 1_000_000;
/** `--quick` only checks that every command runs and is checked: 15 small runs, seconds in all. */
const QUICK_MESSAGES = 2_000;
/** 3 rounds of the pair a target is on: each 1,000,000-message `process` takes 25-40 s here. */
const ROUNDS = 3;
/**
 * The default run renders ~10,000 HTML pages more (another 10-20 s): once per profile keeps the
 * whole benchmark near 15 minutes, and that figure is reported beside the targeted pair, not as it.
 */
const HTML_ROUNDS = 1;
const TARGET_PROCESS_OVER_PARSE = 3;
const TARGET_RSS_BYTES = 600 * MB;
const TARGET_SLOWEST_OVER_FASTEST = 1.3;
/** Far past any target (a 1,000,000-message run is tens of seconds): a hang must not stall the suite. */
const TIMEOUT_MS = 10 * 60 * 1000;
/** Android: the platform most exports come from; the layout does not depend on the profile. */
const LAYOUT = 'android';
/** Default windows are 100 messages. */
const DEFAULT_WINDOW_MESSAGES = 100;

/** The part of `process --json` checked: a run that skipped work would look fast. */
interface ProcessJson {
  readonly outcome?: string;
  readonly ingest?: {readonly messages?: number};
  readonly windows?: {readonly processed?: number};
  readonly site?: {readonly posts?: number} | null;
}

type Variant = 'parse' | 'pipeline' | 'default';

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number | null;
  readonly peakRssBytes: number | null;
}

type Samples = Record<Variant, Sample[]>;

export const processProfiles: Benchmark = {
  name: 'process-profiles',
  summary:
    '`process` (--no-html and default) against `parse --json` on every content profile, 1,000,000 msgs',
  async run(context) {
    const messages = context.quick ? QUICK_MESSAGES : MESSAGES;
    const rounds = context.quick ? 1 : ROUNDS;
    const inputs = new Map<ProfileName, CachedExport>();
    for (const profile of PROFILE_NAMES) {
      context.log(`  preparing the ${profile} export, ${formatCount(messages)} messages`);
      inputs.set(profile, await cachedExport(LAYOUT, messages, BENCH_SEED, profile));
    }
    const samples = new Map<ProfileName, Samples>(
      PROFILE_NAMES.map((profile) => [profile, {parse: [], pipeline: [], default: []}]),
    );
    for (let round = 0; round < rounds; round += 1) {
      const order = PROFILE_NAMES.map((_, index) => PROFILE_NAMES[(index + round) % PROFILE_NAMES.length]);
      for (const profile of order) {
        if (profile === undefined) continue;
        const input = inputs.get(profile) as CachedExport;
        const into = samples.get(profile) as Samples;
        const variants: Variant[] =
          round < HTML_ROUNDS ? ['parse', 'pipeline', 'default'] : ['parse', 'pipeline'];
        for (const variant of variants) {
          const sample = await measureOnce(variant, input);
          into[variant].push(sample);
          context.log(
            `  round ${round + 1}/${rounds} ${profile.padEnd(7)} ${variant.padEnd(8)} ${formatMs(sample.wallMs)}` +
              ` (cpu ${sample.cpuMs === null ? '?' : formatMs(sample.cpuMs)}, peak RSS ${sample.peakRssBytes === null ? '?' : formatBytes(sample.peakRssBytes)})`,
          );
        }
      }
    }
    return report(context, messages, inputs, samples);
  },
};

async function measureOnce(variant: Variant, input: CachedExport): Promise<Sample> {
  if (variant === 'parse') {
    const cpuBefore = childrenCpuMs();
    const measured = await runNodeMeasured([CLI_BIN, 'parse', input.zipPath, '--json'], {
      cwd: REPO_ROOT,
      timeoutMs: TIMEOUT_MS,
      discardStdout: true,
    });
    const cpuMs = cpuSince(cpuBefore);
    check(measured, 'parse');
    return {wallMs: measured.wallMs, cpuMs, peakRssBytes: measured.peakRssBytes};
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'egregora-bench-profiles-'));
  try {
    const args = processArgs(input.zipPath, scratch, variant === 'pipeline' ? ['--no-html'] : []);
    const cpuBefore = childrenCpuMs();
    const measured = await runNodeMeasured(args, {cwd: REPO_ROOT, timeoutMs: TIMEOUT_MS});
    const cpuMs = cpuSince(cpuBefore);
    check(measured, `process (${variant})`);
    const summary = JSON.parse(measured.stdout) as ProcessJson;
    const windows = Math.ceil(input.stats.messages / DEFAULT_WINDOW_MESSAGES);
    const siteDone = variant === 'pipeline' ? summary.site == null : (summary.site?.posts ?? 0) > 0;
    if (
      summary.outcome !== 'completed' ||
      summary.ingest?.messages !== input.stats.messages ||
      summary.windows?.processed !== windows ||
      !siteDone
    ) {
      throw new Error(
        `process (${variant}) did not do the whole job: outcome ${summary.outcome}, ${summary.ingest?.messages} ` +
          `messages, ${summary.windows?.processed} of ${windows} windows, site ${JSON.stringify(summary.site)}`,
      );
    }
    return {wallMs: measured.wallMs, cpuMs, peakRssBytes: measured.peakRssBytes};
  } finally {
    await rm(scratch, {recursive: true, force: true});
  }
}

function cpuSince(before: number | null): number | null {
  const after = childrenCpuMs();
  return before === null || after === null ? null : after - before;
}

function check(measured: Measured, what: string): void {
  if (measured.timedOut) throw new Error(`${what} did not finish within ${TIMEOUT_MS / 1000} s`);
  if (measured.exitCode !== 0) {
    throw new Error(`${what} exited ${measured.exitCode}: ${tail(measured.stderr || measured.stdout)}`);
  }
}

const wallOf = (list: readonly Sample[]): number => median(list.map((sample) => sample.wallMs));
const cpuOf = (list: readonly Sample[]): number | null =>
  list.some((sample) => sample.cpuMs === null) ? null : median(list.map((sample) => sample.cpuMs as number));
const rssOf = (list: readonly Sample[]): number | null =>
  list.some((sample) => sample.peakRssBytes === null)
    ? null
    : median(list.map((sample) => sample.peakRssBytes as number));

function report(
  context: BenchContext,
  messages: number,
  inputs: ReadonlyMap<ProfileName, CachedExport>,
  samples: ReadonlyMap<ProfileName, Samples>,
): BenchResult[] {
  const results: BenchResult[] = [];
  const pipelineWalls = new Map<ProfileName, number>();
  const defaultWalls = new Map<ProfileName, number>();
  for (const profile of PROFILE_NAMES) {
    const input = inputs.get(profile) as CachedExport;
    const measured = samples.get(profile) as Samples;
    const label = `${profile}, ${formatCount(messages)} msgs, ${formatBytes(input.stats.bytes)} text`;
    const parse = wallOf(measured.parse);
    const figures = (variant: Variant) => ({
      wallMs: wallOf(measured[variant]),
      cpuMs: cpuOf(measured[variant]),
      rss: rssOf(measured[variant]),
      samplesMs: measured[variant].map((sample) => sample.wallMs),
      cpuSamplesMs: measured[variant].map((sample) => sample.cpuMs),
      rssSamples: measured[variant].map((sample) => sample.peakRssBytes),
    });
    const parseFigures = figures('parse');
    for (const variant of ['pipeline', 'default'] as const) {
      const mine = figures(variant);
      (variant === 'pipeline' ? pipelineWalls : defaultWalls).set(profile, mine.wallMs);
      const ratio = mine.wallMs / parse;
      const what = variant === 'pipeline' ? '`process --no-html`' : '`process` (default: with HTML)';
      results.push({
        id: `process-profiles.${profile}.${variant}`,
        benchmark: `${what} / \`parse --json\``,
        input: label,
        median: ratio,
        unit: '×',
        display: `${formatRatio(ratio)} (${formatMs(mine.wallMs)} / ${formatMs(parse)})`,
        target: `≤ ${TARGET_PROCESS_OVER_PARSE}×`,
        ratio: `cpu ${mine.cpuMs === null ? '?' : formatMs(mine.cpuMs)} / ${parseFigures.cpuMs === null ? '?' : formatMs(parseFigures.cpuMs)}`,
        pass: ratio <= TARGET_PROCESS_OVER_PARSE,
        samples: mine.samplesMs.map((ms) => ms / 1000),
        details: {
          command: `node bin/run.js process <zip> --output <tmp>/site --dir <tmp>/.egregora --json${variant === 'pipeline' ? ' --no-html' : ''}`,
          parseCommand: 'node bin/run.js parse <zip> --json > /dev/null',
          profile,
          layout: LAYOUT,
          messages,
          textBytes: input.stats.bytes,
          zipBytes: input.zipBytes,
          processWallMs: mine.wallMs,
          processCpuMs: mine.cpuMs,
          processSamplesMs: mine.samplesMs,
          processCpuSamplesMs: mine.cpuSamplesMs,
          parseWallMs: parse,
          parseCpuMs: parseFigures.cpuMs,
          parseSamplesMs: parseFigures.samplesMs,
          parseCpuSamplesMs: parseFigures.cpuSamplesMs,
          parsePeakRssBytes: parseFigures.rss,
        },
      });
      if (mine.rss !== null) {
        results.push({
          id: `process-profiles.${profile}.${variant}.rss`,
          benchmark: `${what}, peak RSS`,
          input: label,
          median: mine.rss / MB,
          unit: 'MB',
          display: formatBytes(mine.rss),
          target: `≤ ${formatBytes(TARGET_RSS_BYTES)}`,
          ratio: null,
          pass: mine.rss <= TARGET_RSS_BYTES,
          samples: mine.rssSamples.map((bytes) => (bytes ?? Number.NaN) / MB),
          details: {profile, variant},
        });
      }
    }
  }
  for (const [variant, walls] of [
    ['pipeline', pipelineWalls],
    ['default', defaultWalls],
  ] as const) {
    const sorted = [...walls.entries()].sort((a, b) => a[1] - b[1]);
    const fastest = sorted[0];
    const slowest = sorted[sorted.length - 1];
    if (fastest === undefined || slowest === undefined) continue;
    const spread = slowest[1] / fastest[1];
    results.push({
      id: `process-profiles.spread.${variant}`,
      benchmark: `${variant === 'pipeline' ? '`process --no-html`' : '`process` (default)'}: slowest / fastest profile`,
      input: `${formatCount(messages)} msgs each`,
      median: spread,
      unit: '×',
      display: `${formatRatio(spread)} (${slowest[0]} ${formatMs(slowest[1])} / ${fastest[0]} ${formatMs(fastest[1])})`,
      target: `≤ ${TARGET_SLOWEST_OVER_FASTEST}×`,
      ratio: null,
      pass: spread <= TARGET_SLOWEST_OVER_FASTEST,
      samples: sorted.map(([, wall]) => wall / 1000),
      details: {walls: Object.fromEntries(sorted)},
    });
  }
  context.log(`  ${PROFILE_NAMES.length} profiles measured`);
  return results;
}
