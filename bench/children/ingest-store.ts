import {randomBytes} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {ChatMessage} from '../../schemas/message.js';
import {storeIngestRows} from '../../src/db/pipeline-store.js';
import {withReadSession} from '../../src/db/session.js';
import {createAnonymizer} from '../../src/ingest/anonymize.js';
import {openChatSource} from '../../src/ingest/source.js';
import {parseExport} from '../../src/pipeline/ingest-step.js';

/**
 * Run in a fresh process by bench/prototypes/ingest-store.ts: the ingest of `process` up to storing
 * the messages (parse, anonymize, store in pipeline.duckdb). It compared storing one Appender value at
 * a time (`current`) with appending 2,048-row DataChunks (`chunks`); the product has since adopted
 * the chunks (src/db/pipeline-store.ts), so both variants now run that one path, and the figures of
 * the comparison in docs/BENCHMARKS.md are those measured before the change.
 * Prints one JSON line: the store's time, the RSS before it, the row count.
 */
const RUN_ID = '00000000-0000-4000-8000-000000000000';

const [zipPath, variant] = process.argv.slice(2);
if (zipPath === undefined || (variant !== 'current' && variant !== 'chunks')) {
  throw new Error('usage: ingest-store <export.zip> current|chunks');
}
const source = await openChatSource(zipPath);
const parsed = await parseExport(source, 'UTC', new AbortController().signal);
const messages = createAnonymizer({secret: randomBytes(32)}).anonymize(parsed.messages);
await source.close();
const rssBefore = process.resourceUsage().maxRSS * 1024;
const dir = await mkdtemp(path.join(os.tmpdir(), 'egregora-bench-ingest-store-'));
const dbPath = path.join(dir, 'pipeline.duckdb');
try {
  // The schema, made by the project's own code (one row, not timed).
  await storeIngestRows(dbPath, {
    runId: RUN_ID,
    messages: messages.slice(0, 1),
    authors: new Map(),
    media: [],
  });
  const started = performance.now();
  if (variant === 'current') {
    await storeIngestRows(dbPath, {runId: RUN_ID, messages, authors: new Map(), media: []});
  } else {
    await storeInChunks(dbPath, messages);
  }
  const storeMs = performance.now() - started;
  const rows = await withReadSession(dbPath, async (connection) => {
    const reader = await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM messages');
    return Number(reader.getRowObjectsJson()[0]?.n);
  });
  process.stdout.write(`${JSON.stringify({variant, storeMs, rssBefore, rows: rows - 1})}\n`);
} finally {
  await rm(dir, {recursive: true, force: true});
}

/** The product's own path (src/db/pipeline-store.ts), which adopted the chunked appends. */
async function storeInChunks(file: string, all: readonly ChatMessage[]): Promise<void> {
  await storeIngestRows(file, {runId: RUN_ID, messages: all, authors: new Map(), media: []});
}
