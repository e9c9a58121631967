import {availableParallelism} from 'node:os';
import {type EffectiveConfig, EffectiveConfigSchema} from '../../schemas/process.js';
import {type WindowSpec, WindowSpecSchema, type WindowUnit} from '../../schemas/window.js';
import {configHash} from '../runs/fingerprint.js';
import {ExitCode, UserError} from '../util/errors.js';

/**
 * Default window size per unit when `--window-size` is not given: 100 messages (a screenful or two,
 * the design's default), 24 hours (a day of conversation), 64 KiB (about 16k tokens of text, inside
 * any model's prompt budget with room for instructions).
 */
export const DEFAULT_WINDOW_SIZE_BY_UNIT: Readonly<Record<WindowUnit, number>> = {
  messages: 100,
  hours: 24,
  bytes: 64 * 1024,
};

/**
 * The estimated-token budget above which a window is split into parts. 32k tokens fits the prompt
 * of every current model family with room for instructions and the answer; the offline digest
 * writer has no budget of its own, so this only splits windows no reader would want as one post.
 */
export const DEFAULT_MAX_WINDOW_TOKENS = 32_000;
/** Below 256 tokens a part holds a handful of messages; above 2M no model takes it in one prompt. */
export const MAX_WINDOW_TOKENS_BOUNDS = {min: 256, max: 2_000_000} as const;

/**
 * Windows processed at once. The digest writer is CPU-bound on the one JavaScript thread, so more
 * than the core count only interleaves file writes; an LLM writer waits on the network and gains
 * from more, but a handful already keeps a provider busy without tripping its rate limits.
 */
export const DEFAULT_CONCURRENCY = Math.max(2, Math.min(4, availableParallelism()));
/** Above 32 parallel windows, memory (each holds its messages and output) grows with no speed gain. */
export const CONCURRENCY_BOUNDS = {min: 1, max: 32} as const;

/** Bumped when the parser or anonymizer changes what an ingest stores, so old ingests are not reused. */
export const INGEST_FORMAT_VERSION = 1;

export interface ConfigInput {
  readonly windowUnit: WindowUnit;
  readonly windowSize: number | undefined;
  readonly overlap: number;
  readonly maxWindowTokens: number;
  readonly writer: string;
  readonly timezone: string;
}

/** Checks the combination of flags that oclif cannot check alone (the size range depends on the unit). */
export function windowSpecOf(input: ConfigInput): WindowSpec {
  const spec = {
    unit: input.windowUnit,
    size: input.windowSize ?? DEFAULT_WINDOW_SIZE_BY_UNIT[input.windowUnit],
    overlap: input.overlap,
  };
  const parsed = WindowSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`--window-size: ${issue?.message ?? 'out of range'}.`, ExitCode.usage);
  }
  return parsed.data;
}

export function effectiveConfig(input: ConfigInput, spec: WindowSpec): EffectiveConfig {
  return EffectiveConfigSchema.parse({
    windowUnit: spec.unit,
    windowSize: spec.size,
    overlap: spec.overlap,
    maxWindowTokens: input.maxWindowTokens,
    writer: input.writer,
    timezone: input.timezone,
  });
}

export function hashConfig(config: EffectiveConfig): string {
  return configHash(config);
}

/** What an ingest's stored rows depend on: the zone dates are read in, the chat picked, the format. */
export function ingestConfigHash(timezone: string, chatEntry: string): string {
  return configHash({ingestFormat: INGEST_FORMAT_VERSION, timezone, chatEntry});
}
