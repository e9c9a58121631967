import {ExitCode, UserError} from '../../util/errors.js';

export type LlmFailureKind = 'http' | 'connection' | 'timeout' | 'malformed';

/**
 * One chat-completion request that did not give a usable answer. The message names the endpoint and
 * what the server said, never the API key (see `redactSecret`).
 */
export class LlmRequestError extends Error {
  readonly kind: LlmFailureKind;
  readonly status: number | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  /** The server's own words (`error.message` of its JSON body), when it sent any. */
  readonly serverMessage: string | null;

  constructor(
    message: string,
    details: {
      kind: LlmFailureKind;
      status?: number | null;
      retryable: boolean;
      retryAfterMs?: number | null;
      serverMessage?: string | null;
    },
  ) {
    super(message);
    this.name = 'LlmRequestError';
    this.kind = details.kind;
    this.status = details.status ?? null;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.serverMessage = details.serverMessage ?? null;
  }
}

/**
 * A failure every other window would meet in the same way (the key is refused, the model is not on
 * the server, no server answers): the whole `process` stops at once with exit code 15.
 */
export class LlmUnavailableError extends UserError {
  constructor(message: string, hint: string, cause?: unknown) {
    super(message, ExitCode.llmUnavailable, {hint, ...(cause === undefined ? {} : {cause})});
    this.name = 'LlmUnavailableError';
  }
}

export function isLlmUnavailable(error: unknown): error is LlmUnavailableError {
  return error instanceof LlmUnavailableError;
}

/** Keys as OpenAI-style providers echo them in their errors, partly masked or not. */
const ECHOED_KEY = /\bsk-[A-Za-z0-9_*.-]{6,}/g;

/** Removes the API key (and anything that looks like an echoed key) from text bound for a terminal or the store. */
export function redactSecret(text: string, secret: string | null): string {
  let clean = text;
  if (secret !== null && secret.length > 0) clean = clean.split(secret).join('[api key]');
  return clean.replace(ECHOED_KEY, '[api key]');
}
