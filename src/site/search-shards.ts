import {readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads';
import {type CachedSearchDocument, type SearchTextCache, SearchTextCacheSchema} from '../../schemas/site.js';
import {createShardIndex, type SearchDocument, serializeShard, shardFileName} from './search-index.js';
import {writeSiteFile} from './site-files.js';

/**
 * The search shards of a build, indexed as the posts are rendered: on a worker thread when there
 * are many posts to index (MiniSearch took ~2.6 s of CPU for 10,000 posts, as much as markdown-it;
 * on another core the two overlap, docs/BENCHMARKS.md), on the calling thread otherwise. Either way
 * each shard gets its documents in the order they are added, so the bytes are the same.
 */
export interface ShardBuilder {
  /** Adds a post to its shard: `document.id` is its place among the shard's posts, in order. */
  add(shard: number, document: SearchDocument, source: PostText): void;
  /**
   * A shard has all its documents: write it now, and free its index. Given one shard after the
   * other, the index of only one shard is alive at a time: indexing 32 shards at once took ~60 %
   * more CPU than one after the other (cache misses, GC; docs/BENCHMARKS.md).
   */
  seal(output: ShardOutput): void;
  /**
   * Writes every other shard that was given documents, and its text cache; resolves, once all are
   * on disk, to the number of shards (sealed ones included) whose bytes changed.
   */
  finish(outputs: readonly ShardOutput[]): Promise<number>;
  /** Stops the worker (after a failure); the shards are not written. */
  abort(): Promise<void>;
}

/** What a post's text was made from: kept in the shard's text cache beside the text. */
export interface PostText {
  readonly file: string;
  readonly hash: string;
}

export interface ShardOutput {
  readonly shard: number;
  /** Absolute path of the shard's script. */
  readonly target: string;
  /** Replace it atomically (it exists, or an earlier manifest knows it); else create it in place. */
  readonly atomic: boolean;
}

/**
 * Below this many documents to index, the worker's start (~50 ms to load and compile its modules)
 * costs more than it saves: one edited post re-indexes a single shard of a few hundred posts.
 */
export const SEARCH_WORKER_MIN_DOCUMENTS = 1_000;
/** Documents sent to the worker per message: few messages, and the worker is never idle for long. */
const BATCH = 128;
/**
 * The worker makes many short-lived objects (MiniSearch's term maps): a larger young generation than
 * Node's default (16 MB) should mean fewer scavenges for it (not measured apart from the rest).
 */
const WORKER_YOUNG_GENERATION_MB = 64;

/**
 * Where each shard's posts' search texts are kept between builds (in the output folder, hidden:
 * `site serve` never serves a dot folder): a post edited alone re-indexes its shard from its
 * neighbours' texts, without reading and rendering the few hundred other posts again.
 */
export const SEARCH_TEXT_DIR = '.egregora-site-text';

export function textCachePath(outputDir: string, shard: number): string {
  return path.join(outputDir, SEARCH_TEXT_DIR, `${path.posix.basename(shardFileName(shard), '.js')}.json`);
}

/**
 * The texts of a shard's posts from the last build that wrote it, by post file; an empty map when
 * the cache is missing, damaged, or made by another version of the renderer.
 */
export async function readTextCache(
  outputDir: string,
  shard: number,
  formatVersion: number,
): Promise<Map<string, CachedPost>> {
  try {
    const parsed = SearchTextCacheSchema.safeParse(
      JSON.parse(await readFile(textCachePath(outputDir, shard), 'utf8')),
    );
    if (!parsed.success || parsed.data.format !== formatVersion) return new Map();
    return new Map(Object.entries(parsed.data.posts));
  } catch {
    return new Map();
  }
}

/** A post's search document from the text cache, and the hash of the post file it was made from. */
export interface CachedPost {
  readonly hash: string;
  readonly document: CachedSearchDocument;
}

export function createShardBuilder(options: {
  readonly outputDir: string;
  readonly formatVersion: number;
  /** Documents that will be added: decides between the worker and this thread. */
  readonly documents: number;
  /** Overrides that choice (tests compare the two). */
  readonly thread?: 'worker' | 'caller';
}): ShardBuilder {
  const useWorker =
    options.thread === undefined
      ? options.documents >= SEARCH_WORKER_MIN_DOCUMENTS
      : options.thread === 'worker';
  return useWorker
    ? new WorkerShardBuilder(options.outputDir, options.formatVersion)
    : new LocalShardBuilder(options.outputDir, options.formatVersion);
}

interface AddMessage {
  readonly shard: number;
  readonly document: SearchDocument;
  readonly source: PostText;
}

type ToWorker =
  | {readonly type: 'add'; readonly items: readonly AddMessage[]}
  | {readonly type: 'seal'; readonly output: ShardOutput}
  | {readonly type: 'finish'; readonly outputs: readonly ShardOutput[]};
type FromWorker =
  | {readonly type: 'done'; readonly written: number}
  | {readonly type: 'failed'; readonly message: string; readonly code: string | undefined};

/** The shards being indexed in one thread (the worker's or the caller's). */
class Shards {
  private readonly indexes = new Map<number, ReturnType<typeof createShardIndex>>();
  private readonly texts = new Map<number, Record<string, CachedPost>>();
  /** Shards whose bytes changed, of those written so far. */
  written = 0;

  constructor(
    private readonly outputDir: string,
    private readonly formatVersion: number,
  ) {}

  add({shard, document, source}: AddMessage): void {
    let index = this.indexes.get(shard);
    let texts = this.texts.get(shard);
    if (index === undefined || texts === undefined) {
      index = createShardIndex();
      texts = {};
      this.indexes.set(shard, index);
      this.texts.set(shard, texts);
    }
    index.add(document);
    const {id: _id, ...cached} = document;
    texts[source.file] = {hash: source.hash, document: cached};
  }

  write(outputs: readonly ShardOutput[]): void {
    for (const output of outputs) {
      const index = this.indexes.get(output.shard);
      const texts = this.texts.get(output.shard);
      if (index === undefined || texts === undefined)
        throw new Error(`shard ${output.shard} has no documents`);
      if (writeSiteFile(output.target, serializeShard(index), output.atomic)) this.written += 1;
      this.indexes.delete(output.shard);
      const cache: SearchTextCache = {format: this.formatVersion, posts: texts};
      writeSiteFile(textCachePath(this.outputDir, output.shard), JSON.stringify(cache), true);
      this.texts.delete(output.shard);
    }
  }
}

class LocalShardBuilder implements ShardBuilder {
  private readonly shards: Shards;

  constructor(outputDir: string, formatVersion: number) {
    this.shards = new Shards(outputDir, formatVersion);
  }

  add(shard: number, document: SearchDocument, source: PostText): void {
    this.shards.add({shard, document, source});
  }

  seal(output: ShardOutput): void {
    this.shards.write([output]);
  }

  async finish(outputs: readonly ShardOutput[]): Promise<number> {
    this.shards.write(outputs);
    return this.shards.written;
  }

  async abort(): Promise<void> {}
}

/** Marks a worker started by `WorkerShardBuilder`, which this module then runs (see the bottom). */
const WORKER_ROLE = 'egregora-search-shards';

class WorkerShardBuilder implements ShardBuilder {
  private readonly worker: Worker;
  private batch: AddMessage[] = [];
  /** Settles once the worker has written everything, or has failed. */
  private readonly done: Promise<number>;

  constructor(outputDir: string, formatVersion: number) {
    const url = new URL(import.meta.url);
    const options = {
      workerData: {role: WORKER_ROLE, outputDir, formatVersion},
      resourceLimits: {maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB},
      stdout: false,
      stderr: false,
    };
    this.worker = url.pathname.endsWith('.ts')
      ? new Worker(loadFromSources(url), {...options, eval: true})
      : new Worker(url, options);
    this.done = new Promise<number>((resolve, reject) => {
      this.worker.on('message', (message: FromWorker) => {
        if (message.type === 'done') resolve(message.written);
        // The code travels apart: it says whether the disk refused the write (full, read-only, ...).
        else reject(Object.assign(new Error(message.message), {code: message.code}));
      });
      this.worker.on('error', reject);
      this.worker.on('exit', (code) =>
        reject(new Error(`the search index worker stopped (exit code ${code})`)),
      );
    });
    // Until `finish` awaits it, a failure must not be an unhandled rejection.
    this.done.catch(() => undefined);
  }

  add(shard: number, document: SearchDocument, source: PostText): void {
    this.batch.push({shard, document, source});
    if (this.batch.length >= BATCH) this.flush();
  }

  seal(output: ShardOutput): void {
    this.flush();
    this.post({type: 'seal', output});
  }

  async finish(outputs: readonly ShardOutput[]): Promise<number> {
    this.flush();
    this.post({type: 'finish', outputs});
    try {
      return await this.done;
    } finally {
      await this.worker.terminate();
    }
  }

  async abort(): Promise<void> {
    await this.worker.terminate();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.post({type: 'add', items: this.batch});
    this.batch = [];
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }
}

/**
 * Run from the sources (tests, benchmarks through tsx), the worker must register tsx itself: on
 * Node 20 a worker's `--import tsx` does not reach its entry module. tsx is a development dependency,
 * and the built code never takes this path.
 */
function loadFromSources(url: URL): string {
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
}

/** The worker's side: index what arrives, write when told, report. */
function runWorker(
  port: NonNullable<typeof parentPort>,
  data: {outputDir: string; formatVersion: number},
): void {
  const shards = new Shards(data.outputDir, data.formatVersion);
  port.on('message', (message: ToWorker) => {
    try {
      if (message.type === 'add') {
        for (const item of message.items) shards.add(item);
      } else if (message.type === 'seal') {
        shards.write([message.output]);
      } else {
        shards.write(message.outputs);
        port.postMessage({type: 'done', written: shards.written} satisfies FromWorker);
      }
    } catch (error) {
      port.postMessage({
        type: 'failed',
        message: error instanceof Error ? error.message : String(error),
        code: (error as NodeJS.ErrnoException | null)?.code,
      } satisfies FromWorker);
    }
  });
}

if (!isMainThread && parentPort !== null && (workerData as {role?: unknown} | null)?.role === WORKER_ROLE) {
  runWorker(parentPort, workerData as {outputDir: string; formatVersion: number});
}
