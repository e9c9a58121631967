/**
 * Splits text into word-like tokens, for any language and script.
 *
 * `Intl.Segmenter` (ICU, UAX #29 plus dictionaries) is the reference, and the only way to find words in
 * scripts written without spaces. It also costs about 1 µs per segment it reports (spaces and
 * punctuation included: 20-40 µs per chat message, whatever the script), which alone would take 30 s
 * for a million messages, so text without such scripts goes through a regular expression that
 * implements the same UAX #29 rules for space-separated scripts (letters and digits, joined by `'`,
 * `’`, `.`, `:`, `·` between letters and `,` `;` `.` between digits, with combining marks and format
 * characters inside, and Hebrew's quote rules). test/writers/digest/tokenize.test.ts checks that both
 * agree on such text, up to ICU's treatment of lone connectors (`_`, U+202F) at word edges, which
 * terms strip anyway.
 *
 * The tokens are the same as when every text with a Hebrew or dictionary-script character went through
 * the segmenter whole (test/writers/digest/tokenize-equivalence.test.ts compares them): such text takes
 * a faster path only where that path is proven to give ICU's words exactly.
 */
export function wordsOf(text: string): string[] {
  if (!NEEDS_CARE.test(text)) return text.match(SPACE_SEPARATED_WORD) ?? [];
  if (!DICTIONARY_SCRIPT.test(text)) return matchesIcu(text) ? matchedWords(text) : segmenterWords(text);
  return dictionaryTextWords(text);
}

/** Scripts ICU segments with dictionaries: Chinese, Japanese, Thai, Lao, Khmer, Burmese. */
const DICTIONARY_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * Text the plain regular-expression path is not known to tokenize as ICU does: dictionary scripts, and
 * Hebrew, whose text the expression handles only within the characters `matchesIcu` allows.
 */
const NEEDS_CARE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Hebrew}]/u;

/**
 * A fixed locale rather than the machine's default: ICU tailors word breaks for a few locales, and the
 * same chat must give the same post on every machine. English uses the untailored root rules.
 */
const WORD_SEGMENTER_LOCALE = 'en';

const segmenter = new Intl.Segmenter(WORD_SEGMENTER_LOCALE, {granularity: 'word'});

/** The reference tokenizer, whatever the script (tests compare the fast paths against it). */
export function segmenterWords(text: string): string[] {
  const words: string[] = [];
  for (const segment of segmenter.segment(text)) if (segment.isWordLike) words.push(segment.segment);
  return words;
}

function matchedWords(text: string): string[] {
  return text.match(SPACE_SEPARATED_WORD) ?? [];
}

/** The skin tones, Extend in UAX #29: they cling to what precedes them. */
const EMOJI_MODIFIER = '\\u{1F3FB}-\\u{1F3FF}';

/**
 * Whitespace (a run of it, not followed by a combining mark, a format character or an emoji
 * modifier, which would cling to it) always ends one segment and starts the next in ICU, and no rule
 * looks across it: the words of a text are the words of its pieces between such gaps. The
 * equivalence test checks this on random text of every script.
 */
const SEGMENT_INDEPENDENT_GAP = new RegExp(`[ \\t\\n\\r\\u3000]+(?![\\p{M}\\p{Cf}${EMOJI_MODIFIER}])`, 'u');

/**
 * Pieces of dictionary-script text recur (`好的`, `ครับ`, `555`, a name, a word between spaces):
 * their words are kept, up to this many pieces, then forgotten all at once. 50,000 short pieces take
 * a few megabytes; the segmenter's answer never changes within a process, so a kept answer is exact.
 */
const PIECE_CACHE_LIMIT = 50_000;
const pieceWords = new Map<string, readonly string[]>();

/**
 * The words of a text with dictionary-script characters, piece by piece: the segmenter only for the
 * pieces that need it (each distinct piece once), the regular expression for the others where it
 * gives ICU's words. Most of the segmenter's cost is per reported segment, so the spaces and the
 * Latin words around the dictionary runs are what this saves.
 */
function dictionaryTextWords(text: string): string[] {
  const words: string[] = [];
  for (const piece of text.split(SEGMENT_INDEPENDENT_GAP)) {
    if (piece === '') continue;
    if (!DICTIONARY_SCRIPT.test(piece) && matchesIcu(piece)) {
      const found = piece.match(SPACE_SEPARATED_WORD);
      if (found !== null) for (const word of found) words.push(word);
      continue;
    }
    let known = pieceWords.get(piece);
    if (known === undefined) {
      if (pieceWords.size >= PIECE_CACHE_LIMIT) pieceWords.clear();
      known = segmenterWords(piece);
      pieceWords.set(piece, known);
    }
    for (const word of known) words.push(word);
  }
  return words;
}

/**
 * Whether the regular expression gives exactly ICU's words for this text: every character is one
 * whose word-break behaviour the expression models (Hebrew, Latin, Greek, Cyrillic and Arabic letters,
 * their combining marks, ASCII and Arabic-Indic digits, ASCII and common punctuation, currency signs,
 * bidirectional marks, emoji), and none of the few sequences where ICU departs from UAX #29 or from
 * the expression occurs. What it leaves out (letter-like symbols such as Ⓜ or 🅰, superscript and
 * other non-decimal digits, `_`, U+202F, a zero-width joiner or skin tone after a letter, a mark after
 * a quote) goes to the segmenter. test/writers/digest/tokenize-equivalence.test.ts checks this set.
 */
function matchesIcu(text: string): boolean {
  return MODELLED_TEXT.test(text) && !UNMODELLED_SEQUENCE.test(text);
}

const MODELLED_TEXT = new RegExp(
  '^[[' +
    '\\p{Script=Hebrew}' +
    '[\\p{L}&&[\\p{Script=Latin}\\p{Script=Greek}\\p{Script=Cyrillic}\\p{Script=Arabic}]]' +
    '[\\p{M}&&[\\p{Script=Inherited}\\p{Script=Hebrew}\\p{Script=Arabic}]]' +
    '0-9\\u0660-\\u0669\\u06F0-\\u06F9' +
    // ASCII without `_`; Latin-1 signs without the superscripts, `¸` and the vulgar fractions.
    '\\x20-\\x5E\\x60-\\x7E\\t\\n\\r\\u00A0-\\u00B1\\u00B4-\\u00B7\\u00BB\\u00BF\\u00D7\\u00F7' +
    // General punctuation without the leaders `․` `‧` (word joiners in UAX #29) and the connectors `‿` `⁀` `⁔`.
    '\\u2010-\\u2023\\u2025\\u2026\\u2030-\\u203E\\u2041-\\u2053\\u2055-\\u205E' +
    '\\u200E\\u200F\\u061C\\u2066-\\u2069\\u202A-\\u202E\\u20A0-\\u20C0' +
    '\\u060C\\u061B\\u061F\\u066A\\u066C\\u06D4' +
    `[\\p{Extended_Pictographic}--\\p{L}]\\uFE0F\\u200D${EMOJI_MODIFIER}\\u{1F1E6}-\\u{1F1FF}` +
    // Emoji that UAX #29 counts as letters: ⓜ-like circled and squared Latin capitals.
    ']--[\\u24C2\\u{1F130}-\\u{1F189}]]*$',
  'v',
);

const UNMODELLED_SEQUENCE = new RegExp(
  `(?<![\\p{Extended_Pictographic}\\uFE0F${EMOJI_MODIFIER}])[\\u200D${EMOJI_MODIFIER}]` +
    `|['’‘"\\u05F4.:·,;\\u060C\\u066C][\\p{M}\\p{Cf}]`,
  'u',
);

const WORD_START = '[\\p{L}\\p{N}\\p{Pc}\\u05F3]';
/** U+202F is ExtendNumLet in UAX #29: it glues like `_`. U+05F3 (geresh) is a letter there. */
const WORD_BODY = '[\\p{L}\\p{N}\\p{Pc}\\u202F\\p{M}\\p{Cf}\\u05F3]*';
const RUN = `${WORD_START}${WORD_BODY}`;
const IGNORED = '[\\p{M}\\p{Cf}]*';
const LETTER = '[\\p{L}\\u05F3]';
/** U+05F4 (gershayim) is MidLetter in UAX #29. */
const BETWEEN_LETTERS = "[:·'’‘.\\u05F4]";
const BETWEEN_DIGITS = "[,;.'’‘\\u060C\\u066C]";
/** Hebrew_Letter in UAX #29: the Hebrew script's letters (Lo). */
const HEBREW_LETTER = '[\\u05D0-\\u05EA\\u05EF-\\u05F2\\uFB1D\\uFB1F-\\uFB28\\uFB2A-\\uFB4F]';

/**
 * UAX #29 adds to the rules of other letters, for Hebrew: `"` between two Hebrew letters joins them
 * (צה"ל, WB7b/c) and `'` after a Hebrew letter belongs to the word even at its end (ג', WB7a).
 */
const SPACE_SEPARATED_WORD = new RegExp(
  `${RUN}(?:(?<=${LETTER}${IGNORED})${BETWEEN_LETTERS}${IGNORED}(?=${LETTER})${RUN}` +
    `|(?<=\\p{N}${IGNORED})${BETWEEN_DIGITS}${IGNORED}(?=\\p{N})${RUN}` +
    `|(?<=${HEBREW_LETTER}${IGNORED})"${IGNORED}(?=${HEBREW_LETTER})${RUN}` +
    `|(?<=${HEBREW_LETTER}${IGNORED})'${IGNORED})*`,
  'gu',
);
