import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * Runs a full garbage collection between timed runs, so that one run does not pay for the garbage of
 * the previous one. The benchmarks run under `node --import tsx` without `--expose-gc`, so the flag
 * is set at run time and `gc` is taken from a fresh context, where V8 then installs it.
 */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
