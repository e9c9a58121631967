/** Long enough for three topic words, short enough for a file name and a URL. */
export const SLUG_MAX_LENGTH = 60;

/** Latin letters that Unicode decomposition leaves alone but readers expect spelled out. */
const LATIN_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};
const SPECIAL_LATIN = new RegExp(`[${Object.keys(LATIN_LETTERS).join('')}]`, 'gu');

/**
 * Lowercase ASCII words joined by hyphens: Latin diacritics are dropped (NFKD, then combining marks
 * removed), everything else that is not a-z or 0-9 separates words. Cut at a word boundary within
 * `SLUG_MAX_LENGTH`. Returns '' when nothing ASCII is left (Arabic, CJK…): the caller picks a fallback.
 */
export function slugify(text: string): string {
  const ascii = text
    .toLowerCase()
    .replace(SPECIAL_LATIN, (letter) => LATIN_LETTERS[letter] ?? letter)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (ascii.length <= SLUG_MAX_LENGTH) return ascii;
  const cut = ascii.slice(0, SLUG_MAX_LENGTH + 1);
  const boundary = cut.lastIndexOf('-');
  return (boundary > 0 ? cut.slice(0, boundary) : cut.slice(0, SLUG_MAX_LENGTH)).replace(/-+$/, '');
}
