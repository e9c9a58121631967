import {type ChatMessage, type MessageKind, MessageKindSchema} from '../../schemas/message.js';
import type {Window} from '../../schemas/window.js';
import {restoreWindow} from '../windows/index.js';

const KINDS: readonly MessageKind[] = MessageKindSchema.options;
const KIND_CODES = new Map<MessageKind, number>(KINDS.map((kind, code) => [kind, code]));
const EDITED = 1;
const ATTACHMENT_PRESENT = 2;

/**
 * The chat's pseudonymized messages from the plan to the last window, held as columns. A message
 * object with its boxed instant costs ~112 bytes before its texts, ~110 MB for 1,000,000 messages;
 * as columns it costs ~38, and consecutive messages of the same minute share one date string. Every
 * message is held for the whole window phase (windows read them in any order, some twice with
 * overlap), so this is most of what that phase holds. A window's messages are made again as plain
 * objects, equal field for field to the ones held, only while it is being written.
 */
export class HeldChat {
  private constructor(
    private readonly positions: Int32Array,
    private readonly dates: readonly string[],
    private readonly instants: Float64Array,
    private readonly authors: readonly (string | null)[],
    private readonly texts: readonly string[],
    private readonly kinds: Uint8Array,
    private readonly flags: Uint8Array,
    private readonly attachments: ReadonlyMap<number, string>,
  ) {}

  static of(messages: readonly ChatMessage[]): HeldChat {
    const count = messages.length;
    const positions = new Int32Array(count);
    const dates: string[] = new Array(count);
    const instants = new Float64Array(count);
    const authors: (string | null)[] = new Array(count);
    const texts: string[] = new Array(count);
    const kinds = new Uint8Array(count);
    const flags = new Uint8Array(count);
    const attachments = new Map<number, string>();
    let previousDate = '';
    for (let index = 0; index < count; index += 1) {
      const message = messages[index] as ChatMessage;
      positions[index] = message.position;
      previousDate = message.date === previousDate ? previousDate : message.date;
      dates[index] = previousDate;
      instants[index] = message.instantMs;
      authors[index] = message.author;
      texts[index] = message.text;
      kinds[index] = KIND_CODES.get(message.kind) ?? 0;
      flags[index] = (message.edited ? EDITED : 0) | (message.attachmentPresent ? ATTACHMENT_PRESENT : 0);
      if (message.attachment !== null) attachments.set(index, message.attachment);
    }
    return new HeldChat(positions, dates, instants, authors, texts, kinds, flags, attachments);
  }

  get length(): number {
    return this.texts.length;
  }

  /** Messages `[start, end)` as new objects, in the parser's field order. */
  messages(start: number, end: number): ChatMessage[] {
    if (start < 0 || end > this.length || start >= end) {
      throw new RangeError(`messages ${start}-${end} are not in a chat of ${this.length}`);
    }
    const messages: ChatMessage[] = new Array(end - start);
    for (let index = start; index < end; index += 1) {
      const flags = this.flags[index] ?? 0;
      messages[index - start] = {
        position: this.positions[index] ?? 0,
        date: this.dates[index] ?? '',
        instantMs: this.instants[index] ?? 0,
        author: this.authors[index] ?? null,
        text: this.texts[index] ?? '',
        kind: KINDS[this.kinds[index] ?? 0] ?? 'message',
        edited: (flags & EDITED) !== 0,
        attachment: this.attachments.get(index) ?? null,
        attachmentPresent: (flags & ATTACHMENT_PRESENT) !== 0,
      };
    }
    return messages;
  }
}

/** A window without its messages: where they are in the held chat, and what was computed of them. */
export type WindowOutline = Omit<Window, 'messages'> & {readonly start: number; readonly end: number};

/** The outline of `window`, whose messages are the held chat's from `start` on. */
export function outlineOf(window: Window, start: number): WindowOutline {
  const {messages, ...kept} = window;
  return {...kept, start, end: start + messages.length};
}

/** The window an outline was made of, with its messages made again from the held chat. */
export function windowFrom(chat: HeldChat, outline: WindowOutline): Window {
  return restoreWindow(outline, chat.messages(outline.start, outline.end));
}
