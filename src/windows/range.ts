import type {ChatMessage} from '../../schemas/message.js';

/** A half-open range `[start, end)` of message indices, as a windowing strategy proposes it. */
export interface MessageRange {
  readonly start: number;
  readonly end: number;
}

/**
 * How a unit turns messages into ranges. Ranges come in order, with non-decreasing starts and ends;
 * `size` and `overlap` are already validated against the unit's bounds.
 */
export type RangeStrategy = (
  messages: readonly ChatMessage[],
  size: number,
  overlap: number,
) => MessageRange[];
