import {codeCache} from './benchmarks/code-cache.js';
import {digestAnalysis} from './benchmarks/digest-analysis.js';
import {llmOverhead} from './benchmarks/llm-overhead.js';
import {parseJson} from './benchmarks/parse-json.js';
import {parseMemory} from './benchmarks/parse-memory.js';
import {parseThroughput} from './benchmarks/parse-throughput.js';
import {processEndToEnd} from './benchmarks/process-e2e.js';
import {processPage} from './benchmarks/process-page.js';
import {processProfiles} from './benchmarks/process-profiles.js';
import {runsQueries} from './benchmarks/runs-queries.js';
import {runsStats} from './benchmarks/runs-stats.js';
import {siteRender} from './benchmarks/site-render.js';
import {startup} from './benchmarks/startup.js';
import {trackingOverhead} from './benchmarks/tracking-overhead.js';
import type {BenchContext, Benchmark} from './lib/bench.js';
import {loadAverage, machineInfo} from './lib/machine.js';
import {RESULTS_FILE} from './lib/paths.js';
import {type BenchResult, formatTable, writeResults} from './lib/results.js';

/**
 * `npm run bench [name…] [--quick]`: runs the named benchmarks (all of them without a name), prints
 * one table of medians against the targets of issue #6 and writes bench/.data/results.json.
 * `npm run build` runs first (the CLI benchmarks spawn bin/run.js).
 */
const BENCHMARKS: readonly Benchmark[] = [
  parseThroughput,
  parseMemory,
  parseJson,
  trackingOverhead,
  startup,
  runsQueries,
  runsStats,
  processPage,
  codeCache,
  llmOverhead,
  siteRender,
  processEndToEnd,
  processProfiles,
  digestAnalysis,
];

function usage(): string {
  const names = BENCHMARKS.map((bench) => `  ${bench.name.padEnd(14)} ${bench.summary}`).join('\n');
  return `usage: npm run bench -- [name…] [--quick]\n\nbenchmarks:\n${names}\n\n--quick  small inputs, to check the benchmarks themselves (figures do not count)\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage());
    return 0;
  }
  const quick = argv.includes('--quick');
  const names = argv.filter((arg) => !arg.startsWith('-'));
  const unknown = names.filter((name) => !BENCHMARKS.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}\n\n${usage()}`);
    return 2;
  }
  const selected = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((bench) => names.includes(bench.name));
  const context: BenchContext = {quick, log: (message) => process.stderr.write(`${message}\n`)};
  const machine = machineInfo();
  context.log(
    `egregora benchmarks on ${machine.cpuModel}, ${machine.nproc} cores, node ${machine.node}${quick ? ' (quick)' : ''}`,
  );

  const startedAt = new Date().toISOString();
  const started = performance.now();
  const results: BenchResult[] = [];
  const load: Record<string, number[]> = {};
  let failures = 0;
  for (const bench of selected) {
    load[bench.name] = loadAverage();
    context.log(`\n== ${bench.name}: ${bench.summary} (load average ${load[bench.name]?.join(', ')})`);
    const benchStarted = performance.now();
    try {
      results.push(...(await bench.run(context)));
    } catch (error) {
      failures += 1;
      const message = error instanceof Error ? error.message : String(error);
      context.log(`${bench.name} failed: ${message}`);
      results.push(failedResult(bench, message));
    }
    context.log(`   (${((performance.now() - benchStarted) / 1000).toFixed(1)} s)`);
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  // Figures of shrunk inputs say nothing about the targets: no verdicts under --quick.
  if (quick) results.splice(0, results.length, ...results.map((result) => ({...result, pass: null})));

  process.stdout.write(`\n${formatTable(results)}\n`);
  if (quick) process.stdout.write('\n--quick: small inputs; these figures do not measure the targets.\n');
  await writeResults(RESULTS_FILE, {
    date: startedAt,
    command: `node --import tsx bench/run.ts ${argv.join(' ')}`.trim(),
    quick,
    machine,
    benchmarks: selected.map((bench) => bench.name),
    elapsedSeconds,
    loadAverageAtStart: load,
    results,
  });
  context.log(`\nresults: ${RESULTS_FILE} (${elapsedSeconds.toFixed(0)} s in all)`);
  // A missed target is a finding, not a crash: only a benchmark that could not run fails the command.
  return failures > 0 ? 1 : 0;
}

function failedResult(bench: Benchmark, message: string): BenchResult {
  return {
    id: `${bench.name}.error`,
    benchmark: bench.name,
    input: '-',
    median: Number.NaN,
    unit: '',
    display: 'error',
    target: '-',
    ratio: null,
    pass: null,
    samples: [],
    details: {error: message},
    note: message,
  };
}

process.exitCode = await main(process.argv.slice(2));
