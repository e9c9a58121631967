import type {ChatMessage} from '../../schemas/message.js';
import type {Window, WindowPart} from '../../schemas/window.js';
import {windowFingerprint} from './fingerprint.js';

/** Assembles a window from its (non-empty) messages; with restoreWindow, the only places a Window is made. */
export function buildWindow(index: number, messages: ChatMessage[], part?: WindowPart): Window {
  const first = messages[0];
  const last = messages.at(-1);
  if (first === undefined || last === undefined) throw new RangeError('a window needs at least one message');
  const window: Window = {
    index,
    firstDate: first.date,
    lastDate: last.date,
    startMs: first.instantMs,
    endMs: last.instantMs,
    messages,
    fingerprint: windowFingerprint(messages, part),
  };
  if (part !== undefined) window.part = part;
  return window;
}

/**
 * A window made again from what was kept of it and its messages (the same messages it was built
 * from): the fingerprint is not computed a second time.
 */
export function restoreWindow(outline: Omit<Window, 'messages'>, messages: ChatMessage[]): Window {
  const window: Window = {
    index: outline.index,
    firstDate: outline.firstDate,
    lastDate: outline.lastDate,
    startMs: outline.startMs,
    endMs: outline.endMs,
    messages,
    fingerprint: outline.fingerprint,
  };
  if (outline.part !== undefined) window.part = outline.part;
  return window;
}
