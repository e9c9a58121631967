import {describe, expect, it} from 'vitest';
import {extractLinks, withoutLinks} from '../../../src/writers/digest/links.js';

describe('extractLinks', () => {
  it('finds links in order, without repeats', () => {
    expect(
      extractLinks([
        'see https://b.example/x and http://a.example',
        'again https://b.example/x',
        'none here',
      ]),
    ).toEqual(['https://b.example/x', 'http://a.example']);
  });

  it('drops trailing punctuation and unbalanced closing brackets', () => {
    expect(
      extractLinks(['(see https://example.com/a).', 'https://example.com/b, ok', 'https://x.io/c?!']),
    ).toEqual(['https://example.com/a', 'https://example.com/b', 'https://x.io/c']);
    expect(extractLinks(['https://en.wikipedia.org/wiki/Tomato_(disambiguation)'])).toEqual([
      'https://en.wikipedia.org/wiki/Tomato_(disambiguation)',
    ]);
  });

  it('stops at characters that would break an autolink', () => {
    expect(extractLinks(['<https://example.com/a>"https://example.com/b"`https://example.com/c`'])).toEqual([
      'https://example.com/a',
      'https://example.com/b',
      'https://example.com/c',
    ]);
  });

  it('ignores schemes other than http(s) and bare prefixes', () => {
    expect(extractLinks(['javascript:alert(1) ftp://x.y https:// mailto:a@b'])).toEqual([]);
  });

  it('removes links from text for tokenizing', () => {
    expect(withoutLinks('go https://x.io/garden now')).toBe('go   now');
  });
});
