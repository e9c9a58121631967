import {createWriteStream} from 'node:fs';
import {mkdir, rename, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import yazl from 'yazl';
import {type ChatSpec, type ChatStats, chatChunks, chatGroupName} from './chat.js';

/**
 * Writes a generated chat as the zip WhatsApp's "Export chat" makes: the chat file under its
 * platform's name, and some of the attachments it references as (tiny) files at the root. The rest of
 * the referenced attachments are missing, as in real exports of media never downloaded on the phone.
 */

export interface ExportZipOptions {
  /** How many of the referenced attachments to include as files (default DEFAULT_MEDIA_FILES). */
  readonly mediaFiles?: number;
}

export interface ExportZipResult {
  readonly zipPath: string;
  readonly chatEntry: string;
  readonly zipBytes: number;
  readonly stats: ChatStats;
}

/** A handful of media files: enough to exercise media indexing, small enough to keep the zip about the chat. */
export const DEFAULT_MEDIA_FILES = 20;
const MEDIA_FILE_BYTES = 512;

/** The chat file's name inside the archive, as each platform names it. */
export function chatEntryName(spec: ChatSpec, groupName: string): string {
  return spec.layout === 'ios' ? '_chat.txt' : `WhatsApp Chat with ${groupName.replaceAll(/[/:]/g, '_')}.txt`;
}

/** The archive's file name, as each platform names it. */
export function exportZipName(spec: ChatSpec, groupName: string): string {
  const safe = groupName.replaceAll(/[/:]/g, '_');
  return spec.layout === 'ios' ? `WhatsApp Chat - ${safe}.zip` : `WhatsApp Chat with ${safe}.zip`;
}

/**
 * Streams the chat into a new zip at `zipPath` (written to a temporary name, then renamed, so an
 * interrupted run never leaves a truncated archive that a cache would take for a good one).
 */
export async function writeExportZip(
  spec: ChatSpec,
  zipPath: string,
  options: ExportZipOptions = {},
): Promise<ExportZipResult> {
  await mkdir(path.dirname(zipPath), {recursive: true});
  const zip = new yazl.ZipFile();
  const chatEntry = chatEntryName(spec, chatGroupName(spec));
  // A fixed mtime keeps the archive's bytes a function of the spec too.
  const mtime = new Date(Date.UTC(2024, 0, 1));
  const wanted = options.mediaFiles ?? DEFAULT_MEDIA_FILES;
  let stats: ChatStats | undefined;
  // Media names come from the chat, so the media entries are added once the chat has been
  // generated; yazl writes entries in the order they are added, after the chat's.
  async function* bytes(): AsyncGenerator<Buffer> {
    const chunks = chatChunks(spec);
    for (;;) {
      const step = chunks.next();
      if (step.done) {
        stats = step.value;
        break;
      }
      yield Buffer.from(step.value, 'utf8');
    }
    for (const name of stats.attachmentNames.slice(0, wanted)) {
      zip.addBuffer(fakeMedia(name), name, {mtime, compress: false});
    }
    zip.end();
  }
  zip.addReadStream(Readable.from(bytes()), chatEntry, {mtime});
  const temporary = `${zipPath}.${process.pid}.partial`;
  try {
    await pipeline(zip.outputStream, createWriteStream(temporary));
    await rename(temporary, zipPath);
  } catch (error) {
    await rm(temporary, {force: true});
    throw error;
  }
  if (stats === undefined) throw new Error('the chat generator did not finish');
  return {zipPath, chatEntry, zipBytes: (await stat(zipPath)).size, stats};
}

/** Bytes standing in for a photo or a voice note: what matters to the pipeline is the name. */
function fakeMedia(name: string): Buffer {
  const bytes = Buffer.alloc(MEDIA_FILE_BYTES, 0x20);
  bytes.write(`egregora bench media ${name}`, 'utf8');
  return bytes;
}
