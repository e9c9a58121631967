import type {MediaFile, PostFile, PostFrontMatter, WriterOutput} from '../../schemas/post.js';
import type {Window} from '../../schemas/window.js';

export type {MediaFile, PostFile, PostFrontMatter, WriterOutput};

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
}

/** Read access to the export's attachments, by the file name the messages reference. */
export interface MediaAccess {
  has(name: string): boolean;
  /** The file's bytes, or null when the export does not hold it. */
  read(name: string): Promise<Uint8Array | null>;
}

export type WriterFactory = () => Writer;
