import {setFlagsFromString} from 'node:v8';

/**
 * How far V8 lets the heap grow past what was live at its last full collection, in percent. Left to
 * itself it lets a heap of a few hundred MB grow by a factor of ~1.5-2 before collecting: `process` of
 * 1,000,000 messages holds ~400 MB live (sampled with a forced GC each second) and peaked at
 * 930-940 MB of RSS, mostly garbage not yet collected. At 30 % the same run peaked at 740-790 MB with
 * its wall time within the noise (docs/BENCHMARKS.md); a smaller factor collects more often and saves
 * little more (15 %: 740-750 MB).
 */
export const HEAP_GROWING_PERCENT = 30;

/** For the commands that hold a whole chat (process, runs retry): V8 reads the flag at every collection. */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
