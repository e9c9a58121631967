import {
  CONFIG_FILE_NAME,
  type ConfigFile,
  HttpUrlSchema,
  LlmModelSchema,
  type SettingReport,
  type SettingSource,
} from '../../schemas/config.js';
import type {DateOrder} from '../../schemas/parse.js';
import type {WindowUnit} from '../../schemas/window-bounds.js';
import {
  CONCURRENCY_BOUNDS,
  DEFAULT_CONCURRENCY,
  DEFAULT_LLM_TIMEOUT_SECONDS,
  DEFAULT_MAX_WINDOW_TOKENS,
} from '../pipeline/limits.js';
import {ExitCode, UserError} from '../util/errors.js';
import {loadConfigFile} from './file.js';

/** Ollama's OpenAI-compatible endpoint on this machine: the default needs no account and no network. */
export const DEFAULT_LLM_URL = 'http://127.0.0.1:11434/v1';
export const DEFAULT_WRITER = 'digest';
export const DEFAULT_OUTPUT = 'site';

/** Where the API key is read from, in order. It is never a flag: flags end up in shell history. */
export const LLM_API_KEY_ENV = ['EGREGORA_LLM_API_KEY', 'OPENAI_API_KEY'] as const;
export const LLM_URL_ENV = ['EGREGORA_LLM_URL', 'OPENAI_BASE_URL'] as const;
export const LLM_MODEL_ENV = ['EGREGORA_LLM_MODEL'] as const;

export interface LlmSettings {
  readonly url: string;
  /** Null when none was given: the LLM writer then stops with a message saying how to pick one. */
  readonly model: string | null;
  readonly instructions: string;
  readonly timeoutSeconds: number;
  readonly cache: boolean;
}

/** The effective settings of `process`, from flags > environment > egregora.json > defaults. */
export interface ProcessSettings {
  readonly output: string;
  readonly windowUnit: WindowUnit;
  readonly windowSize: number | undefined;
  readonly overlap: number;
  readonly maxWindowTokens: number;
  readonly writer: string;
  /** Undefined: this machine's zone (the command resolves and checks it). */
  readonly timezone: string | undefined;
  readonly chat: string | undefined;
  /** `--date-order`: read dates in this order instead of deciding it from them; undefined: decide. */
  readonly dateOrder: DateOrder | undefined;
  /** As written (`4GiB` or a number of bytes); the command parses it. */
  readonly maxSize: string | undefined;
  readonly failFast: boolean;
  readonly concurrency: number;
  readonly maxTokens: number | undefined;
  /** Render the HTML site at the end of `process`. */
  readonly html: boolean;
  readonly title: string | undefined;
  readonly llm: LlmSettings;
}

type Value = string | number | boolean | undefined;

/** Flag values as oclif parsed them, keyed by setting; undefined when the flag was not given. */
export type SettingFlags = Partial<Record<SettingKey, Value>>;

interface Descriptor {
  readonly key: string;
  readonly flag: string | null;
  readonly env: readonly string[];
  readonly fallback: Value;
  /**
   * Checks a text value from a flag or the environment (`where` names it: `--llm-url`,
   * `EGREGORA_LLM_URL`); the file is checked by its schema, numbers by their flag parsers.
   */
  readonly check?: (text: string, where: string) => Value;
}

/**
 * A check by schema. The refused value is not repeated when it may hold a secret (a URL with a
 * password in it): the message names where it came from instead.
 */
function checkedText(
  schema: typeof HttpUrlSchema | typeof LlmModelSchema,
  what: string,
  options: {readonly echo: boolean},
) {
  return (text: string, where: string): string => {
    const parsed = schema.safeParse(text.trim());
    if (parsed.success) return parsed.data;
    const got = options.echo ? `; got "${text}"` : '';
    throw new UserError(
      `${where} ${parsed.error.issues[0]?.message ?? 'is not valid'}${got}.`,
      ExitCode.usage,
      {
        hint: where.startsWith('--') ? `Pass ${where} ${what}.` : `Set ${where} to ${what}, or unset it.`,
      },
    );
  };
}

/** Every setting `process` takes, in the order `egregora config` lists them. */
const DESCRIPTORS = [
  {key: 'output', flag: 'output', env: [], fallback: DEFAULT_OUTPUT},
  {key: 'windowUnit', flag: 'window-unit', env: [], fallback: 'messages'},
  {key: 'windowSize', flag: 'window-size', env: [], fallback: undefined},
  {key: 'overlap', flag: 'overlap', env: [], fallback: 0},
  {key: 'maxWindowTokens', flag: 'max-window-tokens', env: [], fallback: DEFAULT_MAX_WINDOW_TOKENS},
  {key: 'writer', flag: 'writer', env: [], fallback: DEFAULT_WRITER},
  {key: 'timezone', flag: 'timezone', env: [], fallback: undefined},
  {key: 'chat', flag: 'chat', env: [], fallback: undefined},
  {key: 'dateOrder', flag: 'date-order', env: [], fallback: undefined},
  {key: 'maxSize', flag: 'max-size', env: [], fallback: undefined},
  {key: 'failFast', flag: 'fail-fast', env: [], fallback: false},
  {key: 'concurrency', flag: 'concurrency', env: [], fallback: DEFAULT_CONCURRENCY},
  {key: 'maxTokens', flag: 'max-tokens', env: [], fallback: undefined},
  {key: 'html', flag: 'html', env: [], fallback: true},
  {key: 'title', flag: 'title', env: [], fallback: undefined},
  {
    key: 'llm.url',
    flag: 'llm-url',
    env: LLM_URL_ENV,
    fallback: DEFAULT_LLM_URL,
    check: checkedText(HttpUrlSchema, 'an http(s) URL such as http://127.0.0.1:11434/v1', {echo: false}),
  },
  {
    key: 'llm.model',
    flag: 'llm-model',
    env: LLM_MODEL_ENV,
    fallback: undefined,
    check: checkedText(LlmModelSchema, 'a model name such as llama3.2', {echo: true}),
  },
  {key: 'llm.instructions', flag: null, env: [], fallback: ''},
  {key: 'llm.timeoutSeconds', flag: 'llm-timeout', env: [], fallback: DEFAULT_LLM_TIMEOUT_SECONDS},
  {key: 'llm.cache', flag: 'llm-cache', env: [], fallback: true},
] as const satisfies readonly Descriptor[];

export type SettingKey = (typeof DESCRIPTORS)[number]['key'];

interface Resolved {
  readonly value: Value;
  readonly source: SettingSource;
  readonly origin: string | null;
}

export interface ApiKey {
  readonly value: string | null;
  /** The variable it came from, for messages; never the key itself. */
  readonly origin: string | null;
}

export interface ResolvedSettings {
  readonly settings: ProcessSettings;
  readonly configFile: string | null;
  readonly apiKey: ApiKey;
  /** Each setting's value and where it came from, for `egregora config`. */
  readonly report: readonly SettingReport[];
}

export interface ResolveSettingsInput {
  readonly flags: SettingFlags;
  /** `--config PATH`; else egregora.json in `cwd` when present. */
  readonly configPath?: string | undefined;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** The one place settings are merged: flags > environment > egregora.json > defaults. */
export async function resolveSettings(input: ResolveSettingsInput): Promise<ResolvedSettings> {
  const file = await loadConfigFile(input.configPath, input.cwd);
  const fileLabel = file ? file.path : CONFIG_FILE_NAME;
  const resolved = new Map<string, Resolved>();
  for (const descriptor of DESCRIPTORS as readonly Descriptor[]) {
    resolved.set(descriptor.key, resolveOne(descriptor, input, file?.data, fileLabel));
  }
  const value = (key: SettingKey) => resolved.get(key)?.value;
  const concurrency = Number(value('concurrency'));
  if (
    !Number.isInteger(concurrency) ||
    concurrency < CONCURRENCY_BOUNDS.min ||
    concurrency > CONCURRENCY_BOUNDS.max
  ) {
    throw new RangeError(`concurrency ${concurrency} escaped its bounds`);
  }
  const settings: ProcessSettings = {
    output: String(value('output')),
    windowUnit: value('windowUnit') as WindowUnit,
    windowSize: value('windowSize') as number | undefined,
    overlap: Number(value('overlap')),
    maxWindowTokens: Number(value('maxWindowTokens')),
    writer: String(value('writer')),
    timezone: value('timezone') as string | undefined,
    chat: value('chat') as string | undefined,
    dateOrder: dateOrderOf(value('dateOrder')),
    maxSize: value('maxSize') === undefined ? undefined : String(value('maxSize')),
    failFast: value('failFast') === true,
    concurrency,
    maxTokens: value('maxTokens') as number | undefined,
    html: value('html') !== false,
    title: value('title') as string | undefined,
    llm: {
      url: String(value('llm.url')),
      model: (value('llm.model') as string | undefined) ?? null,
      instructions: String(value('llm.instructions')),
      timeoutSeconds: Number(value('llm.timeoutSeconds')),
      cache: value('llm.cache') !== false,
    },
  };
  const apiKey = resolveApiKey(input.env);
  const report: SettingReport[] = [...resolved].map(([key, entry]) => ({
    key,
    value: entry.value ?? null,
    source: entry.source,
    origin: entry.origin,
    secret: false,
  }));
  report.push({
    key: 'llm.apiKey',
    value: apiKey.value === null ? null : maskSecret(apiKey.value),
    source: apiKey.value === null ? 'default' : 'env',
    origin: apiKey.origin,
    secret: true,
  });
  return {settings, configFile: file?.path ?? null, apiKey, report};
}

/** Flags give `DMY`; the settings file says `dmy`, as people type it. */
function dateOrderOf(value: Value): DateOrder | undefined {
  if (typeof value !== 'string') return undefined;
  const order = value.toUpperCase();
  return order === 'DMY' || order === 'MDY' || order === 'YMD' ? order : undefined;
}

function resolveOne(
  descriptor: Descriptor,
  input: ResolveSettingsInput,
  file: ConfigFile | undefined,
  fileLabel: string,
): Resolved {
  const fromFlag = input.flags[descriptor.key as SettingKey];
  if (fromFlag !== undefined) {
    const origin = `--${descriptor.flag}`;
    const value =
      descriptor.check && typeof fromFlag === 'string' ? descriptor.check(fromFlag, origin) : fromFlag;
    return {value, source: 'flag', origin};
  }
  for (const variable of descriptor.env) {
    const text = input.env[variable];
    if (text !== undefined && text.trim() !== '') {
      const value = descriptor.check ? descriptor.check(text, variable) : text;
      return {value, source: 'env', origin: variable};
    }
  }
  const fromFile = readPath(file, descriptor.key);
  if (fromFile !== undefined)
    return {value: fromFile, source: 'file', origin: `${fileLabel}: ${descriptor.key}`};
  return {value: descriptor.fallback, source: 'default', origin: null};
}

function readPath(file: ConfigFile | undefined, key: string): Value {
  let node: unknown = file;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean' ? node : undefined;
}

export function resolveApiKey(env: NodeJS.ProcessEnv): ApiKey {
  for (const variable of LLM_API_KEY_ENV) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== '') return {value: value.trim(), origin: variable};
  }
  return {value: null, origin: null};
}

/** Enough to tell two keys apart, never enough to use one: the last four characters at most. */
export function maskSecret(secret: string): string {
  const tail = secret.length >= 12 ? secret.slice(-4) : '';
  return `••••${tail}`;
}
