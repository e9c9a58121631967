import {closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync} from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import {canonicalJson, sha256Fingerprint} from '../../util/canonical.js';
import {describeSystemError} from '../../util/errors.js';
import type {ChatRequestBody} from './client.js';
import {type LlmReply, LlmReplySchema} from './reply.js';

/** The cache's folder inside the state directory. */
export const LLM_CACHE_DIR = 'llm-cache';
/**
 * One JSON line per valid reply, appended. One file kept open instead of a file per reply: a create
 * costs an open, a write and a rename, the largest part of the writer's own time per window on a
 * busy disk (docs/BENCHMARKS.md). Only one `process` writes a project at a time (the project lock),
 * so appends never interleave; a line cut short by a kill is skipped when read.
 */
export const LLM_CACHE_FILE = 'replies.jsonl';
/** Bumped when an entry's shape changes: older entries are then misses, not errors. */
const CACHE_FORMAT = 1;

const CacheEntrySchema = z
  .object({
    format: z.literal(CACHE_FORMAT),
    key: z.string().regex(/^[0-9a-f]{64}$/),
    model: z.string(),
    reply: LlmReplySchema,
  })
  .strict();
type CacheEntry = z.infer<typeof CacheEntrySchema>;

/**
 * Valid replies by a hash of (model, full request body), so that a window whose post was deleted, or
 * a `--force` run with the same prompt, costs no request. The body never holds the API key (it
 * travels in a header), so neither does the cache. Never fatal: a damaged line or an unreadable or
 * unwritable file is reported once (`onWarning`) and the cache is bypassed for what it concerns.
 */
export class ReplyCache {
  private readonly file: string;
  private entries: Map<string, LlmReply> | null = null;
  private fd: number | null = null;
  private writable = true;
  private warned = false;

  constructor(
    stateDir: string,
    private readonly onWarning: (message: string) => void,
  ) {
    this.file = path.join(stateDir, LLM_CACHE_DIR, LLM_CACHE_FILE);
  }

  /** The key of a request: what a reply is filed under. */
  static keyOf(body: ChatRequestBody): string {
    return sha256Fingerprint(canonicalJson({model: body.model, body})).slice('sha256:'.length);
  }

  /** The cached reply, or null when there is none. */
  async get(key: string): Promise<LlmReply | null> {
    return this.load().get(key) ?? null;
  }

  /** Whether a reply is cached (for `--dry-run`). */
  async has(key: string): Promise<boolean> {
    return this.load().has(key);
  }

  async put(key: string, model: string, reply: LlmReply): Promise<void> {
    this.load().set(key, reply);
    if (!this.writable) return;
    const entry: CacheEntry = {format: CACHE_FORMAT, key, model, reply};
    try {
      if (this.fd === null) {
        mkdirSync(path.dirname(this.file), {recursive: true});
        this.fd = openSync(this.file, 'a', 0o600);
      }
      writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    } catch (error) {
      this.writable = false;
      this.warnOnce(
        `Cannot write the LLM reply cache ${this.file} (${describeSystemError(error)}); replies are not cached.`,
      );
    }
  }

  /** Closes the file; later puts open it again. */
  close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // Nothing was buffered: every put was one write.
    }
    this.fd = null;
  }

  /** Reads the file once, on first use; later replies of this process are added as they come. */
  private load(): Map<string, LlmReply> {
    if (this.entries !== null) return this.entries;
    this.entries = new Map();
    if (!existsSync(this.file)) return this.entries;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      this.warnOnce(
        `Cannot read the LLM reply cache ${this.file} (${describeSystemError(error)}); it is bypassed.`,
      );
      return this.entries;
    }
    let damaged = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const entry = parseEntry(line);
      if (entry === null) damaged += 1;
      else this.entries.set(entry.key, entry.reply);
    }
    if (damaged > 0) {
      this.warnOnce(
        `${damaged} damaged entr${damaged === 1 ? 'y' : 'ies'} in the LLM reply cache ${this.file} ${damaged === 1 ? 'was' : 'were'} ignored; ` +
          `those windows are asked again. Delete the file to clear the cache.`,
      );
    }
    return this.entries;
  }

  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.onWarning(message);
  }
}

function parseEntry(line: string): CacheEntry | null {
  try {
    const parsed = CacheEntrySchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
