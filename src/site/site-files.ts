import {randomBytes} from 'node:crypto';
import {mkdirSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {TEMP_PREFIX} from '../pipeline/atomic-write.js';
import {describeSystemError, ExitCode, isCannotWriteError, UserError} from '../util/errors.js';

/**
 * Writes one file of the site, with synchronous calls: a site is thousands of small files, and each
 * asynchronous call would be a round trip through libuv's thread pool (docs/BENCHMARKS.md).
 *
 * `atomic`: a temporary file renamed over the target, so a reader sees the old file or the new one;
 * for a file that exists or that the last manifest lists. Otherwise the file is created in place
 * (exclusively), which saves a rename per page on a first build: a build killed mid-write can leave
 * it short, but no manifest lists it then, so the next build writes it again (atomically).
 */
export function writeSiteFile(target: string, content: string, atomic: boolean): void {
  const folder = path.dirname(target);
  if (!madeFolders.has(folder)) {
    mkdirSync(folder, {recursive: true});
    madeFolders.add(folder);
  }
  if (!atomic) {
    try {
      writeFileSync(target, content, {flag: 'wx', mode: 0o644});
      return;
    } catch (error) {
      // Created meanwhile (by a user or another build): replace it the atomic way.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const temp = path.join(folder, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    writeFileSync(temp, content, {mode: 0o644});
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, {force: true});
    throw error;
  }
}

/**
 * Folders this thread made or found, so that thousands of pages do not mkdir each. A folder removed
 * behind a long-lived process's back makes a write fail with ENOENT: `forgetFolders` at the start
 * of each build.
 */
const madeFolders = new Set<string>();

export function forgetFolders(): void {
  madeFolders.clear();
}

/** Only files under these names are ever removed as stale: a damaged manifest cannot reach posts or media. */
export function isSiteFile(file: string): boolean {
  if (file.includes('..') || file.includes('\\')) return false;
  return (
    /^[^/]+\.(html|xml)$/.test(file) ||
    /^(posts|tags|people|archive)\/[^/]+\.html$/.test(file) ||
    /^(search|assets)\/[^/]+\.(js|css|svg)$/.test(file)
  );
}

/** A failure to write the site, as the user's problem it is (disk full, read-only, no permission). */
export function cannotWrite(error: unknown, outputDir: string): unknown {
  if (!isCannotWriteError(error)) return error;
  return new UserError(
    `Cannot write the site into ${outputDir}: ${describeSystemError(error)}`,
    ExitCode.cannotWrite,
    {
      path: outputDir,
      hint: 'Check the folder is writable and the disk has space, or pass another folder with --output.',
      cause: error,
    },
  );
}
