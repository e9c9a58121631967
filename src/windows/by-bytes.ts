import type {MessageRange, RangeStrategy} from './range.js';

/**
 * Greedy packing by the UTF-8 size of message texts: a window takes messages while their total stays
 * within `size` bytes, and always takes at least one, so every step makes progress and a message
 * larger than `size` sits alone in its window. Overlap then extends a window forward with the next
 * messages while they fit in `overlap·size` more bytes; a window whose first message is already
 * oversized is not extended, so that message really is alone.
 */
export const rangesByBytes: RangeStrategy = (messages, size, overlap) => {
  const sizes = messages.map((message) => Buffer.byteLength(message.text, 'utf8'));
  const extraBytes = Math.round(size * overlap);
  const ranges: MessageRange[] = [];
  let start = 0;
  while (start < sizes.length) {
    let total = sizes[start] as number;
    let baseEnd = start + 1;
    while (baseEnd < sizes.length && total + (sizes[baseEnd] as number) <= size) {
      total += sizes[baseEnd] as number;
      baseEnd++;
    }
    const end = total > size || extraBytes === 0 ? baseEnd : extendWithin(sizes, baseEnd, extraBytes);
    ranges.push({start, end});
    start = baseEnd;
  }
  return ranges;
};

function extendWithin(sizes: readonly number[], from: number, budget: number): number {
  let end = from;
  let used = 0;
  while (end < sizes.length && used + (sizes[end] as number) <= budget) {
    used += sizes[end] as number;
    end++;
  }
  return end;
}
