import {createHash} from 'node:crypto';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../schemas/message.js';
import {parseChat, parseChatText} from '../../src/ingest/parser.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {buildChat, datesFrom, type FixtureMessage, kindSamples} from '../fixtures/index.js';

async function* chunked(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let previous = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > previous) yield bytes.subarray(previous, cut);
    previous = Math.max(previous, cut);
  }
}

async function collect(bytes: Uint8Array, cuts: readonly number[], batchSize?: number) {
  const parse = parseChat(chunked(bytes, cuts), {timezone: 'UTC', fileName: 'chat.txt', batchSize});
  const batches: ChatMessage[][] = [];
  for await (const batch of parse) batches.push(batch);
  return {batches, messages: batches.flat(), summary: parse.summary()};
}

const richMessages: FixtureMessage[] = datesFrom('2024-03-14T09:00', 30).map((date, index) => ({
  date,
  author: ['Ana 🌸', 'Rui', 'שרה', '~\u202fMaria'][index % 4] ?? 'Ana',
  text:
    index % 5 === 0
      ? `multi\nline ${index} 👩‍👩‍👧\n\nend`
      : `message ${index} — ação 日本語 ${'x'.repeat(index)}`,
}));

describe('parseChat (streaming)', () => {
  const text = buildChat({layout: 'ios-en-us', messages: richMessages, lineEnding: 'crlf', bom: true});
  const bytes = new TextEncoder().encode(text);
  const whole = parseChatText(text, {timezone: 'UTC', fileName: 'chat.txt'});

  it('gives the same messages as the in-memory parse, however the bytes are cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(bytes.length), {maxLength: 12}), async (cuts) => {
        const sorted = [...cuts].sort((a, b) => a - b);
        const {messages} = await collect(bytes, sorted);
        expect(messages).toEqual(whole.messages);
      }),
      {numRuns: 150},
    );
  });

  it('survives a cut inside every multi-byte character and every CRLF', async () => {
    for (let cut = 1; cut < Math.min(bytes.length, 400); cut += 1) {
      const {messages} = await collect(bytes, [cut, cut + 1, cut + 2, cut + 3]);
      expect(messages).toEqual(whole.messages);
    }
  });

  it('hashes the chat bytes on the way and counts them', async () => {
    const {summary} = await collect(bytes, [100, 1000]);
    expect(summary.bytes).toBe(bytes.length);
    expect(summary.inputFingerprint).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
    expect(whole.summary.inputFingerprint).toBe(summary.inputFingerprint);
    expect({...summary, inputFingerprint: ''}).toEqual({...whole.summary, inputFingerprint: ''});
  });

  it('yields batches of the requested size', async () => {
    const {batches} = await collect(
      bytes,
      Array.from({length: 60}, (_, index) => index * 50),
      4,
    );
    expect(batches.flat()).toHaveLength(30);
    expect(batches.every((batch) => batch.length > 0)).toBe(true);
  });

  it('throws when the summary is asked for before the end', () => {
    const parse = parseChat(chunked(bytes, []), {timezone: 'UTC'});
    expect(() => parse.summary()).toThrow(/not been parsed to the end/);
  });

  it('counts kinds for the summary', async () => {
    const samples = kindSamples('android');
    const chat = buildChat({
      layout: 'android-en-us',
      messages: samples.map((sample, index) => ({
        date: datesFrom('2024-03-14T09:00', samples.length)[index] ?? '',
        author: sample.author === null ? null : 'Ana',
        text: sample.text,
        lrm: sample.lrm ?? false,
      })),
    });
    const {summary} = await collect(new TextEncoder().encode(chat), []);
    const expected = {message: 0, system: 0, media: 0, deleted: 0, poll: 0, location: 0};
    for (const sample of samples) expected[sample.kind] += 1;
    expect(summary.kinds).toEqual(expected);
  });
});

describe('text that is not a UTF-8 chat', () => {
  const chat = buildChat({layout: 'android-en-gb', messages: richMessages.slice(0, 3)});

  async function failure(bytes: Uint8Array) {
    try {
      await collect(bytes, []);
    } catch (error) {
      return error as {exitCode: number; message: string};
    }
    throw new Error('expected a failure');
  }

  it('refuses UTF-16 with a BOM, little- and big-endian', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(chat, 'utf16le')]);
    expect(await failure(le)).toMatchObject({
      exitCode: ExitCode.inputInvalid,
      message: '"chat.txt" is UTF-16 text.',
    });
    const be = Buffer.from(le);
    be.swap16();
    expect(await failure(be)).toMatchObject({
      exitCode: ExitCode.inputInvalid,
      message: '"chat.txt" is UTF-16 text.',
    });
  });

  it('refuses UTF-16 without a BOM', async () => {
    expect(await failure(Buffer.from(chat, 'utf16le'))).toMatchObject({
      exitCode: ExitCode.inputInvalid,
      message: '"chat.txt" is UTF-16 text.',
    });
  });

  it('refuses binary content', async () => {
    const png = Buffer.concat([
      Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
      Buffer.alloc(64, 0),
      Buffer.from('IHDR'),
    ]);
    expect(await failure(png)).toMatchObject({
      exitCode: ExitCode.inputInvalid,
      message: '"chat.txt" is binary, not chat text.',
    });
    const junk = Buffer.from(
      Array.from({length: 4096}, (_, index) => (index * 131 + 7) % 256).filter((byte) => byte !== 0),
    );
    expect((await failure(junk)).exitCode).toBe(ExitCode.inputInvalid);
  });

  it('reads a stray invalid byte as U+FFFD and goes on', async () => {
    const bytes = Buffer.concat([
      Buffer.from('14/03/2024, 09:00 - Ana: caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n14/03/2024, 09:01 - Rui: ok\n'),
    ]);
    const {messages} = await collect(bytes, []);
    expect(messages.map((message) => message.text)).toEqual(['caf\ufffd', 'ok']);
  });

  it('refuses an empty stream', async () => {
    expect(await failure(new Uint8Array())).toMatchObject({exitCode: ExitCode.chatNotFound});
  });
});
