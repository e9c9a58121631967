import type {ChatMessage} from '../../schemas/message.js';
import {type Window, type WindowSpec, WindowSpecSchema, type WindowUnit} from '../../schemas/window.js';
import {buildWindow} from './build-window.js';
import {rangesByBytes} from './by-bytes.js';
import {rangesByHours} from './by-hours.js';
import {rangesByMessages} from './by-messages.js';
import type {MessageRange, RangeStrategy} from './range.js';

const STRATEGIES: Record<WindowUnit, RangeStrategy> = {
  messages: rangesByMessages,
  hours: rangesByHours,
  bytes: rangesByBytes,
};

/** A window and where its messages start in the chat it was cut from. */
export interface WindowSpan {
  readonly window: Window;
  readonly start: number;
}

/**
 * Cuts a chat into windows of consecutive messages, in file order. `spec` is validated against the
 * bounds of its unit (a ZodError names the accepted range). A window that would add no message beyond
 * the previous one (possible at the end of the chat with overlap) is not emitted, so indices stay
 * contiguous and no window is a pure repeat. Empty input gives no windows.
 */
export function cutWindows(messages: readonly ChatMessage[], spec: WindowSpec): Window[] {
  return cutWindowSpans(messages, spec).map((span) => span.window);
}

/** cutWindows, with each window's place in `messages`. */
export function cutWindowSpans(messages: readonly ChatMessage[], spec: WindowSpec): WindowSpan[] {
  const {unit, size, overlap} = WindowSpecSchema.parse(spec);
  return spansFromRanges(messages, STRATEGIES[unit](messages, size, overlap));
}

function spansFromRanges(messages: readonly ChatMessage[], ranges: readonly MessageRange[]): WindowSpan[] {
  const spans: WindowSpan[] = [];
  let coveredUntil = 0;
  for (const range of ranges) {
    if (range.end <= coveredUntil) continue;
    const window = buildWindow(spans.length, messages.slice(range.start, range.end));
    spans.push({window, start: range.start});
    coveredUntil = range.end;
  }
  return spans;
}
