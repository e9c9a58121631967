import {type ChildProcess, spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {DuckDBValue, Json} from '@duckdb/node-api';
import {afterAll, afterEach} from 'vitest';
import {withReadSession, withWriteSession} from '../../src/db/session.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(REPO_ROOT, 'test/runs/fixtures');

const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A fresh temp directory, removed after the test (children spawned by the test are killed first). */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'egregora-runs-test-'));
  cleanups.push(() => rmSync(dir, {recursive: true, force: true}));
  return dir;
}

const suiteCleanups: Array<() => void> = [];

afterAll(() => {
  for (const cleanup of suiteCleanups.splice(0)) cleanup();
});

/** A temp directory that lives until the test file is done (for stores seeded once in beforeAll). */
export function suiteTempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'egregora-runs-suite-'));
  suiteCleanups.push(() => rmSync(dir, {recursive: true, force: true}));
  return dir;
}

/** `<temp>/.egregora/runs.duckdb`, its directory created, the file not. */
export function tempDbPath(): string {
  const stateDir = path.join(tempDir(), '.egregora');
  mkdirSync(stateDir);
  return path.join(stateDir, 'runs.duckdb');
}

/** Reads with the real session layer (read-only), so a test never holds a second instance of the file. */
export async function query(
  dbPath: string,
  sql: string,
  params: DuckDBValue[] = [],
): Promise<Record<string, Json>[]> {
  return withReadSession(dbPath, async (connection) => {
    const reader = await connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson();
  });
}

/** Writes as "another writer" would: raw SQL in one write session. */
export async function execute(dbPath: string, ...statements: string[]): Promise<void> {
  await withWriteSession(dbPath, async (connection) => {
    for (const statement of statements) await connection.run(statement);
  });
}

/** Whether chmod can stop us: root writes through any permission bits. */
export const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the first stdout line that satisfies `predicate`. */
  line(predicate?: (line: string) => boolean): Promise<string>;
  readonly exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

/** Spawns a fixture script with `node --import tsx`, killed (SIGKILL) after the test if still alive. */
export function spawnFixture(script: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(FIXTURES, script), ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<{predicate: (line: string) => boolean; resolve: (line: string) => void}> = [];
  const seen: string[] = [];
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    const lines = out.split('\n').slice(0, -1);
    for (const line of lines.slice(seen.length)) {
      seen.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    process: child,
    exited,
    stdout: () => out,
    stderr: () => err,
    line(predicate = () => true) {
      const already = seen.find(predicate);
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        waiters.push({predicate, resolve});
        void exited.then((code) =>
          reject(
            new Error(
              `fixture ${script} exited (${code}) before printing the line.\nstdout: ${out}\nstderr: ${err}`,
            ),
          ),
        );
      });
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
