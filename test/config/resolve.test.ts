import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {SettingReport} from '../../schemas/config.js';
import {
  DEFAULT_LLM_URL,
  maskSecret,
  type ResolvedSettings,
  resolveApiKey,
  resolveSettings,
  type SettingFlags,
} from '../../src/config/resolve.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_LLM_TIMEOUT_SECONDS,
  DEFAULT_MAX_WINDOW_TOKENS,
} from '../../src/pipeline/limits.js';
import {ExitCode, UserError} from '../../src/util/errors.js';

let dir: string;
let configPath: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'egregora-resolve-'));
  configPath = path.join(dir, 'egregora.json');
});

afterEach(async () => {
  await rm(dir, {recursive: true, force: true});
});

async function withFile(data: unknown): Promise<void> {
  await writeFile(configPath, JSON.stringify(data));
}

function resolve(flags: SettingFlags = {}, env: NodeJS.ProcessEnv = {}): Promise<ResolvedSettings> {
  return resolveSettings({flags, cwd: dir, env});
}

function line(resolved: ResolvedSettings, key: string): SettingReport {
  const found = resolved.report.find((each) => each.key === key);
  if (found === undefined) throw new Error(`no report line for ${key}`);
  return found;
}

const FILE_SETTINGS = {
  output: 'from-file',
  windowUnit: 'hours',
  concurrency: 3,
  llm: {url: 'http://127.0.0.1:8080/v1', model: 'file-model'},
};

describe('resolveSettings: defaults', () => {
  it('gives every default when nothing is set', async () => {
    const resolved = await resolve();
    expect(resolved.configFile).toBeNull();
    expect(resolved.apiKey).toEqual({value: null, origin: null});
    expect(resolved.settings).toEqual({
      output: 'site',
      windowUnit: 'messages',
      windowSize: undefined,
      overlap: 0,
      maxWindowTokens: DEFAULT_MAX_WINDOW_TOKENS,
      writer: 'digest',
      timezone: undefined,
      chat: undefined,
      dateOrder: undefined,
      maxSize: undefined,
      failFast: false,
      concurrency: DEFAULT_CONCURRENCY,
      maxTokens: undefined,
      html: true,
      title: undefined,
      llm: {
        url: DEFAULT_LLM_URL,
        model: null,
        instructions: '',
        timeoutSeconds: DEFAULT_LLM_TIMEOUT_SECONDS,
        cache: true,
      },
    });
  });

  it('reports every setting, in order, with source default and no origin', async () => {
    const resolved = await resolve();
    expect(resolved.report.map((each) => each.key)).toEqual([
      'output',
      'windowUnit',
      'windowSize',
      'overlap',
      'maxWindowTokens',
      'writer',
      'timezone',
      'chat',
      'dateOrder',
      'maxSize',
      'failFast',
      'concurrency',
      'maxTokens',
      'html',
      'title',
      'llm.url',
      'llm.model',
      'llm.instructions',
      'llm.timeoutSeconds',
      'llm.cache',
      'llm.apiKey',
    ]);
    for (const each of resolved.report) {
      expect(each.source, each.key).toBe('default');
      expect(each.origin, each.key).toBeNull();
    }
    expect(line(resolved, 'llm.url')).toEqual({
      key: 'llm.url',
      value: DEFAULT_LLM_URL,
      source: 'default',
      origin: null,
      secret: false,
    });
    expect(line(resolved, 'llm.model').value).toBeNull();
    expect(line(resolved, 'windowSize').value).toBeNull();
    expect(line(resolved, 'llm.apiKey')).toEqual({
      key: 'llm.apiKey',
      value: null,
      source: 'default',
      origin: null,
      secret: true,
    });
  });
});

describe('resolveSettings: precedence flags > env > file > defaults', () => {
  it('takes the file over the defaults, with the file path and key as origin', async () => {
    await withFile(FILE_SETTINGS);
    const resolved = await resolve();
    expect(resolved.configFile).toBe(configPath);
    expect(resolved.settings.output).toBe('from-file');
    expect(resolved.settings.windowUnit).toBe('hours');
    expect(resolved.settings.concurrency).toBe(3);
    expect(resolved.settings.llm.url).toBe('http://127.0.0.1:8080/v1');
    expect(resolved.settings.llm.model).toBe('file-model');
    expect(line(resolved, 'llm.url')).toEqual({
      key: 'llm.url',
      value: 'http://127.0.0.1:8080/v1',
      source: 'file',
      origin: `${configPath}: llm.url`,
      secret: false,
    });
    expect(line(resolved, 'output')).toMatchObject({source: 'file', origin: `${configPath}: output`});
    expect(line(resolved, 'concurrency')).toMatchObject({value: 3, source: 'file'});
    expect(line(resolved, 'llm.model')).toMatchObject({
      value: 'file-model',
      source: 'file',
      origin: `${configPath}: llm.model`,
    });
    expect(line(resolved, 'writer')).toMatchObject({source: 'default', origin: null});
  });

  it('takes the environment over the file', async () => {
    await withFile(FILE_SETTINGS);
    const resolved = await resolve(
      {},
      {EGREGORA_LLM_URL: 'http://127.0.0.1:9999/v1', EGREGORA_LLM_MODEL: 'env-model'},
    );
    expect(resolved.settings.llm.url).toBe('http://127.0.0.1:9999/v1');
    expect(resolved.settings.llm.model).toBe('env-model');
    expect(line(resolved, 'llm.url')).toMatchObject({source: 'env', origin: 'EGREGORA_LLM_URL'});
    expect(line(resolved, 'llm.model')).toMatchObject({
      value: 'env-model',
      source: 'env',
      origin: 'EGREGORA_LLM_MODEL',
    });
    // Settings without a variable still come from the file.
    expect(line(resolved, 'output')).toMatchObject({value: 'from-file', source: 'file'});
  });

  it('takes EGREGORA_LLM_URL over OPENAI_BASE_URL, and OPENAI_BASE_URL alone', async () => {
    const both = await resolve(
      {},
      {EGREGORA_LLM_URL: 'http://127.0.0.1:1/v1', OPENAI_BASE_URL: 'https://api.openai.com/v1'},
    );
    expect(both.settings.llm.url).toBe('http://127.0.0.1:1/v1');
    expect(line(both, 'llm.url').origin).toBe('EGREGORA_LLM_URL');
    const openai = await resolve({}, {OPENAI_BASE_URL: 'https://api.openai.com/v1'});
    expect(openai.settings.llm.url).toBe('https://api.openai.com/v1');
    expect(line(openai, 'llm.url')).toMatchObject({source: 'env', origin: 'OPENAI_BASE_URL'});
  });

  it('ignores variables that are empty or blank', async () => {
    await withFile(FILE_SETTINGS);
    const resolved = await resolve({}, {EGREGORA_LLM_URL: '  ', OPENAI_BASE_URL: '', EGREGORA_LLM_MODEL: ''});
    expect(line(resolved, 'llm.url')).toMatchObject({value: 'http://127.0.0.1:8080/v1', source: 'file'});
    expect(line(resolved, 'llm.model')).toMatchObject({value: 'file-model', source: 'file'});
  });

  it('trims a variable', async () => {
    const resolved = await resolve({}, {EGREGORA_LLM_MODEL: ' llama3.2 \n'});
    expect(resolved.settings.llm.model).toBe('llama3.2');
  });

  it('takes flags over the environment and the file', async () => {
    await withFile(FILE_SETTINGS);
    const resolved = await resolve(
      {
        output: 'from-flag',
        windowUnit: 'bytes',
        concurrency: 7,
        'llm.url': 'http://localhost:1234/v1',
        'llm.model': 'flag-model',
      },
      {EGREGORA_LLM_URL: 'http://127.0.0.1:9999/v1', EGREGORA_LLM_MODEL: 'env-model'},
    );
    expect(resolved.settings.output).toBe('from-flag');
    expect(resolved.settings.windowUnit).toBe('bytes');
    expect(resolved.settings.concurrency).toBe(7);
    expect(resolved.settings.llm.url).toBe('http://localhost:1234/v1');
    expect(resolved.settings.llm.model).toBe('flag-model');
    expect(line(resolved, 'llm.url')).toEqual({
      key: 'llm.url',
      value: 'http://localhost:1234/v1',
      source: 'flag',
      origin: '--llm-url',
      secret: false,
    });
    expect(line(resolved, 'llm.model')).toMatchObject({source: 'flag', origin: '--llm-model'});
    expect(line(resolved, 'output')).toMatchObject({source: 'flag', origin: '--output'});
    expect(line(resolved, 'windowUnit')).toMatchObject({source: 'flag', origin: '--window-unit'});
    expect(line(resolved, 'concurrency')).toMatchObject({value: 7, source: 'flag', origin: '--concurrency'});
  });

  it('keeps a false flag and a false file value (not mistaken for unset)', async () => {
    await withFile({failFast: true, llm: {cache: false}});
    const fromFile = await resolve();
    expect(fromFile.settings.failFast).toBe(true);
    expect(fromFile.settings.llm.cache).toBe(false);
    expect(line(fromFile, 'llm.cache')).toMatchObject({value: false, source: 'file'});
    const fromFlag = await resolve({failFast: false, 'llm.cache': true});
    expect(fromFlag.settings.failFast).toBe(false);
    expect(line(fromFlag, 'failFast')).toMatchObject({value: false, source: 'flag', origin: '--fail-fast'});
    expect(line(fromFlag, 'llm.cache')).toMatchObject({value: true, source: 'flag', origin: '--llm-cache'});
  });

  it('reads --config PATH and names it in the origins', async () => {
    const other = path.join(dir, 'custom.json');
    await writeFile(other, JSON.stringify({llm: {model: 'custom-model'}}));
    const resolved = await resolveSettings({flags: {}, configPath: 'custom.json', cwd: dir, env: {}});
    expect(resolved.configFile).toBe(other);
    expect(line(resolved, 'llm.model').origin).toBe(`${other}: llm.model`);
  });
});

describe('resolveSettings: the API key', () => {
  const KEY = 'sk-test-0123456789abcdef';

  it('comes from EGREGORA_LLM_API_KEY before OPENAI_API_KEY', async () => {
    const resolved = await resolve({}, {EGREGORA_LLM_API_KEY: KEY, OPENAI_API_KEY: 'sk-other-999999999999'});
    expect(resolved.apiKey).toEqual({value: KEY, origin: 'EGREGORA_LLM_API_KEY'});
    expect(line(resolved, 'llm.apiKey')).toEqual({
      key: 'llm.apiKey',
      value: '••••cdef',
      source: 'env',
      origin: 'EGREGORA_LLM_API_KEY',
      secret: true,
    });
  });

  it('falls back to OPENAI_API_KEY, skipping a blank EGREGORA_LLM_API_KEY', async () => {
    const resolved = await resolve({}, {EGREGORA_LLM_API_KEY: ' ', OPENAI_API_KEY: KEY});
    expect(resolved.apiKey).toEqual({value: KEY, origin: 'OPENAI_API_KEY'});
    expect(line(resolved, 'llm.apiKey')).toMatchObject({value: '••••cdef', origin: 'OPENAI_API_KEY'});
  });

  it('never appears in full in the report', async () => {
    await withFile(FILE_SETTINGS);
    const resolved = await resolve({'llm.model': 'm'}, {OPENAI_API_KEY: KEY});
    const json = JSON.stringify(resolved.report);
    expect(json).not.toContain(KEY);
    expect(json).not.toContain('0123456789');
    expect(json).not.toContain('sk-test');
  });

  it('masks keys shorter than 12 characters completely', async () => {
    const resolved = await resolve({}, {EGREGORA_LLM_API_KEY: 'short-key1'});
    expect(line(resolved, 'llm.apiKey').value).toBe('••••');
    expect(JSON.stringify(resolved.report)).not.toContain('key1');
  });

  it('maskSecret shows the last four characters from 12 characters on', () => {
    expect(maskSecret('abcdefghijk')).toBe('••••');
    expect(maskSecret('abcdefghijkl')).toBe('••••ijkl');
    expect(maskSecret('')).toBe('••••');
  });

  it('resolveApiKey trims the value and gives null when unset', () => {
    expect(resolveApiKey({OPENAI_API_KEY: `  ${KEY}\n`})).toEqual({value: KEY, origin: 'OPENAI_API_KEY'});
    expect(resolveApiKey({})).toEqual({value: null, origin: null});
  });
});

describe('resolveSettings: bad values from the environment', () => {
  async function envError(env: NodeJS.ProcessEnv): Promise<UserError> {
    try {
      await resolve({}, env);
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      return error as UserError;
    }
    throw new Error('expected a UserError');
  }

  it('refuses an EGREGORA_LLM_URL that is not http(s), naming the variable', async () => {
    const error = await envError({EGREGORA_LLM_URL: 'ftp://example.com/v1'});
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.exitCode).toBe(2);
    // The URL itself is not repeated: a refused URL may hold a password.
    expect(error.message).toBe('EGREGORA_LLM_URL must start with http:// or https://.');
    expect(error.hint).toContain('EGREGORA_LLM_URL');
  });

  it('refuses an OPENAI_BASE_URL that is not a URL, naming the variable', async () => {
    const error = await envError({OPENAI_BASE_URL: 'localhost'});
    expect(error.exitCode).toBe(2);
    expect(error.message.startsWith('OPENAI_BASE_URL ')).toBe(true);
  });

  it('refuses an EGREGORA_LLM_MODEL with a space', async () => {
    const error = await envError({EGREGORA_LLM_MODEL: 'llama 3'});
    expect(error.exitCode).toBe(2);
    expect(error.message.startsWith('EGREGORA_LLM_MODEL ')).toBe(true);
  });

  it('does not check the variable when a flag wins over it', async () => {
    const resolved = await resolve({'llm.url': 'http://127.0.0.1:2/v1'}, {EGREGORA_LLM_URL: 'ftp://x'});
    expect(resolved.settings.llm.url).toBe('http://127.0.0.1:2/v1');
  });

  it('passes a bad egregora.json on as a usage error naming the file', async () => {
    await withFile({llm: {url: 'ftp://x'}});
    await expect(resolve()).rejects.toMatchObject({
      exitCode: 2,
      message: `${configPath}: llm.url: must start with http:// or https://.`,
    });
  });
});

describe('resolveSettings: bad values from flags', () => {
  it('refuses --llm-url with a user name and password, without repeating them', async () => {
    const error = await resolveSettings({
      flags: {'llm.url': 'https://bob:hunter2@api.example.com/v1'},
      cwd: '/nonexistent',
      env: {},
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(ExitCode.usage);
    expect((error as UserError).message).toContain('--llm-url');
    expect((error as UserError).message).not.toContain('hunter2');
  });

  it('refuses --llm-model with a space', async () => {
    await expect(
      resolveSettings({flags: {'llm.model': 'llama 3'}, cwd: '/nonexistent', env: {}}),
    ).rejects.toBeInstanceOf(UserError);
  });

  it('does not print the password of a refused EGREGORA_LLM_URL', async () => {
    const error = await resolveSettings({
      flags: {},
      cwd: '/nonexistent',
      env: {EGREGORA_LLM_URL: 'https://bob:hunter2@api.example.com/v1'},
    }).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain('EGREGORA_LLM_URL');
    expect((error as Error).message).not.toContain('hunter2');
  });
});
