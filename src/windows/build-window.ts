import type {ChatMessage} from '../../schemas/message.js';
import type {Window, WindowPart} from '../../schemas/window.js';
import {windowFingerprint} from './fingerprint.js';

/** Assembles a window from its (non-empty) messages; the single place a Window object is made. */
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
