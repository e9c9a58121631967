import type {ChatMessage} from '../../../schemas/message.js';
import type {AnalyzedMessage} from './analyze.js';

/**
 * A window's messages as the analysis reads them (AnalyzedMessage), in columns, to cross to an
 * analysis thread. Structured cloning writes every property name of every object, and every copy of
 * a repeated string; as columns a window's authors and kinds are written once each and its flags as
 * one buffer, so the main thread, which pays for the copy, spends less on it (docs/BENCHMARKS.md).
 */
export interface PackedMessages {
  readonly texts: readonly string[];
  /** The distinct authors and kinds, in order of first appearance; null is an author too. */
  readonly names: readonly (string | null)[];
  /** Per message: its author's index in `names`. */
  readonly authorAt: Uint16Array;
  /** Per message: its kind's index in `names`. */
  readonly kindAt: Uint16Array;
  /** Per message: 1 when edited. */
  readonly editedAt: Uint8Array;
}

/**
 * Distinct names a window may list (authors and kinds together): the indices are 16-bit. A window
 * with more is sent as it is, message by message (`undefined` here).
 */
const MAX_PACKED_NAMES = 0xffff;

export function packMessages(messages: readonly ChatMessage[]): PackedMessages | undefined {
  const names: (string | null)[] = [];
  const indexOf = new Map<string | null, number>();
  const nameIndex = (name: string | null): number => {
    let index = indexOf.get(name);
    if (index === undefined) {
      index = names.length;
      names.push(name);
      indexOf.set(name, index);
    }
    return index;
  };
  const authorAt = new Uint16Array(messages.length);
  const kindAt = new Uint16Array(messages.length);
  const editedAt = new Uint8Array(messages.length);
  const texts: string[] = new Array(messages.length);
  for (let at = 0; at < messages.length; at++) {
    const message = messages[at] as ChatMessage;
    authorAt[at] = nameIndex(message.author);
    kindAt[at] = nameIndex(message.kind);
    editedAt[at] = message.edited ? 1 : 0;
    texts[at] = message.text;
    if (names.length > MAX_PACKED_NAMES) return undefined;
  }
  return {texts, names, authorAt, kindAt, editedAt};
}

/** The messages packMessages packed, as the analysis reads them. */
export function unpackMessages(packed: PackedMessages): AnalyzedMessage[] {
  const messages: AnalyzedMessage[] = new Array(packed.texts.length);
  for (let at = 0; at < packed.texts.length; at++) {
    messages[at] = {
      kind: packed.names[packed.kindAt[at] as number] as ChatMessage['kind'],
      author: packed.names[packed.authorAt[at] as number] as string | null,
      text: packed.texts[at] as string,
      edited: packed.editedAt[at] === 1,
    };
  }
  return messages;
}
