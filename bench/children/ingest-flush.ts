import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {storeIngestRows} from '../../src/db/pipeline-store.js';
import {withReadSession} from '../../src/db/session.js';
import {openChatSource} from '../../src/ingest/source.js';
import {parseExport} from '../../src/pipeline/ingest-step.js';

/**
 * Run in a fresh process by bench/prototypes/ingest-flush.ts: parses an export, then stores its
 * messages with the product's own store (src/db/pipeline-store.ts) under the DuckDB memory limit and
 * appender flush interval given (flush 0: only when DuckDB decides).
 * Prints one JSON line: the store's time, the peak RSS before and after the store (VmHWM), the rows.
 */
const RUN_ID = '00000000-0000-4000-8000-000000000000';

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
const dbPath = path.join(dir, 'pipeline.duckdb');
try {
  const started = performance.now();
  await storeIngestRows(
    dbPath,
    {runId: RUN_ID, messages, authors: new Map(), media: []},
    {memoryLimit, flushEveryChunks: Number(flushEvery)},
  );
  const storeMs = performance.now() - started;
  const peakAfter = highWaterMark();
  const rows = await withReadSession(dbPath, async (connection) => {
    const reader = await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM messages');
    return Number(reader.getRowObjectsJson()[0]?.n);
  });
  process.stdout.write(`${JSON.stringify({storeMs, peakBefore, peakAfter, rows})}\n`);
} finally {
  await rm(dir, {recursive: true, force: true});
}

/** The process's peak RSS so far, in bytes (Linux: VmHWM). */
function highWaterMark(): number {
  return process.resourceUsage().maxRSS * 1024;
}
