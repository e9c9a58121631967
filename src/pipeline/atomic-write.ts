import {randomBytes} from 'node:crypto';
import {renameSync, rmSync, writeFileSync} from 'node:fs';
import {mkdir, open, readdir, rename, rm} from 'node:fs/promises';
import path from 'node:path';

/**
 * Temporary files are named with this prefix so that a run killed between write and rename leaves
 * only files we can recognise and sweep on the next start, never a half-written post.
 */
export const TEMP_PREFIX = '.egregora-tmp-';

/**
 * Folders this process already made: a run writes thousands of files into the same two folders,
 * and a `mkdir` per file was measurable (docs/BENCHMARKS.md). A folder removed behind our back makes
 * the write fail with ENOENT, and the window fails and is redone on the next run.
 */
const madeFolders = new Set<string>();

export interface AtomicWriteOptions {
  /**
   * fsync the data before the rename (default). The pipeline turns it off and syncs a whole batch of
   * files at once before recording them (`syncFiles`): the same guarantee at commit time, without a
   * disk flush on the path of every window (docs/BENCHMARKS.md).
   *
   * Without the flush, a small file (up to `NOW_WRITE_MAX_BYTES`) is written and renamed with
   * synchronous calls (see there).
   */
  readonly sync?: boolean;
}

/**
 * Unflushed files up to this size are written and renamed with synchronous calls. A post is a few KB
 * that reach the page cache in microseconds, while each of the four asynchronous calls this replaces
 * (open, write, close, rename) is a round trip through libuv's thread pool and back to the event
 * loop: `process` of 1,000,000 messages took 24.4 / 29.2 s before and 21.0 / 26.7 s after
 * (alternating, docs/BENCHMARKS.md). Larger files, photos and videos mostly, stay asynchronous: a
 * copy of many megabytes would hold up the event loop, the progress view and the other windows.
 */
export const NOW_WRITE_MAX_BYTES = 256 * 1024;

/** Bytes `content` takes at most in UTF-8 (a UTF-16 code unit never takes more than three). */
function maxBytes(content: string | Uint8Array): number {
  return typeof content === 'string' ? content.length * 3 : content.byteLength;
}

/**
 * Writes a file so that readers only ever see the old bytes or the new ones: write a temporary file
 * in the same directory, then rename it over the target (atomic on POSIX file systems), so a kill at
 * any moment leaves either the previous file or the complete new one.
 */
export async function writeFileAtomic(
  target: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(target);
  if (!madeFolders.has(dir)) {
    await mkdir(dir, {recursive: true});
    madeFolders.add(dir);
  }
  const flush = options.sync ?? true;
  if (!flush && maxBytes(content) <= NOW_WRITE_MAX_BYTES) {
    replaceFileSync(target, content);
    return;
  }
  const temp = temporaryBeside(target);
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(content);
    if (flush) await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, {force: true});
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, {force: true});
    throw error;
  }
}

/** A temporary name in the target's folder (a rename within one folder is atomic), swept by TEMP_PREFIX. */
function temporaryBeside(target: string): string {
  return path.join(path.dirname(target), `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
}

/**
 * A small unflushed write (see `NOW_WRITE_MAX_BYTES`; the site's pages): the same temporary file and
 * rename, with synchronous calls. The target's folder must exist.
 */
export function replaceFileSync(target: string, content: string | Uint8Array): void {
  const temp = temporaryBeside(target);
  try {
    writeFileSync(temp, content, {mode: 0o644});
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, {force: true});
    throw error;
  }
}

/**
 * Flushes files already written (and renamed) to disk, a few at a time: the file system batches
 * concurrent flushes into fewer journal commits. A file removed meanwhile is skipped.
 */
export async function syncFiles(files: readonly string[]): Promise<void> {
  const SYNC_CONCURRENCY = 4; // libuv's default thread pool size: more would only queue.
  for (let start = 0; start < files.length; start += SYNC_CONCURRENCY) {
    await Promise.all(
      files.slice(start, start + SYNC_CONCURRENCY).map(async (file) => {
        let handle: Awaited<ReturnType<typeof open>>;
        try {
          handle = await open(file, 'r');
        } catch {
          return;
        }
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }),
    );
  }
}

/** Removes temporary files a killed run left in `dir` and its sub-folders; returns how many. */
export async function sweepTempFiles(dir: string): Promise<number> {
  let removed = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, {withFileTypes: true});
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) removed += await sweepTempFiles(full);
    else if (entry.name.startsWith(TEMP_PREFIX)) {
      await rm(full, {force: true});
      removed += 1;
    }
  }
  return removed;
}
