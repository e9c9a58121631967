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
    ['empty text', '', []],
  ])('splits %s', (_label, text, expected) => {
    expect(linesOf([text])).toEqual(expected);
  });

  it('joins a CRLF cut between two chunks into one break', () => {
    expect(linesOf(['a\r', '\nb\r', '\n'])).toEqual(['a', 'b']);
    expect(linesOf(['a\r', 'b'])).toEqual(['a', 'b']);
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
                .replace(/\r\n|\r|\n/g, '\n')
                .replace(/\n$/, '')
                .split('\n'),
        );
      }),
      {numRuns: 500},
    );
  });
});
