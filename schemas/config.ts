import * as z from 'zod';
import {
  CONCURRENCY_BOUNDS,
  LLM_TIMEOUT_SECONDS_BOUNDS,
  MAX_INSTRUCTIONS_CHARS,
  MAX_TOKENS_BOUNDS,
  MAX_WINDOW_TOKENS_BOUNDS,
} from '../src/pipeline/limits.js';
import {WINDOW_OVERLAP_BOUNDS, WINDOW_UNITS} from './window-bounds.js';

/** The settings file `process` and `config` read from the working directory (or `--config PATH`). */
export const CONFIG_FILE_NAME = 'egregora.json';

/**
 * An http(s) URL: the LLM endpoint. Other schemes (file:, ftp:) are refused before any request, and
 * credentials in the URL are refused because the URL is printed and recorded, unlike the API key.
 */
export const HttpUrlSchema = z
  .string()
  .url({message: 'must be a URL such as http://127.0.0.1:11434/v1'})
  .refine((text) => /^https?:\/\//i.test(text), {message: 'must start with http:// or https://'})
  .refine((text) => !/^https?:\/\/[^/]*@/i.test(text), {
    message: 'must not hold a user name or password (put the key in EGREGORA_LLM_API_KEY)',
  });

/** Model names as servers print them: `llama3.2`, `qwen2.5:7b`, `gpt-4o-mini`, `org/model-GGUF`. */
export const LlmModelSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s\p{Cc}]+$/u, {message: 'must be a model name without spaces or control characters'});

/** A byte size as `--max-size` takes it (`500MB`, `4GiB`), or a whole number of bytes. */
const ByteSizeSchema = z.union([
  z.string().regex(/^\s*\d+(?:\.\d+)?\s*[a-zA-Z]*\s*$/, {message: 'must be a size like 500MB or 4GiB'}),
  z.number().int().positive(),
]);

export const LlmConfigFileSchema = z
  .object({
    url: HttpUrlSchema.optional().describe(
      'Chat Completions endpoint (OpenAI-compatible). Default: Ollama at http://127.0.0.1:11434/v1.',
    ),
    model: LlmModelSchema.optional().describe('Model name on that server, e.g. llama3.2 or gpt-4o-mini.'),
    instructions: z
      .string()
      .max(MAX_INSTRUCTIONS_CHARS)
      .optional()
      .describe('Your own instructions added to the prompt (tone, language, what to leave out).'),
    timeoutSeconds: z
      .number()
      .int()
      .min(LLM_TIMEOUT_SECONDS_BOUNDS.min)
      .max(LLM_TIMEOUT_SECONDS_BOUNDS.max)
      .optional()
      .describe('Longest wait for one request, in seconds.'),
    cache: z.boolean().optional().describe('Reuse valid replies kept in .egregora/llm-cache (default true).'),
  })
  .strict();

/**
 * `egregora.json`: every setting of `process` that makes sense to keep (not `--force` or
 * `--dry-run`, which describe one invocation), plus the LLM writer's. Keys are the flags' names in
 * camelCase. A JSON Schema generated from this one is committed at schemas/egregora.schema.json.
 */
export const ConfigFileSchema = z
  .object({
    $schema: z.string().optional().describe('Path or URL of egregora.schema.json, for editors.'),
    output: z.string().min(1).optional().describe('Folder the posts are written to (default site).'),
    windowUnit: z.enum(WINDOW_UNITS).optional().describe('What a window counts (default messages).'),
    windowSize: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Window size in the unit (default 100 messages, 24 hours, 65536 bytes).'),
    overlap: z
      .number()
      .min(WINDOW_OVERLAP_BOUNDS.min)
      .max(WINDOW_OVERLAP_BOUNDS.max)
      .optional()
      .describe('Fraction of a window repeated in the next one.'),
    maxWindowTokens: z
      .number()
      .int()
      .min(MAX_WINDOW_TOKENS_BOUNDS.min)
      .max(MAX_WINDOW_TOKENS_BOUNDS.max)
      .optional()
      .describe('Split windows estimated above this many tokens into parts.'),
    writer: z.string().min(1).optional().describe('digest (offline, default) or llm.'),
    timezone: z.string().min(1).optional().describe("IANA time zone the chat's times are in."),
    chat: z.string().min(1).optional().describe('The chat entry to read when the archive holds several.'),
    dateOrder: z
      .enum(['dmy', 'mdy', 'ymd'])
      .optional()
      .describe(
        'Read dates as day/month/year, month/day/year or year/month/day instead of deciding from them.',
      ),
    maxSize: ByteSizeSchema.optional().describe('Largest uncompressed export accepted, e.g. 4GiB.'),
    failFast: z.boolean().optional().describe('Stop at the first failed window.'),
    concurrency: z
      .number()
      .int()
      .min(CONCURRENCY_BOUNDS.min)
      .max(CONCURRENCY_BOUNDS.max)
      .optional()
      .describe('Windows processed at once (for the LLM writer: requests in flight).'),
    maxTokens: z
      .number()
      .int()
      .min(MAX_TOKENS_BOUNDS.min)
      .max(MAX_TOKENS_BOUNDS.max)
      .optional()
      .describe('Most LLM tokens one process may spend; then no new window starts.'),
    html: z.boolean().optional().describe('Render the HTML site beside the posts (default true).'),
    title: z.string().min(1).max(200).optional().describe("The site's title (default: Chat archive)."),
    llm: LlmConfigFileSchema.optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export const SETTING_SOURCES = ['flag', 'env', 'file', 'default'] as const;
export type SettingSource = (typeof SETTING_SOURCES)[number];

const settingValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One line of `egregora config`: a setting, its effective value and where it came from. */
export const SettingReportSchema = z
  .object({
    key: z.string(),
    value: settingValue,
    source: z.enum(SETTING_SOURCES),
    /** The flag, variable or file key it came from (`--llm-url`, `EGREGORA_LLM_URL`, `egregora.json: llm.url`). */
    origin: z.string().nullable(),
    secret: z.boolean(),
  })
  .strict();
export type SettingReport = z.infer<typeof SettingReportSchema>;

/** The `--json` output of `egregora config`. */
export const ConfigOutputSchema = z
  .object({
    config_file: z.string().nullable(),
    settings: z.array(SettingReportSchema),
  })
  .strict();
export type ConfigOutput = z.infer<typeof ConfigOutputSchema>;
