import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTimestampTZValue,
  DuckDBUUIDValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import {openChatSource} from '../../src/ingest/source.js';
import {parseExport} from '../../src/pipeline/ingest-step.js';

/**
 * Run in a fresh process by bench/prototypes/ingest-flush.ts: parses an export, then stores its
 * messages the way src/db/pipeline-store.ts does (2,048-row DataChunks in one transaction) under a
 * DuckDB memory limit, flushing the appender every N chunks (0: never, DuckDB's own flushes only).
 * Prints one JSON line: the store's time, the peak RSS before and after the store (VmHWM), the rows.
 */
const CHUNK_ROWS = 2048;

const [zipPath, memoryLimit, flushEvery] = process.argv.slice(2);
if (zipPath === undefined || memoryLimit === undefined || flushEvery === undefined) {
  throw new Error(
    'usage: ingest-flush <export.zip> <memory limit, e.g. 64MB> <flush every N chunks, 0 = never>',
  );
}
const source = await openChatSource(zipPath);
const {messages} = await parseExport(source, 'UTC', new AbortController().signal);
await source.close();
const peakBefore = highWaterMark();
const dir = await mkdtemp(path.join(os.tmpdir(), 'egregora-bench-ingest-flush-'));
try {
  const started = performance.now();
  const instance = await DuckDBInstance.create(path.join(dir, 'pipeline.duckdb'));
  const connection = await instance.connect();
  await connection.run(`SET memory_limit = '${memoryLimit}'`);
  await connection.run(`CREATE TABLE messages (
     ingest_run_id UUID NOT NULL, position INTEGER NOT NULL, date VARCHAR NOT NULL, instant TIMESTAMPTZ NOT NULL,
     author VARCHAR, text VARCHAR NOT NULL, kind VARCHAR NOT NULL, edited BOOLEAN NOT NULL,
     attachment VARCHAR, attachment_present BOOLEAN NOT NULL)`);
  const types = (await connection.run('SELECT * FROM messages LIMIT 0')).columnTypes();
  const runId = DuckDBUUIDValue.fromUint128(1n);
  await connection.run('BEGIN TRANSACTION');
  const appender = await connection.createAppender('messages');
  const chunk = DuckDBDataChunk.create(types, CHUNK_ROWS);
  for (let start = 0; start < messages.length; start += CHUNK_ROWS) {
    const rows = messages.slice(start, start + CHUNK_ROWS);
    chunk.reset();
    chunk.rowCount = rows.length;
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
    if (Number(flushEvery) > 0 && (start / CHUNK_ROWS + 1) % Number(flushEvery) === 0) appender.flushSync();
  }
  appender.closeSync();
  await connection.run('COMMIT');
  await connection.run('CHECKPOINT');
  const reader = await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM messages');
  const rows = Number(reader.getRowObjectsJson()[0]?.n);
  connection.closeSync();
  instance.closeSync();
  const storeMs = performance.now() - started;
  process.stdout.write(`${JSON.stringify({storeMs, peakBefore, peakAfter: highWaterMark(), rows})}\n`);
} finally {
  await rm(dir, {recursive: true, force: true});
}

/** The process's peak RSS so far, in bytes (Linux: VmHWM). */
function highWaterMark(): number {
  return process.resourceUsage().maxRSS * 1024;
}
