import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {WindowSchema} from '../../schemas/window.js';
import {buildWindow} from '../../src/windows/build-window.js';
import {estimateTokens, splitWindow} from '../../src/windows/index.js';
import {message} from './fixtures.js';

const windowOf = (texts: readonly string[], index = 7) =>
  buildWindow(
    index,
    texts.map((text, position) => message(position, {text})),
  );

describe('splitWindow', () => {
  it('returns a window that fits as it is', () => {
    const window = windowOf(['short', 'texts']);
    expect(splitWindow(window, 1000)).toEqual([window]);
    expect(splitWindow(window, 1000)[0]).toBe(window);
  });

  it('splits into consecutive parts within the budget, keeping the index', () => {
    const window = windowOf(Array.from({length: 10}, () => 'x'.repeat(80))); // 28 tokens each
    const parts = splitWindow(window, 60);
    expect(parts.map((part) => part.messages.length)).toEqual([2, 2, 2, 2, 2]);
    expect(parts.flatMap((part) => part.messages)).toEqual(window.messages);
    for (const [i, part] of parts.entries()) {
      expect(part.index).toBe(7);
      expect(part.part).toEqual({index: i, count: 5});
      expect(estimateTokens(part.messages)).toBeLessThanOrEqual(60);
      expect(() => WindowSchema.parse(part)).not.toThrow();
    }
    expect(parts[1]?.firstDate).toBe(window.messages[2]?.date);
    expect(parts[1]?.lastDate).toBe(window.messages[3]?.date);
  });

  it('gives every part its own fingerprint, different from the parent', () => {
    const window = windowOf(['same text', 'same text', 'same text', 'same text']);
    const fingerprints = splitWindow(window, 2 * estimateTokens(window.messages.slice(0, 1))).map(
      (part) => part.fingerprint,
    );
    expect(fingerprints).toHaveLength(2);
    expect(new Set([...fingerprints, window.fingerprint]).size).toBe(3);
  });

  it('puts a message over the budget alone in its part', () => {
    const window = windowOf(['a', 'b', 'x'.repeat(4000), 'c']);
    const parts = splitWindow(window, 50);
    expect(parts.map((part) => part.messages.map((each) => each.text.length))).toEqual([[1, 1], [4000], [1]]);
  });

  it('cannot split a single message', () => {
    const window = windowOf(['x'.repeat(4000)]);
    expect(splitWindow(window, 10)).toEqual([window]);
  });

  it('refuses a budget that is not a positive integer, and splitting a part again', () => {
    const window = windowOf(['a', 'b']);
    expect(() => splitWindow(window, 0)).toThrow(RangeError);
    expect(() => splitWindow(window, 1.5)).toThrow(RangeError);
    const parts = splitWindow(windowOf(['x'.repeat(100), 'y'.repeat(100)]), 40);
    expect(parts).toHaveLength(2);
    expect(() => splitWindow(parts[0] as (typeof parts)[number], 10)).toThrow(/already a split part/);
  });

  it('respects any budget and keeps every message once, in order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({maxLength: 300, unit: 'grapheme'}), {minLength: 1, maxLength: 40}),
        fc.integer({min: 1, max: 400}),
        (texts, budget) => {
          const window = windowOf(texts);
          const parts = splitWindow(window, budget);
          expect(parts.flatMap((part) => part.messages)).toEqual(window.messages);
          if (parts.length === 1) return;
          for (const part of parts) {
            if (part.messages.length > 1) expect(estimateTokens(part.messages)).toBeLessThanOrEqual(budget);
            expect(part.index).toBe(window.index);
            expect(part.part?.count).toBe(parts.length);
          }
        },
      ),
    );
  });
});
