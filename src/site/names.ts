import {createHash} from 'node:crypto';
import {SLUG_PATTERN} from '../../schemas/post.js';

/** Hex digits of a name's hash appended when its readable form is empty or taken: 2^32 is plenty here. */
const NAME_HASH_HEX = 8;
/** A file name stays well under every file system's 255-byte limit. */
const MAX_SLUG_LENGTH = 60;

/** Lowercase ASCII words joined by hyphens, from any text (accents dropped); may be empty. */
export function slugifyName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, NAME_HASH_HEX);
}

/**
 * File names for a set of names (tags, pseudonyms): the slug when the name already is one and no
 * other name maps to it, else the slug (or `x`) plus a hash of the exact name. Deterministic: the
 * same set gives the same names, whatever the order.
 */
export function assignFileNames(names: Iterable<string>): Map<string, string> {
  const unique = [...new Set(names)].sort();
  const bySlug = new Map<string, string[]>();
  for (const name of unique) {
    const slug = slugifyName(name);
    const list = bySlug.get(slug);
    if (list === undefined) bySlug.set(slug, [name]);
    else list.push(name);
  }
  const result = new Map<string, string>();
  for (const [slug, group] of bySlug) {
    for (const name of group) {
      const plain = group.length === 1 && slug === name && SLUG_PATTERN.test(slug);
      result.set(name, plain ? slug : `${slug === '' ? 'x' : slug}-${shortHash(name)}`);
    }
  }
  return result;
}
