import {readFileSync, statSync} from 'node:fs';
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import type {SiteManifest, SkippedPost} from '../../schemas/site.js';
import {describeSystemError} from '../util/errors.js';
import {POSTS_DIR, sha256} from './post-inputs.js';

/** What a build reads besides the posts' text: the post files' names and stamps, the chat's figures, the files on disk. */

/** Post files read between two turns of the event loop. */
const READ_BATCH = 256;

/** The folders the site's files are in ('.' is the output folder itself). */
export const SITE_FOLDERS = ['.', POSTS_DIR, 'tags', 'people', 'archive', 'search', 'assets'] as const;

export interface SourcePost {
  /** `posts/<name>.md`. */
  readonly file: string;
  /** `<name>`: the post file's name without `.md`. */
  readonly name: string;
  /** The file's text, read when first needed (an unchanged post is not read at all). */
  readonly content: string;
  /** sha256 of the text; taken from the manifest when size and modification time are unchanged. */
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export async function chatStats(
  pipelineDb: string | null,
  authors: ReadonlySet<string>,
  firstDate: string | null,
  lastDate: string | null,
  notes: string[],
) {
  if (pipelineDb === null) return null;
  try {
    const {readChatStats} = await import('./chat-stats.js');
    return await readChatStats(pipelineDb, authors, firstDate, lastDate);
  } catch (error) {
    notes.push(
      `The chat's message counts were left out: ${pipelineDb} could not be read (${error instanceof Error ? error.message : String(error)}).`,
    );
    return null;
  }
}

export function stamp(source: SourcePost): {hash: string; size: number; mtimeMs: number} {
  return {hash: source.hash, size: source.size, mtimeMs: source.mtimeMs};
}

/**
 * The post files, oldest name first. A file whose size and modification time (nanosecond clocks on
 * today's file systems) match the manifest keeps its recorded hash and is read only if a page needs
 * it: after one edit, a re-render of 10,000 posts reads one file, not 10,000 (docs/BENCHMARKS.md).
 */
export async function readSources(
  outputDir: string,
  previous: SiteManifest,
  signal: AbortSignal | undefined,
): Promise<{posts: SourcePost[]; unreadable: SkippedPost[]}> {
  const postsDir = path.join(outputDir, POSTS_DIR);
  let names: string[];
  try {
    const entries = await readdir(postsDir, {withFileTypes: true});
    names = entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort(compare);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {posts: [], unreadable: []};
    throw error;
  }
  // Synchronous calls, a batch at a time with a turn of the event loop between batches: for
  // thousands of small files, asynchronous ones are round trips through libuv's thread pool each.
  const posts: SourcePost[] = [];
  const unreadable: SkippedPost[] = [];
  for (let start = 0; start < names.length; start += READ_BATCH) {
    signal?.throwIfAborted();
    for (const name of names.slice(start, start + READ_BATCH)) {
      const file = `${POSTS_DIR}/${name}`;
      const full = path.join(postsDir, name);
      try {
        const info = statSync(full);
        const cached = previous.sources[file];
        if (cached !== undefined && cached.size === info.size && cached.mtimeMs === info.mtimeMs) {
          posts.push(lazySource(file, name, full, cached.hash, info.size, info.mtimeMs));
        } else {
          const content = readFileSync(full, 'utf8');
          posts.push({
            file,
            name: name.slice(0, -'.md'.length),
            content,
            hash: sha256(content),
            size: info.size,
            mtimeMs: info.mtimeMs,
          });
        }
      } catch (error) {
        unreadable.push({file, line: null, problem: `cannot be read: ${describeSystemError(error)}`});
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {posts, unreadable};
}

/** A post known from the manifest: its text is read on first use. */
function lazySource(
  file: string,
  fileName: string,
  full: string,
  hash: string,
  size: number,
  mtimeMs: number,
): SourcePost {
  let content: string | undefined;
  return {
    file,
    name: fileName.slice(0, -'.md'.length),
    hash,
    size,
    mtimeMs,
    get content(): string {
      content ??= readFileSync(full, 'utf8');
      return content;
    },
  };
}

/** The site's files that exist now (one readdir per folder of the site). */
export async function listSiteFiles(outputDir: string): Promise<Set<string>> {
  const present = new Set<string>();
  for (const folder of SITE_FOLDERS) {
    for (const name of await listFiles(path.join(outputDir, folder))) {
      present.add(folder === '.' ? name : `${folder}/${name}`);
    }
  }
  return present;
}

export async function listFiles(dir: string): Promise<Set<string>> {
  try {
    return new Set(
      (await readdir(dir, {withFileTypes: true}))
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name),
    );
  } catch {
    return new Set();
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
