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
  if (!NEEDS_CARE.test(text) || (!DICTIONARY_SCRIPT.test(text) && matchesIcu(text)))
    return text.match(SPACE_SEPARATED_WORD) ?? [];
  return piecewiseWords(text);
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
 * The words of text that needs the segmenter somewhere: piece by piece between such gaps, the regular
 * expression for the pieces where it gives ICU's words, and for the others the words the segmenter
 * gave the same piece before (KeptPieces), or else one segmenter call over the new ones joined by
 * spaces, its words handed back to their pieces. The segmenter costs about 1 µs per segment it
 * reports and 2-3 µs per call, so one call (not one per piece) over less text (no Latin words, links,
 * numbers or pieces already seen between the dictionary-script runs) is what this saves.
 */
function piecewiseWords(text: string): string[] {
  const pieces = text.split(SEGMENT_INDEPENDENT_GAP);
  if (pieces.length === 1 && text.length > KEPT_PIECE_MAX_LENGTH) return segmenterWords(text);
  const wordsOfPiece: (readonly string[])[] = [];
  /** Where each piece given to the segmenter starts in `joined`, and which piece it is. */
  const starts: number[] = [];
  const owners: number[] = [];
  let joined = '';
  for (const piece of pieces) {
    if (!DICTIONARY_SCRIPT.test(piece) && matchesIcu(piece)) {
      wordsOfPiece.push(piece.match(SPACE_SEPARATED_WORD) ?? NO_WORDS);
      continue;
    }
    const kept =
      piece === '' ? NO_WORDS : piece.length <= KEPT_PIECE_MAX_LENGTH ? keptPieces.get(piece) : undefined;
    if (kept !== undefined) {
      wordsOfPiece.push(kept);
      continue;
    }
    if (joined !== '') joined += ' ';
    starts.push(joined.length);
    owners.push(wordsOfPiece.length);
    joined += piece;
    wordsOfPiece.push([]);
  }
  if (joined !== '') {
    let owner = 0;
    for (const segment of segmenter.segment(joined)) {
      if (!segment.isWordLike) continue;
      while (owner + 1 < starts.length && (starts[owner + 1] as number) <= segment.index) owner++;
      (wordsOfPiece[owners[owner] as number] as string[]).push(segment.segment);
    }
    for (const owner of owners) {
      const piece = pieces[owner] as string;
      if (piece.length <= KEPT_PIECE_MAX_LENGTH) keptPieces.set(piece, wordsOfPiece[owner] as string[]);
    }
  }
  return pieces.length === 1 ? [...(wordsOfPiece[0] as readonly string[])] : wordsOfPiece.flat();
}

const NO_WORDS: readonly string[] = Object.freeze([]);

/**
 * The segmenter's words of pieces already segmented, so that a piece seen again (a greeting, a laugh,
 * a name, a phrase the group repeats) costs a lookup instead of ICU's ~1 µs per segment; the
 * segmenter's answer for a piece never changes within a process, so a kept answer is exact. Two
 * generations of at most KEPT_PIECES_PER_GENERATION pieces each: when the newer one fills up, the
 * older is forgotten and a piece found there moves to the newer one, so the pieces a chat keeps
 * using stay while the memory stays bounded.
 */
class KeptPieces {
  private newer = new Map<string, readonly string[]>();
  private older = new Map<string, readonly string[]>();

  get(piece: string): readonly string[] | undefined {
    const words = this.newer.get(piece);
    if (words !== undefined) return words;
    const old = this.older.get(piece);
    if (old !== undefined) this.set(piece, old);
    return old;
  }

  set(piece: string, words: readonly string[]): void {
    if (this.newer.size >= KEPT_PIECES_PER_GENERATION) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(piece, words);
  }
}

/**
 * Two generations of 8,192 short pieces with their words: ~2 MB of heap per analysis thread after
 * 300,000 generated Chinese messages (16,384 kept ~5 MB, for no clear gain in speed:
 * docs/BENCHMARKS.md), enough to hold the pieces a group repeats across hundreds of windows.
 */
const KEPT_PIECES_PER_GENERATION = 8_192;

/**
 * Only pieces of up to 8 UTF-16 units are kept: in the generated chats 63-99 % of the dictionary-script
 * pieces of up to 4 and 8-74 % of those of 5-8 had been seen before, against 0-23 % of longer ones (a
 * sentence of Chinese or Thai is rarely written twice), and keeping those too made Chinese and Thai
 * text slower (more to look up, hash and collect than the hits saved; docs/BENCHMARKS.md).
 */
const KEPT_PIECE_MAX_LENGTH = 8;

const keptPieces = new KeptPieces();

/**
 * Whether the regular expression gives exactly ICU's words for this text: every character is one
 * whose word-break behaviour the expression models (Hebrew, Latin, Greek, Cyrillic and Arabic letters,
 * their combining marks, ASCII and Arabic-Indic digits, ASCII and common punctuation, currency signs,
 * bidirectional marks, emoji), and none of the few sequences where ICU departs from UAX #29 or from
 * the expression occurs. What it leaves out (letter-like symbols such as Ⓜ or 🅰, superscript and
 * other non-decimal digits, `_`, U+202F, a zero-width joiner or skin tone after anything but an emoji
 * or an emoji and U+FE0F, a mark after a quote) goes to the segmenter.
 * test/writers/digest/tokenize-equivalence.test.ts checks this set.
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
  `(?<![\\p{Extended_Pictographic}${EMOJI_MODIFIER}]\\uFE0F?)[\\u200D${EMOJI_MODIFIER}]` +
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
