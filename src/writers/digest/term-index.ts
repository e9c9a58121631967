/** One document's terms as parallel arrays of term ids and their counts in the document. */
export interface DocumentTerms {
  readonly ids: readonly number[];
  readonly counts: readonly number[];
}

/**
 * The vocabulary of a window, built once and shared by scoring and topics. Term ids follow first
 * appearance, so everything derived from them is independent of hash or Map ordering.
 */
export interface TermIndex {
  readonly terms: readonly string[];
  /** Per term: in how many documents it appears. */
  readonly documentFrequency: readonly number[];
  /** Per term: how often it appears in all documents. */
  readonly totalFrequency: readonly number[];
  readonly documents: readonly DocumentTerms[];
}

export function buildTermIndex(termLists: readonly (readonly string[])[]): TermIndex {
  const idOf = new Map<string, number>();
  const terms: string[] = [];
  const documentFrequency: number[] = [];
  const totalFrequency: number[] = [];
  const documents: DocumentTerms[] = [];
  for (const list of termLists) {
    const ids: number[] = [];
    const counts: number[] = [];
    const slotOf = new Map<number, number>();
    for (const term of list) {
      let id = idOf.get(term);
      if (id === undefined) {
        id = terms.length;
        idOf.set(term, id);
        terms.push(term);
        documentFrequency.push(0);
        totalFrequency.push(0);
      }
      totalFrequency[id] = (totalFrequency[id] as number) + 1;
      const slot = slotOf.get(id);
      if (slot === undefined) {
        slotOf.set(id, ids.length);
        ids.push(id);
        counts.push(1);
        documentFrequency[id] = (documentFrequency[id] as number) + 1;
      } else {
        counts[slot] = (counts[slot] as number) + 1;
      }
    }
    documents.push({ids, counts});
  }
  return {terms, documentFrequency, totalFrequency, documents};
}
