import {type Benchmark, runsFor} from '../lib/bench.js';
import {timeCommand} from '../lib/measure.js';
import {formatMs, median} from '../lib/stats.js';
import {CLI_RUNS, CLI_WARMUP_RUNS, timeCli} from './cli-timing.js';

/** Issue #14 (issue #6 asked for < 200 ms). */
const TARGET_MS = 100;

export const startup: Benchmark = {
  name: 'startup',
  summary: '`egregora --help` in fresh processes',
  async run(context) {
    const runs = runsFor(context, CLI_RUNS);
    context.log(`  node bin/run.js --help × ${runs}`);
    const timing = timeCli(['--help'], runs, (run) =>
      run.stdout.includes('process') ? null : 'no command list in the help',
    );
    const bare = bareNodeMs(runs);
    context.log(
      `  median ${formatMs(timing.medianMs)}, CPU ${timing.cpuMedianMs === null ? '?' : formatMs(timing.cpuMedianMs)} (bare \`node -e 0\`: ${formatMs(bare)})`,
    );
    return [
      {
        id: 'startup.help',
        benchmark: 'start-up',
        input: '`egregora --help`',
        median: timing.medianMs,
        unit: 'ms',
        display: formatMs(timing.medianMs),
        target: `≤ ${TARGET_MS} ms`,
        ratio: null,
        pass: timing.medianMs <= TARGET_MS,
        samples: timing.samplesMs,
        details: {
          runs,
          warmupRuns: CLI_WARMUP_RUNS,
          command: 'node bin/run.js --help',
          bareNodeMedianMs: bare,
        },
      },
    ];
  },
};

/** What starting Node itself costs here, so the CLI's own share can be read off. */
function bareNodeMs(runs: number): number {
  const samples: number[] = [];
  for (let run = -CLI_WARMUP_RUNS; run < runs; run += 1) {
    const result = timeCommand(process.execPath, ['-e', '0'], {timeoutMs: 10_000});
    if (run >= 0) samples.push(result.wallMs);
  }
  return median(samples);
}
