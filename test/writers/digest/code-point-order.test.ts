import {describe, expect, it} from 'vitest';
import {compareCodePoints} from '../../../src/writers/digest/code-point-order.js';

describe('compareCodePoints', () => {
  it('orders by code point, not by UTF-16 unit', () => {
    // U+FF01 < U+1F600, although its UTF-16 unit 0xFF01 is above the surrogate 0xD83D.
    expect(compareCodePoints('\uff01', '😀')).toBeLessThan(0);
    expect('\uff01' < '😀').toBe(false);
    expect(['😀', '\uff01', 'b', 'a', 'ab', ''].sort(compareCodePoints)).toEqual([
      '',
      'a',
      'ab',
      'b',
      '\uff01',
      '😀',
    ]);
  });

  it('is 0 for equal strings and antisymmetric', () => {
    expect(compareCodePoints('amber', 'amber')).toBe(0);
    expect(Math.sign(compareCodePoints('a', 'b'))).toBe(-Math.sign(compareCodePoints('b', 'a')));
  });
});
