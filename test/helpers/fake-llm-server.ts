/**
 * A fake OpenAI-compatible Chat Completions server for tests.
 *
 * Tests point a client at `server.url` (which ends in `/v1`) and script, request by request, what the
 * server answers: a normal completion, an HTTP error status with headers, a body that is not JSON, a
 * request that never gets an answer, or a connection reset. Every request is recorded (full body, parsed
 * JSON, headers, arrival time), and the server keeps the counters tests compare a run against: how many
 * chat requests were in flight at once, how many 200 replies were sent, and the token usage those
 * replies reported.
 *
 * It only ever listens on 127.0.0.1 with an OS-chosen port (port 0), never on another address, so it is
 * unreachable from outside the machine and tests can run in parallel without port clashes.
 *
 * Routes (relative to the `/v1` base):
 * - `POST /v1/chat/completions`: answered by the current {@link Responder}.
 * - `GET /v1/models`: `{object: 'list', data: [{id: 'fake-model', object: 'model'}]}`.
 * - anything else: 404 with an OpenAI-style JSON error.
 */
import {createHash} from 'node:crypto';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {setTimeout as sleep} from 'node:timers/promises';

/** One HTTP request the fake server received, recorded after its whole body was read. */
export interface RecordedRequest {
  readonly method: string;
  /** The request target as sent, e.g. `/v1/chat/completions` (including any query string). */
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The raw body, decoded as UTF-8. */
  readonly body: string;
  /** The body parsed as JSON, or null when it is empty or not JSON. */
  readonly json: unknown;
  /** `Date.now()` when the request arrived. */
  readonly receivedAt: number;
}

/** Token counts a 'reply' plan reports in its `usage` field (`total_tokens` is added by the server). */
export interface ReplyUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** A 200 `chat.completion` whose single choice has `content` as the assistant message. */
export interface ReplyPlan {
  kind: 'reply';
  content: string;
  /** Reported usage; null omits the `usage` field; undefined computes it (see {@link defaultUsage}). */
  usage?: ReplyUsage | null;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/** An HTTP status (typically an error) with a JSON body. */
export interface StatusPlan {
  kind: 'status';
  status: number;
  /** JSON body; default `{error: {message: 'fake <status>', type: 'fake', code: null}}`. */
  body?: unknown;
  /** Extra response headers, e.g. `{'retry-after': '1'}` or `{'retry-after-ms': '5'}`. */
  headers?: Record<string, string>;
  delayMs?: number;
}

/** Never answers, until the client gives up or the server closes; for timeouts. */
export interface HangPlan {
  kind: 'hang';
}

/** A body that is not JSON, or not a completion, labelled `application/json`. */
export interface MalformedPlan {
  kind: 'malformed';
  text: string;
  /** Default 200. */
  status?: number;
}

/** Destroys the socket without answering (the client sees a connection reset). */
export interface DestroyPlan {
  kind: 'destroy';
}

/** What to answer to ONE chat-completions request. */
export type ChatReplyPlan = ReplyPlan | StatusPlan | HangPlan | MalformedPlan | DestroyPlan;

/**
 * Decides the answer to a chat-completions request. `index` is the 0-based count of chat-completions
 * requests the server had received before this one (so the first is 0).
 */
export type Responder = (request: RecordedRequest, index: number) => ChatReplyPlan | Promise<ChatReplyPlan>;

export interface FakeLlmServer {
  /** The base URL a client uses, e.g. `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  /** Every request received, any path, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Only the `POST /v1/chat/completions` requests, in arrival order (`chatRequests[index]`). */
  readonly chatRequests: readonly RecordedRequest[];
  /** Chat requests received and not yet answered (nor abandoned by the client). */
  readonly inFlight: number;
  /** The highest `inFlight` seen. */
  readonly maxInFlight: number;
  /** Sum of prompt_tokens and completion_tokens the server reported in 200 replies it sent (the truth tests compare runs against). */
  readonly tokensReported: {prompt: number; completion: number; total: number};
  /** 'reply' plans (200 chat completions) whose response was fully sent. */
  readonly repliesSent: number;
  setResponder(responder: Responder): void;
  /** Closes all sockets (including hanging ones) and the server. Safe to call more than once. */
  close(): Promise<void>;
}

export interface FakeLlmServerOptions {
  /** Default {@link echoPostResponder}. */
  responder?: Responder;
}

/** The model id `GET /v1/models` lists, and the model a reply names when the request names none. */
export const FAKE_MODEL = 'fake-model';

/** `created` of every completion; fixed so the same request gives a byte-identical reply in every run. */
const FAKE_CREATED = 1_700_000_000;

const BASE_PATH = '/v1';
const CHAT_PATH = `${BASE_PATH}/chat/completions`;
const MODELS_PATH = `${BASE_PATH}/models`;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Roughly four bytes a token, rounded up. */
function tokensOf(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

/**
 * The usage a 'reply' plan reports when it sets none: prompt_tokens = ceil(request body bytes / 4),
 * completion_tokens = ceil(content bytes / 4).
 */
export function defaultUsage(requestBody: string, content: string): ReplyUsage {
  return {prompt_tokens: tokensOf(requestBody), completion_tokens: tokensOf(content)};
}

/** A 'reply' plan whose content is `JSON.stringify(post)`. */
export function postReply(
  post: {title: string; summary: string; tags: string[]; body: string},
  extra?: Omit<ReplyPlan, 'kind' | 'content'>,
): ReplyPlan {
  return {...extra, kind: 'reply', content: JSON.stringify(post)};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The content of the last `role: 'user'` message of a chat request, as text ('' when there is none). */
function lastUserContent(json: unknown): string {
  if (!isRecord(json) || !Array.isArray(json.messages)) return '';
  for (let i = json.messages.length - 1; i >= 0; i--) {
    const message: unknown = json.messages[i];
    if (isRecord(message) && message.role === 'user') {
      const content = message.content;
      return typeof content === 'string' ? content : (JSON.stringify(content) ?? '');
    }
  }
  return '';
}

/**
 * Answers every chat request with a valid post derived from the request: the title carries the first 8
 * hex digits of the sha256 of the last user message's content, the rest is fixed. The same request
 * content gives the same reply, so two runs get byte-identical replies. Usage is the default one.
 */
export const echoPostResponder: Responder = (request) => {
  const digest = sha256Hex(lastUserContent(request.json));
  return postReply({
    title: `Window ${digest.slice(0, 8)}`,
    summary: 'A summary of the conversation.',
    tags: ['chat', 'notes'],
    body: 'A short post.\n\nIt talks about things.',
  });
};

/**
 * Answers the i-th request it is asked about with `plans[i]`, and every later one with `then`
 * (default {@link echoPostResponder}).
 */
export function sequenceResponder(
  plans: readonly ChatReplyPlan[],
  then: Responder = echoPostResponder,
): Responder {
  let calls = 0;
  return (request, index) => {
    const plan = plans[calls];
    calls += 1;
    return plan ?? then(request, index);
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, JSON.stringify(payload), headers);
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  // The client gave up or the server is closing: there is no one to answer.
  if (res.destroyed || res.writableEnded || res.socket === null || res.socket.destroyed) return;
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text, 'utf8')),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // The client went away before the body was complete: there is nothing to answer.
    req.on('error', () => resolve(null));
    req.on('close', () => {
      if (!req.complete) resolve(null);
    });
  });
}

function parseJson(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Starts a fake server on 127.0.0.1 (OS-chosen port). */
export async function startFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  let responder: Responder = options.responder ?? echoPostResponder;
  const requests: RecordedRequest[] = [];
  const chatRequests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let repliesSent = 0;
  const tokens = {prompt: 0, completion: 0, total: 0};
  const sockets = new Set<Socket>();
  /** Aborted on close: cancels every pending delay timer. */
  const closing = new AbortController();
  let closed: Promise<void> | undefined;

  async function delay(ms: number | undefined): Promise<void> {
    if (ms === undefined || ms <= 0) return;
    try {
      await sleep(ms, undefined, {signal: closing.signal});
    } catch {
      // Aborted by close(): the socket is being destroyed, the caller's write becomes a no-op.
    }
  }

  async function answerChat(
    req: IncomingMessage,
    res: ServerResponse,
    recorded: RecordedRequest,
    index: number,
  ) {
    let plan: ChatReplyPlan;
    try {
      plan = await responder(recorded, index);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, 500, {error: {message: `fake responder failed: ${message}`, type: 'fake', code: null}});
      return;
    }
    switch (plan.kind) {
      case 'reply': {
        await delay(plan.delayMs);
        const usage = plan.usage === undefined ? defaultUsage(recorded.body, plan.content) : plan.usage;
        const json = recorded.json;
        const model = isRecord(json) && typeof json.model === 'string' ? json.model : FAKE_MODEL;
        const completion: Record<string, unknown> = {
          id: `chatcmpl-fake-${sha256Hex(`${recorded.body}\u0000${plan.content}`).slice(0, 24)}`,
          object: 'chat.completion',
          created: FAKE_CREATED,
          model,
          choices: [{index: 0, message: {role: 'assistant', content: plan.content}, finish_reason: 'stop'}],
        };
        if (usage !== null) {
          completion.usage = {
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
            total_tokens: usage.prompt_tokens + usage.completion_tokens,
          };
        }
        res.once('finish', () => {
          repliesSent += 1;
          if (usage !== null) {
            tokens.prompt += usage.prompt_tokens;
            tokens.completion += usage.completion_tokens;
            tokens.total += usage.prompt_tokens + usage.completion_tokens;
          }
        });
        sendJson(res, 200, completion, plan.headers);
        return;
      }
      case 'status': {
        await delay(plan.delayMs);
        const body =
          plan.body === undefined
            ? {error: {message: `fake ${plan.status}`, type: 'fake', code: null}}
            : plan.body;
        sendJson(res, plan.status, body, plan.headers);
        return;
      }
      case 'malformed':
        sendText(res, plan.status ?? 200, plan.text);
        return;
      case 'hang':
        // Never answer; the socket is destroyed when the client gives up or the server closes.
        return;
      case 'destroy':
        req.socket.destroy();
        return;
      default: {
        const unknownPlan: never = plan;
        sendJson(res, 500, {
          error: {message: `fake: unknown plan ${JSON.stringify(unknownPlan)}`, type: 'fake', code: null},
        });
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const pathname = path.split('?')[0] ?? path;
    const isChat = method === 'POST' && pathname === CHAT_PATH;

    if (isChat) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        inFlight -= 1;
      };
      res.once('finish', settle);
      res.once('close', settle);
    }

    const body = await readBody(req);
    if (body === null) return;
    const recorded: RecordedRequest = {
      method,
      path,
      headers: {...req.headers},
      body,
      json: parseJson(body),
      receivedAt,
    };
    requests.push(recorded);

    if (isChat) {
      const index = chatRequests.length;
      chatRequests.push(recorded);
      await answerChat(req, res, recorded, index);
    } else if (method === 'GET' && pathname === MODELS_PATH) {
      sendJson(res, 200, {object: 'list', data: [{id: FAKE_MODEL, object: 'model'}]});
    } else {
      sendJson(res, 404, {
        error: {message: `fake: no route for ${method} ${pathname}`, type: 'fake', code: null},
      });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, 500, {error: {message: `fake server failed: ${message}`, type: 'fake', code: null}});
    });
  });
  // Node's own default: undici keeps a connection for the hinted timeout minus one second, so a
  // 1 s hint would make every request open a new connection, which no real server forces.
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const {port} = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${BASE_PATH}`,
    get requests() {
      return requests;
    },
    get chatRequests() {
      return chatRequests;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get tokensReported() {
      return {...tokens};
    },
    get repliesSent() {
      return repliesSent;
    },
    setResponder(next: Responder) {
      responder = next;
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
