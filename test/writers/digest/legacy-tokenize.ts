/**
 * The tokenizer as it was before issue #14 (commit a196653), kept verbatim as the reference the new
 * one must equal token for token: any text with a Han, kana, Thai, Lao, Khmer, Burmese or Hebrew
 * character went whole through `Intl.Segmenter`, everything else through this regular expression.
 */
export function legacyWordsOf(text: string): string[] {
  return LEGACY_NEEDS_DICTIONARY.test(text) ? legacySegmenterWords(text) : (text.match(LEGACY_WORD) ?? []);
}

/** Its own segmenter, so that this module imports nothing of the tokenizer it is compared with. */
const legacySegmenter = new Intl.Segmenter('en', {granularity: 'word'});

function legacySegmenterWords(text: string): string[] {
  const words: string[] = [];
  for (const segment of legacySegmenter.segment(text)) if (segment.isWordLike) words.push(segment.segment);
  return words;
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
