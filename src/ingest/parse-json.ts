import {type ChatMessage, MessageKindSchema, type ParseJsonLine} from '../../schemas/message.js';
import {asciiBytes, JSON_CHUNK_BYTES, JsonByteChunks, maxJsonStringBytes} from '../util/json-bytes.js';

/**
 * The `parse --json` output (ParseJsonLineSchema, one object per line, keys in contract order) as
 * UTF-8 chunks, byte for byte what `JSON.stringify(parseJsonLine(message)) + '\n'` gives: the fixed
 * parts are bytes made once, the strings are written by JsonByteChunks. test/ingest/parse-json.test.ts
 * holds the two to each other on generated messages of every kind of character.
 */
export function parseJsonLine(message: ChatMessage): ParseJsonLine {
  return {
    date: message.date,
    author: message.author,
    text: message.text,
    kind: message.kind,
    edited: message.edited,
    attachment: message.attachment,
  };
}

const DATE_OPEN = asciiBytes('{"date":');
const AUTHOR = asciiBytes(',"author":');
const NO_AUTHOR_TEXT = asciiBytes(',"author":null,"text":');
const TEXT = asciiBytes(',"text":');
const LINE_END = asciiBytes('}\n');

interface KindTails {
  /** `,"kind":…,"edited":…,"attachment":` before an attachment's name. */
  readonly beforeAttachment: Uint8Array;
  /** The same with `null}` and the line break: the whole rest of a line without attachment. */
  readonly withoutAttachment: Uint8Array;
}

/** The line's tail for each kind, not edited (index 0) and edited (index 1). */
const TAILS = new Map<string, readonly [KindTails, KindTails]>(
  MessageKindSchema.options.map((kind) => {
    const tails = (edited: boolean): KindTails => {
      const before = `,"kind":${JSON.stringify(kind)},"edited":${edited},"attachment":`;
      return {beforeAttachment: asciiBytes(before), withoutAttachment: asciiBytes(`${before}null}\n`)};
    };
    return [kind, [tails(false), tails(true)]] as const;
  }),
);
/** The fixed bytes of a line, beyond its strings' own: the longest tail and the rest. */
const FIXED_LINE_BYTES =
  DATE_OPEN.length +
  NO_AUTHOR_TEXT.length +
  Math.max(...[...TAILS.values()].flat().map((tails) => tails.withoutAttachment.length));

/**
 * Authors whose `,"author":…,"text":` bytes are kept: a chat has few authors, and copying the bytes
 * costs less than encoding the name again for every message. A bound, so that a chat of millions
 * of distinct names (a hostile file) costs memory no more than the names themselves.
 */
const CACHED_AUTHORS = 10_000;

export class ParseJsonEncoder {
  private readonly out: JsonByteChunks;
  private readonly authorBytes = new Map<string, Uint8Array>();

  constructor(
    chunkBytes: number = JSON_CHUNK_BYTES,
    private readonly cachedAuthors: number = CACHED_AUTHORS,
  ) {
    this.out = new JsonByteChunks(chunkBytes);
  }

  /** Encodes the messages; returns the chunks that filled up (the rest waits for more, or `flush`). */
  encode(messages: readonly ChatMessage[]): Buffer[] {
    const out = this.out;
    for (let index = 0; index < messages.length; index += 1) {
      const message = messages[index] as ChatMessage;
      const {date, author, text, attachment} = message;
      const tails = TAILS.get(message.kind);
      if (tails === undefined) throw new TypeError(`parse --json: unknown message kind ${message.kind}`);
      const tail = tails[message.edited ? 1 : 0];
      out.reserve(
        FIXED_LINE_BYTES +
          maxJsonStringBytes(date.length) +
          maxJsonStringBytes(text.length) +
          (author === null ? 0 : maxJsonStringBytes(author.length)) +
          (attachment === null ? 0 : maxJsonStringBytes(attachment.length)),
      );
      out.bytes(DATE_OPEN);
      out.string(date);
      if (author === null) out.bytes(NO_AUTHOR_TEXT);
      else {
        const cached = this.authorBytes.get(author) ?? this.cacheAuthor(author);
        if (cached !== null) out.bytes(cached);
        else {
          out.bytes(AUTHOR);
          out.string(author);
          out.bytes(TEXT);
        }
      }
      out.string(text);
      if (attachment === null) out.bytes(tail.withoutAttachment);
      else {
        out.bytes(tail.beforeAttachment);
        out.string(attachment);
        out.bytes(LINE_END);
      }
    }
    return out.take();
  }

  /** The author's bytes, kept for the next messages; null once the cache is full. */
  private cacheAuthor(author: string): Uint8Array | null {
    if (this.authorBytes.size >= this.cachedAuthors) return null;
    const part = new JsonByteChunks(AUTHOR.length + TEXT.length + maxJsonStringBytes(author.length));
    part.bytes(AUTHOR);
    part.string(author);
    part.bytes(TEXT);
    const bytes = Uint8Array.from(part.flush()[0] as Buffer);
    this.authorBytes.set(author, bytes);
    return bytes;
  }

  /** Every byte encoded and not yet returned. */
  flush(): Buffer[] {
    return this.out.flush();
  }
}
