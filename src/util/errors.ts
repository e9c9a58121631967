import {ExitCode, type ExitCodeValue} from './exit-codes.js';

export interface UserErrorOptions {
  /** The file or path the error is about, when there is one. */
  readonly path?: string;
  /** What the user can do next: one sentence, imperative. */
  readonly hint?: string;
  readonly cause?: unknown;
  /** Structured detail for `--json` error output (e.g. the candidates of an ambiguous prefix). */
  readonly details?: unknown;
  /**
   * A block egregora rendered itself (a table, with its colours), printed under the message as it
   * is; the message and hint, which may quote names from a chat, are printed with control
   * characters escaped. Not part of the `--json` error.
   */
  readonly listing?: string;
}

/**
 * An error meant for the person at the terminal: a one-line message that says what happened,
 * the file it is about, what to do next, and the deliberate exit code the CLI ends with.
 * Anything that is not a UserError reaching a command is a bug (exit 1).
 */
export class UserError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly path: string | undefined;
  readonly hint: string | undefined;
  readonly details: unknown;
  readonly listing: string | undefined;

  constructor(message: string, exitCode: ExitCodeValue, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.name = 'UserError';
    this.exitCode = exitCode;
    this.path = options.path;
    this.hint = options.hint;
    this.details = options.details;
    this.listing = options.listing;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** Node's system error codes that mean "we may not or cannot write here". */
const CANNOT_WRITE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT']);

export function isCannotWriteError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    CANNOT_WRITE_CODES.has(String((error as NodeJS.ErrnoException).code))
  );
}

/** The one-sentence reason a file-system error code stands for, for messages. */
export function describeSystemError(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'EISDIR':
      return 'it is a directory';
    case 'EEXIST':
      return 'a file, not a folder, is already there';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

export {ExitCode};
