import {withoutLinks} from './links.js';
import {STOP_WORDS} from './stop-words.js';
import {wordsOf} from './tokenize.js';

const FORMAT_CHARACTERS = /\p{Cf}/gu;
/**
 * `_` and U+202F glue words in UAX #29, and WhatsApp uses `_word_` for italics: not part of a term.
 * Neither is a combining mark left at the start of a word by a stray accent.
 */
const EDGE_CONNECTORS = /^[\p{Pc}\u202F\p{M}]+|[\p{Pc}\u202F]+$/gu;
const HAS_LETTER = /\p{L}/u;
/** French and Italian elisions (l'eau, dell'acqua) and the English possessive ('s). */
const ELISION_PREFIX = /^(?:[cdjlmnst]|qu|dell|dall|nell|sull|all|un)'(?=\p{L})/u;
const POSSESSIVE_SUFFIX = /(?<=\p{L})'s$/u;
const PLAIN_LOWERCASE_WORD = /^[a-z]+$/;
/**
 * Mentions as WhatsApp writes them (`@` then the name between U+2068 and U+2069) or as typed
 * (`@name`): they name people, not topics, whatever the window knows about them.
 */
const MENTION = /@\u2068[^\u2069\n]*\u2069|@[\p{L}\p{N}_-]+/gu;

/**
 * The terms of a text, in order, with repeats: words (links and mentions removed) in NFC and lower case (the
 * locale-independent `toLowerCase`), without stop words, words without letters, or `excluded` words
 * (the pseudonyms' parts, so that people never become topics).
 */
export function termsOf(text: string, excluded: ReadonlySet<string>): string[] {
  const terms: string[] = [];
  const prose = withoutLinks(text).replace(MENTION, ' ');
  for (const word of wordsOf(prose.normalize('NFC').toLowerCase())) {
    const term = PLAIN_LOWERCASE_WORD.test(word) ? word : normalizeWord(word);
    if (term !== '' && !STOP_WORDS.has(term) && !excluded.has(term)) terms.push(term);
  }
  return terms;
}

/** The lowercase words of a pseudonym or name, for the `excluded` set of `termsOf`. */
export function nameParts(name: string): string[] {
  return wordsOf(name.normalize('NFC').toLowerCase()).map(normalizeWord);
}

/**
 * What normalizeWord may have to change or look at: without any of these characters the word is
 * its own term (or no term, without a letter), which is the case for most words of most scripts.
 */
const NEEDS_NORMALIZING = /[\p{Cf}\p{Pc}\u202F\p{M}'’‘]/u;

function normalizeWord(word: string): string {
  if (!NEEDS_NORMALIZING.test(word)) return HAS_LETTER.test(word) ? word : '';
  const term = word.replace(FORMAT_CHARACTERS, '').replace(EDGE_CONNECTORS, '').replace(/[’‘]/gu, "'");
  if (!HAS_LETTER.test(term)) return '';
  if (STOP_WORDS.has(term)) return term;
  return term.replace(ELISION_PREFIX, '').replace(POSSESSIVE_SUFFIX, '');
}
