import {segmenterWords} from '../../../src/writers/digest/tokenize.js';

/**
 * The tokenizer as it was before issue #14 (commit a196653), kept verbatim as the reference the new
 * one must equal token for token: any text with a Han, kana, Thai, Lao, Khmer, Burmese or Hebrew
 * character went whole through `Intl.Segmenter`, everything else through this regular expression.
 */
export function legacyWordsOf(text: string): string[] {
  return LEGACY_NEEDS_DICTIONARY.test(text) ? segmenterWords(text) : (text.match(LEGACY_WORD) ?? []);
}

const LEGACY_NEEDS_DICTIONARY =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Hebrew}]/u;

const WORD_START = '[\\p{L}\\p{N}\\p{Pc}]';
const WORD_BODY = '[\\p{L}\\p{N}\\p{Pc}\\u202F\\p{M}\\p{Cf}]*';
const RUN = `${WORD_START}${WORD_BODY}`;
const IGNORED = '[\\p{M}\\p{Cf}]*';
const BETWEEN_LETTERS = "[:·'’‘.]";
const BETWEEN_DIGITS = "[,;.'’‘\\u060C\\u066C]";

const LEGACY_WORD = new RegExp(
  `${RUN}(?:(?<=\\p{L}${IGNORED})${BETWEEN_LETTERS}${IGNORED}(?=\\p{L})${RUN}` +
    `|(?<=\\p{N}${IGNORED})${BETWEEN_DIGITS}${IGNORED}(?=\\p{N})${RUN})*`,
  'gu',
);
