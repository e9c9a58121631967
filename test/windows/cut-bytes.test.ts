import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../schemas/message.js';
import {cutWindows} from '../../src/windows/index.js';
import {message, positions} from './fixtures.js';

const withTexts = (texts: readonly string[]): ChatMessage[] =>
  texts.map((text, position) => message(position, {text}));
const cut = (texts: readonly string[], size: number, overlap = 0) =>
  cutWindows(withTexts(texts), {unit: 'bytes', size, overlap}).map((window) => positions(window.messages));

describe('cutWindows by bytes', () => {
  it('packs greedily while the UTF-8 size stays within the budget', () => {
    const text = 'x'.repeat(400);
    expect(cut([text, text, text, text, text], 1024)).toEqual([[0, 1], [2, 3], [4]]);
    expect(cut(['x'.repeat(512), 'x'.repeat(512), 'x'], 1024)).toEqual([[0, 1], [2]]);
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    // 300 × 'é' is 600 bytes: two do not fit in 1 KiB; 300 × 'e' twice does.
    expect(cut(['é'.repeat(300), 'é'.repeat(300)], 1024)).toEqual([[0], [1]]);
    expect(cut(['e'.repeat(300), 'e'.repeat(300)], 1024)).toEqual([[0, 1]]);
    expect(cut(['😀'.repeat(200), '😀'.repeat(100)], 1024)).toEqual([[0], [1]]);
  });

  it('puts an oversized message alone in its window, even with overlap', () => {
    expect(cut(['a', 'x'.repeat(5000), 'b', 'c'], 1024)).toEqual([[0], [1], [2, 3]]);
    expect(cut(['x'.repeat(5000), 'b', 'c'], 1024, 0.5)).toEqual([[0], [1, 2]]);
  });

  it('always makes progress, including over empty texts', () => {
    const texts = ['', '', 'x'.repeat(2000), '', ''];
    expect(cut(texts, 1024)).toEqual([[0, 1], [2], [3, 4]]);
  });

  it('extends each window forward by up to overlap × size bytes', () => {
    const text = 'x'.repeat(300);
    // Base windows hold 3 messages (900 B); overlap 0.3 adds one more (≤ 307 B).
    expect(cut([text, text, text, text, text, text, text], 1024, 0.3)).toEqual([
      [0, 1, 2, 3],
      [3, 4, 5, 6],
    ]);
  });
});
