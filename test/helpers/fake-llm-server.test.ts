import {createHash} from 'node:crypto';
import {afterEach, describe, expect, it} from 'vitest';
import {
  type ChatReplyPlan,
  defaultUsage,
  echoPostResponder,
  type FakeLlmServer,
  postReply,
  sequenceResponder,
  startFakeLlmServer,
} from './fake-llm-server.js';

let servers: FakeLlmServer[] = [];

async function start(plans?: ChatReplyPlan[]): Promise<FakeLlmServer> {
  const server = await startFakeLlmServer(plans ? {responder: sequenceResponder(plans)} : {});
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

function chatBody(userContent: string, model = 'test-model'): string {
  return JSON.stringify({
    model,
    messages: [
      {role: 'system', content: 'You write posts.'},
      {role: 'user', content: 'an earlier message'},
      {role: 'assistant', content: 'ok'},
      {role: 'user', content: userContent},
    ],
  });
}

function postChat(server: FakeLlmServer, body: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: 'Bearer test-key'},
    body,
    ...(signal ? {signal} : {}),
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Completion {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: {index: number; message: {role: string; content: string}; finish_reason: string}[];
  usage?: {prompt_tokens: number; completion_tokens: number; total_tokens: number};
}

describe('startFakeLlmServer', () => {
  it('listens on 127.0.0.1 with a /v1 base URL', async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('answers a reply plan with a chat.completion and counts the default usage', async () => {
    const server = await start([{kind: 'reply', content: 'hello there', headers: {'x-fake': 'yes'}}]);
    const body = chatBody('the window');
    const res = await postChat(server, body);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-fake')).toBe('yes');
    const completion = (await res.json()) as Completion;
    const usage = defaultUsage(body, 'hello there');
    expect(usage).toEqual({prompt_tokens: Math.ceil(Buffer.byteLength(body) / 4), completion_tokens: 3});
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'test-model',
      choices: [{index: 0, message: {role: 'assistant', content: 'hello there'}, finish_reason: 'stop'}],
      usage: {...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens},
    });
    expect(typeof completion.id).toBe('string');
    expect(typeof completion.created).toBe('number');
    await waitFor(() => server.repliesSent === 1);
    expect(server.tokensReported).toEqual({
      prompt: usage.prompt_tokens,
      completion: usage.completion_tokens,
      total: usage.prompt_tokens + usage.completion_tokens,
    });
  });

  it('reports explicit usage, and omits usage when it is null', async () => {
    const server = await start([
      {kind: 'reply', content: 'a', usage: {prompt_tokens: 10, completion_tokens: 5}},
      {kind: 'reply', content: 'b', usage: null},
    ]);
    const first = (await (await postChat(server, chatBody('x'))).json()) as Completion;
    expect(first.usage).toEqual({prompt_tokens: 10, completion_tokens: 5, total_tokens: 15});
    const second = (await (await postChat(server, chatBody('y'))).json()) as Completion;
    expect(second).not.toHaveProperty('usage');
    await waitFor(() => server.repliesSent === 2);
    expect(server.tokensReported).toEqual({prompt: 10, completion: 5, total: 15});
  });

  it('answers status plans with their headers and a default or given JSON body', async () => {
    const server = await start([
      {kind: 'status', status: 429, headers: {'retry-after': '1'}},
      {kind: 'status', status: 429, headers: {'retry-after-ms': '5'}},
      {kind: 'status', status: 404, body: {error: {message: "model 'x' not found"}}},
      {kind: 'status', status: 500},
    ]);
    const a = await postChat(server, chatBody('1'));
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('1');
    expect(a.headers.get('content-type')).toBe('application/json');
    expect(await a.json()).toEqual({error: {message: 'fake 429', type: 'fake', code: null}});
    const b = await postChat(server, chatBody('2'));
    expect(b.headers.get('retry-after-ms')).toBe('5');
    await b.body?.cancel();
    const c = await postChat(server, chatBody('3'));
    expect(c.status).toBe(404);
    expect(await c.json()).toEqual({error: {message: "model 'x' not found"}});
    const d = await postChat(server, chatBody('4'));
    expect(d.status).toBe(500);
    await d.body?.cancel();
    expect(server.repliesSent).toBe(0);
    expect(server.tokensReported).toEqual({prompt: 0, completion: 0, total: 0});
  });

  it('answers malformed plans with the raw text labelled application/json', async () => {
    const server = await start([
      {kind: 'malformed', text: '{"choices": [nope'},
      {kind: 'malformed', text: 'oops', status: 502},
    ]);
    const a = await postChat(server, chatBody('1'));
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('application/json');
    expect(await a.text()).toBe('{"choices": [nope');
    const b = await postChat(server, chatBody('2'));
    expect(b.status).toBe(502);
    expect(await b.text()).toBe('oops');
    expect(server.repliesSent).toBe(0);
  });

  it('hangs until the client gives up, then no longer counts the request in flight', async () => {
    const server = await start([{kind: 'hang'}]);
    const started = Date.now();
    await expect(postChat(server, chatBody('1'), AbortSignal.timeout(150))).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(server.chatRequests).toHaveLength(1);
    await waitFor(() => server.inFlight === 0);
    expect(server.maxInFlight).toBe(1);
    expect(server.repliesSent).toBe(0);
  });

  it('destroys the socket for a destroy plan, and keeps serving afterwards', async () => {
    const server = await start([{kind: 'destroy'}]);
    await expect(postChat(server, chatBody('1'))).rejects.toThrow();
    await waitFor(() => server.inFlight === 0);
    const res = await postChat(server, chatBody('2'));
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it('lists models, 404s unknown paths, and records every request in order', async () => {
    const server = await start();
    const models = await fetch(`${server.url}/models`);
    expect(models.status).toBe(200);
    expect(models.headers.get('content-type')).toBe('application/json');
    expect(await models.json()).toEqual({object: 'list', data: [{id: 'fake-model', object: 'model'}]});

    const missing = await fetch(`${server.url.replace(/\/v1$/, '')}/chat/completions`, {
      method: 'POST',
      body: '{}',
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({error: {message: expect.any(String)}});

    const body = chatBody('recorded');
    const chat = await postChat(server, body);
    await chat.body?.cancel();

    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/models',
      'POST /chat/completions',
      'POST /v1/chat/completions',
    ]);
    expect(server.chatRequests).toHaveLength(1);
    const recorded = server.chatRequests[0];
    expect(recorded?.body).toBe(body);
    expect(recorded?.json).toEqual(JSON.parse(body));
    expect(recorded?.headers.authorization).toBe('Bearer test-key');
    expect(recorded?.receivedAt).toBeGreaterThan(0);
    expect(server.requests[0]?.json).toBeNull();
  });

  it('counts maxInFlight across 3 concurrent delayed requests', async () => {
    const server = await start();
    server.setResponder(() => postReply({title: 't', summary: 's', tags: [], body: 'b'}, {delayMs: 200}));
    const replies = await Promise.all([1, 2, 3].map((n) => postChat(server, chatBody(String(n)))));
    for (const res of replies) {
      expect(res.status).toBe(200);
      await res.body?.cancel();
    }
    expect(server.maxInFlight).toBe(3);
    await waitFor(() => server.repliesSent === 3);
    expect(server.inFlight).toBe(0);
  });

  it('passes the 0-based chat index to the responder', async () => {
    const seen: number[] = [];
    const server = await start();
    server.setResponder((_request, index) => {
      seen.push(index);
      return {kind: 'reply', content: `#${index}`};
    });
    await (await fetch(`${server.url}/models`)).body?.cancel();
    for (const n of [1, 2]) {
      const completion = (await (await postChat(server, chatBody(String(n)))).json()) as Completion;
      expect(completion.choices[0]?.message.content).toBe(`#${n - 1}`);
    }
    expect(seen).toEqual([0, 1]);
  });

  it('answers 500 when the responder throws', async () => {
    const server = await start();
    server.setResponder(() => {
      throw new Error('boom');
    });
    const res = await postChat(server, chatBody('1'));
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({error: {message: expect.stringContaining('boom')}});
  });

  it('closes promptly while a request hangs', async () => {
    const server = await startFakeLlmServer({responder: () => ({kind: 'hang'})});
    const pending = postChat(server, chatBody('1'));
    pending.catch(() => {});
    await waitFor(() => server.inFlight === 1);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(pending).rejects.toThrow();
    await server.close(); // idempotent
  });

  it('closes promptly while a reply is delayed', async () => {
    const server = await startFakeLlmServer({
      responder: () => ({kind: 'reply', content: 'x', delayMs: 60_000}),
    });
    const pending = postChat(server, chatBody('1'));
    pending.catch(() => {});
    await waitFor(() => server.inFlight === 1);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(pending).rejects.toThrow();
    expect(server.repliesSent).toBe(0);
  });
});

describe('responders', () => {
  it('echoPostResponder derives a valid post from the last user message, deterministically', async () => {
    const server = await start();
    const body = chatBody('the last user message');
    const first = await (await postChat(server, body)).text();
    const second = await (await postChat(server, body)).text();
    expect(second).toBe(first);

    const completion = JSON.parse(first) as Completion;
    const content = completion.choices[0]?.message.content ?? '';
    const digest = createHash('sha256').update('the last user message').digest('hex');
    expect(JSON.parse(content)).toEqual({
      title: `Window ${digest.slice(0, 8)}`,
      summary: 'A summary of the conversation.',
      tags: ['chat', 'notes'],
      body: 'A short post.\n\nIt talks about things.',
    });
    expect(completion.usage).toEqual({
      ...defaultUsage(body, content),
      total_tokens: Math.ceil(Buffer.byteLength(body) / 4) + Math.ceil(Buffer.byteLength(content) / 4),
    });

    const other = JSON.parse(
      await (await postChat(server, chatBody('another message'))).text(),
    ) as Completion;
    expect(JSON.parse(other.choices[0]?.message.content ?? '').title).not.toBe(
      `Window ${digest.slice(0, 8)}`,
    );
  });

  it('postReply stringifies the post and keeps the extra fields', () => {
    const post = {title: 'T', summary: 'S', tags: ['a'], body: 'B'};
    expect(postReply(post, {delayMs: 5, usage: null})).toEqual({
      kind: 'reply',
      content: JSON.stringify(post),
      delayMs: 5,
      usage: null,
    });
  });

  it('sequenceResponder plays the plans in order, then falls back', async () => {
    const request = {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: {},
      body: '',
      json: null,
      receivedAt: 0,
    };
    const responder = sequenceResponder([{kind: 'hang'}, {kind: 'destroy'}], () => ({
      kind: 'status',
      status: 503,
    }));
    expect(await responder(request, 0)).toEqual({kind: 'hang'});
    expect(await responder(request, 1)).toEqual({kind: 'destroy'});
    expect(await responder(request, 2)).toEqual({kind: 'status', status: 503});
    expect(await responder(request, 3)).toEqual({kind: 'status', status: 503});

    const defaulted = sequenceResponder([]);
    expect(await defaulted(request, 0)).toEqual(await echoPostResponder(request, 0));
  });
});
