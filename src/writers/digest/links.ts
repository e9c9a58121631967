/**
 * Web links as people paste them: `http(s)://` up to whitespace, a control character, `<`, `>`, `"`
 * or a backtick. Those stop characters also guarantee the link is a valid CommonMark autolink.
 */
const URL_PATTERN = /\bhttps?:\/\/[^\s\p{Cc}<>"`]+/giu;

/** Sentence punctuation that ends a pasted link more often than it belongs to it. */
const TRAILING_PUNCTUATION = /[.,;:!?'*_~]+$/u;

/** Links found in the texts, trimmed of trailing punctuation, first occurrence first, without repeats. */
export function extractLinks(texts: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    if (!text.includes('://')) continue;
    for (const match of text.matchAll(URL_PATTERN)) {
      const link = trimLink(match[0]);
      if (link.length > 'https://'.length) seen.add(link);
    }
  }
  return [...seen];
}

/** The text with its links replaced by spaces, so that URL pieces never count as words. */
export function withoutLinks(text: string): string {
  return text.includes('://') ? text.replace(URL_PATTERN, ' ') : text;
}

/** Drops trailing punctuation and closing brackets that have no opening partner inside the link. */
function trimLink(candidate: string): string {
  let link = candidate;
  for (;;) {
    const trimmed = link.replace(TRAILING_PUNCTUATION, '');
    const last = trimmed.at(-1);
    const opener = last === undefined ? undefined : CLOSERS[last];
    if (opener !== undefined && count(trimmed, last as string) > count(trimmed, opener)) {
      link = trimmed.slice(0, -1);
      continue;
    }
    return trimmed;
  }
}

const CLOSERS: Readonly<Record<string, string>> = {')': '(', ']': '[', '}': '{'};

function count(text: string, char: string): number {
  let total = 0;
  for (const c of text) if (c === char) total++;
  return total;
}
