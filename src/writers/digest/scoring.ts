import type {TermIndex} from './term-index.js';

/**
 * Below this many distinct terms a message is scored down proportionally: "yes, Sunday!" shares a
 * frequent word with the window but summarizes nothing. Four terms is a short sentence.
 */
export const FULL_WEIGHT_TERMS = 4;

/**
 * How central each document is to the window: the cosine between its TF-IDF vector (sublinear term
 * frequency, smoothed IDF over the window's documents) and the sum of the other documents' normalized
 * vectors, scaled down for very short documents. Leaving the document itself out of that sum means a
 * message that shares no word with the rest scores 0, however long it is. Comparing with one summed
 * vector instead of every other document keeps this linear in the number of terms, so a
 * 100,000-message window costs no more per message than a small one. Documents without terms score 0.
 */
export function centralityScores(index: TermIndex): number[] {
  const documentCount = index.documents.length;
  const idf = index.documentFrequency.map((frequency) => Math.log(1 + documentCount / frequency));
  const vectors = index.documents.map((document) => {
    const weights = document.ids.map(
      (id, slot) => (1 + Math.log(document.counts[slot] as number)) * (idf[id] as number),
    );
    const norm = euclideanNorm(weights);
    return weights.map((weight) => weight / norm);
  });
  const centroid = new Float64Array(index.terms.length);
  for (let doc = 0; doc < documentCount; doc++) {
    const {ids} = index.documents[doc] as (typeof index.documents)[number];
    const vector = vectors[doc] as number[];
    for (let slot = 0; slot < ids.length; slot++) {
      centroid[ids[slot] as number] = (centroid[ids[slot] as number] as number) + (vector[slot] as number);
    }
  }
  const centroidSquared = euclideanNorm(centroid) ** 2;
  return index.documents.map((document, doc) => {
    if (document.ids.length === 0) return 0;
    const vector = vectors[doc] as number[];
    let dot = 0;
    for (let slot = 0; slot < document.ids.length; slot++) {
      dot += (vector[slot] as number) * (centroid[document.ids[slot] as number] as number);
    }
    // With v normalized: v·(c − v) = v·c − 1 and |c − v|² = |c|² − 2 v·c + 1.
    const shared = dot - 1;
    const othersSquared = centroidSquared - 2 * dot + 1;
    if (shared <= SHARED_EPSILON || othersSquared <= SHARED_EPSILON) return 0;
    return (shared / Math.sqrt(othersSquared)) * Math.min(1, document.ids.length / FULL_WEIGHT_TERMS);
  });
}

/** Below this, "shared" weight is floating-point noise from subtracting a document from the sum. */
const SHARED_EPSILON = 1e-9;

/**
 * The `count` best-scoring documents (ties: the earlier one), returned in document order so the
 * summary reads chronologically. Documents scoring 0 are never picked, and when `keyOf` is given,
 * neither is a document with the same key as one already picked: a message repeated five times
 * (a weekly reminder, a forwarded notice) is one highlight, not five.
 */
export function topDocuments(
  scores: readonly number[],
  count: number,
  keyOf?: (position: number) => string,
): number[] {
  const candidates = scores.flatMap((score, position) => (score > 0 ? [position] : []));
  candidates.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const picked: number[] = [];
  const seen = new Set<string>();
  for (const position of candidates) {
    if (picked.length >= count) break;
    if (keyOf) {
      const key = keyOf(position);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    picked.push(position);
  }
  return picked.sort((a, b) => a - b);
}

function euclideanNorm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] as number) ** 2;
  return Math.sqrt(sum);
}
