import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import {writeFileAtomic} from '../../pipeline/atomic-write.js';
import {canonicalJson, sha256Fingerprint} from '../../util/canonical.js';
import {describeSystemError} from '../../util/errors.js';
import type {ChatRequestBody} from './client.js';
import {LlmReplySchema} from './reply.js';

/** The cache's folder inside the state directory. */
export const LLM_CACHE_DIR = 'llm-cache';
/** Bumped when an entry's shape changes: older entries are then misses, not errors. */
const CACHE_FORMAT = 1;

const CacheEntrySchema = z
  .object({
    format: z.literal(CACHE_FORMAT),
    model: z.string(),
    reply: LlmReplySchema,
  })
  .strict();
type CacheEntry = z.infer<typeof CacheEntrySchema>;

/**
 * Valid replies by a hash of (model, full request body), one small JSON file each, so that a window
 * whose post was deleted, or a `--force` run with the same prompt, costs no request. The body never
 * holds the API key (it travels in a header), so neither does the cache. Never fatal: a damaged entry
 * or an unwritable folder is reported once (`onWarning`) and the cache is bypassed.
 */
export class ReplyCache {
  private readonly dir: string;
  private warned = false;
  private writable = true;

  constructor(
    stateDir: string,
    private readonly onWarning: (message: string) => void,
  ) {
    this.dir = path.join(stateDir, LLM_CACHE_DIR);
  }

  /** The key of a request: what a reply is filed under. */
  static keyOf(body: ChatRequestBody): string {
    return sha256Fingerprint(canonicalJson({model: body.model, body})).slice('sha256:'.length);
  }

  private fileOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The cached reply, or null when there is none or it cannot be read. */
  async get(key: string): Promise<CacheEntry['reply'] | null> {
    const file = this.fileOf(key);
    // Most lookups of a first run miss: a stat costs a fraction of a failed open and its thrown error.
    if (!existsSync(file)) return null;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.warnOnce(
          `Cannot read the LLM reply cache in ${this.dir} (${describeSystemError(error)}); it is bypassed.`,
        );
      }
      return null;
    }
    let parsed: z.ZodSafeParseResult<CacheEntry>;
    try {
      parsed = CacheEntrySchema.safeParse(JSON.parse(text));
    } catch {
      parsed = {success: false} as z.ZodSafeParseResult<CacheEntry>;
    }
    if (!parsed.success) {
      this.warnOnce(
        `A damaged entry in the LLM reply cache (${this.fileOf(key)}) was ignored; that window is asked again. ` +
          `Delete ${this.dir} to clear the cache.`,
      );
      return null;
    }
    return parsed.data.reply;
  }

  /** Whether a reply is cached (for `--dry-run`), without reading it. */
  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== null;
  }

  async put(key: string, model: string, reply: CacheEntry['reply']): Promise<void> {
    if (!this.writable) return;
    const entry: CacheEntry = {format: CACHE_FORMAT, model, reply};
    try {
      await writeFileAtomic(this.fileOf(key), `${JSON.stringify(entry)}\n`, {sync: false});
    } catch (error) {
      this.writable = false;
      this.warnOnce(
        `Cannot write the LLM reply cache in ${this.dir} (${describeSystemError(error)}); replies are not cached.`,
      );
    }
  }

  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.onWarning(message);
  }
}
