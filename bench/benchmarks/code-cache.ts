import {runsStore} from '../fixtures/runs-store.js';
import {type Benchmark, runsFor, scaled} from '../lib/bench.js';
import {type Timed, tail, timeCommand} from '../lib/measure.js';
import {CLI_BIN, REPO_ROOT} from '../lib/paths.js';
import type {BenchResult} from '../lib/results.js';
import {formatMs, median} from '../lib/stats.js';
import {CLI_RUNS, CLI_WARMUP_RUNS} from './cli-timing.js';
// The store of the `runs` benchmark (the same cached file) and the same prefix length.
import {RUNS_IN_STORE, SHOW_PREFIX_CHARS} from './runs-queries.js';

/** As the CLI benchmarks: far above a command's second; a hung child must not hang the suite. */
const TIMEOUT_MS = 60_000;

/**
 * What the V8 code cache of the vendored bundles (bin/vendor-loader.cjs) saves: each command timed in
 * fresh processes with the cache and with `EGREGORA_CODE_CACHE=off`, alternating, so that the
 * machine's drift falls on both sides. No target: it explains the start-up and `runs` figures.
 */
export const codeCache: Benchmark = {
  name: 'code-cache',
  summary: '`--help` and `runs show` with and without the code cache of the vendored bundles',
  async run(context) {
    const size = scaled(context, RUNS_IN_STORE);
    const store = await runsStore(size, context.log);
    const runs = runsFor(context, CLI_RUNS);
    const cases = [
      {id: 'code-cache.help', label: '`--help`', args: ['--help']},
      {
        id: 'code-cache.runs-show',
        label: '`runs show <8-char prefix>`',
        args: ['runs', 'show', store.showRunId.slice(0, SHOW_PREFIX_CHARS), '--dir', store.stateDir],
      },
    ];
    const results: BenchResult[] = [];
    for (const {id, label, args} of cases) {
      context.log(`  node bin/run.js ${args.join(' ')}, with and without the cache, alternating × ${runs}`);
      const withCache: number[] = [];
      const without: number[] = [];
      for (let run = -CLI_WARMUP_RUNS; run < runs; run += 1) {
        const cached = timeOnce(args, {});
        const compiled = timeOnce(args, {EGREGORA_CODE_CACHE: 'off'});
        if (run >= 0) {
          withCache.push(cached.wallMs);
          without.push(compiled.wallMs);
        }
      }
      const [on, off] = [median(withCache), median(without)];
      context.log(`  with the cache ${formatMs(on)}, without ${formatMs(off)}`);
      results.push({
        id,
        benchmark: `code cache: ${label}`,
        input: label === '`--help`' ? 'fresh processes' : `${size.toLocaleString('en-US')} runs`,
        median: on,
        unit: 'ms',
        display: `${formatMs(on)} (without: ${formatMs(off)})`,
        target: '-',
        ratio: `${(on / off).toFixed(2)}× without`,
        pass: null,
        samples: withCache,
        details: {runs, withoutCacheSamplesMs: without, withoutCacheMedianMs: off},
      });
    }
    return results;
  },
};

function timeOnce(args: readonly string[], env: Record<string, string>): Timed {
  const result = timeCommand(process.execPath, [CLI_BIN, ...args], {
    cwd: REPO_ROOT,
    env: {...process.env, FORCE_COLOR: '0', ...env},
    timeoutMs: TIMEOUT_MS,
  });
  if (result.exitCode !== 0) {
    throw new Error(`node bin/run.js ${args.join(' ')} exited ${result.exitCode}: ${tail(result.stderr)}`);
  }
  return result;
}
