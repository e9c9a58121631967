import type {MessageRange, RangeStrategy} from './range.js';

/**
 * Window i starts at message `i * size` and holds `size + round(size * overlap)` messages, clipped
 * at the end of the chat. Starts advance by exactly `size`, so with overlap 0 the windows partition
 * the chat; with overlap each window also repeats the first messages of the next one.
 * (`Math.round` rounds halves up: size 1 with overlap 0.5 gives windows of 2.)
 */
export const rangesByMessages: RangeStrategy = (messages, size, overlap) => {
  const count = messages.length;
  const extra = Math.round(size * overlap);
  const ranges: MessageRange[] = [];
  for (let start = 0; start < count; start += size) {
    ranges.push({start, end: Math.min(count, start + size + extra)});
  }
  return ranges;
};
