import type {LlmUsage, MediaFile, PostFile, PostFrontMatter, WriterOutput} from '../../schemas/post.js';
import type {Window} from '../../schemas/window.js';
import type {LlmSettings} from '../config/resolve.js';

export type {LlmUsage, MediaFile, PostFile, PostFrontMatter, WriterOutput};

/**
 * Turns one window (or one part of a split window) into files. A writer never touches the file
 * system: it returns the files and the pipeline writes them atomically, under the run's id.
 * The same input must give the same output for an offline writer (resume and tests rely on it).
 */
export interface Writer {
  readonly name: string;
  /**
   * The most tokens (as `estimateTokens` counts them) one window may hold for this writer; the
   * pipeline splits bigger windows with `splitWindow` first. Absent: no limit (the offline digest).
   */
  readonly maxWindowTokens?: number;
  write(input: WriterInput): Promise<WriterOutput>;
  /**
   * For `--dry-run`: what the window would cost, without contacting anything. Absent for writers
   * that cost nothing (the offline digest).
   */
  estimate?(input: Omit<WriterInput, 'media' | 'signal'>): Promise<WriterEstimate>;
  /** Releases what the writer holds open (the LLM writer's cache file); called once at the end. */
  close?(): void;
}

export interface WriterEstimate {
  /** Estimated prompt tokens of the requests the window needs (see estimateTextTokens). */
  readonly promptTokens: number;
  /** Whether a valid reply is already cached, so the window would cost no request. */
  readonly cached: boolean;
}

export interface WriterInput {
  readonly window: Window;
  readonly chat: ChatInfo;
  readonly media: MediaAccess;
  /** Aborted on Ctrl-C or a timeout; a writer stops as soon as it can and rejects with the reason. */
  readonly signal: AbortSignal;
}

export interface ChatInfo {
  readonly title: string | null;
  readonly windowCount: number;
  /**
   * The real names of the chat's people, never to be written: a writer whose output comes from a
   * model checks it against them (messages reach writers already pseudonymized).
   */
  readonly realNames?: readonly string[];
}

/** Read access to the export's attachments, by the file name the messages reference. */
export interface MediaAccess {
  has(name: string): boolean;
  /** The file's bytes, or null when the export does not hold it. */
  read(name: string): Promise<Uint8Array | null>;
}

/** What a writer may need to be built: its settings, the state folder (caches), the API key. */
export interface WriterContext {
  readonly stateDir: string;
  readonly llm: LlmSettings;
  /** From EGREGORA_LLM_API_KEY / OPENAI_API_KEY; null when unset. Never printed or recorded. */
  readonly apiKey: string | null;
  readonly onWarning: (message: string) => void;
}

export type WriterFactory = (context: WriterContext) => Writer;

/**
 * What a failed write spent before it failed (requests and tokens are real costs even when the
 * window fails): attached to the error thrown, read by the pipeline into the failed run.
 */
const spentByError = new WeakMap<object, LlmUsage>();

export function attachUsage<E>(error: E, usage: LlmUsage): E {
  if (typeof error === 'object' && error !== null) spentByError.set(error, {...usage});
  return error;
}

export function usageOfError(error: unknown): LlmUsage | null {
  return typeof error === 'object' && error !== null ? (spentByError.get(error) ?? null) : null;
}
