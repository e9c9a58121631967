import type {BenchResult} from './results.js';

export interface BenchContext {
  /**
   * `--quick`: every input shrunk (see `scaled`) to check that the benchmarks work, in seconds. Its
   * figures are not the inputs and never count as a result.
   */
  readonly quick: boolean;
  /** Progress for the person watching (stderr); the table goes to stdout. */
  log(message: string): void;
}

export interface Benchmark {
  /** The name `npm run bench <name>` selects it by. */
  readonly name: string;
  readonly summary: string;
  run(context: BenchContext): Promise<BenchResult[]>;
}

/** Inputs shrink this much under `--quick`. */
const QUICK_DIVISOR = 100;
const QUICK_MIN = 1_000;

/** The input size to use: the issue's `full` size, or a small one under `--quick`. */
export function scaled(context: BenchContext, full: number): number {
  return context.quick ? Math.max(QUICK_MIN, Math.round(full / QUICK_DIVISOR)) : full;
}

/** Runs to take: `full`, or 3 under `--quick` (still a median of several). */
export function runsFor(context: BenchContext, full: number): number {
  return context.quick ? Math.min(full, 3) : full;
}
