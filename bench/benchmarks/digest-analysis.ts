import {existsSync} from 'node:fs';
import path from 'node:path';
import {SCRIPT_PROFILES, type ScriptProfile} from '../fixtures/script-corpus.js';
import {type BenchContext, type Benchmark, runsFor, scaled} from '../lib/bench.js';
import {bundledChild} from '../lib/children.js';
import {runNodeMeasured} from '../lib/measure.js';
import {REPO_ROOT} from '../lib/paths.js';
import type {BenchResult} from '../lib/results.js';
import {formatCount, formatRatio, median} from '../lib/stats.js';

/**
 * Issue #14: the digest analysis (tokenizing, scoring, topics) per message for each script profile,
 * in fresh processes. Every profile must cost no more than the Latin one by more than TARGET_RATIO.
 * With EGREGORA_BENCH_BASELINE_DIST set to another build's dist/ directory (e.g. a copy made before a
 * change), each round runs that build and this one alternately on the same input, and their analyses
 * must hash the same: a change that alters a post fails here.
 */
const MESSAGES = 20_000;
const ROUNDS = 5;
const SEED = 14;
/** The bound between the slowest and the fastest profile of `process`. */
const TARGET_RATIO = 1.3;
const TIMEOUT_MS = 300_000;
const CURRENT_DIST = path.join(REPO_ROOT, 'dist');

interface ChildReport {
  readonly messages: number;
  readonly textChars: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly analysesHash: string;
}

async function analyse(dist: string, profile: ScriptProfile, messages: number): Promise<ChildReport> {
  const child = await bundledChild('digest-analysis');
  const run = await runNodeMeasured([child, dist, profile, String(messages), String(SEED)], {
    timeoutMs: TIMEOUT_MS,
  });
  if (run.exitCode !== 0)
    throw new Error(`digest-analysis child (${dist}, ${profile}) failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ChildReport;
}

interface ProfileFigures {
  readonly profile: ScriptProfile;
  readonly textChars: number;
  readonly currentCpu: number[];
  readonly currentWall: number[];
  readonly baselineCpu: number[];
  readonly baselineWall: number[];
}

async function measureProfile(
  context: BenchContext,
  profile: ScriptProfile,
  messages: number,
  baseline: string | null,
): Promise<ProfileFigures> {
  const figures: ProfileFigures = {
    profile,
    textChars: 0,
    currentCpu: [],
    currentWall: [],
    baselineCpu: [],
    baselineWall: [],
  };
  const perMessage = (ms: number) => (ms * 1000) / messages;
  for (let round = 0; round < runsFor(context, ROUNDS); round++) {
    const current = await analyse(CURRENT_DIST, profile, messages);
    figures.currentCpu.push(perMessage(current.cpuMs));
    figures.currentWall.push(perMessage(current.wallMs));
    (figures as {textChars: number}).textChars = current.textChars;
    let line = `  ${profile} round ${round + 1}: ${perMessage(current.cpuMs).toFixed(2)} µs CPU/msg`;
    if (baseline !== null) {
      const before = await analyse(baseline, profile, messages);
      if (before.analysesHash !== current.analysesHash)
        throw new Error(`${profile}: the analyses differ from the baseline build's`);
      figures.baselineCpu.push(perMessage(before.cpuMs));
      figures.baselineWall.push(perMessage(before.wallMs));
      line += ` (baseline ${perMessage(before.cpuMs).toFixed(2)}; same analyses)`;
    }
    context.log(line);
  }
  return figures;
}

export const digestAnalysis: Benchmark = {
  name: 'digest-analysis',
  summary: 'digest analysis per message for Latin, Hebrew, Chinese, Japanese, Thai and mixed chats',
  async run(context) {
    if (!existsSync(path.join(CURRENT_DIST, 'src', 'writers', 'digest', 'analyze.js')))
      throw new Error('no dist/src/writers/digest/analyze.js: run npm run build');
    const baselineDir = process.env.EGREGORA_BENCH_BASELINE_DIST ?? null;
    const baseline = baselineDir === null ? null : path.resolve(baselineDir);
    const messages = scaled(context, MESSAGES);
    context.log(
      `  ${formatCount(messages)} messages per profile, ${runsFor(context, ROUNDS)} rounds` +
        (baseline === null ? '' : `, alternating with the build in ${baseline}`),
    );
    const all: ProfileFigures[] = [];
    for (const profile of SCRIPT_PROFILES)
      all.push(await measureProfile(context, profile, messages, baseline));
    const latin = median((all[0] as ProfileFigures).currentCpu);
    return all.map((figures): BenchResult => {
      const cpu = median(figures.currentCpu);
      const ratio = cpu / latin;
      const before = figures.baselineCpu.length > 0 ? median(figures.baselineCpu) : null;
      return {
        id: `digest-analysis.${figures.profile}`,
        benchmark: `digest analysis, ${figures.profile}`,
        input: `${formatCount(messages)} msgs, ${formatCount(figures.textChars)} chars`,
        median: cpu,
        unit: 'µs CPU/msg',
        display:
          `${cpu.toFixed(2)} µs CPU/msg (wall ${median(figures.currentWall).toFixed(2)})` +
          (before === null ? '' : `, before ${before.toFixed(2)}`),
        target: `≤ ${TARGET_RATIO}× Latin`,
        ratio: `${formatRatio(ratio)} Latin`,
        pass: ratio <= TARGET_RATIO,
        samples: figures.currentCpu,
        details: {
          profile: figures.profile,
          messages,
          wallUsPerMessage: figures.currentWall,
          baselineCpuUsPerMessage: figures.baselineCpu,
          baselineWallUsPerMessage: figures.baselineWall,
          baseline,
        },
      };
    });
  },
};
