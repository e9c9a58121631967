import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {MachineInfo} from './machine.js';

/** One measured figure against one target of issue #6. */
export interface BenchResult {
  /** Stable id, e.g. `parse-throughput.ios`. */
  readonly id: string;
  /** The table's first column. */
  readonly benchmark: string;
  /** What was measured, e.g. `200,000 msgs, 19.0 MB text`. */
  readonly input: string;
  /** The median, in `unit`. */
  readonly median: number;
  readonly unit: string;
  /** The median as printed. */
  readonly display: string;
  /** The target as printed. */
  readonly target: string;
  /** Ratio to the peer or the baseline, as printed; null when there is none. */
  readonly ratio: string | null;
  /** Whether the target is met; null when it could not be measured. */
  readonly pass: boolean | null;
  /** Every sample, in `unit`, in the order measured. */
  readonly samples: readonly number[];
  /** Anything else worth keeping (other medians, sizes, exit codes). */
  readonly details: Readonly<Record<string, unknown>>;
  /** Why a figure is missing or how to read it. */
  readonly note?: string;
}

export interface ResultsFile {
  /** When the run started (ISO 8601, UTC). */
  readonly date: string;
  readonly command: string;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly benchmarks: readonly string[];
  readonly elapsedSeconds: number;
  /** Load averages (1, 5, 15 min) when each benchmark started. */
  readonly loadAverageAtStart: Readonly<Record<string, readonly number[]>>;
  readonly results: readonly BenchResult[];
}

export function verdict(pass: boolean | null): string {
  if (pass === null) return 'N/A';
  return pass ? 'PASS' : 'FAIL';
}

/** The one table `npm run bench` prints. */
export function formatTable(results: readonly BenchResult[]): string {
  const header = ['benchmark', 'input', 'median', 'target', 'ratio/peer', 'result'];
  const rows = results.map((result) => [
    result.benchmark,
    result.input,
    result.display,
    result.target,
    result.ratio ?? '-',
    verdict(result.pass),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => [...(row[column] ?? '')].length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - [...cell].length)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  const notes = results
    .filter((result) => result.note !== undefined)
    .map((result) => `  ${result.benchmark}: ${result.note}`);
  return [line(header), rule, ...rows.map(line), ...(notes.length > 0 ? ['', 'Notes:', ...notes] : [])].join(
    '\n',
  );
}

export async function writeResults(file: string, contents: ResultsFile): Promise<void> {
  await mkdir(path.dirname(file), {recursive: true});
  await writeFile(file, `${JSON.stringify(contents, null, 2)}\n`);
}
