import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {loadConfigFile, parseConfigText} from '../../src/config/file.js';
import {ExitCode, UserError} from '../../src/util/errors.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'egregora-config-file-'));
});

afterEach(async () => {
  await rm(dir, {recursive: true, force: true});
});

/** The UserError a call throws (fails the test when it throws something else or nothing). */
function userErrorOf(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

async function userErrorOfAsync(run: () => Promise<unknown>): Promise<UserError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

const FILE = '/projects/club/egregora.json';

describe('loadConfigFile', () => {
  it('gives null when there is no egregora.json and no --config', async () => {
    expect(await loadConfigFile(undefined, dir)).toBeNull();
  });

  it('reads egregora.json from cwd, with an absolute path', async () => {
    await writeFile(path.join(dir, 'egregora.json'), '{"output": "blog", "llm": {"model": "llama3.2"}}');
    expect(await loadConfigFile(undefined, dir)).toEqual({
      path: path.join(dir, 'egregora.json'),
      data: {output: 'blog', llm: {model: 'llama3.2'}},
    });
  });

  it('reads --config PATH relative to cwd, instead of egregora.json', async () => {
    await writeFile(path.join(dir, 'egregora.json'), '{"output": "ignored"}');
    await writeFile(path.join(dir, 'other.json'), '{"output": "chosen"}');
    expect(await loadConfigFile('other.json', dir)).toEqual({
      path: path.join(dir, 'other.json'),
      data: {output: 'chosen'},
    });
  });

  it('refuses a missing --config file as a usage error naming the path', async () => {
    const missing = path.join(dir, 'nope', 'settings.json');
    const error = await userErrorOfAsync(() => loadConfigFile(missing, dir));
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`Cannot read the settings file ${missing}: it does not exist.`);
    expect(error.path).toBe(missing);
    expect(error.hint).toBe('Check the path given to --config.');
  });

  it('refuses a default egregora.json that is a folder (not silently skipped)', async () => {
    const folder = path.join(dir, 'egregora.json');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    const error = await userErrorOfAsync(() => loadConfigFile(undefined, dir));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`Cannot read the settings file ${folder}: it is a directory.`);
  });

  it('names the file, the line and the column of bad JSON', async () => {
    const file = path.join(dir, 'egregora.json');
    await writeFile(file, '{\n  "output": "blog",\n  "writer" "llm"\n}\n');
    const error = await userErrorOfAsync(() => loadConfigFile(undefined, dir));
    expect(error.exitCode).toBe(2);
    expect(error.message.startsWith(`${file} is not valid JSON: `)).toBe(true);
    expect(error.message).toContain('(line 3, column 12)');
    expect(error.path).toBe(file);
  });
});

describe('parseConfigText', () => {
  it('gives the line and column of a trailing comma', () => {
    const error = userErrorOf(() => parseConfigText('{"output": "blog",\n}', FILE));
    expect(error.message).toContain(FILE);
    expect(error.message).toContain('(line 2, column 1)');
  });

  it('refuses JSON that is not an object', () => {
    const error = userErrorOf(() => parseConfigText('[1, 2]', FILE));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`${FILE}: the file must hold one JSON object.`);
  });

  it('names an unknown top-level key', () => {
    const error = userErrorOf(() => parseConfigText('{"output": "blog", "outptu": "x"}', FILE));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`${FILE}: unknown key 'outptu' in the top level.`);
    expect(error.path).toBe(FILE);
  });

  it('names an unknown key inside llm by its path', () => {
    const error = userErrorOf(() => parseConfigText('{"llm": {"model": "m", "temperature": 0.2}}', FILE));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`${FILE}: unknown key 'temperature' in llm.`);
  });

  it('names several unknown keys at once', () => {
    const error = userErrorOf(() => parseConfigText('{"a": 1, "b": 2}', FILE));
    expect(error.message).toBe(`${FILE}: unknown keys 'a', 'b' in the top level.`);
  });

  it.each([
    ['concurrency 0', '{"concurrency": 0}', 'concurrency: '],
    ['concurrency 1.5', '{"concurrency": 1.5}', 'concurrency: '],
    ['concurrency 33', '{"concurrency": 33}', 'concurrency: '],
    ['windowUnit days', '{"windowUnit": "days"}', 'windowUnit: '],
    ['overlap 0.9', '{"overlap": 0.9}', 'overlap: '],
    ['llm.timeoutSeconds "x"', '{"llm": {"timeoutSeconds": "x"}}', 'llm.timeoutSeconds: '],
    ['llm.timeoutSeconds 0', '{"llm": {"timeoutSeconds": 0}}', 'llm.timeoutSeconds: '],
    ['llm.cache "yes"', '{"llm": {"cache": "yes"}}', 'llm.cache: '],
    ['llm.model with a space', '{"llm": {"model": "llama 3"}}', 'llm.model: '],
    ['llm a string', '{"llm": "llama3.2"}', 'llm: '],
    ['maxSize "lots"', '{"maxSize": "lots"}', 'maxSize: '],
  ])('names the key path of a bad value: %s', (_label, text, where) => {
    const error = userErrorOf(() => parseConfigText(text, FILE));
    expect(error.exitCode).toBe(2);
    expect(error.message.startsWith(`${FILE}: ${where}`)).toBe(true);
    expect(error.path).toBe(FILE);
    expect(error.hint).toContain('schemas/egregora.schema.json');
  });

  it('refuses an llm.url that is not http(s), naming llm.url and what is expected', () => {
    const error = userErrorOf(() => parseConfigText('{"llm": {"url": "ftp://x"}}', FILE));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`${FILE}: llm.url: must start with http:// or https://.`);
  });

  it('refuses an llm.url that is not a URL', () => {
    const error = userErrorOf(() => parseConfigText('{"llm": {"url": "not a url"}}', FILE));
    expect(error.message).toBe(`${FILE}: llm.url: must be a URL such as http://127.0.0.1:11434/v1.`);
  });

  it('refuses an llm.url with a user name and password', () => {
    const error = userErrorOf(() =>
      parseConfigText('{"llm": {"url": "https://user:pass@api.example.com/v1"}}', FILE),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      `${FILE}: llm.url: must not hold a user name or password (put the key in EGREGORA_LLM_API_KEY).`,
    );
    expect(error.message).not.toContain('pass@');
  });

  it('lists every issue in the details', () => {
    const error = userErrorOf(() =>
      parseConfigText('{"concurrency": 0, "llm": {"timeoutSeconds": "x"}}', FILE),
    );
    expect(error.details).toEqual([
      {path: 'concurrency', message: expect.any(String)},
      {path: 'llm.timeoutSeconds', message: expect.any(String)},
    ]);
  });

  it('parses a full valid file', () => {
    const full = {
      $schema: './schemas/egregora.schema.json',
      output: 'blog',
      windowUnit: 'hours',
      windowSize: 24,
      overlap: 0.25,
      maxWindowTokens: 8000,
      writer: 'llm',
      timezone: 'Europe/Lisbon',
      chat: 'WhatsApp Chat with Book Club.txt',
      maxSize: '4GiB',
      failFast: true,
      concurrency: 8,
      maxTokens: 200000,
      llm: {
        url: 'https://api.example.com/v1',
        model: 'qwen2.5:7b',
        instructions: 'Write in Portuguese.',
        timeoutSeconds: 120,
        cache: false,
      },
    };
    expect(parseConfigText(JSON.stringify(full, null, 2), FILE)).toEqual(full);
  });

  it('accepts an empty object and a byte count as maxSize', () => {
    expect(parseConfigText('{}', FILE)).toEqual({});
    expect(parseConfigText('{"maxSize": 1048576}', FILE)).toEqual({maxSize: 1048576});
  });
});
