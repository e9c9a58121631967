import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import MiniSearch from 'minisearch';

/**
 * The search index is cut into shards by a hash of each post's file name, so that one changed post
 * rebuilds one shard (a few hundred posts), not the index of the whole chat. The browser loads every
 * shard and merges their results. About this many posts go in a shard; the count is a power of two
 * so that it changes rarely (a change renders every shard once).
 */
export const POSTS_PER_SHARD = 400;
const MAX_SHARDS = 256;

export const SEARCH_FIELDS = ['title', 'tags', 'authors', 'summary', 'text'] as const;
export const STORED_FIELDS = ['title', 'date', 'url', 'summary'] as const;

export interface SearchDocument {
  readonly id: number;
  readonly title: string;
  readonly tags: string;
  readonly authors: string;
  readonly summary: string;
  readonly text: string;
  readonly date: string;
  /** Relative to the site root (where search.html is). */
  readonly url: string;
}

export function shardCount(posts: number): number {
  let count = 1;
  while (count * POSTS_PER_SHARD < posts && count < MAX_SHARDS) count *= 2;
  return count;
}

/** FNV-1a over the UTF-16 code units: stable, fast, and spreads similar file names. */
export function shardOf(file: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < file.length; index += 1) {
    hash ^= file.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

export function shardFileName(shard: number): string {
  return `search/index-${String(shard).padStart(3, '0')}.js`;
}

const SHARD_OPTIONS = {fields: [...SEARCH_FIELDS], storeFields: [...STORED_FIELDS]};

/** An empty shard index: documents are added in the order of their ids. */
export function createShardIndex(): MiniSearch<SearchDocument> {
  return new MiniSearch<SearchDocument>(SHARD_OPTIONS);
}

/** One shard as a script: it pushes a serialized MiniSearch index (made by MiniSearch itself). */
export function serializeShard(index: MiniSearch<SearchDocument>): string {
  return `(window.egregoraSearch = window.egregoraSearch || []).push(${JSON.stringify({options: SHARD_OPTIONS, index: index.toJSON()})});\n`;
}

/** MiniSearch's browser (UMD) build, copied from the installed package as `assets/minisearch.js`. */
export function minisearchBrowserBuild(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('minisearch');
  const source = readFileSync(path.join(path.dirname(main), '..', 'umd', 'index.js'), 'utf8');
  // The source map is not copied: a reference to it would be a request for a file that is not there.
  return source.replace(/^\/\/# sourceMappingURL=.*$/m, '');
}
