import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Window} from '../../../schemas/window.js';
import {ExitCode, UserError} from '../../../src/util/errors.js';
import {estimateTextTokens} from '../../../src/windows/estimate-tokens.js';
import {LLM_CACHE_DIR, LLM_CACHE_FILE} from '../../../src/writers/llm/cache.js';
import {LlmRequestError, LlmUnavailableError} from '../../../src/writers/llm/errors.js';
import {createLlmWriter, type LlmWriterSeams} from '../../../src/writers/llm/llm-writer.js';
import {buildPromptMessages} from '../../../src/writers/llm/prompt.js';
import {MAX_ATTEMPTS} from '../../../src/writers/llm/retry-policy.js';
import {
  type LlmUsage,
  usageOfError,
  type Writer,
  type WriterContext,
  type WriterInput,
  type WriterOutput,
} from '../../../src/writers/writer.js';
import {
  type ChatReplyPlan,
  type FakeLlmServer,
  postReply,
  type RecordedRequest,
  sequenceResponder,
  startFakeLlmServer,
} from '../../helpers/fake-llm-server.js';
import {NO_MEDIA, windowOf} from '../digest/harness.js';

const MODEL = 'test-model';

let servers: FakeLlmServer[] = [];
let dirs: string[] = [];

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all(dirs.map((dir) => rm(dir, {recursive: true, force: true})));
  servers = [];
  dirs = [];
});

async function start(plans: readonly ChatReplyPlan[] = []): Promise<FakeLlmServer> {
  const server = await startFakeLlmServer({responder: sequenceResponder(plans)});
  servers.push(server);
  return server;
}

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'egregora-llm-writer-'));
  dirs.push(dir);
  return path.join(dir, '.egregora');
}

interface Harness {
  readonly writer: Writer;
  readonly context: WriterContext;
  /** Delays the writer asked to wait, in order (made instant). */
  readonly sleeps: number[];
  readonly warnings: string[];
}

async function harness(
  url: string,
  options: {
    llm?: Partial<WriterContext['llm']>;
    apiKey?: string | null;
    stateDir?: string;
    seams?: LlmWriterSeams;
  } = {},
): Promise<Harness> {
  const sleeps: number[] = [];
  const warnings: string[] = [];
  const context: WriterContext = {
    stateDir: options.stateDir ?? (await stateDir()),
    llm: {url, model: MODEL, instructions: '', timeoutSeconds: 5, cache: false, ...options.llm},
    apiKey: options.apiKey ?? null,
    onWarning: (message) => warnings.push(message),
  };
  const writer = createLlmWriter(context, {
    random: () => 0,
    sleep: async (ms, signal) => {
      signal.throwIfAborted();
      sleeps.push(ms);
    },
    ...options.seams,
  });
  return {writer, context, sleeps, warnings};
}

const WINDOW: Window = windowOf([
  {author: 'amber-heron', text: 'Shall we hold the spring fair on May 4?'},
  {author: 'quiet-otter', text: 'Yes, and I can bring the tables.'},
  {author: 'amber-heron', text: 'Great, I will book the hall.'},
  {author: null, text: 'quiet-otter changed the group description'},
]);

const OTHER_WINDOW: Window = windowOf([{author: 'quiet-otter', text: 'The fair went well, thanks all.'}], 1);

function inputOf(
  window: Window = WINDOW,
  options: {signal?: AbortSignal; realNames?: readonly string[]} = {},
): WriterInput {
  return {
    window,
    chat: {
      title: 'Garden club',
      windowCount: 2,
      ...(options.realNames ? {realNames: options.realNames} : {}),
    },
    media: NO_MEDIA,
    signal: options.signal ?? new AbortController().signal,
  };
}

const GOOD_POST = {
  title: 'Spring fair plans',
  summary: 'The group set a date for the fair.',
  tags: ['Fair', '#planning', 'fair'],
  body: 'The fair will be on **May 4**.\n\nTables and the hall are sorted.',
};

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function usage(overrides: Partial<LlmUsage>): LlmUsage {
  return {
    model: MODEL,
    requests: 0,
    retries: 0,
    repairs: 0,
    cacheHits: 0,
    promptTokens: 0,
    completionTokens: 0,
    fallback: false,
    ...overrides,
  };
}

function bodyOf(request: RecordedRequest | undefined): Record<string, unknown> {
  if (request === undefined) throw new Error('no such request');
  return request.json as Record<string, unknown>;
}

function onlyPost(output: WriterOutput) {
  expect(output.posts).toHaveLength(1);
  return output.posts[0] as WriterOutput['posts'][number];
}

describe('createLlmWriter: a good reply', () => {
  it('turns the reply into one post with front matter, and counts what the server reported', async () => {
    const server = await start([postReply(GOOD_POST)]);
    const {writer, sleeps} = await harness(server.url);
    const output = await writer.write(inputOf());

    const post = onlyPost(output);
    expect(post.frontMatter).toEqual({
      title: 'Spring fair plans',
      slug: 'spring-fair-plans',
      date: '2024-01-02',
      tags: ['fair', 'planning'],
      summary: 'The group set a date for the fair.',
      authors: ['amber-heron', 'quiet-otter'],
      window: 0,
    });
    expect(post.relativePath).toBe('posts/2024-01-02-w0000-spring-fair-plans.md');
    expect(post.content).toBe(
      [
        '---',
        'title: "Spring fair plans"',
        'slug: "spring-fair-plans"',
        'date: "2024-01-02"',
        'tags:',
        '  - "fair"',
        '  - "planning"',
        'summary: "The group set a date for the fair."',
        'authors:',
        '  - "amber-heron"',
        '  - "quiet-otter"',
        'window: 0',
        '---',
        '',
        '# Spring fair plans',
        '',
        'The fair will be on **May 4**.',
        '',
        'Tables and the hall are sorted.',
        '',
      ].join('\n'),
    );
    expect(output.media).toEqual([]);
    expect(output.shortfalls).toEqual([]);

    const reported = server.tokensReported;
    expect(reported.total).toBeGreaterThan(0);
    expect(output.llmCalls).toBe(1);
    expect(output.tokens).toBe(reported.total);
    expect(output.llm).toEqual(
      usage({requests: 1, promptTokens: reported.prompt, completionTokens: reported.completion}),
    );
    expect(server.chatRequests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('sends one Chat Completions request with the prompt, the model and the reply schema', async () => {
    const server = await start([postReply(GOOD_POST)]);
    const {writer} = await harness(server.url, {llm: {instructions: 'Be brief.'}});
    await writer.write(inputOf());
    const [request] = server.chatRequests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer egregora-no-key');
    const body = bodyOf(request);
    expect(body.model).toBe(MODEL);
    expect(body.messages).toEqual(
      buildPromptMessages({window: WINDOW, windowCount: 2, instructions: 'Be brief.'}),
    );
    expect(body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: {name: 'egregora_post', strict: true},
    });
    expect(body.stream ?? false).toBe(false);
  });

  it('sends the API key as a bearer token', async () => {
    const server = await start([postReply(GOOD_POST)]);
    const {writer} = await harness(server.url, {apiKey: 'sk-live-abcdefghijklmnop'});
    await writer.write(inputOf());
    expect(server.chatRequests[0]?.headers.authorization).toBe('Bearer sk-live-abcdefghijklmnop');
  });

  it('counts zero tokens when the server reports no usage', async () => {
    const server = await start([postReply(GOOD_POST, {usage: null})]);
    const {writer} = await harness(server.url);
    const output = await writer.write(inputOf());
    expect(output.llmCalls).toBe(1);
    expect(output.tokens).toBe(0);
    expect(output.llm).toEqual(usage({requests: 1}));
  });
});

describe('createLlmWriter: retries', () => {
  it('waits what retry-after-ms asks after a 429, then succeeds', async () => {
    const server = await start([
      {kind: 'status', status: 429, headers: {'retry-after-ms': '250'}},
      postReply(GOOD_POST),
    ]);
    const {writer, sleeps} = await harness(server.url);
    const output = await writer.write(inputOf());
    expect(server.chatRequests).toHaveLength(2);
    expect(sleeps).toEqual([250]);
    expect(output.llmCalls).toBe(2);
    expect(output.tokens).toBe(server.tokensReported.total);
    expect(output.llm).toEqual(
      usage({
        requests: 2,
        retries: 1,
        promptTokens: server.tokensReported.prompt,
        completionTokens: server.tokensReported.completion,
      }),
    );
    expect(onlyPost(output).frontMatter.title).toBe('Spring fair plans');
  });

  it('waits what retry-after (seconds) asks after a 503', async () => {
    const server = await start([
      {kind: 'status', status: 503, headers: {'retry-after': '2'}},
      postReply(GOOD_POST),
    ]);
    const {writer, sleeps} = await harness(server.url);
    await writer.write(inputOf());
    expect(sleeps).toEqual([2000]);
    expect(server.chatRequests).toHaveLength(2);
  });

  it('gives up at once when the server asks for a wait longer than egregora waits', async () => {
    const server = await start([{kind: 'status', status: 429, headers: {'retry-after': '600'}}]);
    const {writer, sleeps} = await harness(server.url);
    const error = await rejection(writer.write(inputOf()));
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error.message).toContain('(the server asked to wait 600 s, longer than egregora waits)');
    expect(server.chatRequests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts of 500, with exponential backoff, and the error carries the usage`, async () => {
    const server = await start(
      Array.from({length: MAX_ATTEMPTS}, () => ({kind: 'status', status: 500}) as const),
    );
    const {writer, sleeps} = await harness(server.url);
    const error = await rejection(writer.write(inputOf()));
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error).not.toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `HTTP 500 from ${server.url}/chat/completions: fake 500 (gave up after ${MAX_ATTEMPTS} attempts)`,
    );
    expect((error as LlmRequestError).status).toBe(500);
    expect(server.chatRequests).toHaveLength(MAX_ATTEMPTS);
    expect(sleeps).toEqual([500, 1000, 2000, 4000]);
    expect(usageOfError(error)).toEqual(usage({requests: MAX_ATTEMPTS, retries: MAX_ATTEMPTS - 1}));
  });

  it('does not retry a 400', async () => {
    const server = await start([
      {kind: 'status', status: 400, body: {error: {message: 'messages must not be empty'}}},
    ]);
    const {writer, sleeps} = await harness(server.url);
    const error = await rejection(writer.write(inputOf()));
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error.message).toBe(`HTTP 400 from ${server.url}/chat/completions: messages must not be empty`);
    expect(server.chatRequests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(usageOfError(error)).toEqual(usage({requests: 1}));
  });

  it('retries a request that timed out', async () => {
    const server = await start([{kind: 'hang'}, postReply(GOOD_POST)]);
    const {writer, sleeps} = await harness(server.url, {llm: {timeoutSeconds: 1}});
    const started = performance.now();
    const output = await writer.write(inputOf());
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(server.chatRequests).toHaveLength(2);
    expect(sleeps).toEqual([500]);
    expect(output.llm).toMatchObject({requests: 2, retries: 1, fallback: false});
    expect(onlyPost(output).frontMatter.title).toBe('Spring fair plans');
  });

  it('retries a reply body that is not JSON', async () => {
    const server = await start([
      {kind: 'malformed', text: '<html>502 Bad Gateway</html>'},
      postReply(GOOD_POST),
    ]);
    const {writer} = await harness(server.url);
    const output = await writer.write(inputOf());
    expect(server.chatRequests).toHaveLength(2);
    expect(output.llm).toMatchObject({requests: 2, retries: 1, repairs: 0});
  });
});

describe('createLlmWriter: failures that stop the whole process', () => {
  it('401: LlmUnavailableError (exit 15) with a hint about EGREGORA_LLM_API_KEY, not retried', async () => {
    const server = await start([{kind: 'status', status: 401, body: {error: {message: 'Unauthorized'}}}]);
    const {writer, sleeps} = await harness(server.url);
    const error = await rejection(writer.write(inputOf()));
    expect(error).toBeInstanceOf(LlmUnavailableError);
    const unavailable = error as LlmUnavailableError;
    expect(unavailable.exitCode).toBe(ExitCode.llmUnavailable);
    expect(unavailable.exitCode).toBe(15);
    expect(unavailable.message).toBe(
      `The LLM server at ${server.url} refused the request (HTTP 401: Unauthorized).`,
    );
    expect(unavailable.hint).toBe(
      'This server needs an API key: set EGREGORA_LLM_API_KEY (or OPENAI_API_KEY).',
    );
    expect(server.chatRequests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(usageOfError(error)).toEqual(usage({requests: 1}));
  });

  it('403 with a key: the hint says to check the key', async () => {
    const server = await start([{kind: 'status', status: 403}]);
    const {writer} = await harness(server.url, {apiKey: 'sk-live-abcdefghijklmnop'});
    const error = (await rejection(writer.write(inputOf()))) as LlmUnavailableError;
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.hint).toContain('Check the key in EGREGORA_LLM_API_KEY');
    expect(server.chatRequests).toHaveLength(1);
  });

  it('404 naming the model: LlmUnavailableError whose hint says `ollama pull`', async () => {
    const server = await start([
      {
        kind: 'status',
        status: 404,
        body: {error: {message: `model '${MODEL}' not found, try pulling it first`}},
      },
    ]);
    const {writer} = await harness(server.url);
    const error = (await rejection(writer.write(inputOf()))) as LlmUnavailableError;
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.exitCode).toBe(15);
    expect(error.message).toBe(
      `The LLM server at ${server.url} has no model '${MODEL}' (model '${MODEL}' not found, try pulling it first).`,
    );
    expect(error.hint).toContain(`\`ollama pull ${MODEL}\``);
    expect(error.hint).toContain('--llm-model');
    expect(server.chatRequests).toHaveLength(1);
  });

  it('404 not about a model: the endpoint is wrong', async () => {
    const server = await start([{kind: 'status', status: 404, body: {error: {message: 'no route'}}}]);
    const {writer} = await harness(server.url);
    const error = (await rejection(writer.write(inputOf()))) as LlmUnavailableError;
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.message).toBe(`No Chat Completions endpoint at ${server.url}/chat/completions (HTTP 404).`);
    expect(error.hint).toContain('--llm-url');
  });

  it('connection refused with no answer ever: LlmUnavailableError after every attempt', async () => {
    const gone = await startFakeLlmServer();
    const url = gone.url;
    await gone.close();
    const {writer, sleeps} = await harness(url);
    const error = (await rejection(writer.write(inputOf()))) as LlmUnavailableError;
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.exitCode).toBe(15);
    expect(
      error.message.startsWith(`Cannot reach the LLM server at ${url} (${MAX_ATTEMPTS} attempts): `),
    ).toBe(true);
    expect(error.hint).toContain('ollama serve');
    expect(sleeps).toHaveLength(MAX_ATTEMPTS - 1);
    expect(usageOfError(error)).toEqual(usage({requests: MAX_ATTEMPTS, retries: MAX_ATTEMPTS - 1}));
  });

  it('connection refused after the server answered once: one window fails, the process is not stopped', async () => {
    const server = await start([postReply(GOOD_POST)]);
    const {writer} = await harness(server.url);
    await writer.write(inputOf());
    await server.close();
    const error = await rejection(writer.write(inputOf(OTHER_WINDOW)));
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error).not.toBeInstanceOf(LlmUnavailableError);
    expect(error.message).toContain(`(gave up after ${MAX_ATTEMPTS} attempts)`);
  });
});

describe('createLlmWriter: reply validation, repair and fallback', () => {
  it('asks once more when the reply is not valid, then takes the repaired one', async () => {
    const server = await start([
      {kind: 'reply', content: 'Sorry, here you go: no JSON today'},
      postReply(GOOD_POST),
    ]);
    const {writer} = await harness(server.url);
    const output = await writer.write(inputOf());
    expect(server.chatRequests).toHaveLength(2);
    expect(output.llm).toEqual(
      usage({
        requests: 2,
        repairs: 1,
        promptTokens: server.tokensReported.prompt,
        completionTokens: server.tokensReported.completion,
      }),
    );
    expect(output.llmCalls).toBe(2);
    expect(output.tokens).toBe(server.tokensReported.total);
    expect(onlyPost(output).frontMatter.title).toBe('Spring fair plans');
    const messages = bodyOf(server.chatRequests[1]).messages as {role: string; content: string}[];
    expect(messages).toHaveLength(4);
    expect(messages[2]).toEqual({role: 'assistant', content: 'Sorry, here you go: no JSON today'});
    expect(messages[3]?.role).toBe('user');
    expect(messages[3]?.content.startsWith('That reply cannot be used: it is not a JSON object. ')).toBe(
      true,
    );
  });

  it('falls back to the digest writer when the repaired reply is invalid too', async () => {
    const server = await start([
      {kind: 'reply', content: 'not json'},
      {kind: 'reply', content: JSON.stringify({...GOOD_POST, author: 'x'})},
    ]);
    const {writer} = await harness(server.url);
    const output = await writer.write(inputOf());
    expect(server.chatRequests).toHaveLength(2);
    const post = onlyPost(output);
    expect(post.relativePath.startsWith('posts/2024-01-02-w0000-')).toBe(true);
    expect(post.frontMatter.title).not.toBe('Spring fair plans');
    expect(output.shortfalls[0]).toBe(
      'LLM reply unusable (it is not a JSON object; after one repair request: the object Unrecognized key: "author"); ' +
        'the post was written by the digest writer',
    );
    expect(output.shortfalls[0]).toContain('digest');
    expect(output.llmCalls).toBe(2);
    expect(output.tokens).toBe(server.tokensReported.total);
    expect(output.llm).toEqual(
      usage({
        requests: 2,
        repairs: 1,
        fallback: true,
        promptTokens: server.tokensReported.prompt,
        completionTokens: server.tokensReported.completion,
      }),
    );
  });

  it('treats a reply naming a real person as invalid, and sends the name back to no one', async () => {
    const server = await start([
      postReply({...GOOD_POST, body: 'Maria Silva will book the hall.'}),
      postReply(GOOD_POST),
    ]);
    const {writer} = await harness(server.url);
    const output = await writer.write(inputOf(WINDOW, {realNames: ['Maria Silva']}));
    expect(server.chatRequests).toHaveLength(2);
    expect(output.llm).toMatchObject({requests: 2, repairs: 1, fallback: false});
    expect(onlyPost(output).content).not.toContain('Maria Silva');
    const repair = server.chatRequests[1]?.body ?? '';
    expect(repair).toContain('it contains a real name of a person in the chat');
    expect(repair).not.toContain('Maria Silva');
    expect(repair).toContain('[name] will book the hall.');
  });

  it('falls back to the digest when both replies name a real person', async () => {
    const named = postReply({...GOOD_POST, title: 'Maria Silva plans'});
    const server = await start([named, named]);
    const {writer} = await harness(server.url);
    const output = await writer.write(inputOf(WINDOW, {realNames: ['Maria Silva']}));
    expect(output.llm?.fallback).toBe(true);
    expect(output.shortfalls[0]).not.toContain('Maria');
    expect(onlyPost(output).content).not.toContain('Maria Silva');
  });
});

describe('createLlmWriter: servers without structured output', () => {
  it('sends the request again without response_format after a 400 naming it, and keeps it off', async () => {
    const server = await start([
      {
        kind: 'status',
        status: 400,
        body: {error: {message: "Unrecognized request argument: 'response_format'"}},
      },
      postReply(GOOD_POST),
      postReply({...GOOD_POST, title: 'After the fair'}),
    ]);
    const {writer, sleeps} = await harness(server.url);
    const first = await writer.write(inputOf());
    expect(server.chatRequests).toHaveLength(2);
    expect(bodyOf(server.chatRequests[0])).toHaveProperty('response_format');
    expect(bodyOf(server.chatRequests[1])).not.toHaveProperty('response_format');
    expect(bodyOf(server.chatRequests[1]).messages).toEqual(bodyOf(server.chatRequests[0]).messages);
    expect(first.llm).toMatchObject({requests: 2, retries: 0, repairs: 0});
    expect(sleeps).toEqual([]);

    const second = await writer.write(inputOf(OTHER_WINDOW));
    expect(server.chatRequests).toHaveLength(3);
    expect(bodyOf(server.chatRequests[2])).not.toHaveProperty('response_format');
    expect(second.llm).toMatchObject({requests: 1, retries: 0});
    expect(onlyPost(second).frontMatter.title).toBe('After the fair');
  });
});

describe('createLlmWriter: the reply cache', () => {
  it('answers a second writer with the same state folder from the cache, with no request', async () => {
    const server = await start([postReply(GOOD_POST)]);
    const dir = await stateDir();
    const first = await harness(server.url, {stateDir: dir, llm: {cache: true}});
    expect(await first.writer.estimate?.({window: WINDOW, chat: inputOf().chat})).toMatchObject({
      cached: false,
    });
    const written = await first.writer.write(inputOf());
    expect(server.chatRequests).toHaveLength(1);
    expect((await stat(path.join(dir, LLM_CACHE_DIR))).isDirectory()).toBe(true);

    const second = await harness(server.url, {stateDir: dir, llm: {cache: true}});
    const again = await second.writer.write(inputOf());
    expect(server.chatRequests).toHaveLength(1);
    expect(again.llmCalls).toBe(0);
    expect(again.tokens).toBe(0);
    expect(again.llm).toEqual(usage({cacheHits: 1}));
    expect(again.posts).toEqual(written.posts);
    expect(second.warnings).toEqual([]);
  });

  it('estimate() gives the prompt tokens and cached: true after a write', async () => {
    const server = await start([postReply(GOOD_POST)]);
    const {writer} = await harness(server.url, {llm: {cache: true}});
    const chat = inputOf().chat;
    const messages = buildPromptMessages({window: WINDOW, windowCount: 2, instructions: ''});
    const promptTokens = messages.reduce((sum, each) => sum + estimateTextTokens(each.content), 0);
    expect(await writer.estimate?.({window: WINDOW, chat})).toEqual({promptTokens, cached: false});
    await writer.write(inputOf());
    expect(await writer.estimate?.({window: WINDOW, chat})).toEqual({promptTokens, cached: true});
    expect(await writer.estimate?.({window: OTHER_WINDOW, chat})).toMatchObject({cached: false});
    expect(server.chatRequests).toHaveLength(1);
  });

  it('sends again when the cache is off, and writes no cache folder', async () => {
    const server = await start([postReply(GOOD_POST), postReply(GOOD_POST)]);
    const dir = await stateDir();
    for (let run = 0; run < 2; run += 1) {
      const {writer} = await harness(server.url, {stateDir: dir, llm: {cache: false}});
      const output = await writer.write(inputOf());
      expect(output.llm?.cacheHits).toBe(0);
      expect(await writer.estimate?.({window: WINDOW, chat: inputOf().chat})).toMatchObject({cached: false});
    }
    expect(server.chatRequests).toHaveLength(2);
    await expect(stat(path.join(dir, LLM_CACHE_DIR))).rejects.toMatchObject({code: 'ENOENT'});
  });

  it('warns once about a damaged cache entry and asks the server again', async () => {
    const server = await start([postReply(GOOD_POST), postReply(GOOD_POST)]);
    const dir = await stateDir();
    const first = await harness(server.url, {stateDir: dir, llm: {cache: true}});
    await first.writer.write(inputOf());
    const file = path.join(dir, LLM_CACHE_DIR, LLM_CACHE_FILE);
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({format: 1, model: MODEL});
    // Cut the entry short, as a kill in the middle of a write would.
    await writeFile(file, `${(lines[0] ?? '').slice(0, 40)}\n`);

    const second = await harness(server.url, {stateDir: dir, llm: {cache: true}});
    const output = await second.writer.write(inputOf());
    expect(server.chatRequests).toHaveLength(2);
    expect(output.llm).toMatchObject({requests: 1, cacheHits: 0});
    expect(second.warnings).toHaveLength(1);
    expect(second.warnings[0]).toContain('damaged entry in the LLM reply cache');
    expect(second.warnings[0]).toContain(file);
    // The good reply was appended after the damaged line, and a third writer reads it from the cache.
    const third = await harness(server.url, {stateDir: dir, llm: {cache: true}});
    expect((await third.writer.write(inputOf())).llm).toMatchObject({requests: 0, cacheHits: 1});
    expect(server.chatRequests).toHaveLength(2);
  });
});

describe('createLlmWriter: secrets', () => {
  const KEY = 'sk-secret-key-123456789';

  it('never puts the API key in an error, even when the server echoes it', async () => {
    const server = await start([
      {
        kind: 'status',
        status: 401,
        body: {error: {message: `Incorrect API key provided: ${KEY}. Check it.`}},
      },
    ]);
    const {writer} = await harness(server.url, {apiKey: KEY});
    const error = (await rejection(writer.write(inputOf()))) as LlmUnavailableError;
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(server.chatRequests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    const cause = error.cause as LlmRequestError;
    expect(cause).toBeInstanceOf(LlmRequestError);
    for (const text of [
      error.message,
      error.hint ?? '',
      String(error),
      cause.message,
      cause.serverMessage ?? '',
    ]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('123456789');
    }
    expect(error.message).toContain('Incorrect API key provided: [api key]. Check it.');
  });

  it('removes a partly masked echo of a key from a retried failure', async () => {
    const echo = {
      kind: 'status',
      status: 500,
      body: {error: {message: 'key sk-secr************6789 over quota'}},
    } as const;
    const server = await start(Array.from({length: MAX_ATTEMPTS}, () => echo));
    const {writer} = await harness(server.url, {apiKey: KEY});
    const error = await rejection(writer.write(inputOf()));
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error.message).toContain('key [api key] over quota');
    expect(error.message).not.toContain('sk-secr');
  });
});

describe('createLlmWriter: cancelling', () => {
  it('rejects promptly when aborted during a hanging request, and the error carries the usage', async () => {
    const server = await start([{kind: 'hang'}]);
    const {writer} = await harness(server.url, {llm: {timeoutSeconds: 60}});
    const controller = new AbortController();
    const reason = new Error('interrupted by SIGINT');
    const started = performance.now();
    const writing = writer.write(inputOf(WINDOW, {signal: controller.signal}));
    while (server.chatRequests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(reason);
    const error = await rejection(writing);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error.message).toBe('cancelled');
    expect(error.cause).toBe(reason);
    expect(usageOfError(error)).toEqual(usage({requests: 1}));
    expect(server.chatRequests).toHaveLength(1);
  });

  it('rejects before any request when already aborted', async () => {
    const server = await start([postReply(GOOD_POST)]);
    const {writer} = await harness(server.url);
    const error = await rejection(
      writer.write(inputOf(WINDOW, {signal: AbortSignal.abort(new Error('stop'))})),
    );
    expect(error.message).toBe('cancelled');
    expect(server.chatRequests).toHaveLength(0);
    expect(usageOfError(error)).toEqual(usage({}));
  });

  it('stops waiting between retries when aborted during the backoff', async () => {
    const server = await start([{kind: 'status', status: 503}]);
    const controller = new AbortController();
    const {writer} = await harness(server.url, {
      seams: {
        sleep: async (_ms, signal) => {
          controller.abort(new Error('stop'));
          signal.throwIfAborted();
        },
      },
    });
    const error = await rejection(writer.write(inputOf(WINDOW, {signal: controller.signal})));
    expect(error.message).toBe('cancelled');
    expect(server.chatRequests).toHaveLength(1);
    expect(usageOfError(error)).toEqual(usage({requests: 1}));
  });
});

describe('createLlmWriter: settings checked before anything is read', () => {
  it('refuses a missing model as a usage error saying how to pick one', async () => {
    const context: WriterContext = {
      stateDir: '/nonexistent/.egregora',
      llm: {url: 'http://127.0.0.1:9/v1', model: null, instructions: '', timeoutSeconds: 5, cache: true},
      apiKey: null,
      onWarning: () => undefined,
    };
    let thrown: unknown;
    try {
      createLlmWriter(context);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).exitCode).toBe(2);
    expect((thrown as UserError).message).toBe('The LLM writer needs a model, and none was given.');
    expect((thrown as UserError).hint).toContain('--llm-model');
    expect((thrown as UserError).hint).toContain('EGREGORA_LLM_MODEL');
  });

  it('refuses a server off this machine without an API key', () => {
    const llm = {
      url: 'https://api.example.com/v1',
      model: MODEL,
      instructions: '',
      timeoutSeconds: 5,
      cache: true,
    };
    const context: WriterContext = {stateDir: '/nonexistent', llm, apiKey: null, onWarning: () => undefined};
    let thrown: unknown;
    try {
      createLlmWriter(context);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).exitCode).toBe(ExitCode.usage);
    expect((thrown as UserError).message).toBe(
      'No API key for the LLM server at https://api.example.com/v1.',
    );
    expect((thrown as UserError).hint).toContain('EGREGORA_LLM_API_KEY');
    expect(createLlmWriter({...context, apiKey: 'sk-live-abcdefghijklmnop'}).name).toBe('llm');
  });

  it('needs no key for servers on this machine', () => {
    for (const url of ['http://127.0.0.1:11434/v1', 'http://localhost:8080/v1', 'http://[::1]:8080/v1']) {
      const llm = {url, model: MODEL, instructions: '', timeoutSeconds: 5, cache: true};
      expect(
        createLlmWriter({stateDir: '/nonexistent', llm, apiKey: null, onWarning: () => undefined}).name,
      ).toBe('llm');
    }
  });
});
