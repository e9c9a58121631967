import {availableParallelism} from 'node:os';

// The bounds of `process`'s flags, kept free of heavy imports: command modules load them for `--help`.

/**
 * The estimated-token budget above which a window is split into parts. 32k tokens fits the prompt
 * of every current model family with room for instructions and the answer; the offline digest
 * writer has no budget of its own, so this only splits windows no reader would want as one post.
 */
export const DEFAULT_MAX_WINDOW_TOKENS = 32_000;
/** Below 256 tokens a part holds a handful of messages; above 2M no model takes it in one prompt. */
export const MAX_WINDOW_TOKENS_BOUNDS = {min: 256, max: 2_000_000} as const;

/**
 * Windows processed at once. The digest writer is CPU-bound (its analysis on one worker thread, the
 * rest of a window on the JavaScript thread), so more than the core count only interleaves file
 * writes (2 against 4 on two cores: no difference beyond the noise); an LLM writer waits on the
 * network and gains from more, but a handful already keeps a provider busy without tripping its
 * rate limits.
 */
export const DEFAULT_CONCURRENCY = Math.max(2, Math.min(4, availableParallelism()));
/** Above 32 parallel windows, memory (each holds its messages and output) grows with no speed gain. */
export const CONCURRENCY_BOUNDS = {min: 1, max: 32} as const;
