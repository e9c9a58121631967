import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../schemas/message.js';
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
});
