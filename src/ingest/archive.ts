import {open} from 'node:fs/promises';
import type {Readable} from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import {isUserError, UserError} from '../util/errors.js';
import {ExitCode} from '../util/exit-codes.js';
import {checkEntry, checkEntryCount, checkNoOverlap, checkRatio, type EntryFacts} from './archive-safety.js';
import {type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS, formatBytes} from './limits.js';

/** One entry of an opened archive, as its central directory declares it. */
export interface ArchiveEntry {
  /** The path inside the archive, `/`-separated, decoded from UTF-8 or CP437 by its flag. */
  readonly name: string;
  /** Declared uncompressed size in bytes (checked against the bytes actually inflated). */
  readonly size: number;
  readonly compressedSize: number;
  readonly isDirectory: boolean;
}

export interface StreamEntryOptions {
  /** Refuse the entry once this many bytes have been inflated (default: the entry-size limit). */
  readonly maxBytes?: number;
}

/**
 * A zip opened for reading, with every entry's metadata already checked. Entries are only ever
 * streamed into memory: nothing is extracted to disk.
 */
export interface ZipArchive {
  readonly path: string;
  readonly entries: readonly ArchiveEntry[];
  readonly totalSize: number;
  /** Streams an entry's bytes, counting them against the limits and checking the CRC at the end. */
  stream(entry: ArchiveEntry, options?: StreamEntryOptions): AsyncGenerator<Uint8Array>;
  /** The whole entry in memory (for media and small files). */
  read(entry: ArchiveEntry, options?: StreamEntryOptions): Promise<Uint8Array>;
  /** At most `bytes` bytes from the start of the entry, for sniffing its content. */
  readPrefix(entry: ArchiveEntry, bytes: number): Promise<Uint8Array>;
  close(): void;
}

const ZIP_OPTIONS: yauzl.Options = {
  autoClose: false,
  lazyEntries: true,
  decodeStrings: true,
  validateEntrySizes: true,
  strictFileNames: false,
};

/** Opens a zip, refusing it (UserError) when it is broken or unsafe. */
export async function openZipArchive(
  file: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ZipArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, ZIP_OPTIONS);
  } catch (error) {
    if (
      error instanceof Error &&
      /^End of central directory record signature not found/.test(error.message)
    ) {
      throw (await startsLikeZip(file))
        ? zipInvalid(
            file,
            'is truncated or damaged: its zip directory (at the end of the file) is missing',
            error,
          )
        : zipInvalid(file, 'is not a zip archive', error);
    }
    throw zipError(file, error);
  }
  try {
    checkEntryCount(file, zip.entryCount, limits);
    const rawByEntry = new Map<ArchiveEntry, yauzl.Entry>();
    const facts: EntryFacts[] = [];
    let total = 0;
    for await (const raw of zip.eachEntry()) {
      const fact: EntryFacts = {
        name: raw.fileName,
        uncompressedSize: raw.uncompressedSize,
        compressedSize: raw.compressedSize,
        encrypted: raw.isEncrypted(),
        localHeaderOffset: raw.relativeOffsetOfLocalHeader,
      };
      total = checkEntry(file, fact, total, limits);
      facts.push(fact);
      const entry: ArchiveEntry = Object.freeze({
        name: raw.fileName,
        size: raw.uncompressedSize,
        compressedSize: raw.compressedSize,
        isDirectory: raw.fileName.endsWith('/'),
      });
      rawByEntry.set(entry, raw);
    }
    checkNoOverlap(file, facts);
    return new OpenZip(file, zip, rawByEntry, total, limits);
  } catch (error) {
    zip.close();
    throw zipError(file, error);
  }
}

class OpenZip implements ZipArchive {
  readonly entries: readonly ArchiveEntry[];

  constructor(
    readonly path: string,
    private readonly zip: yauzl.ZipFile,
    private readonly rawByEntry: ReadonlyMap<ArchiveEntry, yauzl.Entry>,
    readonly totalSize: number,
    private readonly limits: ArchiveLimits,
  ) {
    this.entries = [...rawByEntry.keys()];
  }

  async *stream(entry: ArchiveEntry, options: StreamEntryOptions = {}): AsyncGenerator<Uint8Array> {
    const raw = this.rawOf(entry);
    const maxBytes = Math.min(options.maxBytes ?? this.limits.maxEntryBytes, this.limits.maxEntryBytes);
    let stream: Readable;
    try {
      stream = await this.zip.openReadStreamPromise(raw);
    } catch (error) {
      throw zipError(this.path, error);
    }
    let inflated = 0;
    let crc = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        // Counted here as well as declared up front: a header that lies about sizes stops at the limit.
        if (inflated > maxBytes) {
          throw new UserError(
            `Refusing "${this.path}": the entry "${entry.name}" unpacks to more than ${formatBytes(maxBytes)}.`,
            ExitCode.inputUnsafe,
            {path: this.path, hint: 'If this export is genuine, raise the limit with --max-size BYTES.'},
          );
        }
        checkRatio(this.path, entry.name, inflated, raw.compressedSize, this.limits);
        crc = zlib.crc32(chunk, crc);
        yield chunk;
      }
    } catch (error) {
      throw zipError(this.path, error);
    } finally {
      stream.destroy();
    }
    if (crc >>> 0 !== raw.crc32 >>> 0) {
      throw new UserError(
        `"${this.path}" is damaged: the checksum (CRC-32) of "${entry.name}" does not match its content.`,
        ExitCode.inputInvalid,
        {path: this.path, hint: 'Copy or download the export again; the archive was corrupted on the way.'},
      );
    }
  }

  async read(entry: ArchiveEntry, options: StreamEntryOptions = {}): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.stream(entry, options)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async readPrefix(entry: ArchiveEntry, bytes: number): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let have = 0;
    // Leaving the loop early destroys the stream; the CRC is only checked on complete reads.
    for await (const chunk of this.stream(entry)) {
      chunks.push(chunk);
      have += chunk.length;
      if (have >= bytes) break;
    }
    return Buffer.concat(chunks).subarray(0, bytes);
  }

  close(): void {
    this.zip.close();
  }

  private rawOf(entry: ArchiveEntry): yauzl.Entry {
    const raw = this.rawByEntry.get(entry);
    if (!raw) throw new Error(`entry "${entry.name}" does not belong to ${this.path}`);
    return raw;
  }
}

async function startsLikeZip(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(2);
    const {bytesRead} = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head.toString('latin1') === 'PK';
  } finally {
    await handle.close();
  }
}

function zipInvalid(file: string, reason: string, cause: unknown): UserError {
  return new UserError(`"${file}" ${reason}.`, ExitCode.inputInvalid, {
    path: file,
    hint: 'Export the chat again from WhatsApp, or copy the archive again if it was cut short.',
    cause,
  });
}

/** yauzl's and zlib's failures, turned into one-line messages with the input's exit codes. */
export function zipError(file: string, error: unknown): UserError {
  if (isUserError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as {code?: unknown}).code;
  const invalid = (reason: string) => zipInvalid(file, reason, error);
  const unsafe = (reason: string) =>
    new UserError(`Refusing "${file}": ${reason}.`, ExitCode.inputUnsafe, {
      path: file,
      hint: 'egregora only reads archives made by WhatsApp\'s "Export chat"; export the chat again.',
      cause: error,
    });

  if (/^End of central directory record signature not found/.test(message)) {
    return invalid('is not a zip archive, or is truncated (no zip directory at its end)');
  }
  const badName = /^(absolute path|invalid relative path|invalid characters in fileName): (.*)$/s.exec(
    message,
  );
  if (badName) {
    const reason =
      badName[1] === 'absolute path'
        ? 'is an absolute path'
        : 'climbs out of the archive or has invalid characters';
    return unsafe(`the entry "${badName[2]}" ${reason}`);
  }
  if (/encrypt/i.test(message)) return unsafe('it holds encrypted entries');
  if (/^too many bytes in the stream/.test(message)) {
    return unsafe('an entry inflates to more bytes than its header declares (a zip bomb?)');
  }
  if (/^unsupported compression method/.test(message))
    return invalid(`uses a compression method egregora cannot read (${message})`);
  if (/^multi-disk/.test(message)) return invalid('is one part of a multi-part (spanned) archive');
  if (
    /unexpected EOF|not enough bytes|overflows file bounds|unexpected end of file/i.test(message) ||
    code === 'Z_BUF_ERROR'
  ) {
    return invalid('is truncated: it ends before its data does');
  }
  if (typeof code === 'string' && code.startsWith('Z_'))
    return invalid(`is damaged: its compressed data cannot be inflated (${message})`);
  if (/signature|comment length|zip64|extra field|size mismatch/i.test(message)) {
    return invalid(`is damaged: ${message.replace(/\.$/, '')}`);
  }
  if (typeof code === 'string' && ['EACCES', 'EPERM', 'ENOENT', 'EISDIR'].includes(code)) {
    return new UserError(`Cannot read "${file}": ${message}.`, ExitCode.inputNotFound, {
      path: file,
      cause: error,
    });
  }
  return invalid(`cannot be read as a zip archive (${message})`);
}
