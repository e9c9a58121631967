import {randomBytes} from 'node:crypto';
import {chmod, mkdir, open, readFile, rename, rm} from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import {describeSystemError, isCannotWriteError, UserError} from '../util/errors.js';
import {ExitCode} from '../util/exit-codes.js';

export const SECRET_FILE = 'secret.key';
export const AUTHOR_MAP_FILE = 'author-map.json';
/** 256 bits: the HMAC key's full strength; names cannot be guessed back without it. */
const SECRET_BYTES = 32;
/** Only the owner may read the secret and the map of real names. */
const PRIVATE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

/** `author-map.json`: pseudonym → the name as first printed. It never leaves the state directory. */
export const AuthorMapFileSchema = z
  .object({
    version: z.literal(1),
    authors: z.record(z.string(), z.string()),
  })
  .strict();
export type AuthorMapFile = z.infer<typeof AuthorMapFileSchema>;

function cannotWrite(file: string, error: unknown): UserError {
  return new UserError(`Cannot write "${file}": ${describeSystemError(error)}.`, ExitCode.cannotWrite, {
    path: file,
    cause: error,
  });
}

/**
 * The project's anonymization secret, created on first use with mode 0600 (`wx`: two processes
 * racing to create it both end up reading the one that won).
 */
export async function readOrCreateSecret(stateDir: string): Promise<Buffer> {
  const file = path.join(stateDir, SECRET_FILE);
  const existing = await readSecret(file);
  if (existing) return existing;
  try {
    await mkdir(stateDir, {recursive: true, mode: PRIVATE_DIR_MODE});
    const handle = await open(file, 'wx', PRIVATE_MODE);
    try {
      await handle.writeFile(`${randomBytes(SECRET_BYTES).toString('hex')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      if (isCannotWriteError(error)) throw cannotWrite(file, error);
      throw error;
    }
  }
  const created = await readSecret(file);
  if (!created) throw new UserError(`"${file}" is not a valid secret.`, ExitCode.inputInvalid, {path: file});
  return created;
}

async function readSecret(file: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(`Cannot read "${file}": ${describeSystemError(error)}.`, ExitCode.inputNotFound, {
      path: file,
      cause: error,
    });
  }
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    // Never echo the file's content: it is (or was meant to be) the secret.
    throw new UserError(`"${file}" is not a valid secret (expected 64 hex digits).`, ExitCode.inputInvalid, {
      path: file,
      hint: 'Restore it from a backup; deleting it changes every pseudonym of this project.',
    });
  }
  await chmod(file, PRIVATE_MODE).catch(() => undefined);
  return Buffer.from(hex, 'hex');
}

/** The pseudonyms given so far (empty when the file does not exist yet). */
export async function readAuthorMap(stateDir: string): Promise<Record<string, string>> {
  const file = path.join(stateDir, AUTHOR_MAP_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UserError(`Cannot read "${file}": ${describeSystemError(error)}.`, ExitCode.inputNotFound, {
      path: file,
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const result = AuthorMapFileSchema.safeParse(parsed);
  if (!result.success) {
    throw new UserError(`"${file}" is damaged: it is not an egregora author map.`, ExitCode.inputInvalid, {
      path: file,
      hint: 'Restore it from a backup, or delete it to give everyone new pseudonyms.',
    });
  }
  return result.data.authors;
}

/** Writes the map atomically (temp file in the same folder, then rename), readable by the owner only. */
export async function writeAuthorMap(stateDir: string, authors: Record<string, string>): Promise<void> {
  const file = path.join(stateDir, AUTHOR_MAP_FILE);
  const content: AuthorMapFile = {version: 1, authors};
  const temp = path.join(
    stateDir,
    `.${AUTHOR_MAP_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await mkdir(stateDir, {recursive: true, mode: PRIVATE_DIR_MODE});
    const handle = await open(temp, 'wx', PRIVATE_MODE);
    try {
      await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, {force: true});
    if (isCannotWriteError(error)) throw cannotWrite(file, error);
    throw error;
  }
}
