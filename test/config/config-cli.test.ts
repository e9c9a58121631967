// Spawns the built CLI (`npm run build` first, as `npm test` does).
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {type ConfigOutput, ConfigOutputSchema, type SettingReport} from '../../schemas/config.js';
import {DEFAULT_CONCURRENCY} from '../../src/pipeline/limits.js';
import {type CliResult, runCli, tempDir} from '../helpers/cli.js';

/** Variables of the developer's own shell that would change what `config` shows. */
const CLEAN_ENV: NodeJS.ProcessEnv = {
  EGREGORA_LLM_URL: undefined,
  OPENAI_BASE_URL: undefined,
  EGREGORA_LLM_MODEL: undefined,
  EGREGORA_LLM_API_KEY: undefined,
  OPENAI_API_KEY: undefined,
};

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({dir, cleanup} = await tempDir('egregora-config-cli-'));
});

afterEach(async () => {
  await cleanup();
});

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, {cwd: dir, env: {...CLEAN_ENV, ...env}});
}

function parseOutput(result: CliResult): ConfigOutput {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return ConfigOutputSchema.parse(JSON.parse(result.stdout));
}

function line(output: ConfigOutput, key: string): SettingReport {
  const found = output.settings.find((each) => each.key === key);
  if (found === undefined) throw new Error(`no line for ${key}`);
  return found;
}

describe('egregora config', () => {
  it('--json in an empty folder: no settings file, every setting a default', async () => {
    const output = parseOutput(await run(['config', '--json']));
    expect(output.config_file).toBeNull();
    expect(output.settings).toHaveLength(21);
    for (const each of output.settings) {
      expect(each.source, each.key).toBe('default');
      expect(each.origin, each.key).toBeNull();
    }
    const values = Object.fromEntries(output.settings.map((each) => [each.key, each.value]));
    expect(values).toEqual({
      output: 'site',
      windowUnit: 'messages',
      windowSize: null,
      overlap: 0,
      maxWindowTokens: 32000,
      writer: 'digest',
      timezone: null,
      chat: null,
      dateOrder: null,
      maxSize: null,
      failFast: false,
      concurrency: DEFAULT_CONCURRENCY,
      maxTokens: null,
      html: true,
      title: null,
      'llm.url': 'http://127.0.0.1:11434/v1',
      'llm.model': null,
      'llm.instructions': '',
      'llm.timeoutSeconds': 300,
      'llm.cache': true,
      'llm.apiKey': null,
    });
  });

  it('shows where each setting came from: flag, env, egregora.json, default', async () => {
    const file = path.join(dir, 'egregora.json');
    await writeFile(
      file,
      JSON.stringify({
        $schema: './schemas/egregora.schema.json',
        output: 'blog',
        llm: {url: 'http://127.0.0.1:8080/v1', model: 'file-model', timeoutSeconds: 60},
      }),
    );
    const output = parseOutput(
      await run(['config', '--json', '--llm-url', 'http://localhost:5000/v1'], {
        EGREGORA_LLM_MODEL: 'env-model',
      }),
    );
    expect(output.config_file).toBe(file);
    expect(line(output, 'llm.url')).toEqual({
      key: 'llm.url',
      value: 'http://localhost:5000/v1',
      source: 'flag',
      origin: '--llm-url',
      secret: false,
    });
    expect(line(output, 'llm.model')).toEqual({
      key: 'llm.model',
      value: 'env-model',
      source: 'env',
      origin: 'EGREGORA_LLM_MODEL',
      secret: false,
    });
    expect(line(output, 'output')).toEqual({
      key: 'output',
      value: 'blog',
      source: 'file',
      origin: `${file}: output`,
      secret: false,
    });
    expect(line(output, 'llm.timeoutSeconds')).toMatchObject({value: 60, source: 'file'});
    expect(line(output, 'writer')).toEqual({
      key: 'writer',
      value: 'digest',
      source: 'default',
      origin: null,
      secret: false,
    });
  });

  it('reads --config PATH', async () => {
    const file = path.join(dir, 'elsewhere.json');
    await writeFile(file, JSON.stringify({writer: 'llm'}));
    const output = parseOutput(await run(['config', '--json', '--config', 'elsewhere.json']));
    expect(output.config_file).toBe(file);
    expect(line(output, 'writer')).toMatchObject({value: 'llm', source: 'file', origin: `${file}: writer`});
  });

  it('prints a table of Setting, Value and Source without --json', async () => {
    await writeFile(path.join(dir, 'egregora.json'), JSON.stringify({output: 'blog'}));
    const result = await run(['config', '--llm-model', 'llama3.2']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Settings file: ${path.join(dir, 'egregora.json')}`);
    expect(lines[1]).toMatch(/^Setting\s+Value\s+Source\s*$/);
    expect(result.stdout).toMatch(/^llm\.model\s+llama3\.2\s+flag \(--llm-model\)\s*$/m);
    expect(result.stdout).toMatch(/^output\s+blog\s+file \(.*egregora\.json: output\)\s*$/m);
    expect(result.stdout).toMatch(/^writer\s+digest\s+default\s*$/m);
    expect(result.stdout).toMatch(/^windowSize\s+\(not set\)\s+default\s*$/m);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('says there is no settings file in the human output', async () => {
    const result = await run(['config']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Settings file: none (egregora.json not found)');
    expect(result.stderr).toContain('No egregora.json here');
  });

  it('never prints the API key, in the table or in JSON', async () => {
    const key = 'sk-test-0123456789abcdef';
    for (const args of [['config'], ['config', '--json']]) {
      const result = await run(args, {OPENAI_API_KEY: key});
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain(key);
      expect(result.stderr).not.toContain(key);
      expect(result.stdout).not.toContain('0123456789');
      expect(result.stdout).toContain('••••cdef');
    }
    const output = parseOutput(await run(['config', '--json'], {OPENAI_API_KEY: key}));
    expect(line(output, 'llm.apiKey')).toEqual({
      key: 'llm.apiKey',
      value: '••••cdef',
      source: 'env',
      origin: 'OPENAI_API_KEY',
      secret: true,
    });
  });

  it('stops with exit code 2 naming the file and the key of a broken egregora.json', async () => {
    const file = path.join(dir, 'egregora.json');
    await writeFile(file, JSON.stringify({llm: {model: 'm', temperature: 0.3}}));
    const result = await run(['config']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file}: unknown key 'temperature' in llm.`);
  });

  it('stops with exit code 2 naming the file and the key path of a bad value', async () => {
    const file = path.join(dir, 'egregora.json');
    await writeFile(file, JSON.stringify({llm: {url: 'ftp://example.com'}}));
    const result = await run(['config', '--json']);
    expect(result.code).toBe(2);
    const error = JSON.parse(result.stdout) as {error: {message: string; path: string; exitCode: number}};
    expect(error.error).toMatchObject({
      message: `${file}: llm.url: must start with http:// or https://.`,
      path: file,
      exitCode: 2,
    });
  });

  it('stops with exit code 2 naming the variable of a bad EGREGORA_LLM_URL', async () => {
    const result = await run(['config'], {EGREGORA_LLM_URL: 'ftp://example.com'});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('EGREGORA_LLM_URL must start with http:// or https://');
  });
});

describe('egregora process --writer llm without a model', () => {
  it('stops with exit code 2 saying how to pick a model, before looking at the input', async () => {
    // x.zip does not exist: the model error must come first (it would otherwise be exit code 7).
    const result = await run(['process', 'x.zip', '--writer', 'llm']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The LLM writer needs a model, and none was given.');
    expect(result.stderr).toContain('--llm-model');
    expect(result.stderr).toContain('EGREGORA_LLM_MODEL');
    expect(result.stderr).not.toContain('x.zip');
  });

  it('also when the writer comes from egregora.json', async () => {
    await writeFile(path.join(dir, 'egregora.json'), JSON.stringify({writer: 'llm'}));
    const result = await run(['process', 'x.zip']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--llm-model');
  });
});
