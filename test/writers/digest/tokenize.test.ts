import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {nameParts, termsOf} from '../../../src/writers/digest/terms.js';
import {segmenterWords, wordsOf} from '../../../src/writers/digest/tokenize.js';

const none = new Set<string>();

/**
 * ICU sometimes glues a lone `_`, U+202F or a stray combining mark to a neighbouring word, or reports
 * it as a word of its own; terms strip those at the edges, so the comparison does too.
 */
const comparable = (words: readonly string[]) =>
  words
    .map((word) => word.replace(/^[_\u202f\p{M}]+|[_\u202f]+$/gu, ''))
    .filter((word) => /[\p{L}\p{N}]/u.test(word));

describe('wordsOf', () => {
  it.each([
    "Hello everyone, can someone water the tomatoes on Sunday? I'll be away.",
    'Reunião amanhã às 10h: tragam ferramentas, pão e café!',
    'Straße, Ärger, übermorgen; 3.14 und 1,000 Euro (e.g. U.S.A.)',
    "L'eau est froide aujourd'hui, dell'acqua fresca",
    'Привет всем, завтра встреча в парке',
    'Καλημέρα σε όλους',
    'مرحبا بكم في المجموعة اليوم ١٢٣',
    'नमस्ते दोस्तों, कल मिलते हैं',
    '안녕하세요 여러분 내일 봐요',
    'snake_case and _italic_ and *bold* 👍🏽 🇧🇷 #tag @\u2068amber-heron\u2069',
  ])('agrees with Intl.Segmenter on space-separated text: %s', (text) => {
    expect(wordsOf(text)).toEqual(segmenterWords(text));
  });

  it('agrees with Intl.Segmenter on random space-separated text (property)', () => {
    const alphabet = [
      ...'abcXYZéüçñßàõ',
      ...'приветМИР',
      ...'مرحباال',
      ...'αβγ',
      ...'0123456789٣',
      ...[' ', '\u00a0', '\u202f', '\n', '.', ',', "'", '’', ':', ';', '-', '!', '?', '"', '(', ')', '/'],
      ...['@', '#', '_', '*', '~', '👍', '👍🏽', '🇧🇷', 'e\u0301', 'https://a.b/c?d=1'],
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), {maxLength: 30}), (parts) => {
        const text = parts.join('');
        expect(comparable(wordsOf(text))).toEqual(comparable(segmenterWords(text)));
      }),
      {numRuns: 3000},
    );
  });

  it('finds words in scripts written without spaces through the segmenter', () => {
    expect(wordsOf('今天天气很好我们去公园吧')).toContain('公园');
    expect(wordsOf('東京の天気は今日とても良いです')).toContain('東京');
    expect(wordsOf('สวัสดีครับ')).toEqual(['สวัสดี', 'ครับ']);
  });
});

describe('termsOf', () => {
  it('lowercases, drops stop words and words without letters', () => {
    expect(termsOf('The GARDEN and the Tomatoes, 2024 and 42!', none)).toEqual(['garden', 'tomatoes']);
    expect(termsOf('O jardim e a horta estão lindos', none)).toEqual(['jardim', 'horta', 'estão', 'lindos']);
  });

  it('treats composed and decomposed accents as the same term', () => {
    expect(termsOf('cafe\u0301', none)).toEqual(termsOf('caf\u00e9', none));
  });

  it('removes links, mentions and excluded names', () => {
    expect(termsOf('see https://example.com/garden-tips now', none)).toEqual(['see']);
    expect(termsOf('thanks @\u2068amber-heron\u2069 and @coral-fox for tomatoes', none)).toEqual([
      'tomatoes',
    ]);
    expect(termsOf('amber heron brought tomatoes', new Set(nameParts('amber-heron')))).toEqual([
      'brought',
      'tomatoes',
    ]);
  });

  it('strips elisions, possessives and italics markers', () => {
    expect(termsOf("l'eau dell'acqua garden's _lovely_", none)).toEqual(['eau', 'acqua', 'garden', 'lovely']);
    expect(termsOf("don't it's", none)).toEqual([]);
  });
});
