import {ExitCode, UserError} from '../util/errors.js';
import {createDigestWriter, DIGEST_WRITER_NAME} from './digest/digest-writer.js';
import type {Writer, WriterContext, WriterFactory} from './writer.js';

/**
 * The LLM writer's name. Its module (and the `openai` package behind it) is imported only when this
 * writer is chosen, so no other command or writer pays for loading it.
 */
export const LLM_WRITER_NAME = 'llm';

/** The writer `process` uses when none is named: offline, deterministic, free. */
export const DEFAULT_WRITER_NAME = DIGEST_WRITER_NAME;

/** Writer names are flag values and appear in config hashes: keep them plain. */
const WRITER_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

const factories = new Map<string, WriterFactory>([[DIGEST_WRITER_NAME, createDigestWriter]]);
/** Writers whose code is loaded on first use. */
const lazyFactories = new Map<string, () => Promise<WriterFactory>>([
  [
    LLM_WRITER_NAME,
    async () => {
      const {createLlmWriter} = await import('./llm/llm-writer.js');
      return (context) => createLlmWriter(context);
    },
  ],
]);

/**
 * Adds a writer under `name`; returns a function that removes it again (tests register writers of
 * their own). Registering a taken name is a programming error.
 */
export function registerWriter(name: string, factory: WriterFactory): () => void {
  if (!WRITER_NAME_PATTERN.test(name)) {
    throw new RangeError(`writer name '${name}' must match ${WRITER_NAME_PATTERN.source}`);
  }
  if (factories.has(name) || lazyFactories.has(name))
    throw new RangeError(`a writer named '${name}' is already registered`);
  factories.set(name, factory);
  return () => {
    if (factories.get(name) === factory) factories.delete(name);
  };
}

/** A new instance of the named writer; an unknown name is the user's mistake (exit code `usage`). */
export async function getWriter(name: string, context: WriterContext): Promise<Writer> {
  const factory = factories.get(name) ?? (await lazyFactories.get(name)?.());
  if (factory === undefined) {
    throw new UserError(`Unknown writer '${name}'.`, ExitCode.usage, {
      hint: `Use one of: ${writerNames().join(', ')}.`,
    });
  }
  return factory(context);
}

/** Registered writer names in code-point order (stable for help texts and messages). */
export function writerNames(): string[] {
  return [...factories.keys(), ...lazyFactories.keys()].sort();
}
