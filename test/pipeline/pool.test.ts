import {describe, expect, it} from 'vitest';
import {runPool} from '../../src/pipeline/pool.js';

describe('runPool', () => {
  it('runs every item, at most `concurrency` at once, starting them in order', async () => {
    const items = Array.from({length: 9}, (_, index) => index);
    const started: number[] = [];
    let running = 0;
    let mostAtOnce = 0;
    await runPool(
      items,
      3,
      async (item) => {
        started.push(item);
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, (item % 3) * 2));
        running -= 1;
      },
      () => false,
    );
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(mostAtOnce).toBe(3);
  });

  it('starts nothing more once told to stop; started tasks finish', async () => {
    const done: number[] = [];
    await runPool(
      [0, 1, 2, 3, 4],
      2,
      async (item) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        done.push(item);
      },
      () => done.length >= 1,
    );
    expect(done.sort()).toEqual([0, 1]);
  });
});
