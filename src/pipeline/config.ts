import type {DateOrder} from '../../schemas/parse.js';
import {type EffectiveConfig, EffectiveConfigSchema} from '../../schemas/process.js';
import {
  WINDOW_SIZE_BOUNDS,
  type WindowSpec,
  WindowSpecSchema,
  type WindowUnit,
} from '../../schemas/window.js';
import {configHash} from '../runs/fingerprint.js';
import {ExitCode, UserError} from '../util/errors.js';
import {PROMPT_HASH} from '../writers/llm/prompt.js';
import {LLM_WRITER_NAME} from '../writers/registry.js';

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
 * 2: headers of other layouts start messages, new layouts, CR CR LF, `<media omitted>`, `Name:`.
 * 3: control sequences removed from stored texts, names and attachment names; WhatsApp's notices
 * stored as system events without author.
 */
export const INGEST_FORMAT_VERSION = 3;

export interface ConfigInput {
  readonly windowUnit: WindowUnit;
  readonly windowSize: number | undefined;
  readonly overlap: number;
  readonly maxWindowTokens: number;
  readonly writer: string;
  readonly timezone: string;
  /** What the LLM writer's posts depend on; read only when `writer` is the LLM writer. */
  readonly llm?: {readonly model: string | null; readonly instructions: string};
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
    ...(input.writer === LLM_WRITER_NAME && input.llm?.model
      ? {llm: {model: input.llm.model, prompt: PROMPT_HASH, instructions: input.llm.instructions.trim()}}
      : {}),
  });
}

/**
 * What an ingest's stored rows depend on: the zone dates are read in, the chat picked, the format,
 * and the day/month order when one was asked for (`--date-order`; absent, the parser decides it from
 * the chat's bytes, which the input fingerprint already covers).
 */
export function ingestConfigHash(timezone: string, chatEntry: string, dateOrder?: DateOrder): string {
  return configHash({
    ingestFormat: INGEST_FORMAT_VERSION,
    timezone,
    chatEntry,
    ...(dateOrder === undefined ? {} : {dateOrder}),
  });
}
