import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../schemas/message.js';
import {fingerprintOf} from '../../src/util/canonical.js';
import {windowFingerprint} from '../../src/windows/fingerprint.js';
import {cutWindows} from '../../src/windows/index.js';
import {chat, message} from './fixtures.js';

const fingerprint = (messages: readonly ChatMessage[]) =>
  cutWindows(messages, {unit: 'messages', size: 1000, overlap: 0})[0]?.fingerprint;

describe('window fingerprints', () => {
  it('are sha256 fingerprints, stable across runs and object identity', () => {
    const first = fingerprint(chat(20));
    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fingerprint(chat(20))).toBe(first);
    const rebuilt = chat(20).map((each) => {
      const {text, position, ...rest} = each;
      return {text, ...rest, position};
    });
    expect(fingerprint(rebuilt)).toBe(first);
  });

  it('change with any part of the content', () => {
    const base = fingerprint(chat(5));
    const variants: Partial<ChatMessage>[] = [
      {text: 'changed'},
      {author: 'someone-else'},
      {author: null},
      {kind: 'system'},
      {edited: true},
      {attachment: 'IMG-1.jpg'},
      {attachmentPresent: true},
      {date: '2030-01-01T00:00:00'},
      {position: 99},
    ];
    const seen = new Set([base]);
    for (const variant of variants) {
      const messages = chat(5);
      messages[2] = {...(messages[2] as ChatMessage), ...variant};
      const changed = fingerprint(messages);
      expect(changed, JSON.stringify(variant)).not.toBe(base);
      seen.add(changed);
    }
    expect(seen.size).toBe(variants.length + 1);
  });

  it('change with the set and order of messages', () => {
    const messages = chat(5);
    const base = fingerprint(messages);
    expect(fingerprint(messages.slice(0, 4))).not.toBe(base);
    expect(fingerprint([...messages].reverse())).not.toBe(base);
  });

  it('ignore instantMs, which follows from the date and the configured time zone', () => {
    expect(fingerprint([{...message(0), instantMs: 5}])).toBe(fingerprint([{...message(0), instantMs: 6}]));
  });

  it('differ between windows of one chat', () => {
    const windows = cutWindows(chat(300), {unit: 'messages', size: 100, overlap: 0});
    expect(new Set(windows.map((window) => window.fingerprint)).size).toBe(3);
  });

  it('keep the values they had before, so that resume still recognises windows processed by older builds', () => {
    // Computed by the build before windowFingerprint wrote its canonical text itself (commit ccec632).
    const messages = tricky();
    expect(windowFingerprint(messages, undefined)).toBe(
      'sha256:772f43704ce62e9f7342d8ecc72dfe5e2c57252f25ff3085cd3e80447e6099ff',
    );
    expect(windowFingerprint(messages, {index: 1, count: 3})).toBe(
      'sha256:521ed45b067679715ba9fc8742c385f830718c7567572e9a920b81b2af98400c',
    );
  });

  it('are the canonical JSON fingerprint of the format, the part and the message tuples', () => {
    const generic = (messages: readonly ChatMessage[], part: {index: number; count: number} | undefined) =>
      fingerprintOf({
        format: 'egregora.window.v1',
        part: part === undefined ? null : [part.index, part.count],
        messages: messages.map((each) => [
          each.position,
          each.date,
          each.author,
          each.text,
          each.kind,
          each.edited,
          each.attachment,
          each.attachmentPresent,
        ]),
      });
    for (const messages of [[], chat(1), chat(50), tricky()]) {
      expect(windowFingerprint(messages, undefined)).toBe(generic(messages, undefined));
      expect(windowFingerprint(messages, {index: 0, count: 2})).toBe(generic(messages, {index: 0, count: 2}));
    }
  });
});

/** Characters JSON escapes or that are easy to mangle: quotes, backslashes, separators, astral and lone surrogates. */
function tricky(): ChatMessage[] {
  const messages = chat(3);
  messages[1] = {
    ...(messages[1] as ChatMessage),
    text: 'quote " back\\slash \u2028 \u{1F600} \ud800 lone',
    author: null,
    attachment: 'IMG-1.jpg',
    attachmentPresent: true,
    edited: true,
    kind: 'media',
  };
  return messages;
}
