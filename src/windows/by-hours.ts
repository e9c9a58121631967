import type {ChatMessage} from '../../schemas/message.js';
import type {MessageRange, RangeStrategy} from './range.js';

const MS_PER_HOUR = 3_600_000;

/**
 * Fixed spans of `size` hours on a grid that starts at the first message's instant; span k holds the
 * messages whose instant falls in `[origin + k·size h, origin + (k+1)·size h)`, and overlap extends it
 * forward by `overlap·size` hours. Spans with no message are skipped (no empty windows for quiet weeks).
 *
 * Chats are processed in file order, and exports do contain clocks that go backwards (a phone's time
 * corrected, a DST change). A message therefore counts at the latest instant seen so far, so it stays
 * with its neighbours and every window is a contiguous run of the file.
 */
export const rangesByHours: RangeStrategy = (messages, size, overlap) => {
  const instants = monotonicInstants(messages);
  const origin = instants[0] ?? 0;
  const spanMs = size * MS_PER_HOUR;
  const extraMs = Math.round(spanMs * overlap);
  const count = instants.length;
  const ranges: MessageRange[] = [];
  let start = 0;
  while (start < count) {
    const span = Math.floor(((instants[start] ?? origin) - origin) / spanMs);
    const spanEnd = origin + (span + 1) * spanMs;
    const baseEnd = firstIndexAtOrAfter(instants, start, spanEnd);
    ranges.push({start, end: firstIndexAtOrAfter(instants, baseEnd, spanEnd + extraMs)});
    start = baseEnd;
  }
  return ranges;
};

function monotonicInstants(messages: readonly ChatMessage[]): number[] {
  const instants: number[] = new Array(messages.length);
  let latest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < messages.length; i++) {
    latest = Math.max(latest, (messages[i] as ChatMessage).instantMs);
    instants[i] = latest;
  }
  return instants;
}

/** The first index from `from` whose instant is at or after `limit` (instants never decrease). */
function firstIndexAtOrAfter(instants: readonly number[], from: number, limit: number): number {
  let index = from;
  while (index < instants.length && (instants[index] as number) < limit) index++;
  return index;
}
