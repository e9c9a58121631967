import type {PostFrontMatter} from '../../../schemas/post.js';
import type {Window} from '../../../schemas/window.js';
import {ExitCode, UserError} from '../../util/errors.js';
import {estimateTextTokens} from '../../windows/estimate-tokens.js';
import {createDigestWriter} from '../digest/digest-writer.js';
import {renderFrontMatter} from '../digest/front-matter.js';
import {escapeMarkdownLine} from '../digest/markdown.js';
import {collectMedia} from '../digest/media.js';
import {countParticipants} from '../digest/participants.js';
import {postPath} from '../digest/post-path.js';
import {mediaSection} from '../digest/render-body.js';
import {slugify} from '../digest/slug.js';
import {LLM_WRITER_NAME} from '../registry.js';
import {
  attachUsage,
  type LlmUsage,
  type Writer,
  type WriterContext,
  type WriterEstimate,
  type WriterInput,
  type WriterOutput,
} from '../writer.js';
import {ReplyCache} from './cache.js';
import {type ChatClient, type ChatCompletion, type ChatRequestBody, createChatClient} from './client.js';
import {LlmRequestError, LlmUnavailableError} from './errors.js';
import {isLoopbackUrl} from './loopback.js';
import {buildPromptMessages, repairMessages} from './prompt.js';
import {checkReply, type LlmReply, REPLY_JSON_SCHEMA, RealNameGuard} from './reply.js';
import {decideRetry, sleep} from './retry-policy.js';

/** Name of the reply schema in `response_format` (servers show it in their logs). */
const RESPONSE_SCHEMA_NAME = 'egregora_post';

/** Seams for tests; the defaults are the real clock, randomness and client. */
export interface LlmWriterSeams {
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly client?: ChatClient;
}

/**
 * Checks what the LLM writer needs before anything is read: a model, and a key for a server that is
 * not on this machine. Called when `--writer llm` is chosen, so a missing setting stops at once.
 */
export function createLlmWriter(context: WriterContext, seams: LlmWriterSeams = {}): Writer {
  const {llm} = context;
  if (llm.model === null) {
    throw new UserError('The LLM writer needs a model, and none was given.', ExitCode.usage, {
      hint:
        'Pass --llm-model NAME, set EGREGORA_LLM_MODEL, or put "llm": {"model": "NAME"} in egregora.json ' +
        '(for Ollama: `ollama list` shows the models you have, `ollama pull llama3.2` gets one).',
    });
  }
  if (context.apiKey === null && !isLoopbackUrl(llm.url)) {
    throw new UserError(`No API key for the LLM server at ${llm.url}.`, ExitCode.usage, {
      hint:
        'Set EGREGORA_LLM_API_KEY (or OPENAI_API_KEY) in the environment; a server that needs no key ' +
        'accepts any value. Servers on this machine (127.0.0.1, localhost) need none.',
    });
  }
  return new LlmWriter(context, llm.model, seams);
}

interface Spend {
  requests: number;
  retries: number;
  repairs: number;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  fallback: boolean;
}

class LlmWriter implements Writer {
  readonly name = LLM_WRITER_NAME;
  private readonly cache: ReplyCache | null;
  private client: Promise<ChatClient> | null = null;
  /** Whether to send `response_format`; off for good once a server refuses it. */
  private structuredOutput = true;
  /** Whether any request of this process got an answer: then a dead server is one window's failure, not a stop. */
  private everAnswered = false;
  private readonly digest = createDigestWriter();
  private readonly random: () => number;
  private readonly wait: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(
    private readonly context: WriterContext,
    private readonly model: string,
    seams: LlmWriterSeams,
  ) {
    this.cache = context.llm.cache ? new ReplyCache(context.stateDir, context.onWarning) : null;
    this.random = seams.random ?? Math.random;
    this.wait = seams.sleep ?? sleep;
    if (seams.client) this.client = Promise.resolve(seams.client);
  }

  private request(input: Pick<WriterInput, 'window' | 'chat'>): ChatRequestBody {
    return {
      model: this.model,
      messages: buildPromptMessages({
        window: input.window,
        windowCount: input.chat.windowCount,
        instructions: this.context.llm.instructions,
      }),
      response_format: {
        type: 'json_schema',
        json_schema: {name: RESPONSE_SCHEMA_NAME, strict: true, schema: REPLY_JSON_SCHEMA},
      },
    };
  }

  async estimate(input: Pick<WriterInput, 'window' | 'chat'>): Promise<WriterEstimate> {
    const body = this.request(input);
    const promptTokens = body.messages.reduce((sum, message) => sum + estimateTextTokens(message.content), 0);
    const cached = this.cache === null ? false : await this.cache.has(ReplyCache.keyOf(body));
    return {promptTokens, cached};
  }

  async write(input: WriterInput): Promise<WriterOutput> {
    const spend: Spend = {
      requests: 0,
      retries: 0,
      repairs: 0,
      cacheHits: 0,
      promptTokens: 0,
      completionTokens: 0,
      fallback: false,
    };
    try {
      return await this.writeCounting(input, spend);
    } catch (error) {
      // A fresh error on cancel: the signal's reason is shared by every window in flight.
      const thrown = input.signal.aborted ? new Error('cancelled', {cause: input.signal.reason}) : error;
      throw attachUsage(thrown, this.usage(spend));
    }
  }

  private async writeCounting(input: WriterInput, spend: Spend): Promise<WriterOutput> {
    input.signal.throwIfAborted();
    const guard = new RealNameGuard(input.chat.realNames ?? []);
    const body = this.request(input);
    const key = ReplyCache.keyOf(body);
    let reply: LlmReply | null = null;
    const cached = this.cache ? await this.cache.get(key) : null;
    if (cached) {
      const check = checkReply(JSON.stringify(cached), guard);
      if (check.ok) {
        reply = check.reply;
        spend.cacheHits += 1;
      }
    }
    let problem: string | null = null;
    if (reply === null) {
      const first = await this.send(body, input.signal, spend);
      let check = checkReply(first.content, guard);
      if (!check.ok) {
        spend.repairs += 1;
        const repaired = await this.send(
          // The bad reply goes back without any real name it held: no request carries one.
          {...body, messages: repairMessages(body.messages, guard.redact(first.content), check.problem)},
          input.signal,
          spend,
        );
        const second = checkReply(repaired.content, guard);
        if (!second.ok) problem = `${check.problem}; after one repair request: ${second.problem}`;
        check = second;
      }
      if (check.ok) {
        reply = check.reply;
        await this.cache?.put(key, this.model, reply);
      }
    }
    if (reply === null) {
      spend.fallback = true;
      const fallback = await this.digest.write(input);
      return {
        ...fallback,
        llmCalls: spend.requests,
        tokens: spend.promptTokens + spend.completionTokens,
        shortfalls: [
          `LLM reply unusable (${problem ?? 'invalid'}); the post was written by the digest writer`,
          ...fallback.shortfalls,
        ],
        llm: this.usage(spend),
      };
    }
    const media = await collectMedia(input.window.messages, input.media, input.signal);
    return {
      posts: [composePost(input.window, reply, mediaSection(media))],
      media: [...media.files],
      llmCalls: spend.requests,
      tokens: spend.promptTokens + spend.completionTokens,
      shortfalls: [...media.shortfalls],
      llm: this.usage(spend),
    };
  }

  close(): void {
    this.cache?.close();
  }

  private usage(spend: Spend): LlmUsage {
    return {model: this.model, ...spend};
  }

  private chatClient(): Promise<ChatClient> {
    this.client ??= createChatClient({
      url: this.context.llm.url,
      apiKey: this.context.apiKey,
      timeoutMs: this.context.llm.timeoutSeconds * 1000,
    });
    return this.client;
  }

  /** One chat completion under the retry policy; every request sent is counted in `spend`. */
  private async send(body: ChatRequestBody, signal: AbortSignal, spend: Spend): Promise<ChatCompletion> {
    const client = await this.chatClient();
    for (let attempt = 1; ; attempt += 1) {
      const sent = this.structuredOutput ? body : withoutResponseFormat(body);
      spend.requests += 1;
      if (attempt > 1) spend.retries += 1;
      try {
        const reply = await client.complete(sent, signal);
        this.everAnswered = true;
        spend.promptTokens += reply.usage?.promptTokens ?? 0;
        spend.completionTokens += reply.usage?.completionTokens ?? 0;
        return reply;
      } catch (error) {
        if (signal.aborted || !(error instanceof LlmRequestError)) throw error;
        if (error.kind === 'http' || error.kind === 'malformed') this.everAnswered = true;
        this.stopIfUnavailable(error, client.endpoint);
        if (this.structuredOutput && refusesResponseFormat(error)) {
          // Not a retry: the same request again without the part this server does not take.
          this.structuredOutput = false;
          attempt -= 1;
          continue;
        }
        const decision = decideRetry(error, attempt, this.random);
        if (!decision.retry) {
          if (error.kind === 'connection' && !this.everAnswered) {
            throw new LlmUnavailableError(
              `Cannot reach the LLM server at ${this.context.llm.url} (${attempt} attempts): ${error.message}`,
              'Start the server (for Ollama: `ollama serve`), or point --llm-url at one that runs.',
              error,
            );
          }
          throw explainGiveUp(error, decision.reason, attempt);
        }
        await this.wait(decision.delayMs, signal);
      }
    }
  }

  /** 401/403 and a missing model fail every window alike: stop the whole process with a way out. */
  private stopIfUnavailable(error: LlmRequestError, endpoint: string): void {
    if (error.status === 401 || error.status === 403) {
      throw new LlmUnavailableError(
        `The LLM server at ${this.context.llm.url} refused the request (HTTP ${error.status}${
          error.serverMessage ? `: ${error.serverMessage}` : ''
        }).`,
        this.context.apiKey === null
          ? 'This server needs an API key: set EGREGORA_LLM_API_KEY (or OPENAI_API_KEY).'
          : 'Check the key in EGREGORA_LLM_API_KEY (or OPENAI_API_KEY) and that it may use this model.',
        error,
      );
    }
    if (error.status === 404) {
      const aboutModel = /model/i.test(error.serverMessage ?? '');
      throw new LlmUnavailableError(
        aboutModel
          ? `The LLM server at ${this.context.llm.url} has no model '${this.model}' (${error.serverMessage}).`
          : `No Chat Completions endpoint at ${endpoint} (HTTP 404).`,
        aboutModel
          ? `Get it with \`ollama pull ${this.model}\` (Ollama), or pick one the server has with --llm-model.`
          : 'Check --llm-url: it is the base URL that ends before /chat/completions, usually in /v1 (Ollama: http://127.0.0.1:11434/v1).',
        error,
      );
    }
  }
}

function withoutResponseFormat(body: ChatRequestBody): ChatRequestBody {
  const {response_format: _omitted, ...rest} = body;
  return rest;
}

/** A 400/422 that names the structured-output parameter: the server does not support it. */
function refusesResponseFormat(error: LlmRequestError): boolean {
  return (
    (error.status === 400 || error.status === 422) &&
    /response_format|json_schema|structured/i.test(error.serverMessage ?? '')
  );
}

function explainGiveUp(
  error: LlmRequestError,
  reason: 'not-retryable' | 'attempts-exhausted' | 'wait-too-long',
  attempts: number,
): LlmRequestError {
  const why =
    reason === 'attempts-exhausted'
      ? ` (gave up after ${attempts} attempts)`
      : reason === 'wait-too-long'
        ? ` (the server asked to wait ${Math.round((error.retryAfterMs ?? 0) / 1000)} s, longer than egregora waits)`
        : '';
  return new LlmRequestError(`${error.message}${why}`, {
    kind: error.kind,
    status: error.status,
    retryable: false,
    retryAfterMs: error.retryAfterMs,
    serverMessage: error.serverMessage,
  });
}

/** The post: front matter like the digest's, the model's title as heading, its body, then the window's media. */
function composePost(window: Window, reply: LlmReply, media: string) {
  const date = window.firstDate.slice(0, 10);
  const partMark = window.part === undefined ? '' : `-part-${window.part.index + 1}`;
  const slug = `${slugify(reply.title) || `window-${window.index + 1}`}${partMark}`.replace(/^-+/, '');
  const frontMatter: PostFrontMatter = {
    title: reply.title,
    slug,
    date,
    tags: reply.tags,
    summary: reply.summary,
    authors: countParticipants(window.messages).participants.map((participant) => participant.name),
    window: window.index,
  };
  if (window.part !== undefined) frontMatter.part = {index: window.part.index, count: window.part.count};
  const sections = [`# ${escapeMarkdownLine(reply.title)}`, reply.body, media].filter(
    (section) => section !== '',
  );
  return {
    relativePath: postPath(date, window.index, window.part, slug),
    content: `${renderFrontMatter(frontMatter)}\n${sections.join('\n\n')}\n`,
    frontMatter,
  };
}
