import {createHash} from 'node:crypto';
import {rm} from 'node:fs/promises';
import path from 'node:path';
import {type WriterOutput, WriterOutputSchema} from '../../schemas/post.js';
import type {Window} from '../../schemas/window.js';
import type {OutputRow} from '../db/pipeline-store.js';
import {writeFileAtomic} from './atomic-write.js';

export interface WrittenOutputs {
  readonly rows: OutputRow[];
  /** Absolute paths written, to be flushed to disk before they are recorded. */
  readonly files: string[];
  readonly posts: number;
  readonly media: number;
}

/** The hash outputs are recorded with (of a string: of its UTF-8 bytes, as the file holds them). */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Checks a writer's output against its contract before anything touches the disk, so a writer bug
 * (a path climbing out of the site, a missing field) fails its window instead of writing garbage.
 */
export function validateWriterOutput(output: unknown): WriterOutput {
  return WriterOutputSchema.parse(output);
}

/**
 * Writes one window's files into the site: media first (content-addressed, so a rewrite is the same
 * bytes), then posts, each atomically. If any write fails, the posts this call already wrote are
 * removed again, so a failed window leaves no post behind; shared media files stay (other windows
 * may link them, and their content is correct by construction).
 */
export async function writeWindowOutputs(
  outputDir: string,
  window: Window,
  runId: string,
  output: WriterOutput,
): Promise<WrittenOutputs> {
  const rows: OutputRow[] = [];
  const files: string[] = [];
  const writtenPosts: string[] = [];
  const base = {
    runId,
    windowIndex: window.index,
    partIndex: window.part?.index ?? null,
    windowFingerprint: window.fingerprint,
    outputDir,
  };
  try {
    for (const media of output.media) {
      const target = path.join(outputDir, media.relativePath);
      await writeFileAtomic(target, media.bytes, {sync: false});
      files.push(target);
      rows.push({...base, kind: 'media', path: media.relativePath, contentSha256: sha256Hex(media.bytes)});
    }
    for (const post of output.posts) {
      const target = path.join(outputDir, post.relativePath);
      await writeFileAtomic(target, post.content, {sync: false});
      writtenPosts.push(target);
      files.push(target);
      rows.push({...base, kind: 'post', path: post.relativePath, contentSha256: sha256Hex(post.content)});
    }
  } catch (error) {
    await Promise.all(writtenPosts.map((file) => rm(file, {force: true})));
    throw error;
  }
  return {rows, files, posts: output.posts.length, media: output.media.length};
}
