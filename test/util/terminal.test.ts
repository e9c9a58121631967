import {describe, expect, it} from 'vitest';
import {visibleControls} from '../../src/util/terminal.js';

const ESC = '\u001b';

describe('visibleControls', () => {
  it('writes every C0 control, DEL and C1 control out as its escape, and leaves the rest alone', () => {
    expect(visibleControls(`a${ESC}[31mb\u0007c\u007fd\u009be\u0000`)).toBe(
      'a\\u001b[31mb\\u0007c\\u007fd\\u009be\\u0000',
    );
    expect(visibleControls('tab\there\nnext\rline')).toBe('tab\\there\\nnext\\rline');
    const clean = 'ação 日本語 👩‍👩‍👧 مرحبا \u200e\u202f';
    expect(visibleControls(clean)).toBe(clean);
  });

  it("keeps line breaks when asked (a stored error's lines), escaping the rest", () => {
    expect(visibleControls(`first ${ESC}[2J\nsecond\r\tthird`, 'keep')).toBe(
      'first \\u001b[2J\nsecond\\r\\tthird',
    );
  });

  it('quotes the way JSON.stringify does, so both kinds of quoting read the same in one message', () => {
    const name = `${ESC}]0;x\u0007.png`;
    expect(visibleControls(name)).toBe(JSON.stringify(name).slice(1, -1));
  });
});
