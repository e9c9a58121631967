import {readFileSync} from 'node:fs';
import path from 'node:path';
import {ExitCode, UserError} from '../util/errors.js';
import {PIPELINE_DB_FILE, RUNS_DB_FILE} from '../util/paths.js';

/**
 * What a DuckDB error means for us. DuckDB reports everything as `Error` with a message prefixed by
 * its error class (`IO Error: …`), so the message text is the only thing to go on; the patterns
 * below were taken from DuckDB 1.5.5's real messages (see test/db/session.test.ts).
 */
export type DuckDBErrorKind =
  | {readonly kind: 'lock-conflict'; readonly pid: number | null; readonly holder: string | null}
  | {readonly kind: 'not-a-database'; readonly newerDuckDB: boolean}
  | {readonly kind: 'cannot-access'; readonly reason: string}
  | {readonly kind: 'missing'}
  | {readonly kind: 'other'};

const LOCK_CONFLICT = /Could not set lock on file[\s\S]*?Conflicting lock is held in (.*?) \(PID (\d+)\)/;
const LOCK_CONFLICT_NO_PID = /Could not set lock on file|Conflicting lock is held/;
const MISSING_READ_ONLY = /database does not exist/;
const NEWER_DUCKDB = /created with a newer version of DuckDB|but we can only read version/i;
/** Not DuckDB at all, a damaged block (checksum), or a truncated file (a short read). */
const NOT_A_DATABASE =
  /not a valid DuckDB database file|Corrupt(ed)? database|database file .* corrupt|checksum|Failed to read database header|The file is not a DuckDB|Could not read enough bytes from file/i;

/** Operating-system failures DuckDB passes through in its messages, with the sentence we show for each. */
const ACCESS_REASONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/Read-only file system/i, 'the file system is read-only'],
  [/Permission denied|Operation not permitted|attempt to write a readonly database/i, 'permission denied'],
  [/No space left on device|Disk quota exceeded/i, 'the disk is full'],
  [/Is a directory/i, 'the path is a directory, not a file'],
  [/Not a directory/i, 'a part of the path is not a directory'],
  [/No such file or directory/i, 'its directory does not exist'],
];

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function classifyDuckDBError(error: unknown): DuckDBErrorKind {
  const message = errorMessage(error);
  const lock = LOCK_CONFLICT.exec(message);
  if (lock) return {kind: 'lock-conflict', holder: lock[1] ?? null, pid: Number(lock[2])};
  if (LOCK_CONFLICT_NO_PID.test(message)) return {kind: 'lock-conflict', holder: null, pid: null};
  if (MISSING_READ_ONLY.test(message)) return {kind: 'missing'};
  if (NEWER_DUCKDB.test(message)) return {kind: 'not-a-database', newerDuckDB: true};
  if (NOT_A_DATABASE.test(message)) return {kind: 'not-a-database', newerDuckDB: false};
  for (const [pattern, reason] of ACCESS_REASONS) {
    if (pattern.test(message)) return {kind: 'cannot-access', reason};
  }
  return {kind: 'other'};
}

/** A command line is shown to help the user find the process; longer ones are cut at this length. */
const MAX_COMMAND_LINE_CHARS = 200;

/**
 * The command line of a process from /proc (Linux), so a "busy" message can say *which* program holds
 * the file, not just a PID. Null where /proc is absent or the process is gone or not ours to read.
 */
export function processCommandLine(pid: number): string | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const text = raw.split('\0').filter(Boolean).join(' ').trim();
    if (text === '') return null;
    return text.length > MAX_COMMAND_LINE_CHARS ? `${text.slice(0, MAX_COMMAND_LINE_CHARS - 1)}…` : text;
  } catch {
    return null;
  }
}

export interface StoreBusyDetails {
  readonly pid: number | null;
  /** The holder's executable as DuckDB reports it, e.g. `/usr/bin/node`. */
  readonly holder: string | null;
  readonly waitedMs: number;
}

/** Another process kept the database locked for longer than we are willing to wait. */
export class StoreBusyError extends UserError {
  readonly pid: number | null;
  readonly commandLine: string | null;

  constructor(dbPath: string, details: StoreBusyDetails, cause?: unknown) {
    const commandLine = details.pid === null ? null : processCommandLine(details.pid);
    const who =
      details.pid === null
        ? 'another process'
        : `process ${details.pid}${commandLine ? ` (${commandLine})` : details.holder ? ` (${details.holder})` : ''}`;
    super(
      `${dbPath} is locked by ${who}; gave up after waiting ${(details.waitedMs / 1000).toFixed(1)} s.`,
      ExitCode.storeBusy,
      {
        path: dbPath,
        hint:
          details.pid === null
            ? 'Wait for the other egregora or DuckDB process using this file to finish, then try again.'
            : `Wait for process ${details.pid} to finish (or stop it), then try again.`,
        cause,
      },
    );
    this.name = 'StoreBusyError';
    this.pid = details.pid;
    this.commandLine = commandLine;
  }
}

const MOVE_ASIDE_HINT = (dbPath: string): string =>
  `Move it aside (for example: mv "${dbPath}" "${dbPath}.damaged") and run egregora again to start a new store; keep the old file if you want to inspect it.`;

/** The file exists but is not a database egregora can use. egregora never repairs or replaces it. */
export class StoreDamagedError extends UserError {
  constructor(message: string, dbPath: string, options: {hint?: string; cause?: unknown} = {}) {
    super(message, ExitCode.storeDamaged, {
      path: dbPath,
      hint: options.hint ?? MOVE_ASIDE_HINT(dbPath),
      cause: options.cause,
    });
    this.name = 'StoreDamagedError';
  }

  static notADatabase(dbPath: string, cause?: unknown, newerDuckDB = false): StoreDamagedError {
    return newerDuckDB
      ? new StoreDamagedError(
          `${dbPath} was written by a newer version of DuckDB than this egregora includes; egregora did not change it.`,
          dbPath,
          {hint: 'Upgrade egregora, or use another --dir.', cause},
        )
      : new StoreDamagedError(
          `${dbPath} is not a DuckDB database or is damaged; egregora did not change it.`,
          dbPath,
          {cause},
        );
  }
}

/** The store's schema version is newer than this code knows: written by a newer egregora. */
export class StoreNewerSchemaError extends StoreDamagedError {
  readonly foundVersion: number;
  readonly knownVersion: number;

  constructor(dbPath: string, foundVersion: number, knownVersion: number, cause?: unknown) {
    super(
      `${dbPath} was written by a newer egregora (schema version ${foundVersion}; this egregora knows up to ${knownVersion}); egregora did not change it.`,
      dbPath,
      {hint: 'Upgrade egregora to record runs in this directory, or use another --dir.', cause},
    );
    this.name = 'StoreNewerSchemaError';
    this.foundVersion = foundVersion;
    this.knownVersion = knownVersion;
  }
}

/**
 * What a store is for, to name it in a message: the session layer opens every DuckDB file the same
 * way, so the role comes from the file's name (`resolveStatePaths` gives both).
 */
export function storeRole(dbPath: string): string {
  switch (path.basename(dbPath)) {
    case RUNS_DB_FILE:
      return 'the runs store';
    case PIPELINE_DB_FILE:
      return 'the pipeline store';
    default:
      return 'the database';
  }
}

/** The operating system refused: permissions, read-only file system, disk full, a path that is not a file. */
export class StoreAccessError extends UserError {
  readonly reason: string;

  constructor(dbPath: string, access: 'read' | 'write', reason: string, cause?: unknown) {
    super(
      `Cannot ${access === 'read' ? 'read' : 'write'} ${storeRole(dbPath)} ${dbPath}: ${reason}.`,
      ExitCode.cannotWrite,
      {
        path: dbPath,
        hint:
          access === 'read'
            ? 'Check that the file is readable by you.'
            : 'Check the permissions and free space of that directory, or use another --dir.',
        cause,
      },
    );
    this.name = 'StoreAccessError';
    this.reason = reason;
  }
}

/**
 * A read session was asked for a file that does not exist. Not a UserError: readers must check for
 * the file first (DuckDB would throw on a read-only open), so reaching a command with this is a bug.
 */
export class StoreMissingError extends Error {
  readonly dbPath: string;

  constructor(dbPath: string) {
    super(`${dbPath} does not exist`);
    this.name = 'StoreMissingError';
    this.dbPath = dbPath;
  }
}

/**
 * Maps an error DuckDB raised while opening or using a file to our typed errors. Lock conflicts are
 * not mapped here (the session layer retries them and builds StoreBusyError with the time waited);
 * unknown errors pass through unchanged so that bugs keep their own message.
 */
export function toStoreError(error: unknown, dbPath: string, access: 'read' | 'write'): unknown {
  // Already typed (e.g. a newer schema refused inside a session): its message is not DuckDB's.
  if (error instanceof UserError || error instanceof StoreMissingError) return error;
  const kind = classifyDuckDBError(error);
  switch (kind.kind) {
    case 'not-a-database':
      return StoreDamagedError.notADatabase(dbPath, error, kind.newerDuckDB);
    case 'cannot-access':
      return new StoreAccessError(dbPath, access, kind.reason, error);
    case 'missing':
      return new StoreMissingError(dbPath);
    default:
      return error;
  }
}

/** Whether an error means "the store cannot be used right now or at all", as opposed to a bug. */
export function isStoreError(error: unknown): boolean {
  return (
    error instanceof StoreBusyError ||
    error instanceof StoreDamagedError ||
    error instanceof StoreAccessError ||
    error instanceof StoreMissingError
  );
}
