import type {DateOrder} from '../../schemas/parse.js';
import type {ArchiveLimits} from './limits.js';
import {type ChatParse, parseChat} from './parser.js';
import {type ChatSource, openChatSource} from './source.js';
import {resolveTimeZone} from './wall-clock.js';

export interface ReadChatOptions {
  /** The chat entry to read when an archive holds several. */
  readonly chat?: string | undefined;
  /** IANA time zone for `instantMs` (default: the machine's). */
  readonly timezone?: string | undefined;
  readonly limits?: Partial<ArchiveLimits> | undefined;
  readonly batchSize?: number | undefined;
  /** The day/month order to read dates in (`--date-order`); decided from the dates when absent. */
  readonly dateOrder?: DateOrder | undefined;
}

/** An export opened for reading: where the chat is, and a way to parse it (again). */
export interface ChatReading {
  readonly source: ChatSource;
  readonly timeZone: string;
  /** Starts a streaming parse of the chat; each call reads the chat from the start. */
  parse(): ChatParse;
  close(): Promise<void>;
}

/**
 * The ingest entry point for commands: checks the time zone first (a usage error should not wait
 * for a large archive), opens the export safely, and returns a reader. Nothing is written anywhere.
 */
export async function openChatReading(
  inputPath: string,
  options: ReadChatOptions = {},
): Promise<ChatReading> {
  const timeZone = resolveTimeZone(options.timezone);
  const source = await openChatSource(inputPath, {chat: options.chat, limits: options.limits});
  return {
    source,
    timeZone,
    parse: () =>
      parseChat(source.openChat(), {
        timezone: timeZone,
        fileName: source.label,
        hasMedia: (name) => source.hasMedia(name),
        batchSize: options.batchSize,
        dateOrder: options.dateOrder,
      }),
    close: () => source.close(),
  };
}
