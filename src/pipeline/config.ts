import {type EffectiveConfig, EffectiveConfigSchema} from '../../schemas/process.js';
import {
  WINDOW_SIZE_BOUNDS,
  type WindowSpec,
  WindowSpecSchema,
  type WindowUnit,
} from '../../schemas/window.js';
import {configHash} from '../runs/fingerprint.js';
import {ExitCode, UserError} from '../util/errors.js';

export {
  CONCURRENCY_BOUNDS,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_WINDOW_TOKENS,
  MAX_WINDOW_TOKENS_BOUNDS,
} from './limits.js';

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
 * Bumped when the parser or anonymizer changes what an ingest stores, so old ingests are not reused.
 * 2: control sequences removed from stored texts, names and attachment names; WhatsApp's notices
 * stored as system events without author.
 */
export const INGEST_FORMAT_VERSION = 2;

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
  const size = input.windowSize ?? DEFAULT_WINDOW_SIZE_BY_UNIT[input.windowUnit];
  const {min, max} = WINDOW_SIZE_BOUNDS[input.windowUnit];
  if (!Number.isInteger(size) || size < min || size > max) {
    throw new UserError(
      `--window-size for --window-unit ${input.windowUnit} must be a whole number from ${min} to ${max}; got ${size}.`,
      ExitCode.usage,
    );
  }
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

/** What an ingest's stored rows depend on: the zone dates are read in, the chat picked, the format. */
export function ingestConfigHash(timezone: string, chatEntry: string): string {
  return configHash({ingestFormat: INGEST_FORMAT_VERSION, timezone, chatEntry});
}
