import {describe, expect, it} from 'vitest';
import {estimateTextTokens, estimateTokens, MESSAGE_OVERHEAD_TOKENS} from '../../src/windows/index.js';
import {message} from './fixtures.js';

describe('estimateTokens', () => {
  it('is 0 for no messages and adds a per-message overhead', () => {
    expect(estimateTokens([])).toBe(0);
    expect(estimateTokens([message(0, {text: ''})])).toBe(MESSAGE_OVERHEAD_TOKENS);
    expect(estimateTokens([message(0, {text: ''}), message(1, {text: ''})])).toBe(
      2 * MESSAGE_OVERHEAD_TOKENS,
    );
  });

  it('counts about 4 UTF-8 bytes per token for Latin text, rounded up', () => {
    expect(estimateTextTokens('abcd')).toBe(1);
    expect(estimateTextTokens('abcde')).toBe(2);
    expect(estimateTextTokens('x'.repeat(400))).toBe(100);
    expect(estimateTextTokens('éé')).toBe(1); // 4 bytes
  });

  it('counts one token per CJK character', () => {
    expect(estimateTextTokens('今天天气很好')).toBe(6);
    expect(estimateTextTokens('こんにちは')).toBe(5);
    expect(estimateTextTokens('안녕하세요')).toBe(5);
    expect(estimateTextTokens('𠀀𠀁')).toBe(2); // extension B, astral
    expect(estimateTextTokens('今天 ok')).toBe(2 + 1);
  });

  it('counts other scripts and emoji by their UTF-8 bytes', () => {
    expect(estimateTextTokens('مرحبا')).toBe(3); // 10 bytes
    expect(estimateTextTokens('😀😀')).toBe(2); // 8 bytes
    expect(estimateTextTokens('\ud800')).toBe(1); // a lone surrogate still counts
  });
});
