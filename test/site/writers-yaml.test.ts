import {describe, expect, it} from 'vitest';
import {parseDocument} from 'yaml';
import type {PostFrontMatter} from '../../schemas/post.js';
import {readFrontMatter} from '../../src/site/front-matter.js';
import {parseWritersYaml} from '../../src/site/writers-yaml.js';
import {renderFrontMatter} from '../../src/writers/digest/front-matter.js';
import {emitYaml} from '../../src/writers/digest/yaml.js';
import {seededRandom} from '../helpers/random.js';

/** What the YAML library makes of a text, as `readFrontMatter` calls it; undefined when it refuses it. */
function library(text: string): unknown {
  const document = parseDocument(text, {uniqueKeys: true, prettyErrors: false});
  if (document.errors.length > 0) return undefined;
  try {
    return document.toJS({maxAliasCount: 0});
  } catch {
    return undefined;
  }
}

/** The fast reader must either step aside or agree with the library, value for value. */
function expectAgreement(text: string): unknown {
  const fast = parseWritersYaml(text);
  if (fast !== undefined) expect(fast).toStrictEqual(library(text));
  return fast;
}

/** Characters a hostile or unusual string may hold: controls, separators, quotes, escapes, astral, lone surrogates. */
const SPECIAL = [
  '\0',
  '\x07',
  '\b',
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  '\x1b',
  '\x7f',
  '\x85',
  '\x9f',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ud83d',
  '\ude00',
  '😀',
  '𝄞',
  '"',
  "'",
  '\\',
  ':',
  ': ',
  ' #',
  '#',
  '- ',
  '---',
  '...',
  '&a',
  '*a',
  '!!str',
  '{',
  '}',
  '[',
  ']',
  ',',
  '|',
  '>',
  '%',
  '@',
  '`',
  '<script>',
  'é',
  'ß',
  'Ω',
  'ж',
  'ש',
  'ع',
  'क',
  'ท',
  '中',
  '\u0301',
];

function randomString(random: () => number, maxLength: number): string {
  const length = Math.floor(random() * maxLength);
  let out = '';
  for (let index = 0; index < length; index += 1) {
    const roll = random();
    if (roll < 0.45) out += String.fromCharCode(0x20 + Math.floor(random() * 95));
    else if (roll < 0.8) out += SPECIAL[Math.floor(random() * SPECIAL.length)] as string;
    else out += String.fromCodePoint(Math.floor(random() * 0x2ffff));
  }
  return out;
}

function randomFrontMatter(random: () => number): PostFrontMatter {
  const list = () => Array.from({length: Math.floor(random() * 5)}, () => randomString(random, 20));
  return {
    title: randomString(random, 60),
    slug: 'a-post',
    date: '2024-03-01',
    tags: list(),
    summary: randomString(random, 80),
    authors: list(),
    window: Math.floor(random() * 100_000),
    ...(random() < 0.3 ? {part: {index: Math.floor(random() * 3), count: 3}} : {}),
  };
}

describe('parseWritersYaml', () => {
  it('reads every front matter the writers emit exactly as the YAML library does', () => {
    const random = seededRandom(2026);
    for (let round = 0; round < 2_000; round += 1) {
      const frontMatter = randomFrontMatter(random);
      const text = renderFrontMatter(frontMatter).slice('---\n'.length, -'---\n'.length);
      // The writers' own output always takes the fast path: that is what makes it fast.
      expect(expectAgreement(text)).toBeDefined();
    }
  });

  it('gives the same posts as the library path, or the same problem and line', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 300; round += 1) {
      const text = `${renderFrontMatter(randomFrontMatter(random))}\n# Body\n\nText.\n`;
      expect(readFrontMatter(text)).toStrictEqual(readFrontMatter(text, {fastPath: false}));
    }
  });

  it.each([
    ['a comment', 'title: "a" # note\n'],
    ['a plain scalar', 'title: hello\n'],
    ['a single-quoted string', "title: 'hello'\n"],
    ['a raw tab in a string', 'title: "a\tb"\n'],
    ['a hex escape', 'title: "\\x41"\n'],
    ['a long unicode escape', 'title: "\\U0001F600"\n'],
    ['an escaped surrogate pair', 'title: "\\uD83D\\uDE00"\n'],
    ['an escaped space', 'title: "a\\ b"\n'],
    ['an escaped slash', 'title: "a\\/b"\n'],
    ['an escaped line break', 'title: "a\\\n  b"\n'],
    ['a string over two lines', 'title: "a\n  b"\n'],
    ['a trailing space', 'title: "a" \n'],
    ['two spaces after the colon', 'title:  "a"\n'],
    ['CRLF line ends', 'title: "a"\r\nwindow: 1\r\n'],
    ['a blank line', 'title: "a"\n\nwindow: 1\n'],
    ['no final newline', 'title: "a"'],
    ['an empty text', ''],
    ['a duplicate key', 'title: "a"\ntitle: "b"\n'],
    ['a duplicate nested key', 'part:\n  index: 1\n  index: 2\n'],
    ['an unknown key', 'titles: "a"\n'],
    ['a prototype key', '__proto__: "a"\n'],
    ['a quoted key', '"title": "a"\n'],
    ['a merge key', '<<: {title: "a"}\n'],
    ['an anchor and alias', 'title: &t "a"\nsummary: *t\n'],
    ['a tag', 'title: !!str "a"\n'],
    ['a flow sequence', 'tags: ["a", "b"]\n'],
    ['a flow mapping', 'part: {index: 1, count: 2}\n'],
    ['a block scalar', 'title: |\n  a\n'],
    ['a folded scalar', 'title: >\n  a\n'],
    ['a negative number', 'window: -1\n'],
    ['a leading zero', 'window: 007\n'],
    ['an octal', 'window: 0o17\n'],
    ['a hex number', 'window: 0x1F\n'],
    ['a float', 'window: 1.5\n'],
    ['a huge number', 'window: 123456789012345678901234567890\n'],
    ['booleans and null', 'title: true\nsummary: null\nwindow: ~\n'],
    ['an empty value', 'title:\nwindow: 1\n'],
    ['items indented by four', 'tags:\n    - "a"\n'],
    ['an item without a space', 'tags:\n  -"a"\n'],
    ['a nested sequence', 'tags:\n  - - "a"\n'],
    ['a mapping under an unknown parent', 'tags:\n  index: 1\n'],
    ['deeper nesting', 'part:\n  index:\n    count: 1\n'],
    ['an indented first key', '  title: "a"\n'],
    ['a document marker', '---\ntitle: "a"\n'],
    ['a document end', 'title: "a"\n...\n'],
    ['a directive', '%YAML 1.2\n---\ntitle: "a"\n'],
    ['a raw BOM', '\ufefftitle: "a"\n'],
    ['a raw line separator', 'title: "a\u2028b"\n'],
    ['a raw NEL', 'title: "a\u0085b"\n'],
    ['a raw C1 control', 'title: "a\u0090b"\n'],
    ['a raw lone surrogate', 'title: "a\ud800b"\n'],
    ['text after the closing quote', 'title: "a"b\n'],
    ['an unclosed quote', 'title: "a\n'],
    ['a lone backslash at the end', 'title: "a\\"\n'],
    ['a short unicode escape', 'title: "\\u12"\n'],
  ])('leaves %s to the library, or agrees with it', (_name, text) => {
    expectAgreement(text);
  });

  it('agrees with the library on randomly damaged front matter', () => {
    const random = seededRandom(13);
    const pieces = [
      '"',
      '\\',
      ' ',
      '\t',
      '\n',
      '\r',
      ':',
      '- ',
      '#',
      '&',
      '*',
      '[',
      ']',
      '{',
      '}',
      'u00',
      '\\u',
      '\\x',
    ];
    for (let round = 0; round < 3_000; round += 1) {
      let text = emitYaml({
        title: randomString(random, 12),
        tags: Array.from({length: Math.floor(random() * 3)}, () => randomString(random, 6)),
        window: Math.floor(random() * 50),
        part: random() < 0.5 ? {index: 0, count: 2} : undefined,
      });
      for (let edit = 0; edit < 1 + Math.floor(random() * 3); edit += 1) {
        const at = Math.floor(random() * (text.length + 1));
        const roll = random();
        const piece = pieces[Math.floor(random() * pieces.length)] as string;
        if (roll < 0.4) text = text.slice(0, at) + piece + text.slice(at);
        else if (roll < 0.7) text = text.slice(0, at) + text.slice(at + 1);
        else text = text.slice(0, at) + piece + text.slice(at + piece.length);
      }
      expectAgreement(text);
    }
  });

  it('reads what it accepts into plain data (no prototype tricks, no shared objects)', () => {
    const value = parseWritersYaml('tags:\n  - "a"\npart:\n  index: 0\n  count: 2\n');
    expect(value).toStrictEqual({tags: ['a'], part: {index: 0, count: 2}});
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});
