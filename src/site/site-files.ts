import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {replaceFileSync} from '../pipeline/atomic-write.js';
import {describeSystemError, ExitCode, isCannotWriteError, UserError} from '../util/errors.js';

/**
 * Writes one file of the site, with synchronous calls: a site is thousands of small files, and each
 * asynchronous call would be a round trip through libuv's thread pool (docs/BENCHMARKS.md). Returns
 * false when the file already held these bytes and was left alone.
 *
 * `atomic`: for a file that exists or that the last manifest lists. A file that already holds the
 * bytes is not touched; otherwise a temporary file is renamed over it, so that a reader sees the
 * old file or the new one. Reading first is cheap beside what it saves: on ext4 a rename over an
 * existing file makes the kernel write the new file out before the rename (`auto_da_alloc`), ~2 ms
 * a page, and a build without its manifest would do that for all 10,000 post pages
 * (docs/BENCHMARKS.md). Otherwise the file is created in place (exclusively), which saves a rename
 * per page on a first build: a build killed mid-write can leave it short, but no manifest lists it
 * then, so the next build writes it again (atomically).
 */
export function writeSiteFile(target: string, content: string, atomic: boolean): boolean {
  const folder = path.dirname(target);
  if (!madeFolders.has(folder)) {
    mkdirSync(folder, {recursive: true});
    madeFolders.add(folder);
  }
  const bytes = Buffer.from(content, 'utf8');
  if (!atomic) {
    try {
      writeFileSync(target, bytes, {flag: 'wx', mode: 0o644});
      return true;
    } catch (error) {
      // Created meanwhile (by a user or another build): replace it the atomic way.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (holds(target, bytes)) return false;
  replaceFileSync(target, bytes);
  return true;
}

/** Whether the file exists and holds exactly these bytes. */
function holds(target: string, bytes: Buffer): boolean {
  try {
    if (statSync(target).size !== bytes.length) return false;
    return readFileSync(target).equals(bytes);
  } catch {
    return false;
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
