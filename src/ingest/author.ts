import {SYSTEM_EVENT_PHRASES} from './phrases.js';

const COLON = 58;
const SPACE = 32;
/** Buckets of `knownAt`'s index: a power of two above a group's few dozen writers. */
const FIRST_UNIT_BUCKETS = 256;
const FIRST_UNIT_MASK = FIRST_UNIT_BUCKETS - 1;

/**
 * Rule 4: the author is the text before the first `": "`, unless the line is a system event whose
 * text happens to contain `": "` (a group named "Book club: 2024"). Such a candidate is recognised
 * by a known event phrase, or by a quote it opens and does not close (WhatsApp quotes subjects and
 * group names, so the `": "` sits inside the quote). The quote rule yields to the people who
 * actually write: a candidate seen heading several lines is a person even with an odd quote in
 * their name (`Dwayne "The Rock`), because an event line is never repeated word for word.
 *
 * Each distinct candidate is judged once; the answer (the interned author, or null) is cached, so a
 * message costs one Map lookup.
 */
export class AuthorResolver {
  private readonly decided = new Map<string, string | null>();
  /** Accepted authors by their length in UTF-16 units: the hot path compares in place, without slicing. */
  private readonly byLength: (string[] | undefined)[] = [];
  /**
   * Accepted authors by their first code unit (modulo FIRST_UNIT_BUCKETS; a shared bucket costs one
   * more compare, never a wrong answer), for `knownAt`.
   */
  private readonly byFirstUnit: string[][] = Array.from({length: FIRST_UNIT_BUCKETS}, () => []);
  private readonly writers = new Set<string>();
  /** Authors in order of first appearance. */
  readonly authors: string[] = [];

  /** Declares candidates known to write (seen heading several lines) before any is resolved. */
  addWriters(candidates: Iterable<string>): void {
    for (const candidate of candidates) this.writers.add(candidate);
  }

  /**
   * The accepted author whose name starts `buf[start, end)` followed by `": "`, or null. Such a name
   * is the line's candidate (the text before its first `": "`): an accepted name never contains
   * `": "` (those are left out of this index), so no earlier `": "` can hide inside it. This spares
   * the hot path the search for the colon on nearly every line; null sends the caller to the full
   * rule (`resolveAt`).
   */
  knownAt(buf: string, start: number, end: number): string | null {
    const bucket = this.byFirstUnit[buf.charCodeAt(start) & FIRST_UNIT_MASK] as string[];
    for (let index = 0; index < bucket.length; index += 1) {
      const author = bucket[index] as string;
      const colon = start + author.length;
      if (
        colon + 1 < end &&
        buf.charCodeAt(colon) === COLON &&
        buf.charCodeAt(colon + 1) === SPACE &&
        buf.startsWith(author, start)
      ) {
        return author;
      }
    }
    return null;
  }

  /** Resolves the candidate `buf[start, end)`, allocating nothing when it is a known author. */
  resolveAt(buf: string, start: number, end: number): string | null {
    const bucket = this.byLength[end - start];
    if (bucket !== undefined) {
      for (const author of bucket) if (buf.startsWith(author, start)) return author;
    }
    return this.resolve(buf.slice(start, end));
  }

  resolve(candidate: string): string | null {
    const known = this.decided.get(candidate);
    if (known !== undefined) return known;
    let author: string | null = null;
    if (!isSystemCandidate(candidate, this.writers)) {
      // A flat copy: the slice would otherwise keep the whole decoded chunk it came from alive.
      author = Buffer.from(candidate, 'utf8').toString('utf8');
      this.authors.push(author);
      if (!author.includes(': ')) this.byFirstUnit[author.charCodeAt(0) & FIRST_UNIT_MASK]?.push(author);
      const bucket = this.byLength[author.length];
      if (bucket === undefined) this.byLength[author.length] = [author];
      else bucket.push(author);
    }
    this.decided.set(author ?? candidate, author);
    return author;
  }
}

export function isSystemCandidate(candidate: string, writers: ReadonlySet<string> = new Set()): boolean {
  if (candidate.length === 0) return true;
  if (SYSTEM_EVENT_PHRASES.test(candidate)) return true;
  return opensUnclosedQuote(candidate) && !writers.has(candidate);
}

/** Whether a quote opened in the text is still open at its end: `created group "Book club`. */
export function opensUnclosedQuote(text: string): boolean {
  let straight = false;
  let open = 0;
  for (let index = 0; index < text.length; index += 1) {
    switch (text.charCodeAt(index)) {
      case 0x22: // "
        straight = !straight;
        break;
      case 0x201e: // „ (German opening)
      case 0x00ab: // «
        open += 1;
        break;
      case 0x201c: // “ opens in English, closes a German „
        if (open > 0 && text.lastIndexOf('\u201e', index) !== -1) open -= 1;
        else open += 1;
        break;
      case 0x201d: // ”
      case 0x00bb: // »
        if (open > 0) open -= 1;
        break;
      default:
        break;
    }
  }
  return straight || open > 0;
}
