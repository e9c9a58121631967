import {readFile} from 'node:fs/promises';
import {RESULTS_FILE} from './lib/paths.js';
import {type ResultsFile, verdict} from './lib/results.js';

/**
 * Prints bench/.data/results.json as the Markdown of docs/BENCHMARKS.md (machine, then one table),
 * so that the document is updated from a run instead of by hand:
 *
 *   node --import tsx bench/report.ts
 */
const results = JSON.parse(await readFile(RESULTS_FILE, 'utf8')) as ResultsFile;
const cell = (text: string) => text.replaceAll('|', '\\|');
const lines = [
  `Run of ${results.date} (${results.elapsedSeconds.toFixed(0)} s): \`${results.command}\`${results.quick ? ' — QUICK, not the targets' : ''}`,
  '',
  `- CPU: ${results.machine.cpuModel}, \`nproc\` = ${results.machine.nproc}, memory ${results.machine.memoryTotal}`,
  `- Node ${results.machine.node}, ${results.machine.platform}, kernel ${results.machine.kernel}`,
  `- load average when each benchmark started (1, 5, 15 min): ${Object.entries(results.loadAverageAtStart)
    .map(([name, load]) => `${name} ${load.join('/')}`)
    .join('; ')}`,
  '',
  '| benchmark | input | median | target | ratio/peer | result |',
  '|---|---|---|---|---|---|',
  ...results.results.map(
    (result) =>
      `| ${[result.benchmark, result.input, result.display, result.target, result.ratio ?? '-', verdict(result.pass)].map(cell).join(' | ')} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
