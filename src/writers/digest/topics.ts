import type {TermIndex} from './term-index.js';

/**
 * A term shorter than two characters is rarely a topic (single Latin letters, single CJK particles).
 * Counted in code points, so one emoji-free CJK word of two ideographs qualifies.
 */
const MIN_TOPIC_LENGTH = 2;

/**
 * From this many documents on, a topic must come back in at least two of them: in a real
 * conversation a subject is something several messages talk about. Smaller windows take what they have.
 */
const RECURRENCE_REQUIRED_FROM = 10;

/**
 * The window's top terms: by the number of documents they appear in, then by total occurrences, then
 * by first appearance (term ids follow it), which makes the order total and deterministic.
 */
export function pickTopics(index: TermIndex, count: number): string[] {
  const minDocuments = index.documents.length >= RECURRENCE_REQUIRED_FROM ? 2 : 1;
  const candidates: number[] = [];
  index.terms.forEach((term, id) => {
    if (
      (index.documentFrequency[id] as number) >= minDocuments &&
      codePointLength(term) >= MIN_TOPIC_LENGTH
    ) {
      candidates.push(id);
    }
  });
  candidates.sort(
    (a, b) =>
      (index.documentFrequency[b] as number) - (index.documentFrequency[a] as number) ||
      (index.totalFrequency[b] as number) - (index.totalFrequency[a] as number) ||
      a - b,
  );
  return candidates.slice(0, count).map((id) => index.terms[id] as string);
}

function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}
