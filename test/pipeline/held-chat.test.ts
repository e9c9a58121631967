import {describe, expect, it} from 'vitest';
import type {ChatMessage, MessageKind} from '../../schemas/message.js';
import type {Window, WindowSpec} from '../../schemas/window.js';
import {HeldChat, outlineOf, windowFrom} from '../../src/pipeline/held-chat.js';
import {cutWindowSpans, cutWindows, splitWindow} from '../../src/windows/index.js';
import {BASE_MS, MINUTE_MS, message} from '../windows/fixtures.js';

const KINDS: readonly MessageKind[] = ['message', 'system', 'media', 'deleted', 'poll', 'location'];

/**
 * Every field in every state it can take: all kinds, authors and none, edited or not, attachments
 * present, missing and absent, texts in several scripts and empty, several messages in one minute
 * (their dates are shared by the held chat) and a clock that goes backwards.
 */
function variedChat(count: number): ChatMessage[] {
  return Array.from({length: count}, (_, position) => {
    const withAttachment = position % 5 === 0;
    const minute = position % 17 === 16 ? position - 40 : Math.floor(position / 3);
    return message(position, {
      instantMs: BASE_MS + minute * MINUTE_MS,
      date: new Date(BASE_MS + minute * MINUTE_MS).toISOString().slice(0, 19),
      author: position % 7 === 0 ? null : `Member ${String.fromCharCode(65 + (position % 26))}`,
      text:
        [`hello ${position}`, 'שלום', '今天我们去吃饭吧', 'ไปกินข้าวกันไหม', '', 'x'.repeat(3000)][
          position % 6
        ] ?? '',
      kind: KINDS[position % KINDS.length] ?? 'message',
      edited: position % 4 === 1,
      attachment: withAttachment ? `IMG-${position}.jpg` : null,
      attachmentPresent: withAttachment && position % 10 === 0,
    });
  });
}

/** What a window is, field by field and in order: two windows print the same only if they are the same. */
function printed(window: Window): string {
  return JSON.stringify(window);
}

describe('HeldChat', () => {
  it('gives back every message equal, field for field and in the same order, to the one it held', () => {
    const messages = variedChat(1000);
    const held = HeldChat.of(messages);
    expect(held.length).toBe(1000);
    const again = held.messages(0, 1000);
    expect(again.map((each) => JSON.stringify(each))).toEqual(messages.map((each) => JSON.stringify(each)));
    expect(held.messages(990, 1000)).toEqual(messages.slice(990));
    // New objects: a window being written cannot change what the next one reads.
    expect(again[0]).not.toBe(messages[0]);
  });

  it('refuses a range outside the chat or an empty one', () => {
    const held = HeldChat.of(variedChat(10));
    expect(() => held.messages(0, 11)).toThrow(RangeError);
    expect(() => held.messages(-1, 3)).toThrow(RangeError);
    expect(() => held.messages(4, 4)).toThrow(RangeError);
  });

  const specs: readonly WindowSpec[] = [
    {unit: 'messages', size: 100, overlap: 0},
    {unit: 'messages', size: 30, overlap: 0.5},
    {unit: 'hours', size: 2, overlap: 0.25},
    {unit: 'bytes', size: 20_000, overlap: 0},
  ];
  for (const spec of specs) {
    it(`makes windows again that are the windows cut, split parts included (${spec.unit}, overlap ${spec.overlap})`, () => {
      const messages = variedChat(1000);
      const held = HeldChat.of(messages);
      const spans = cutWindowSpans(messages, spec);
      expect(spans.map((span) => span.window)).toEqual(cutWindows(messages, spec));
      expect(spans.length).toBeGreaterThan(3);
      let parts = 0;
      for (const {window, start} of spans) {
        expect(printed(windowFrom(held, outlineOf(window, start)))).toBe(printed(window));
        let next = start;
        for (const part of splitWindow(window, 600)) {
          if (part.part === undefined) continue;
          parts += 1;
          const outline = outlineOf(part, next);
          next = outline.end;
          expect(printed(windowFrom(held, outline))).toBe(printed(part));
        }
      }
      expect(parts).toBeGreaterThan(0);
    });
  }
});
