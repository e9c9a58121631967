import * as Flags from '@oclif/core/flags';
import {WINDOW_SIZE_BOUNDS, WINDOW_UNITS} from '../schemas/window-bounds.js';
import {
  CONCURRENCY_BOUNDS,
  DEFAULT_CONCURRENCY,
  DEFAULT_LLM_TIMEOUT_SECONDS,
  DEFAULT_MAX_WINDOW_TOKENS,
  LLM_TIMEOUT_SECONDS_BOUNDS,
  MAX_TOKENS_BOUNDS,
  MAX_WINDOW_TOKENS_BOUNDS,
} from '../src/pipeline/limits.js';
import {boundedNumber, dateOrderFlag, optionalBoundedInteger, windowSizeFlag} from './flags.js';

/**
 * The settings flags of `process`, shared with `config` (which shows what they resolve to). None has
 * an oclif default: an absent flag must be told apart from a given one, so that the environment and
 * egregora.json can fill it in (src/config/resolve.ts applies the defaults named in the help).
 */
export const SETTINGS_FLAGS = {
  config: Flags.string({description: 'Settings file to read [default: ./egregora.json when present]'}),
  output: Flags.string({char: 'o', description: 'Folder the posts are written to [default: site]'}),
  'window-unit': Flags.string({
    description: 'What a window counts [default: messages]',
    options: [...WINDOW_UNITS],
  }),
  'window-size': windowSizeFlag(
    'Window size in the unit [default: 100 messages, 24 hours, 65536 bytes]',
    `messages ${WINDOW_SIZE_BOUNDS.messages.min}–${WINDOW_SIZE_BOUNDS.messages.max}, hours ${WINDOW_SIZE_BOUNDS.hours.min}–${WINDOW_SIZE_BOUNDS.hours.max}, bytes ${WINDOW_SIZE_BOUNDS.bytes.min}–${WINDOW_SIZE_BOUNDS.bytes.max}`,
  ),
  overlap: boundedNumber('overlap', {
    description: 'Fraction of a window repeated in the next one [default: 0]',
    min: 0,
    max: 0.5,
  }),
  'max-window-tokens': optionalBoundedInteger('max-window-tokens', {
    description: `Split windows estimated above this many tokens into parts [default: ${DEFAULT_MAX_WINDOW_TOKENS}]`,
    min: MAX_WINDOW_TOKENS_BOUNDS.min,
    max: MAX_WINDOW_TOKENS_BOUNDS.max,
  }),
  writer: Flags.string({
    description: 'Writer that turns a window into a post: digest (offline) or llm [default: digest]',
  }),
  timezone: Flags.string({description: "IANA time zone the chat's times are in [default: this machine's]"}),
  chat: Flags.string({description: 'The chat entry to read when the archive holds several'}),
  'date-order': dateOrderFlag(),
  'max-size': Flags.string({description: 'Largest uncompressed export accepted, e.g. 4GiB (1KiB–1TiB)'}),
  'fail-fast': Flags.boolean({description: 'Stop at the first failed window', allowNo: true}),
  concurrency: optionalBoundedInteger('concurrency', {
    description: `Windows processed at once; with --writer llm, requests in flight [default: ${DEFAULT_CONCURRENCY}]`,
    min: CONCURRENCY_BOUNDS.min,
    max: CONCURRENCY_BOUNDS.max,
  }),
  'max-tokens': optionalBoundedInteger('max-tokens', {
    description: 'Most LLM tokens this run may spend; then no new window starts and the next run continues',
    min: MAX_TOKENS_BOUNDS.min,
    max: MAX_TOKENS_BOUNDS.max,
  }),
  html: Flags.boolean({
    description: 'Render the HTML site beside the posts (--no-html: Markdown only) [default: on]',
    allowNo: true,
  }),
  title: Flags.string({
    description: "The site's title [default: Chat archive] (the group's name is never used)",
  }),
  'llm-url': Flags.string({
    description:
      'OpenAI-compatible endpoint [env: EGREGORA_LLM_URL, OPENAI_BASE_URL] [default: http://127.0.0.1:11434/v1]',
    helpGroup: 'LLM',
  }),
  'llm-model': Flags.string({
    description: 'Model for --writer llm [env: EGREGORA_LLM_MODEL]',
    helpGroup: 'LLM',
  }),
  'llm-timeout': optionalBoundedInteger('llm-timeout', {
    description: `Seconds one LLM request may take [default: ${DEFAULT_LLM_TIMEOUT_SECONDS}]`,
    min: LLM_TIMEOUT_SECONDS_BOUNDS.min,
    max: LLM_TIMEOUT_SECONDS_BOUNDS.max,
    helpGroup: 'LLM',
  }),
  'llm-cache': Flags.boolean({
    description:
      'Reuse valid LLM replies kept in .egregora/llm-cache (--no-llm-cache: ask again) [default: on]',
    allowNo: true,
    helpGroup: 'LLM',
  }),
};

type SettingsFlagValues = {
  [K in keyof typeof SETTINGS_FLAGS]?: string | number | boolean | undefined;
};

/** The parsed flags as the settings resolver keys them (src/config/resolve.ts). */
export function settingFlags(flags: SettingsFlagValues) {
  return {
    output: flags.output,
    windowUnit: flags['window-unit'],
    windowSize: flags['window-size'],
    overlap: flags.overlap,
    maxWindowTokens: flags['max-window-tokens'],
    writer: flags.writer,
    timezone: flags.timezone,
    chat: flags.chat,
    dateOrder: flags['date-order'],
    maxSize: flags['max-size'],
    failFast: flags['fail-fast'],
    concurrency: flags.concurrency,
    maxTokens: flags['max-tokens'],
    html: flags.html,
    title: flags.title,
    'llm.url': flags['llm-url'],
    'llm.model': flags['llm-model'],
    'llm.timeoutSeconds': flags['llm-timeout'],
    'llm.cache': flags['llm-cache'],
  };
}
