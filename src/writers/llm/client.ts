import type OpenAI from 'openai';
import {LlmRequestError, redactSecret} from './errors.js';
import {isRetryableStatus, retryAfterMs} from './retry-policy.js';

/** The request body egregora sends: Chat Completions, the protocol every OpenAI-compatible server speaks. */
export interface ChatRequestBody {
  readonly model: string;
  readonly messages: ReadonlyArray<{
    readonly role: 'system' | 'user' | 'assistant';
    readonly content: string;
  }>;
  readonly response_format?: {
    readonly type: 'json_schema';
    readonly json_schema: {readonly name: string; readonly strict: boolean; readonly schema: unknown};
  };
}

export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export interface ChatCompletion {
  readonly content: string;
  /** As the server reported it; null when it did not (some servers leave `usage` out). */
  readonly usage: TokenUsage | null;
}

/** One request, no retries (the retry policy is the writer's): resolves with the reply or throws LlmRequestError. */
export interface ChatClient {
  readonly endpoint: string;
  complete(body: ChatRequestBody, signal: AbortSignal): Promise<ChatCompletion>;
}

export interface ChatClientOptions {
  /** The base URL, e.g. http://127.0.0.1:11434/v1; requests go to `{url}/chat/completions`. */
  readonly url: string;
  readonly apiKey: string | null;
  readonly timeoutMs: number;
}

/**
 * The SDK insists on a key; servers on this machine (Ollama, llama.cpp) need none and ignore this one.
 * It is not a secret and is never the user's key.
 */
const PLACEHOLDER_KEY = 'egregora-no-key';

/** Loads the `openai` package only now: no other command pays for it at start-up. */
export async function createChatClient(options: ChatClientOptions): Promise<ChatClient> {
  const {
    default: OpenAIClient,
    APIError,
    APIConnectionTimeoutError,
    APIUserAbortError,
  } = await import('openai');
  const client = new OpenAIClient({
    baseURL: options.url,
    apiKey: options.apiKey ?? PLACEHOLDER_KEY,
    maxRetries: 0,
    timeout: options.timeoutMs,
    // Our settings only: the SDK would otherwise also read OPENAI_ORG_ID / OPENAI_PROJECT_ID.
    organization: null,
    project: null,
  });
  const endpoint = `${options.url.replace(/\/+$/, '')}/chat/completions`;
  const clean = (text: string) => redactSecret(text, options.apiKey);

  const complete = async (body: ChatRequestBody, signal: AbortSignal): Promise<ChatCompletion> => {
    let reply: OpenAI.Chat.Completions.ChatCompletion;
    // A signal of its own per request: the SDK leaves a listener on the signal it is given, and the
    // pipeline's signal is shared by every request of the run (Node warns past ten listeners).
    const request = new AbortController();
    const forward = () => request.abort(signal.reason);
    signal.addEventListener('abort', forward, {once: true});
    try {
      if (signal.aborted) forward();
      reply = await client.chat.completions.create(
        body as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
        {signal: request.signal},
      );
    } catch (error) {
      if (signal.aborted || error instanceof APIUserAbortError) throw signal.reason ?? error;
      if (error instanceof APIConnectionTimeoutError) {
        throw new LlmRequestError(`No reply from ${endpoint} within ${options.timeoutMs / 1000} s.`, {
          kind: 'timeout',
          retryable: true,
        });
      }
      if (error instanceof APIError && typeof error.status === 'number') {
        const serverMessage = serverMessageOf(error.error, error.message);
        throw new LlmRequestError(
          clean(`HTTP ${error.status} from ${endpoint}${serverMessage ? `: ${serverMessage}` : ''}`),
          {
            kind: 'http',
            status: error.status,
            retryable: isRetryableStatus(error.status),
            retryAfterMs: retryAfterMs(error.headers),
            serverMessage: serverMessage === null ? null : clean(serverMessage),
          },
        );
      }
      if (error instanceof APIError) {
        const cause = (error as {cause?: unknown}).cause;
        const detail = cause instanceof Error ? ` (${cause.message})` : '';
        throw new LlmRequestError(clean(`Cannot connect to ${endpoint}${detail}.`), {
          kind: 'connection',
          retryable: true,
        });
      }
      // Anything else is a reply the SDK could not read (a body that is not JSON, for example).
      throw new LlmRequestError(clean(`Unreadable reply from ${endpoint}: ${(error as Error).message}`), {
        kind: 'malformed',
        retryable: true,
      });
    } finally {
      signal.removeEventListener('abort', forward);
    }
    const content = reply?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') {
      throw new LlmRequestError(`The reply from ${endpoint} holds no message content.`, {
        kind: 'malformed',
        retryable: true,
      });
    }
    return {content, usage: usageOf(reply.usage)};
  };
  return {endpoint, complete};
}

function usageOf(usage: OpenAI.Completions.CompletionUsage | undefined | null): TokenUsage | null {
  if (!usage) return null;
  const count = (value: unknown) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
  return {promptTokens: count(usage.prompt_tokens), completionTokens: count(usage.completion_tokens)};
}

/** Longest server message kept: enough for any real explanation, not for a page of HTML. */
const SERVER_MESSAGE_MAX_CHARS = 300;

/** `{"error": {"message": …}}` (OpenAI, Ollama, vLLM) or `{"error": "…"}` (older llama.cpp). */
function serverMessageOf(body: unknown, fallback: string): string | null {
  const error = (body as {error?: unknown} | undefined)?.error ?? body;
  const text =
    typeof error === 'string'
      ? error
      : typeof (error as {message?: unknown} | undefined)?.message === 'string'
        ? String((error as {message: string}).message)
        : fallback;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine === '') return null;
  return oneLine.length > SERVER_MESSAGE_MAX_CHARS
    ? `${oneLine.slice(0, SERVER_MESSAGE_MAX_CHARS)}…`
    : oneLine;
}
