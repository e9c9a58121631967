/**
 * Every exit code egregora uses, in one place, so that scripts can rely on them and the README
 * and docs/ERRORS.md can list them. Codes are grouped: 3-6 the runs store, 7-10 the input,
 * 11-12 processing results and the machine, 13-15 the project, checks and the LLM server, 130 a signal.
 */
export const ExitCode = {
  ok: 0,
  /** A bug or an error nobody anticipated; the message says where to report it. */
  unexpected: 1,
  /** A flag or argument out of range or malformed (oclif's own code for usage errors). */
  usage: 2,
  /** `runs show`: no run id starts with the given prefix. */
  runNotFound: 3,
  /** `runs show`: several run ids start with the given prefix. */
  runAmbiguous: 4,
  /** A database stayed locked by another process for longer than we wait. */
  storeBusy: 5,
  /** A database file exists but cannot be read as a DuckDB database (damaged, not DuckDB, newer schema). */
  storeDamaged: 6,
  /** The input path does not exist or cannot be read. */
  inputNotFound: 7,
  /** The input is not a readable zip or chat (not a zip, truncated, damaged, binary, wrong encoding). */
  inputInvalid: 8,
  /** The input was refused for safety: limits, zip bomb, encrypted entries, paths that climb out. */
  inputUnsafe: 9,
  /** No chat could be found or read: no chat file, several chats without --chat, no known layout. */
  chatNotFound: 10,
  /** `process` finished but at least one window failed. */
  windowsFailed: 11,
  /** Cannot write output or state: permissions, read-only file system, disk full. */
  cannotWrite: 12,
  /** Another egregora process holds this project's state directory. */
  projectBusy: 13,
  /** `doctor`: at least one required quality gate failed. */
  checksFailed: 14,
  /**
   * The LLM writer cannot work at all: the server refused the API key (401/403), does not have the
   * model, or cannot be reached. Every other window would fail the same way, so `process` stops.
   */
  llmUnavailable: 15,
  /** Stopped by Ctrl-C or SIGTERM; everything finished before the signal is kept. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
