import type {Dirent} from 'node:fs';
import {readdir, stat} from 'node:fs/promises';
import path from 'node:path';

/** The folder of an output directory that holds posts (src/writers/digest/post-path.ts). */
export const POSTS_DIRECTORY = 'posts';

/** Posts are Markdown files; anything else under posts/ (editor backups, notes) is not a post. */
export const POST_EXTENSION = '.md';

/**
 * The post files under `<outputDir>/posts/`, at any depth, as POSIX paths relative to `outputDir`
 * (the form outputs rows record), sorted. Only regular files: symbolic links are not followed, so
 * the walk stays inside the folder and cannot loop. An absent folder has no posts. Read-only.
 */
export async function listPostFiles(outputDir: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [POSTS_DIRECTORY];
  for (let relative = pending.pop(); relative !== undefined; relative = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(outputDir, relative), {withFileTypes: true});
    } catch {
      // Missing, not a folder, or unreadable: there is nothing here we could compare.
      continue;
    }
    for (const entry of entries) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) pending.push(child);
      else if (entry.isFile() && entry.name.endsWith(POST_EXTENSION)) found.push(child);
    }
  }
  return found.sort();
}

/** Whether `relativePath` under `outputDir` is a file that exists now (following links, as a reader would). */
export async function fileExists(outputDir: string, relativePath: string): Promise<boolean> {
  try {
    return (await stat(path.join(outputDir, relativePath))).isFile();
  } catch {
    return false;
  }
}

/** Whether a directory exists (to tell "this output folder is gone" from "these files are gone"). */
export async function directoryExists(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
