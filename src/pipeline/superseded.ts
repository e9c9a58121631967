import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import type {RecordedPost} from '../db/pipeline-store.js';
import {sha256Hex} from './outputs.js';

/**
 * Posts an earlier run wrote for a window whose post is now another file. A chat exported again
 * with more messages changes its last window, and so that window's post (its title and path follow
 * its topics); a new window size or an LLM reply with another title does the same. Left in place,
 * the old file sits beside the new one and the blog shows the window twice.
 */
export interface SupersedeInput {
  readonly outputDir: string;
  /** Every post recorded in the output folder (this run's included). */
  readonly recorded: readonly RecordedPost[];
  /** For each window whose post is now in place (written by this run or reused): the paths that are its posts. */
  readonly current: ReadonlyMap<number, ReadonlySet<string>>;
  /**
   * When every window of the chat has its post in place: the number of windows, so that posts of
   * windows that no longer exist (the windows got larger, the chat shorter) go too. Null otherwise.
   */
  readonly windowCount: number | null;
}

export interface SupersedeResult {
  /** Removed, relative to the output folder. */
  readonly removed: string[];
  /** Superseded but changed since they were written (by a person, not by egregora): left in place. */
  readonly keptEdited: string[];
}

/**
 * Removes superseded posts, but only a file whose bytes are still the bytes some run recorded for
 * it: a post someone edited is theirs, and is kept (and reported). A file already gone is skipped.
 */
export async function removeSupersededPosts(input: SupersedeInput): Promise<SupersedeResult> {
  const keep = new Set<string>();
  for (const paths of input.current.values()) for (const file of paths) keep.add(file);
  const recordedHashes = new Map<string, Set<string>>();
  const candidates = new Set<string>();
  for (const post of input.recorded) {
    const hashes = recordedHashes.get(post.path) ?? new Set<string>();
    hashes.add(post.contentSha256);
    recordedHashes.set(post.path, hashes);
    if (keep.has(post.path)) continue;
    const windowGone = input.windowCount !== null && post.windowIndex >= input.windowCount;
    if (input.current.has(post.windowIndex) || windowGone) candidates.add(post.path);
  }
  const removed: string[] = [];
  const keptEdited: string[] = [];
  for (const relative of [...candidates].sort()) {
    const file = path.join(input.outputDir, relative);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      continue;
    }
    if (recordedHashes.get(relative)?.has(sha256Hex(bytes))) {
      await rm(file, {force: true});
      removed.push(relative);
    } else keptEdited.push(relative);
  }
  return {removed, keptEdited};
}
