/**
 * Splits text into word-like tokens, for any language and script.
 *
 * `Intl.Segmenter` (ICU, UAX #29 plus dictionaries) is the reference, and the only way to find words in
 * scripts written without spaces. It also costs about 30 µs per chat message, which alone would take
 * 30 s for a million messages, so text without such scripts goes through a regular expression that
 * implements the same UAX #29 rules for space-separated scripts (letters and digits, joined by `'`,
 * `’`, `.`, `:`, `·` between letters and `,` `;` `.` between digits, with combining marks and format
 * characters inside). test/writers/digest/tokenize.test.ts checks that both agree on such text, up to
 * ICU's treatment of lone connectors (`_`, U+202F) at word edges, which terms strip anyway.
 */
export function wordsOf(text: string): string[] {
  return NEEDS_DICTIONARY.test(text) ? segmenterWords(text) : (text.match(SPACE_SEPARATED_WORD) ?? []);
}

/**
 * Scripts ICU segments with dictionaries (Chinese, Japanese, Thai, Lao, Khmer, Burmese), plus Hebrew,
 * whose quote-mark rules the regular expression does not implement.
 */
const NEEDS_DICTIONARY =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Hebrew}]/u;

/**
 * A fixed locale rather than the machine's default: ICU tailors word breaks for a few locales, and the
 * same chat must give the same post on every machine. English uses the untailored root rules.
 */
const WORD_SEGMENTER_LOCALE = 'en';

const segmenter = new Intl.Segmenter(WORD_SEGMENTER_LOCALE, {granularity: 'word'});

/** The reference tokenizer, whatever the script (tests compare the fast path against it). */
export function segmenterWords(text: string): string[] {
  const words: string[] = [];
  for (const segment of segmenter.segment(text)) if (segment.isWordLike) words.push(segment.segment);
  return words;
}

const WORD_START = '[\\p{L}\\p{N}\\p{Pc}]';
/** U+202F is ExtendNumLet in UAX #29: it glues like `_`. */
const WORD_BODY = '[\\p{L}\\p{N}\\p{Pc}\\u202F\\p{M}\\p{Cf}]*';
const RUN = `${WORD_START}${WORD_BODY}`;
const IGNORED = '[\\p{M}\\p{Cf}]*';
const BETWEEN_LETTERS = "[:·'’‘.]";
const BETWEEN_DIGITS = "[,;.'’‘\\u060C\\u066C]";

const SPACE_SEPARATED_WORD = new RegExp(
  `${RUN}(?:(?<=\\p{L}${IGNORED})${BETWEEN_LETTERS}${IGNORED}(?=\\p{L})${RUN}` +
    `|(?<=\\p{N}${IGNORED})${BETWEEN_DIGITS}${IGNORED}(?=\\p{N})${RUN})*`,
  'gu',
);
