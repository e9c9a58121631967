/**
 * Runs `task` over `items` with at most `concurrency` tasks in flight, in item order of start.
 * Stops taking new items once `shouldStop()` is true; tasks already started run to their end.
 * Tasks are expected not to reject: failures are the task's own business to record. One that does
 * ends its worker and rejects the pool at once, while the other workers' tasks run on.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
  shouldStop: () => boolean,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!shouldStop()) {
      const index = next;
      next += 1;
      const item = items[index];
      if (index >= items.length || item === undefined) return;
      await task(item);
    }
  };
  const workers = Array.from({length: Math.max(1, Math.min(concurrency, items.length))}, worker);
  await Promise.all(workers);
}
