/**
 * Shared helpers of the reliability suite (test/reliability): spawning the built CLI with a handle
 * to signal it, reading DuckDB files read-only, snapshotting folders byte for byte, and a seeded PRNG
 * so every random choice can be replayed from the seed printed in a test's name.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import {MANIFEST_NAME} from '../../src/site/manifest.js';
import {BIN, type CliResult, REPO_ROOT} from '../helpers/cli.js';
import {seededRandom} from '../helpers/random.js';

export const TEST_WRITERS = path.join(REPO_ROOT, 'test', 'pipeline', 'fixtures', 'test-writers.mjs');

/** What a stack trace looks like in a CLI's output: a line starting with spaces then `at `. */
export const STACK_TRACE = /\n\s+at /;

/** Environment of a spawned CLI, as test/helpers/cli.ts builds it: no colours, no inherited state dir. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1'};
  delete env.EGREGORA_DIR;
  delete env.FORCE_COLOR;
  delete env.TRACEPARENT;
  delete env.DEBUG;
  return {...env, ...extra};
}

export interface StartedCli {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the process has exited and its pipes are drained. */
  readonly done: Promise<CliResult>;
  /** What it printed so far. */
  readonly output: () => {stdout: string; stderr: string};
}

/** Spawns `node bin/run.js …` and returns at once, with a handle to signal it. */
export function startCli(
  args: readonly string[],
  options: {cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number},
): StartedCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 120_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}));
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${BIN}`);
  return {child, pid: child.pid, done, output: () => ({stdout, stderr})};
}

/** Runs the CLI to its end and measures how long it took (wall clock, spawn to exit). */
export async function timedCli(
  args: readonly string[],
  options: {cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number},
): Promise<CliResult & {ms: number}> {
  const startedAt = performance.now();
  const result = await startCli(args, options).done;
  return {...result, ms: performance.now() - startedAt};
}

/** Runs `tasks` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next;
      next += 1;
      if (index >= items.length) return;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  return results;
}

/**
 * Opens a DuckDB file READ-ONLY in this process, runs `fn`, and always closes (a dropped instance
 * keeps the file lock; STACK.md). Returns rows as JSON-safe objects (BIGINT, UUID as strings).
 */
export async function withReadOnly<T>(
  dbPath: string,
  fn: (query: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(dbPath, {access_mode: 'READ_ONLY'});
  const connection = await instance.connect();
  try {
    return await fn(
      async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[],
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export function query(dbPath: string, sql: string): Promise<Record<string, unknown>[]> {
  return withReadOnly(dbPath, (run) => run(sql));
}

/** The tables of the `main` schema of an open database. */
export async function tableNames(
  run: (sql: string) => Promise<Record<string, unknown>[]>,
): Promise<string[]> {
  const rows = await run(
    "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal ORDER BY table_name",
  );
  return rows.map((row) => String(row.table_name));
}

/**
 * Every text value of every table (VARCHAR columns, and every other column cast to text), so a
 * privacy check covers columns nobody thought of.
 */
export async function allTextValues(
  dbPath: string,
): Promise<{table: string; column: string; value: string}[]> {
  return withReadOnly(dbPath, async (run) => {
    const out: {table: string; column: string; value: string}[] = [];
    for (const table of await tableNames(run)) {
      const columns = await run(
        `SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = '${table}'`,
      );
      for (const {column_name} of columns) {
        const column = String(column_name);
        const rows = await run(`SELECT DISTINCT CAST("${column}" AS VARCHAR) AS v FROM "${table}"`);
        for (const row of rows) if (row.v !== null) out.push({table, column, value: String(row.v)});
      }
    }
    return out;
  });
}

/** Every regular file under `dir`, relative, sorted; [] when `dir` does not exist. */
export async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, {withFileTypes: true, recursive: true})) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

/** Every entry (files, folders, anything) under `dir`, relative, sorted. */
export async function listEntries(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, {withFileTypes: true, recursive: true})) {
    const kind = entry.isDirectory() ? '/' : entry.isFile() ? '' : '@';
    out.push(`${path.relative(dir, path.join(entry.parentPath, entry.name))}${kind}`);
  }
  return out.sort();
}

/** Relative path → file bytes (base64), for byte-for-byte comparisons of whole folders. */
/**
 * Every file of a site folder and its bytes, but the renderer's manifest: it records the posts' sizes
 * and times to skip unchanged ones, which two equal sites need not share.
 */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const file of await listFiles(dir)) {
    if (file === MANIFEST_NAME) continue;
    files.set(file, (await readFile(path.join(dir, file))).toString('base64'));
  }
  return files;
}

/** A short description of how two snapshots differ, for failure messages (never the whole content). */
export function describeDifference(expected: Map<string, string>, actual: Map<string, string>): string {
  const missing = [...expected.keys()].filter((file) => !actual.has(file));
  const extra = [...actual.keys()].filter((file) => !expected.has(file));
  const changed = [...expected.keys()].filter(
    (file) => actual.has(file) && actual.get(file) !== expected.get(file),
  );
  if (missing.length + extra.length + changed.length === 0) return 'identical';
  const show = (list: string[]) =>
    `${list.slice(0, 5).join(', ')}${list.length > 5 ? ` (+${list.length - 5})` : ''}`;
  return `missing [${show(missing)}], extra [${show(extra)}], changed [${show(changed)}]`;
}

export {seededRandom};

/** Bytes from the seeded PRNG (for "random" damage that replays exactly). */
export function seededBytes(seed: number, length: number): Buffer {
  const random = seededRandom(seed);
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) bytes[index] = Math.floor(random() * 256);
  return bytes;
}

/**
 * Resolves once `process.lock` in `stateDir` names `pid` as its owner: the moment a `process` has
 * parsed its input, installed its signal handlers and taken the project. A stale lock of a killed
 * process does not count.
 */
export async function waitForLockOwner(stateDir: string, pid: number, timeoutMs: number): Promise<void> {
  const lock = path.join(stateDir, 'process.lock');
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const text = await readFile(lock, 'utf8').catch(() => '');
    try {
      if ((JSON.parse(text) as {pid?: unknown}).pid === pid) return;
    } catch {
      // Not written yet, or someone else's half-written lock.
    }
    if (performance.now() > deadline)
      throw new Error(`${lock} did not name PID ${pid} within ${timeoutMs} ms`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Whether the built CLI exists: the suite spawns bin/run.js, which runs dist/. */
export function assertBuilt(): void {
  const entry = path.join(REPO_ROOT, 'dist', 'commands', 'index.js');
  if (!existsSync(entry)) {
    throw new Error(
      `${entry} is missing: build first with \`npx tsc -p tsconfig.build.json\` (or \`npm test\`).`,
    );
  }
}
