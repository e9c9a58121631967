import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {type ChatMessage, MessageKindSchema, ParseJsonLineSchema} from '../../schemas/message.js';
import {ParseJsonEncoder, parseJsonLine} from '../../src/ingest/parse-json.js';
import {parseChatText} from '../../src/ingest/parser.js';
import {asciiBytes, JsonByteChunks, maxJsonStringBytes} from '../../src/util/json-bytes.js';
import {buildChat, datesFrom, kindSamples} from '../fixtures/index.js';

/** What `parse --json` printed before it had an encoder of its own: the definition of its bytes. */
function reference(messages: readonly ChatMessage[]): Buffer {
  return Buffer.from(
    messages.map((message) => `${JSON.stringify(parseJsonLine(message))}\n`).join(''),
    'utf8',
  );
}

function encoded(
  messages: readonly ChatMessage[],
  chunkBytes?: number,
  batch = messages.length,
  cachedAuthors?: number,
): Buffer {
  const encoder = new ParseJsonEncoder(chunkBytes, cachedAuthors);
  const chunks: Buffer[] = [];
  for (let start = 0; start < messages.length; start += Math.max(batch, 1)) {
    chunks.push(...encoder.encode(messages.slice(start, start + Math.max(batch, 1))));
  }
  chunks.push(...encoder.flush());
  return Buffer.concat(chunks);
}

function stringBytes(value: string): Buffer {
  const out = new JsonByteChunks(16);
  out.reserve(maxJsonStringBytes(value.length));
  out.string(value);
  return Buffer.concat(out.flush());
}

/** Every kind of UTF-16 unit JSON.stringify treats apart, and characters of 1 to 4 UTF-8 bytes. */
const TRICKY_UNITS = [
  '\u0000',
  '\u0001',
  '\b',
  '\t',
  '\n',
  '\u000b',
  '\f',
  '\r',
  '\u001f',
  ' ',
  '"',
  '\\',
  '/',
  '\u007f',
  '\u0080',
  'é',
  '\u07ff',
  '\u0800',
  '\u2028',
  '\u2029',
  '\u200e',
  '\ufeff',
  '\uffff',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '😀',
  '👩‍👩‍👧',
  'שרה',
  '中文',
  'ไทย',
];

const textArb = fc.oneof(
  fc.string({unit: 'binary', maxLength: 40}),
  fc.string({unit: fc.constantFrom(...TRICKY_UNITS), maxLength: 30}),
  fc.string({unit: 'grapheme', maxLength: 30}),
);

const messageArb: fc.Arbitrary<ChatMessage> = fc.record({
  position: fc.nat(),
  date: fc.oneof(fc.constant('2024-03-14T09:00:00'), textArb),
  instantMs: fc.integer(),
  author: fc.option(textArb, {nil: null}),
  text: textArb,
  kind: fc.constantFrom(...MessageKindSchema.options),
  edited: fc.boolean(),
  attachment: fc.option(textArb, {nil: null}),
  attachmentPresent: fc.boolean(),
});

describe('JsonByteChunks.string', () => {
  it('writes every UTF-16 code unit alone as JSON.stringify + UTF-8 does', () => {
    for (let code = 0; code <= 0xffff; code += 1) {
      const value = String.fromCharCode(code);
      expect(stringBytes(value).equals(Buffer.from(JSON.stringify(value), 'utf8'))).toBe(true);
    }
  });

  it('writes every surrogate pair, well-formed or not, as JSON.stringify + UTF-8 does', () => {
    const highs = [0xd800, 0xd83d, 0xdbff];
    const lows = [0xdc00, 0xde00, 0xdfff];
    for (const first of [...highs, ...lows]) {
      for (const second of [...highs, ...lows, 0x41]) {
        for (const value of [
          String.fromCharCode(first, second),
          `a${String.fromCharCode(first, second)}`,
          String.fromCharCode(second, first, second),
        ]) {
          expect(stringBytes(value).toString('hex')).toBe(Buffer.from(JSON.stringify(value)).toString('hex'));
        }
      }
    }
  });

  it('matches JSON.stringify on any string', () => {
    fc.assert(
      fc.property(textArb, (value) => {
        expect(stringBytes(value).toString('hex')).toBe(Buffer.from(JSON.stringify(value)).toString('hex'));
      }),
      {numRuns: 2000},
    );
  });

  it('never writes more than maxJsonStringBytes', () => {
    for (const value of ['\u0000'.repeat(50), '\ud800'.repeat(50), '中'.repeat(50), '😀'.repeat(50), '']) {
      expect(stringBytes(value).length).toBeLessThanOrEqual(maxJsonStringBytes(value.length));
    }
    expect(stringBytes('\u0001'.repeat(7)).length).toBe(maxJsonStringBytes(7));
  });

  it('refuses constant bytes that are not ASCII', () => {
    expect(() => asciiBytes('é')).toThrow(RangeError);
  });
});

describe('ParseJsonEncoder', () => {
  it('writes exactly the bytes of JSON.stringify per line, in any chunking, batching and author cache', () => {
    fc.assert(
      fc.property(
        fc.array(messageArb, {maxLength: 40}),
        fc.integer({min: 1, max: 400}),
        fc.integer({min: 1, max: 50}),
        fc.integer({min: 0, max: 3}),
        (messages, chunkBytes, batch, cachedAuthors) => {
          // Few authors repeated, so that names come from the cache, and more than it holds.
          const authors = messages.map((message, index) =>
            index % 2 === 0 ? {...message, author: messages[index % 5]?.author ?? null} : message,
          );
          expect(encoded(authors, chunkBytes, batch, cachedAuthors).toString('hex')).toBe(
            reference(authors).toString('hex'),
          );
        },
      ),
      {numRuns: 500},
    );
  });

  it('writes every kind, edited or not, with and without author and attachment', () => {
    const messages: ChatMessage[] = [];
    for (const kind of MessageKindSchema.options) {
      for (const edited of [false, true]) {
        for (const author of [null, 'Ana "A" \\ Ribeiro']) {
          for (const attachment of [null, 'IMG-0001.jpg']) {
            messages.push({
              position: messages.length,
              date: '2024-03-14T09:00:00',
              instantMs: 0,
              author,
              text: 'line one\nline two\t"quoted"',
              kind,
              edited,
              attachment,
              attachmentPresent: attachment !== null,
            });
          }
        }
      }
    }
    const bytes = encoded(messages);
    expect(bytes.equals(reference(messages))).toBe(true);
    const lines = bytes.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(messages.length);
    for (const line of lines) {
      const object = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(object)).toEqual(['date', 'author', 'text', 'kind', 'edited', 'attachment']);
      ParseJsonLineSchema.parse(object);
    }
  });

  it('keeps a message larger than a chunk whole, in a chunk of its own', () => {
    const long = `${'中'.repeat(5000)}😀`;
    const messages: ChatMessage[] = ['short', long, 'after'].map((text, position) => ({
      position,
      date: '2024-03-14T09:00:00',
      instantMs: 0,
      author: 'Ana',
      text,
      kind: 'message',
      edited: false,
      attachment: null,
      attachmentPresent: false,
    }));
    const encoder = new ParseJsonEncoder(1024);
    const chunks = [...encoder.encode(messages), ...encoder.flush()];
    expect(Buffer.concat(chunks).equals(reference(messages))).toBe(true);
    expect(chunks.some((chunk) => chunk.toString('utf8').includes(long))).toBe(true);
  });

  it('encodes what the parser reads from a chat as the reference does', () => {
    const samples = kindSamples('ios');
    const text = buildChat({
      layout: 'ios-en-gb',
      messages: samples.map((sample, index) => ({
        date: datesFrom('2024-03-14T09:00', samples.length)[index] ?? '',
        author: sample.author === null ? null : 'Ana',
        text: sample.text,
        lrm: sample.lrm ?? false,
      })),
    });
    const {messages} = parseChatText(text, {timezone: 'UTC'});
    expect(messages.length).toBe(samples.length);
    expect(encoded(messages, 64, 3).equals(reference(messages))).toBe(true);
  });
});
