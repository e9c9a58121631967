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
 * Windows processed at once: two per core. The digest writer is CPU-bound, with its analysis on one
 * worker thread per core (src/writers/digest/analysis-thread.ts): two windows per thread keep each
 * one busy while the main thread writes and records the other's post (1,000,000 messages on two
 * cores: 16.2-16.7 s at 4 against 17.5-19.0 s at 2 in one run, docs/BENCHMARKS.md). An LLM writer
 * waits on the network and gains from more, but a handful already keeps a provider busy without
 * tripping its rate limits: at most 8.
 */
export const DEFAULT_CONCURRENCY = Math.max(2, Math.min(8, 2 * availableParallelism()));
/** Above 32 parallel windows, memory (each holds its messages and output) grows with no speed gain. */
export const CONCURRENCY_BOUNDS = {min: 1, max: 32} as const;

/**
 * `--max-tokens`: the most LLM tokens (prompt + completion, as servers report them) one `process` may
 * spend. At least 1,000, about one small window's prompt; at most 10^10, far beyond any budget a person
 * sets on purpose, so that a typo of extra zeros is still refused.
 */
export const MAX_TOKENS_BOUNDS = {min: 1_000, max: 10_000_000_000} as const;

/**
 * How long one LLM request may take before it is abandoned (and retried). Five minutes: a local
 * model on a laptop CPU reads a 100-message prompt (~4k tokens) at ~50 tokens/s and writes a post of
 * ~800 tokens at ~10 tokens/s, about 160 s in all; hosted models answer within seconds.
 */
export const DEFAULT_LLM_TIMEOUT_SECONDS = 300;
/** One second is the least a loopback server needs; an hour is more than any single reply should. */
export const LLM_TIMEOUT_SECONDS_BOUNDS = {min: 1, max: 3_600} as const;

/**
 * The user's own instructions added to the prompt (`llm.instructions`). 4,000 characters is about a
 * thousand tokens: room for a style guide, without crowding out the conversation itself.
 */
export const MAX_INSTRUCTIONS_CHARS = 4_000;
