import {existsSync} from 'node:fs';
import {
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBTimestampTZValue,
  DuckDBUUIDValue,
  type DuckDBValue,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import type {ChatMessage} from '../../schemas/message.js';
import {StoreNewerSchemaError} from './errors.js';
import {withReadSession, withWriteSession} from './session.js';

/**
 * `.egregora/pipeline.duckdb`: what `process` produced. Every row carries the id of the run that
 * produced it (non-null, a run of runs.duckdb): messages, authors and media the ingest run's; posts
 * and media files the window run's. Rows are only ever appended: re-processing adds rows under new
 * runs and never moves old rows to a new run.
 */
export const PIPELINE_SCHEMA_VERSION = 1;

const DDL = [
  'CREATE TABLE IF NOT EXISTS pipeline_schema_version (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL)',
  `CREATE TABLE IF NOT EXISTS messages (
     ingest_run_id UUID NOT NULL, position INTEGER NOT NULL, date VARCHAR NOT NULL, instant TIMESTAMPTZ NOT NULL,
     author VARCHAR, text VARCHAR NOT NULL, kind VARCHAR NOT NULL, edited BOOLEAN NOT NULL,
     attachment VARCHAR, attachment_present BOOLEAN NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS authors (
     ingest_run_id UUID NOT NULL, pseudonym VARCHAR NOT NULL, messages BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS media (
     ingest_run_id UUID NOT NULL, name VARCHAR NOT NULL, entry_path VARCHAR NOT NULL, size BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS outputs (
     run_id UUID NOT NULL, kind VARCHAR NOT NULL CHECK (kind IN ('post', 'media')), window_index INTEGER NOT NULL,
     part_index INTEGER, window_fingerprint VARCHAR NOT NULL, output_dir VARCHAR NOT NULL, path VARCHAR NOT NULL,
     content_sha256 VARCHAR NOT NULL, recorded_at TIMESTAMPTZ NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS outputs_run_id ON outputs (run_id)',
] as const;

async function ensurePipelineSchema(connection: DuckDBConnection, dbPath: string): Promise<void> {
  for (const statement of DDL) await connection.run(statement);
  const reader = await connection.runAndReadAll(
    'SELECT max(version) AS version FROM pipeline_schema_version',
  );
  const version = reader.getRowObjectsJson()[0]?.version;
  if (version === null || version === undefined) {
    await connection.run('INSERT INTO pipeline_schema_version VALUES ($1, now())', [PIPELINE_SCHEMA_VERSION]);
  } else if (Number(version) > PIPELINE_SCHEMA_VERSION) {
    throw new StoreNewerSchemaError(dbPath, Number(version), PIPELINE_SCHEMA_VERSION);
  }
}

function uuid(value: string): DuckDBUUIDValue {
  return DuckDBUUIDValue.fromUint128(BigInt(`0x${value.replaceAll('-', '')}`));
}

export interface MediaIndexRow {
  readonly name: string;
  readonly entryPath: string;
  readonly size: number;
}

export interface IngestRows {
  readonly runId: string;
  readonly messages: readonly ChatMessage[];
  readonly authors: ReadonlyMap<string, number>;
  readonly media: readonly MediaIndexRow[];
}

/** Stores an ingest's messages, authors and media index with bulk appends, in one transaction. */
export async function storeIngestRows(
  dbPath: string,
  rows: IngestRows,
  tuning: IngestStoreTuning = INGEST_STORE_TUNING,
): Promise<void> {
  await withWriteSession(dbPath, async (connection) => {
    // The messages are already in this process's memory once; DuckDB buffering another full copy
    // before its checkpoint is what pushed a 1,000,000-message run over 1 GB. Past this, it spills.
    await connection.run(`SET memory_limit = '${tuning.memoryLimit}'`);
    await ensurePipelineSchema(connection, dbPath);
    const runId = uuid(rows.runId);
    await appendMessages(connection, runId, rows.messages, tuning.flushEveryChunks);
    const authors = await connection.createAppender('authors');
    for (const [pseudonym, count] of rows.authors) {
      authors.appendValue(runId);
      authors.appendVarchar(pseudonym);
      authors.appendBigInt(BigInt(count));
      authors.endRow();
    }
    authors.closeSync();
    const media = await connection.createAppender('media');
    for (const entry of rows.media) {
      media.appendValue(runId);
      media.appendVarchar(entry.name);
      media.appendVarchar(entry.entryPath);
      media.appendBigInt(BigInt(entry.size));
      media.endRow();
    }
    media.closeSync();
  });
}

/**
 * Rows per appended chunk: DuckDB's own vector size. Appending whole column chunks instead of one
 * value at a time measured 4.8 s and 1.10 GB peak instead of 7.4-9.5 s and 1.44 GB for 1,000,000
 * messages (bench/prototypes/ingest-store.ts).
 */
const CHUNK_ROWS = 2048;

/**
 * DuckDB's memory budget while storing an ingest (see storeIngestRows). 256 MB let DuckDB add ~500 MB
 * to the process while it stored 1,000,000 long messages (the mixed profile's peak, 0.98-1.05 GB);
 * at 64 MB the store still added 200-280 MB to the peak RSS; at 32 MB, with the appender flushed
 * every FLUSH_EVERY_CHUNKS, 95-175 MB (bench/prototypes/ingest-flush.ts; docs/BENCHMARKS.md). 16 MB
 * saved 2-17 MB more and slowed the mixed store (9.2-10.8 s against 8.4-9.3 s by hand).
 */
const INGEST_MEMORY_LIMIT = '32MB';

/**
 * The appender keeps rows until it has ~200,000 of them, outside DuckDB's memory budget: for long
 * messages that alone is tens of MB. Flushed every 8,192 rows the store of 1,000,000 messages
 * peaked 80-160 MB lower and took 0-1 s longer; every 4,096 rows saved up to ~25 MB more (mixed)
 * and was slower again.
 */
const FLUSH_EVERY_CHUNKS = 4;

/** How the ingest's store uses DuckDB; a parameter only so that bench/prototypes/ingest-flush.ts can vary it. */
export interface IngestStoreTuning {
  /** DuckDB's `memory_limit` for the session. */
  readonly memoryLimit: string;
  /** Flush the appender after this many chunks of CHUNK_ROWS; 0: only when DuckDB decides. */
  readonly flushEveryChunks: number;
}

const INGEST_STORE_TUNING: IngestStoreTuning = {
  memoryLimit: INGEST_MEMORY_LIMIT,
  flushEveryChunks: FLUSH_EVERY_CHUNKS,
};

async function appendMessages(
  connection: DuckDBConnection,
  runId: DuckDBUUIDValue,
  messages: readonly ChatMessage[],
  flushEveryChunks: number,
): Promise<void> {
  const types = (await connection.run('SELECT * FROM messages LIMIT 0')).columnTypes();
  const appender = await connection.createAppender('messages');
  // One chunk, reset for each batch: a chunk's native memory (its string data included) is freed
  // only when the JS object is collected, and these objects are too small for the collector to
  // hurry; a chunk per batch held ~250 MB of a 1,000,000-message ingest until the end.
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
    if (flushEveryChunks > 0 && (start / CHUNK_ROWS + 1) % flushEveryChunks === 0) appender.flushSync();
  }
  appender.closeSync();
}

/** How many messages an ingest run stored; 0 when the store or the run's rows do not exist. */
export async function countIngestMessages(dbPath: string, runId: string): Promise<number> {
  if (!existsSync(dbPath)) return 0;
  return withReadSession(dbPath, async (connection) => {
    const tables = await connection.runAndReadAll(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'messages' AND schema_name = 'main'",
    );
    if (Number(tables.getRowObjectsJson()[0]?.n ?? 0) === 0) return 0;
    const reader = await connection.runAndReadAll(
      'SELECT count(*) AS n FROM messages WHERE ingest_run_id = $1',
      [runId],
    );
    return Number(reader.getRowObjectsJson()[0]?.n ?? 0);
  });
}

export interface OutputRow {
  readonly runId: string;
  readonly kind: 'post' | 'media';
  readonly windowIndex: number;
  readonly partIndex: number | null;
  readonly windowFingerprint: string;
  readonly outputDir: string;
  /** Relative to `outputDir`, POSIX separators. */
  readonly path: string;
  readonly contentSha256: string;
}

/** Records written files under the runs that wrote them, in one short transaction. */
export async function recordOutputs(dbPath: string, rows: readonly OutputRow[]): Promise<void> {
  if (rows.length === 0) return;
  await withWriteSession(dbPath, async (connection) => {
    await ensurePipelineSchema(connection, dbPath);
    const appender = await connection.createAppender('outputs');
    const now = new DuckDBTimestampTZValue(BigInt(Date.now()) * 1000n);
    for (const row of rows) {
      appender.appendValue(uuid(row.runId));
      appender.appendVarchar(row.kind);
      appender.appendInteger(row.windowIndex);
      if (row.partIndex === null) appender.appendNull();
      else appender.appendInteger(row.partIndex);
      appender.appendVarchar(row.windowFingerprint);
      appender.appendVarchar(row.outputDir);
      appender.appendVarchar(row.path);
      appender.appendVarchar(row.contentSha256);
      appender.appendTimestampTZ(now);
      appender.endRow();
    }
    appender.closeSync();
  });
}

/** Creates the store and its tables if missing (the first step of `process`, so damage shows early). */
export async function openPipelineStore(dbPath: string): Promise<void> {
  await withWriteSession(dbPath, (connection) => ensurePipelineSchema(connection, dbPath));
}

export interface RecordedOutput {
  readonly runId: string;
  readonly kind: 'post' | 'media';
  /** Relative to the output folder. */
  readonly path: string;
}

/**
 * The files recorded in `outputDir`, grouped by the fingerprint of the window (or part) that produced
 * them, then by run: what resume needs to tell whether a window's files are really there.
 */
export async function outputsInFolder(
  dbPath: string,
  outputDir: string,
): Promise<Map<string, Map<string, RecordedOutput[]>>> {
  const byFingerprint = new Map<string, Map<string, RecordedOutput[]>>();
  if (!existsSync(dbPath)) return byFingerprint;
  await withReadSession(dbPath, async (connection) => {
    const tables = await connection.runAndReadAll(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'outputs' AND schema_name = 'main'",
    );
    if (Number(tables.getRowObjectsJson()[0]?.n ?? 0) === 0) return;
    const reader = await connection.runAndReadAll(
      'SELECT window_fingerprint, CAST(run_id AS VARCHAR) AS run_id, kind, path FROM outputs WHERE output_dir = $1',
      [outputDir],
    );
    for (const row of reader.getRowObjectsJson()) {
      const fingerprint = String(row.window_fingerprint);
      const runs = byFingerprint.get(fingerprint) ?? new Map<string, RecordedOutput[]>();
      byFingerprint.set(fingerprint, runs);
      const runId = String(row.run_id);
      const files = runs.get(runId) ?? [];
      runs.set(runId, files);
      files.push({runId, kind: row.kind === 'media' ? 'media' : 'post', path: String(row.path)});
    }
  });
  return byFingerprint;
}

/** A post file recorded in an output folder, with what identifies its window and its bytes. */
export interface RecordedPost {
  readonly windowIndex: number;
  readonly windowFingerprint: string;
  /** Relative to the output folder. */
  readonly path: string;
  readonly contentSha256: string;
}

/** Every post recorded in `outputDir` by any run (a path may appear once per run that wrote it). */
export async function postsRecordedInFolder(dbPath: string, outputDir: string): Promise<RecordedPost[]> {
  if (!existsSync(dbPath)) return [];
  return withReadSession(dbPath, async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT window_index, window_fingerprint, path, content_sha256 FROM outputs
       WHERE output_dir = $1 AND kind = 'post'`,
      [outputDir],
    );
    return reader.getRowObjectsJson().map((row) => ({
      windowIndex: Number(row.window_index),
      windowFingerprint: String(row.window_fingerprint),
      path: String(row.path),
      contentSha256: String(row.content_sha256),
    }));
  });
}

/** Most files `runs show` lists for one run: a window writes one post and its media. */
export const MAX_FILES_LISTED = 50;

/**
 * The files these runs wrote (relative paths, posts first), for `runs show` of a window run; an
 * empty list when the store or its table does not exist. Read-only.
 */
export async function outputsOfRuns(
  dbPath: string,
  runIds: readonly string[],
): Promise<{files: string[]; total: number}> {
  if (runIds.length === 0 || !existsSync(dbPath)) return {files: [], total: 0};
  return withReadSession(dbPath, async (connection) => {
    const tables = await connection.runAndReadAll(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'outputs' AND schema_name = 'main'",
    );
    if (Number(tables.getRowObjectsJson()[0]?.n ?? 0) === 0) return {files: [], total: 0};
    const reader = await connection.runAndReadAll(
      `SELECT DISTINCT kind, path FROM outputs WHERE run_id IN (SELECT unnest($1::UUID[]))
       ORDER BY kind DESC, path`,
      [listValue([...runIds])],
      [LIST(VARCHAR)],
    );
    const rows = reader.getRowObjectsJson();
    return {files: rows.slice(0, MAX_FILES_LISTED).map((row) => String(row.path)), total: rows.length};
  });
}

/** One file a run recorded, with its content hash: what `runs diff` compares. */
export interface RecordedOutputFile {
  readonly runId: string;
  readonly kind: 'post' | 'media';
  readonly partIndex: number | null;
  /** Relative to the output folder. */
  readonly path: string;
  readonly contentSha256: string;
}

/**
 * The files these runs recorded (kind, path and content hash), grouped by window index, posts first
 * and then by path; an empty map when the store or its table does not exist. Read-only, one session
 * for any number of runs.
 */
export async function outputsOfRunsByWindow(
  dbPath: string,
  runIds: readonly string[],
): Promise<Map<number, RecordedOutputFile[]>> {
  const byWindow = new Map<number, RecordedOutputFile[]>();
  if (runIds.length === 0 || !existsSync(dbPath)) return byWindow;
  await withReadSession(dbPath, async (connection) => {
    const tables = await connection.runAndReadAll(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'outputs' AND schema_name = 'main'",
    );
    if (Number(tables.getRowObjectsJson()[0]?.n ?? 0) === 0) return;
    const reader = await connection.runAndReadAll(
      `SELECT DISTINCT CAST(run_id AS VARCHAR) AS run_id, kind, window_index, part_index, path, content_sha256
       FROM outputs WHERE run_id IN (SELECT unnest($1::UUID[]))
       ORDER BY window_index, kind DESC, path, run_id`,
      [listValue([...new Set(runIds)])],
      [LIST(VARCHAR)],
    );
    for (const row of reader.getRowObjectsJson()) {
      const windowIndex = Number(row.window_index);
      const files = byWindow.get(windowIndex) ?? [];
      byWindow.set(windowIndex, files);
      files.push({
        runId: String(row.run_id),
        kind: row.kind === 'media' ? 'media' : 'post',
        partIndex: row.part_index === null ? null : Number(row.part_index),
        path: String(row.path),
        contentSha256: String(row.content_sha256),
      });
    }
  });
  return byWindow;
}
