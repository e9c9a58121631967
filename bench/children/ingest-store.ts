import {randomBytes} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {DuckDBDataChunk, DuckDBTimestampTZValue, DuckDBUUIDValue, type DuckDBValue} from '@duckdb/node-api';
import type {ChatMessage} from '../../schemas/message.js';
import {storeIngestRows} from '../../src/db/pipeline-store.js';
import {withReadSession, withWriteSession} from '../../src/db/session.js';
import {createAnonymizer} from '../../src/ingest/anonymize.js';
import {openChatSource} from '../../src/ingest/source.js';
import {parseExport} from '../../src/pipeline/ingest-step.js';

/**
 * Run in a fresh process by bench/prototypes/ingest-store.ts: the ingest of `process` up to storing
 * the messages (parse, anonymize, store in pipeline.duckdb), with the store done one of two ways:
 *   current  src/db/pipeline-store.ts storeIngestRows: one Appender call per value
 *   chunks   the same rows appended as DuckDBDataChunks of CHUNK_ROWS rows, column by column
 * Prints one JSON line: the store's time, the RSS before it, the row count.
 */
const CHUNK_ROWS = 2048;
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

async function storeInChunks(file: string, all: readonly ChatMessage[]): Promise<void> {
  const runId = DuckDBUUIDValue.fromUint128(BigInt(`0x${RUN_ID.replaceAll('-', '')}`));
  await withWriteSession(file, async (connection) => {
    const types = (await connection.run('SELECT * FROM messages LIMIT 0')).columnTypes();
    const appender = await connection.createAppender('messages');
    for (let start = 0; start < all.length; start += CHUNK_ROWS) {
      const rows = all.slice(start, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(types, rows.length);
      const columns: DuckDBValue[][] = [
        rows.map(() => runId),
        rows.map((message) => message.position),
        rows.map((message) => message.date),
        rows.map((message) => new DuckDBTimestampTZValue(BigInt(message.instantMs) * 1000n)),
        rows.map((message) => message.author),
        rows.map((message) => message.text),
        rows.map((message) => message.kind),
        rows.map((message) => message.edited),
        rows.map((message) => message.attachment),
        rows.map((message) => message.attachmentPresent),
      ];
      for (const [index, values] of columns.entries()) chunk.setColumnValues(index, values);
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
  });
}
