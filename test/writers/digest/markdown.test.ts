import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {blockquote, escapeMarkdown, escapeMarkdownLine} from '../../../src/writers/digest/markdown.js';

describe('Markdown escaping', () => {
  it('turns HTML into text', () => {
    expect(escapeMarkdown('<script>alert("x")</script> & <b>')).toBe(
      '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;',
    );
  });

  it('neutralizes links, images, emphasis, code, tables and math', () => {
    expect(escapeMarkdown('![img](http://x/a.png) [a](b) *b* _i_ `c` a|b ~s~ $x$ \\')).toBe(
      '!\\[img\\](http://x/a.png) \\[a\\](b) \\*b\\* \\_i\\_ \\`c\\` a\\|b \\~s\\~ \\$x\\$ \\\\',
    );
  });

  it.each([
    ['# heading', '\\# heading'],
    ['## heading', '\\## heading'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['* item', '\\* item'],
    ['1. item', '1\\. item'],
    ['12) item', '12\\) item'],
    ['> quote', '&gt; quote'],
    ['---', '\\---'],
    ['===', '\\==='],
    ['    indented code', 'indented code'],
    ['\t- tabbed item', '\\- tabbed item'],
    ['```js', '\\`\\`\\`js'],
    ['C# and 1.5 stay readable', 'C# and 1.5 stay readable'],
  ])('neutralizes a line starting %j', (line, expected) => {
    expect(escapeMarkdown(line)).toBe(expected);
  });

  it('replaces control characters', () => {
    expect(escapeMarkdown('a\0b\x1bc\x7fd')).toBe('a\ufffdb\ufffdc\ufffdd');
  });

  it('makes a single line of multi-line text', () => {
    expect(escapeMarkdownLine('one\ntwo\r\nthree')).toBe('one two three');
  });

  it('quotes every line, blank ones too', () => {
    expect(blockquote('# one\n\n- two')).toBe('> \\# one\n>\n> \\- two');
  });

  it('never lets quoted text out of its blockquote or produce HTML (property)', () => {
    fc.assert(
      fc.property(fc.string({unit: 'grapheme', maxLength: 200}), fc.string({maxLength: 200}), (a, b) => {
        for (const text of [a, b, `${a}\n# ${b}\n<div>`]) {
          const quoted = blockquote(text);
          expect(quoted).not.toMatch(/</);
          for (const line of quoted.split('\n')) expect(line === '>' || line.startsWith('> ')).toBe(true);
          for (const line of quoted.split('\n'))
            expect(line.slice(2)).not.toMatch(/^(?:[#+\-=]|\d+[.)]|[ \t])/);
        }
      }),
      {numRuns: 500},
    );
  });
});
