import {existsSync} from 'node:fs';

/** The chat's own figures, from `.egregora/pipeline.duckdb`: what posts alone cannot tell. */
export interface ChatStats {
  /** Messages of the chat (the ingest's rows). */
  readonly messages: number;
  /** Messages per pseudonym. */
  readonly byAuthor: ReadonlyMap<string, number>;
}

interface IngestFigures {
  readonly id: string;
  readonly messages: number;
  readonly first: string;
  readonly last: string;
  readonly authors: Map<string, number>;
}

/**
 * Reads the figures of the ingest these posts came from. A state folder may hold several ingests
 * (other exports, or the same one again): the one whose pseudonyms cover most of the posts'
 * authors wins, then the one whose dates span the posts', then the larger. Null when the database
 * is absent or holds no messages; errors (busy, damaged) propagate to the caller, which goes on
 * without the figures.
 */
export async function readChatStats(
  pipelineDb: string,
  postAuthors: ReadonlySet<string>,
  firstDate: string | null,
  lastDate: string | null,
): Promise<ChatStats | null> {
  if (!existsSync(pipelineDb)) return null;
  const {withReadSession} = await import('../db/session.js');
  const ingests = await withReadSession(pipelineDb, async (connection) => {
    const tables = await connection.runAndReadAll(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN ('messages', 'authors')",
    );
    if (Number(tables.getRowObjectsJson()[0]?.n ?? 0) < 2) return [];
    const totals = await connection.runAndReadAll(
      'SELECT ingest_run_id::VARCHAR AS id, count(*) AS n, min(date) AS first, max(date) AS last FROM messages GROUP BY 1',
    );
    const byId = new Map<string, IngestFigures>();
    for (const row of totals.getRowObjectsJson()) {
      const id = String(row.id);
      byId.set(id, {
        id,
        messages: Number(row.n),
        first: String(row.first).slice(0, 10),
        last: String(row.last).slice(0, 10),
        authors: new Map(),
      });
    }
    const authors = await connection.runAndReadAll(
      'SELECT ingest_run_id::VARCHAR AS id, pseudonym, messages FROM authors',
    );
    for (const row of authors.getRowObjectsJson()) {
      byId.get(String(row.id))?.authors.set(String(row.pseudonym), Number(row.messages));
    }
    return [...byId.values()];
  });
  let best: {figures: IngestFigures; score: readonly number[]} | null = null;
  for (const figures of ingests) {
    let overlap = 0;
    for (const author of postAuthors) if (figures.authors.has(author)) overlap += 1;
    const spans =
      firstDate !== null && lastDate !== null && figures.first <= firstDate && figures.last >= lastDate
        ? 1
        : 0;
    const score = [overlap, spans, figures.messages];
    if (best === null || compareScores(score, best.score) > 0) best = {figures, score};
  }
  if (best === null || (postAuthors.size > 0 && best.score[0] === 0)) return null;
  return {messages: best.figures.messages, byAuthor: best.figures.authors};
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < a.length; index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
