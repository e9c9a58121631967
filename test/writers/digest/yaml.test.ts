import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {emitYaml, quoteYamlString} from '../../../src/writers/digest/yaml.js';
import {readYamlSubset} from './yaml-subset-reader.js';

const roundTrip = (value: string) => readYamlSubset(emitYaml({value})).value;

/** What a string becomes in YAML: lone surrogates have no spelling and turn into U+FFFD. */
const wellFormed = (text: string) =>
  text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

describe('YAML emitter', () => {
  it.each([
    ['plain', 'hello world'],
    ['double quotes', 'she said "hi"'],
    ['backslashes', 'C:\\path\\to'],
    ['colons and hashes', 'key: value # not a comment'],
    ['YAML keywords stay strings', 'yes'],
    ['null word', 'null'],
    ['numbers stay strings', '0123'],
    ['leading dash and spaces', '- item  '],
    ['newlines and tabs', 'line one\nline two\r\n\ttabbed'],
    ['emoji with ZWJ and skin tone', 'family 👨‍👩‍👧 thumbs 👍🏽 flag 🇧🇷'],
    ['right-to-left', 'مرحبا بالعالم שלום'],
    ['CJK', '今天天气很好'],
    ['control characters', '\0\x07\x1b\x7f\x85\x9f'],
    ['line separators and BOM', 'a\u2028b\u2029c\ufeffd'],
    ['non-characters', '\ufffe\uffff'],
    ['empty', ''],
    ['YAML document markers', '---\n...'],
    ['flow indicators', '[a, {b: c}]'],
  ])('round-trips %s', (_, text) => {
    expect(roundTrip(text)).toBe(text);
  });

  it('replaces lone surrogates, which YAML cannot spell, with U+FFFD', () => {
    expect(roundTrip('a\ud800b\udc00')).toBe('a\ufffdb\ufffd');
  });

  it('always double-quotes strings and keeps lines free of raw breaks', () => {
    expect(quoteYamlString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(quoteYamlString('\u2028')).toBe('"\\L"');
    expect(quoteYamlString('\x01')).toBe('"\\u0001"');
  });

  it('round-trips any string (property)', () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary', maxLength: 60}), fc.string({maxLength: 20}), (text, ascii) => {
        expect(roundTrip(text)).toBe(wellFormed(text));
        expect(roundTrip(ascii)).toBe(ascii);
      }),
      {numRuns: 2000},
    );
  });

  it('emits mappings, sequences, numbers, booleans and null, in insertion order', () => {
    const yaml = emitYaml({
      title: 'T',
      tags: ['a', 'b: c'],
      empty: [],
      window: 3,
      ratio: 0.5,
      ok: true,
      nothing: null,
      skipped: undefined,
      part: {index: 0, count: 2},
      none: {},
    });
    expect(yaml).toBe(
      [
        'title: "T"',
        'tags:',
        '  - "a"',
        '  - "b: c"',
        'empty: []',
        'window: 3',
        'ratio: 0.5',
        'ok: true',
        'nothing: null',
        'part:',
        '  index: 0',
        '  count: 2',
        'none: {}',
        '',
      ].join('\n'),
    );
    expect(readYamlSubset(yaml)).toEqual({
      title: 'T',
      tags: ['a', 'b: c'],
      empty: [],
      window: 3,
      ratio: 0.5,
      ok: true,
      nothing: null,
      part: {index: 0, count: 2},
      none: {},
    });
  });

  it('refuses keys that would need quoting and numbers YAML cannot hold', () => {
    expect(() => emitYaml({'a key': 'x'})).toThrow(TypeError);
    expect(() => emitYaml({'1st': 'x'})).toThrow(TypeError);
    expect(() => emitYaml({n: Number.NaN})).toThrow(TypeError);
    expect(() => emitYaml({n: Number.POSITIVE_INFINITY})).toThrow(TypeError);
  });
});
