import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {LineSplitter} from '../../src/ingest/line-reader.js';

function linesOf(chunks: readonly string[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter({line: (buf, start, end) => lines.push(buf.slice(start, end))});
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it.each([
    ['LF', 'a\nb\nc\n', ['a', 'b', 'c']],
    ['CRLF', 'a\r\nb\r\nc\r\n', ['a', 'b', 'c']],
    ['CRLF between, LF inside (iOS 2024+)', 'a\nmore\r\nb\r\n', ['a', 'more', 'b']],
    ['lone CR', 'a\rb\rc', ['a', 'b', 'c']],
    ['mixed', 'a\r\nb\nc\rd', ['a', 'b', 'c', 'd']],
    ['no final terminator', 'a\nb', ['a', 'b']],
    ['blank lines kept', 'a\n\n\nb\n', ['a', '', '', 'b']],
    ['CR CR is two breaks', 'a\r\rb', ['a', '', 'b']],
    ['CR CR LF is one break (a 2012 export)', 'a\r\r\nb\r\r\nc\r\r\n', ['a', 'b', 'c']],
    ['a blank line in CR CR LF', 'a\r\r\n\r\r\nb', ['a', '', 'b']],
    ['CR CR CR LF is a blank line, then the break', 'a\r\r\r\nb', ['a', '', 'b']],
    ['empty text', '', []],
  ])('splits %s', (_label, text, expected) => {
    expect(linesOf([text])).toEqual(expected);
  });

  it('joins a CRLF cut between two chunks into one break', () => {
    expect(linesOf(['a\r', '\nb\r', '\n'])).toEqual(['a', 'b']);
    expect(linesOf(['a\r', 'b'])).toEqual(['a', 'b']);
  });

  it('joins a CR CR LF cut anywhere between chunks into one break', () => {
    expect(linesOf(['a\r', '\r\nb'])).toEqual(['a', 'b']);
    expect(linesOf(['a\r\r', '\nb'])).toEqual(['a', 'b']);
    expect(linesOf(['a\r', '\r', '\nb'])).toEqual(['a', 'b']);
    // Two CRs and no LF after them: the second one ended a blank line, wherever the chunks end.
    expect(linesOf(['a\r', '\r', 'b'])).toEqual(['a', '', 'b']);
    expect(linesOf(['a\r\r', 'b'])).toEqual(['a', '', 'b']);
    expect(linesOf(['a\r', '\r'])).toEqual(['a', '']);
  });

  it('gives the same lines for every short text of a, CR and LF, cut anywhere or char by char', () => {
    // Exhaustive where the property below samples: every CR/LF run up to this length meets every cut.
    const alphabet = ['a', '\r', '\n'];
    const maxLength = 7;
    for (let length = 0; length <= maxLength; length += 1) {
      for (let code = 0; code < alphabet.length ** length; code += 1) {
        let text = '';
        for (let at = 0, rest = code; at < length; at += 1, rest = Math.floor(rest / alphabet.length))
          text += alphabet[rest % alphabet.length];
        const whole = linesOf([text]);
        expect(linesOf([...text]), JSON.stringify(text)).toEqual(whole);
        for (let cut = 1; cut < length; cut += 1)
          expect(linesOf([text.slice(0, cut), text.slice(cut)]), JSON.stringify(text)).toEqual(whole);
      }
    }
  });

  it('carries a line across many chunks', () => {
    expect(linesOf(['he', 'll', 'o wor', 'ld\nnext'])).toEqual(['hello world', 'next']);
  });

  it('gives the same lines however the text is chunked', () => {
    const text = fc.stringMatching(/^[ab\r\n]{0,40}$/);
    fc.assert(
      fc.property(text, fc.array(fc.nat(40), {maxLength: 6}), (value, cuts) => {
        const points = [...new Set(cuts.map((cut) => Math.min(cut, value.length)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let previous = 0;
        for (const point of points) {
          chunks.push(value.slice(previous, point));
          previous = point;
        }
        chunks.push(value.slice(previous));
        expect(linesOf(chunks)).toEqual(linesOf([value]));
        expect(linesOf([value])).toEqual(
          value === ''
            ? []
            : value
                .replace(/\r\r\n|\r\n|\r|\n/g, '\n')
                .replace(/\n$/, '')
                .split('\n'),
        );
      }),
      {numRuns: 500},
    );
  });
});
