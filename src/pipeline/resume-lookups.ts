import {isStoreError} from '../db/errors.js';
import type {RunTracker} from '../runs/tracker.js';

/**
 * Resume reads the stores to find work already done. When the runs store cannot be used (damaged,
 * unwritable, busy), that knowledge is simply missing: processing goes on as if nothing were done,
 * which costs time but never correctness, and the user is told once. A dry run (no tracker) still
 * reads, to show an honest plan.
 */
export function mayLookUp(tracker: RunTracker | null): boolean {
  return tracker === null || tracker.recording;
}

export async function lookupOrNothing<T>(
  read: () => Promise<T>,
  nothing: T,
  onWarning: ((message: string) => void) | undefined,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isStoreError(error)) throw error;
    onWarning?.(`${(error as Error).message} Nothing is skipped as already done.`);
    return nothing;
  }
}
