import {runsStore} from '../fixtures/runs-store.js';
import {type Benchmark, runsFor, scaled} from '../lib/bench.js';
import {type Timed, tail, timeCommand} from '../lib/measure.js';
import {CLI_BIN, REPO_ROOT} from '../lib/paths.js';
import type {BenchResult} from '../lib/results.js';
import {formatMs, median} from '../lib/stats.js';
import {CLI_RUNS, CLI_TIMEOUT_MS, CLI_WARMUP_RUNS} from './cli-timing.js';
// The store of the `runs` benchmark (the same cached file) and the same prefix length.
import {RUNS_IN_STORE, SHOW_PREFIX_CHARS} from './store-cases.js';

interface CacheCase {
  readonly id: string;
  readonly label: string;
  readonly input: string;
  readonly args: readonly string[];
  /** What the output must hold for the run to count (a fast failure must not look fast). */
  readonly expect: string;
}

/**
 * What the V8 code cache of the vendored bundles (bin/vendor-loader.cjs) saves: each command timed in
 * fresh processes with the cache and with `EGREGORA_CODE_CACHE=off`, alternating (and which goes
 * first, too), so that the machine's drift falls on both sides. No target: it explains the start-up
 * and `runs` figures.
 */
export const codeCache: Benchmark = {
  name: 'code-cache',
  summary: '`--help` and `runs show` with and without the code cache of the vendored bundles',
  async run(context) {
    const size = scaled(context, RUNS_IN_STORE);
    const store = await runsStore(size, context.log);
    const runs = runsFor(context, CLI_RUNS);
    const prefix = store.showRunId.slice(0, SHOW_PREFIX_CHARS);
    const cases: CacheCase[] = [
      {
        id: 'code-cache.help',
        label: '`--help`',
        input: 'fresh processes',
        args: ['--help'],
        expect: 'process',
      },
      {
        id: 'code-cache.runs-show',
        label: `\`runs show <${SHOW_PREFIX_CHARS}-char prefix>\``,
        input: `${size.toLocaleString('en-US')} runs`,
        args: ['runs', 'show', prefix, '--dir', store.stateDir],
        expect: prefix,
      },
    ];
    const results: BenchResult[] = [];
    for (const test of cases) {
      context.log(
        `  node bin/run.js ${test.args.join(' ')}, with and without the cache, alternating × ${runs}`,
      );
      const withCache: number[] = [];
      const without: number[] = [];
      for (let run = -CLI_WARMUP_RUNS; run < runs; run += 1) {
        const sides = [
          () => withCache.push(timeOnce(test, '').wallMs),
          () => without.push(timeOnce(test, 'off').wallMs),
        ];
        if (run % 2 !== 0) sides.reverse();
        for (const side of sides) side();
        if (run < 0) {
          withCache.pop();
          without.pop();
        }
      }
      const [on, off] = [median(withCache), median(without)];
      context.log(`  with the cache ${formatMs(on)}, without ${formatMs(off)}`);
      results.push({
        id: test.id,
        benchmark: `code cache: ${test.label}`,
        input: test.input,
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

/** One fresh process; `codeCache` is EGREGORA_CODE_CACHE's value, set on both sides. */
function timeOnce(test: CacheCase, codeCache: '' | 'off'): Timed {
  const result = timeCommand(process.execPath, [CLI_BIN, ...test.args], {
    cwd: REPO_ROOT,
    env: {...process.env, FORCE_COLOR: '0', EGREGORA_CODE_CACHE: codeCache},
    timeoutMs: CLI_TIMEOUT_MS,
  });
  const command = `node bin/run.js ${test.args.join(' ')}`;
  if (result.exitCode !== 0) throw new Error(`${command} exited ${result.exitCode}: ${tail(result.stderr)}`);
  if (!result.stdout.includes(test.expect)) throw new Error(`${command} did not print "${test.expect}"`);
  return result;
}
