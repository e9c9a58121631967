import {createReadStream} from 'node:fs';
import {open, readdir, readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {describeSystemError, UserError} from '../util/errors.js';
import {ExitCode} from '../util/exit-codes.js';
import {type ArchiveEntry, openZipArchive, type ZipArchive} from './archive.js';
import {baseName, chooseChatEntry, indexMedia, type MediaEntry, SNIFF_BYTES} from './discovery.js';
import {probeHeader} from './layout.js';
import {type ArchiveLimits, formatBytes, resolveLimits} from './limits.js';

export type {MediaEntry};

export interface ChatSourceOptions {
  /** The chat entry to read when the archive holds several (`--chat`). */
  readonly chat?: string | undefined;
  /** Limits replacing the defaults (`--max-size` maps here through `limitsForMaxSize`). */
  readonly limits?: Partial<ArchiveLimits> | undefined;
}

/** A chat ready to be read, from an export zip or a bare chat text file. */
export interface ChatSource {
  readonly inputPath: string;
  readonly kind: 'zip' | 'text';
  /** The chat's entry inside the zip, or the text file's name. */
  readonly chatEntry: string;
  /**
   * How messages should name the chat: `export.zip: _chat.txt` for a zip, the path of a text file.
   * Pass it as `fileName` to the parser, so its errors name the file the user gave.
   */
  readonly label: string;
  /** The chat's size in bytes (declared uncompressed size for a zip). */
  readonly chatBytes: number;
  /** The archive's other files, by the name the chat uses (empty for a text file). */
  readonly media: readonly MediaEntry[];
  /** Whether the export holds a file of this name (for a text file: a file beside it). */
  hasMedia(name: string): boolean;
  /** Streams the chat's bytes; may be called again to read the chat again. */
  openChat(): AsyncIterable<Uint8Array>;
  /** A media file's bytes, or null when the export does not hold it. */
  readMedia(name: string): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

const ZIP_SIGNATURES = [0x04034b50, 0x06054b50, 0x08074b50];
/**
 * A text chat is read from the file in reads of TEXT_READ_BYTES and handed on in chunks of
 * TEXT_CHUNK_BYTES (views of the read, no copy). Each read is a trip to libuv's thread pool and back:
 * 64 KiB reads made 1,400 of them for a 92 MB chat, and on a loaded machine the main thread spent
 * hundreds of milliseconds waiting between them (docs/BENCHMARKS.md, issue 14). Smaller chunks
 * decode faster than large ones (measured: 131 ms for the chat in 64 KiB chunks, 213 ms in 1 MiB
 * ones), and they are what the decoder and the line splitter were tuned on.
 */
const TEXT_READ_BYTES = 1024 * 1024;
const TEXT_CHUNK_BYTES = 64 * 1024;

/**
 * Opens an export for reading: checks the input, finds the chat inside a zip (or takes a text file
 * as the chat), and indexes the media. Every refusal is a UserError with the input's exit code.
 * Nothing is extracted or written anywhere.
 */
export async function openChatSource(
  inputPath: string,
  options: ChatSourceOptions = {},
): Promise<ChatSource> {
  const limits = resolveLimits(options.limits);
  const size = await inputSize(inputPath);
  if (await isZip(inputPath)) return openZipSource(inputPath, limits, options.chat);
  if (/\.zip$/i.test(inputPath)) {
    throw new UserError(
      `"${inputPath}" is not a zip archive: it does not start with a zip signature.`,
      ExitCode.inputInvalid,
      {
        path: inputPath,
        hint: 'Pass the .zip that WhatsApp\'s "Export chat" made, or the chat .txt.',
      },
    );
  }
  if (options.chat !== undefined) {
    throw new UserError(
      `--chat only applies to a zip archive; "${inputPath}" is a text file.`,
      ExitCode.usage,
    );
  }
  if (size > limits.maxChatBytes) {
    throw new UserError(
      `Refusing "${inputPath}": it is ${formatBytes(size)}, over the ${formatBytes(limits.maxChatBytes)} limit for a chat.`,
      ExitCode.inputUnsafe,
      {path: inputPath, hint: 'If this chat is genuine, raise the limit with --max-size BYTES.'},
    );
  }
  return textSource(inputPath, size, limits);
}

async function inputSize(inputPath: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(inputPath);
  } catch (error) {
    const reason = describeSystemError(error);
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(
      missing ? `"${inputPath}" does not exist.` : `Cannot read "${inputPath}": ${reason}.`,
      ExitCode.inputNotFound,
      {
        path: inputPath,
        hint: missing ? 'Check the path to the export .zip or the chat .txt.' : undefined,
        cause: error,
      },
    );
  }
  if (info.isDirectory()) {
    throw new UserError(`"${inputPath}" is a directory.`, ExitCode.inputInvalid, {
      path: inputPath,
      hint: 'Pass the export .zip, or the chat .txt inside the folder.',
    });
  }
  if (!info.isFile())
    throw new UserError(`"${inputPath}" is not a regular file.`, ExitCode.inputInvalid, {path: inputPath});
  if (info.size === 0) {
    throw new UserError(`"${inputPath}" is empty.`, ExitCode.inputInvalid, {
      path: inputPath,
      hint: 'Copy or export the chat again; the file has no bytes.',
    });
  }
  return info.size;
}

async function isZip(inputPath: string): Promise<boolean> {
  const handle = await open(inputPath, 'r').catch((error: unknown) => {
    throw new UserError(
      `Cannot read "${inputPath}": ${describeSystemError(error)}.`,
      ExitCode.inputNotFound,
      {
        path: inputPath,
        cause: error,
      },
    );
  });
  try {
    const head = Buffer.alloc(4);
    const {bytesRead} = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && ZIP_SIGNATURES.includes(head.readUInt32LE(0));
  } finally {
    await handle.close();
  }
}

/** Whether the first lines of some bytes read as a WhatsApp chat (for renamed chat files). */
export function looksLikeChat(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8').decode(head).replace(/^\ufeff/, '');
  const lines = text.split(/\r\n|\r|\n/).slice(0, 20);
  return lines.some((line) => probeHeader(line) !== null);
}

async function openZipSource(
  inputPath: string,
  limits: ArchiveLimits,
  chat: string | undefined,
): Promise<ChatSource> {
  const archive = await openZipArchive(inputPath, limits);
  try {
    const sniff = async (entry: ArchiveEntry) => {
      try {
        return looksLikeChat(await archive.readPrefix(entry, SNIFF_BYTES));
      } catch {
        // A text entry we cannot even start reading is not the chat; the real errors surface when the chat is read.
        return false;
      }
    };
    const chatEntry = await chooseChatEntry(inputPath, archive.entries, {chat, sniff});
    if (chatEntry.size > limits.maxChatBytes) {
      throw new UserError(
        `Refusing "${inputPath}": its chat "${chatEntry.name}" unpacks to ${formatBytes(chatEntry.size)}, over the ${formatBytes(limits.maxChatBytes)} limit.`,
        ExitCode.inputUnsafe,
        {path: inputPath, hint: 'If this chat is genuine, raise the limit with --max-size BYTES.'},
      );
    }
    const media = indexMedia(archive.entries, chatEntry.name);
    const byName = new Map(archive.entries.map((entry) => [entry.name, entry]));
    return new ZipChatSource(inputPath, archive, chatEntry, media, byName, limits);
  } catch (error) {
    archive.close();
    throw error;
  }
}

class ZipChatSource implements ChatSource {
  readonly kind = 'zip' as const;
  readonly chatEntry: string;
  readonly label: string;
  readonly chatBytes: number;
  readonly media: readonly MediaEntry[];

  constructor(
    readonly inputPath: string,
    private readonly archive: ZipArchive,
    private readonly chat: ArchiveEntry,
    private readonly mediaByName: ReadonlyMap<string, MediaEntry>,
    private readonly entriesByName: ReadonlyMap<string, ArchiveEntry>,
    private readonly limits: ArchiveLimits,
  ) {
    this.chatEntry = chat.name;
    this.label = `${inputPath}: ${chat.name}`;
    this.chatBytes = chat.size;
    this.media = [...mediaByName.values()];
  }

  hasMedia(name: string): boolean {
    return this.mediaByName.has(name);
  }

  openChat(): AsyncIterable<Uint8Array> {
    return this.archive.stream(this.chat, {maxBytes: this.limits.maxChatBytes});
  }

  async readMedia(name: string): Promise<Uint8Array | null> {
    const media = this.mediaByName.get(name);
    const entry = media ? this.entriesByName.get(media.entry) : undefined;
    return entry ? this.archive.read(entry) : null;
  }

  async close(): Promise<void> {
    this.archive.close();
  }
}

function textSource(inputPath: string, size: number, limits: ArchiveLimits): ChatSource {
  const folder = path.dirname(inputPath);
  let siblings: Promise<Set<string>> | undefined;
  let known: Set<string> | undefined;
  const loadSiblings = (): Promise<Set<string>> => {
    siblings ??= readdir(folder, {withFileTypes: true})
      .then((entries) => entries.filter((entry) => entry.isFile()).map((entry) => entry.name))
      .then((names) => new Set(names.slice(0, limits.maxEntries)))
      .catch(() => new Set<string>());
    return siblings;
  };
  const isPlainName = (name: string) =>
    name !== '' && baseName(name) === name && !name.includes('\\') && name !== '..';
  return {
    inputPath,
    kind: 'text',
    chatEntry: path.basename(inputPath),
    label: inputPath,
    chatBytes: size,
    media: [],
    hasMedia(name: string): boolean {
      return known?.has(name) === true && isPlainName(name);
    },
    openChat(): AsyncIterable<Uint8Array> {
      return readTextChat(inputPath, limits.maxChatBytes, async () => {
        known = await loadSiblings();
      });
    },
    async readMedia(name: string): Promise<Uint8Array | null> {
      if (!isPlainName(name) || !(await loadSiblings()).has(name)) return null;
      const file = path.join(folder, name);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile() || info.size > limits.maxEntryBytes) return null;
      return readFile(file);
    },
    async close(): Promise<void> {},
  };
}

/** Streams a text chat, stopping at the size limit even if the file grows while it is read. */
async function* readTextChat(
  inputPath: string,
  maxBytes: number,
  before: () => Promise<void>,
): AsyncGenerator<Uint8Array> {
  await before();
  const stream = createReadStream(inputPath, {highWaterMark: TEXT_READ_BYTES});
  let total = 0;
  try {
    for await (const read of stream as AsyncIterable<Buffer>) {
      total += read.length;
      if (total > maxBytes) {
        throw new UserError(
          `Refusing "${inputPath}": it is over the ${formatBytes(maxBytes)} limit for a chat.`,
          ExitCode.inputUnsafe,
          {path: inputPath, hint: 'If this chat is genuine, raise the limit with --max-size BYTES.'},
        );
      }
      for (let start = 0; start < read.length; start += TEXT_CHUNK_BYTES) {
        yield read.subarray(start, start + TEXT_CHUNK_BYTES);
      }
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `Cannot read "${inputPath}": ${describeSystemError(error)}.`,
      ExitCode.inputNotFound,
      {
        path: inputPath,
        cause: error,
      },
    );
  } finally {
    stream.destroy();
  }
}
