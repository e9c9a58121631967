import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {corpus, SCRIPT_PROFILES} from '../../../bench/fixtures/script-corpus.js';
import {segmenterWords, wordsOf} from '../../../src/writers/digest/tokenize.js';
import {legacyWordsOf} from './legacy-tokenize.js';

/**
 * Issue #14 made the tokenizer fast on Hebrew and dictionary-script text; its tokens must be the very
 * ones of the tokenizer before it (legacyWordsOf), so that every post stays byte-identical.
 */
const MESSAGES_PER_PROFILE = 15_000;

/** The texts terms actually tokenize: lower case, NFC (see termsOf). */
const asTermsSee = (text: string) => text.normalize('NFC').toLowerCase();

describe('wordsOf against the tokenizer before issue #14', () => {
  it.each(SCRIPT_PROFILES)('gives the same tokens on a generated %s chat', (profile) => {
    const texts = corpus(profile, MESSAGES_PER_PROFILE, 14);
    let differing = 0;
    const examples: string[] = [];
    for (const text of texts)
      for (const variant of [text, asTermsSee(text)]) {
        if (JSON.stringify(wordsOf(variant)) === JSON.stringify(legacyWordsOf(variant))) continue;
        differing += 1;
        if (examples.length < 5) examples.push(variant);
      }
    expect({differing, examples}).toEqual({differing: 0, examples: []});
  });

  it('gives the same tokens twice (the kept pieces of dictionary text change nothing)', () => {
    const texts = corpus('mixed', 2_000, 15);
    const first = texts.map(wordsOf);
    expect(texts.map(wordsOf)).toEqual(first);
    expect(first).toEqual(texts.map(legacyWordsOf));
  });

  it('gives the same tokens for short pieces seen again, after more of them than are kept', () => {
    // Short dictionary-script pieces are kept with their words (tokenize.ts, KeptPieces): many more
    // distinct ones than two generations hold, each written alone and between other text, twice over.
    const syllables = [...'今天図のカーสวัดีກຄမ好的谢你我们ขอบคุณ'];
    const pieces: string[] = [];
    for (let a = 0; a < syllables.length; a++)
      for (let b = 0; b < syllables.length; b++)
        for (let c = 0; c < syllables.length; c++)
          for (const end of ['', 'ๆ']) pieces.push(`${syllables[a]}${syllables[b]}${syllables[c]}${end}`);
    expect(pieces.length).toBeGreaterThan(2 * 8_192);
    const texts = pieces.flatMap((piece, index) => [
      piece,
      `${piece} ok ${pieces[(index * 7919) % pieces.length]} 👍`,
    ]);
    for (let pass = 0; pass < 2; pass++) {
      let differing = 0;
      for (const text of texts) {
        const words = wordsOf(text);
        if (JSON.stringify(words) !== JSON.stringify(segmenterWords(text))) differing += 1;
        // The caller owns what it gets: changing it must not change the next answer.
        words.push('changed');
      }
      expect(differing).toBe(0);
    }
  });

  it.each([
    ['צה"ל ודו"ח', ['צה"ל', 'ודו"ח']],
    ["ג' ז'קט צ'יפס", ["ג'", "ז'קט", "צ'יפס"]],
    ['ג׳ ת״א ש״ח', ['ג׳', 'ת״א', 'ש״ח']],
    ['"ציטוט" ו-"עוד"', ['ציטוט', 'ו', 'עוד']],
    ["ש'' ש\"", ["ש'", 'ש']],
    ['שָׁלוֹם בְּרֵאשִׁית', ['שָׁלוֹם', 'בְּרֵאשִׁית']],
    ['\u200fשלום\u200f לכולם 👍🏽', ['שלום\u200f', 'לכולם']],
  ])('follows ICU on Hebrew quotes and points: %s', (text, words) => {
    expect(wordsOf(text)).toEqual(words);
    expect(wordsOf(text)).toEqual(segmenterWords(text));
  });

  it.each([
    'ם\uFE0F🏽ו',
    'שלום 👍🏽 ❤️\u200D🔥 🏳️\u200D🌈 👨\u200D👩\u200D👧',
    'ω\uFE0F🏽; \u05BC״',
    'צה"ל\u200D👍',
    "ס'\u200E‘ ס'\u0301.",
    'ש Ⓜ 🅰 ² ¸ _ \u202F',
  ])('gives the old tokens where ICU departs from the expression: %s', (text) => {
    expect(wordsOf(text)).toEqual(legacyWordsOf(text));
  });

  /**
   * Characters of every kind the fast paths decide about, weighted towards the ones they treat
   * specially, plus any code point at all: whatever is drawn, the tokens must be the old ones.
   */
  const special = [
    ...'אבגדהוזחטיכךלמםנןסעפףצץקרשתשׁﬠ',
    ...[
      '\u05F3',
      '\u05F4',
      '\u05B0',
      '\u05BC',
      '\u05C1',
      '\u05BE',
      '\u05C3',
      "'",
      '"',
      '’',
      '‘',
      '.',
      ':',
      '·',
    ],
    ...['今', '天', '図', 'の', 'カ', 'ー', 'ส', 'วั', 'ດີ', 'ក', 'မ', '，', '。', '々', 'ๆ'],
    ...['a', 'Z', 'é', 'e\u0301', 'я', 'ω', 'م', '١', '0', '9', ',', ';', '_', '\u202F', '\u00A0', '\u3000'],
    ...[
      ' ',
      ' ',
      '\n',
      '\t',
      '\r',
      '\u200D',
      '\u200E',
      '\u200F',
      '\uFE0F',
      '👍',
      '🏽',
      '🇮',
      '🇱',
      'Ⓜ',
      '🅰',
      '²',
      '¸',
    ],
  ];
  const anyCharacter = fc.oneof(
    {weight: 6, arbitrary: fc.constantFrom(...special)},
    {weight: 1, arbitrary: fc.string({unit: 'grapheme', minLength: 1, maxLength: 1})},
    {weight: 1, arbitrary: fc.string({unit: 'binary', minLength: 1, maxLength: 1})},
  );

  it('gives the same tokens on random text of every script (property)', () => {
    fc.assert(
      fc.property(fc.array(anyCharacter, {maxLength: 40}), (parts) => {
        const text = parts.join('');
        expect(wordsOf(text)).toEqual(legacyWordsOf(text));
      }),
      {numRuns: 40_000},
    );
  });

  it('gives the same tokens on random text as terms see it, in lower case and NFC (property)', () => {
    fc.assert(
      fc.property(fc.array(anyCharacter, {maxLength: 40}), (parts) => {
        const text = asTermsSee(parts.join(''));
        expect(wordsOf(text)).toEqual(legacyWordsOf(text));
      }),
      {numRuns: 10_000},
    );
  });
});
