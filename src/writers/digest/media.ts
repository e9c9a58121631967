import {createHash} from 'node:crypto';
import type {ChatMessage} from '../../../schemas/message.js';
import type {MediaAccess, MediaFile} from '../writer.js';

/** 16 hex digits (64 bits) name a file uniquely among far more attachments than any export holds. */
const MEDIA_HASH_HEX_LENGTH = 16;
const MEDIA_DIRECTORY = 'media';
/** A file without a usable extension still gets one, so every media path has the same shape. */
const FALLBACK_EXTENSION = 'bin';
const EXTENSION_PATTERN = /^[a-z0-9]{1,10}$/;
/** Formats every browser and Markdown viewer shows inline; other files are linked. */
const INLINE_IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['jpg', 'jpeg', 'png', 'gif', 'webp', 'avif']);

/**
 * Attachments never copied into a site: a contact card holds a person's name, phone numbers and
 * e-mail addresses, which egregora keeps out of everything it publishes.
 */
const WITHHELD_EXTENSIONS: ReadonlySet<string> = new Set(['vcf', 'vcard']);

export interface CopiedMedia {
  /** The attachment's name as the chat references it. */
  readonly name: string;
  /** `media/<hash>.<ext>`, relative to the output folder. */
  readonly relativePath: string;
  readonly inline: boolean;
}

export interface WindowMedia {
  readonly copied: readonly CopiedMedia[];
  /** Referenced attachments the export does not hold, by name. */
  readonly missing: readonly string[];
  /** How many attachments were withheld on purpose (contact cards). */
  readonly withheld: number;
  /** Files to write, one per distinct content. */
  readonly files: readonly MediaFile[];
  readonly shortfalls: readonly string[];
}

/**
 * Copies the window's attachments under content-hash names, each distinct name once, in order of
 * first reference. An attachment the export does not hold is listed as missing but is NOT a
 * shortfall: exports made "without media", or with files never downloaded on the phone, are the
 * normal case, and the post is as complete as its input. An attachment the ingest saw in the archive
 * but that cannot be read now IS a shortfall: the post is missing something the input had.
 */
export async function collectMedia(
  messages: readonly ChatMessage[],
  access: MediaAccess,
  signal: AbortSignal,
): Promise<WindowMedia> {
  const copied: CopiedMedia[] = [];
  const missing: string[] = [];
  const files = new Map<string, MediaFile>();
  const shortfalls: string[] = [];
  let withheld = 0;
  for (const message of uniqueAttachments(messages)) {
    const name = message.attachment as string;
    if (WITHHELD_EXTENSIONS.has(extensionOf(name))) {
      withheld += 1;
      continue;
    }
    const bytes = message.attachmentPresent
      ? await readOrRecordShortfall(access, name, signal, shortfalls)
      : null;
    signal.throwIfAborted();
    if (bytes === null) {
      missing.push(name);
      continue;
    }
    const extension = extensionOf(name);
    const relativePath = `${MEDIA_DIRECTORY}/${contentHash(bytes)}.${extension}`;
    if (!files.has(relativePath)) files.set(relativePath, {relativePath, bytes});
    copied.push({name, relativePath, inline: INLINE_IMAGE_EXTENSIONS.has(extension)});
  }
  return {copied, missing, withheld, files: [...files.values()], shortfalls};
}

function uniqueAttachments(messages: readonly ChatMessage[]): ChatMessage[] {
  const seen = new Set<string>();
  return messages.filter((message) => {
    if (message.attachment === null || seen.has(message.attachment)) return false;
    seen.add(message.attachment);
    return true;
  });
}

async function readOrRecordShortfall(
  access: MediaAccess,
  name: string,
  signal: AbortSignal,
  shortfalls: string[],
): Promise<Uint8Array | null> {
  if (!access.has(name)) {
    shortfalls.push(`media '${name}' was in the export but is no longer available`);
    return null;
  }
  try {
    const bytes = await access.read(name);
    if (bytes === null) shortfalls.push(`media '${name}' was in the export but could not be read`);
    return bytes;
  } catch (error) {
    signal.throwIfAborted();
    shortfalls.push(
      `media '${name}' could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
}

function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, MEDIA_HASH_HEX_LENGTH);
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  const extension = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  return EXTENSION_PATTERN.test(extension) ? extension : FALLBACK_EXTENSION;
}
