import {UserError} from '../util/errors.js';
import {ExitCode} from '../util/exit-codes.js';

/** What discovery needs from an archive entry. */
export interface NamedEntry {
  readonly name: string;
  readonly size: number;
  readonly isDirectory: boolean;
}

/** A media file of the export, indexed by the name the chat text uses for it. */
export interface MediaEntry {
  /** The file name as the chat refers to it (the entry's last path segment). */
  readonly name: string;
  /** The full path of the entry inside the archive. */
  readonly entry: string;
  /** Uncompressed size in bytes. */
  readonly size: number;
}

/** How many `.txt` files discovery opens to look for a chat when none has a known chat name. */
export const SNIFF_MAX_FILES = 16;
/** How much of each one it reads: a chat's first header is on its first lines. */
export const SNIFF_BYTES = 16 * 1024;
/** How many names an error message lists before it says "and N more". */
const LISTED_NAMES = 8;

export function baseName(entryName: string): string {
  const trimmed = entryName.endsWith('/') ? entryName.slice(0, -1) : entryName;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function folderOf(entryName: string): string {
  const cut = entryName.lastIndexOf('/');
  return cut === -1 ? '' : entryName.slice(0, cut + 1);
}

/**
 * Files that a copy or a re-zip adds and that are never part of the export: macOS resource forks
 * (`__MACOSX/…`, AppleDouble `._name`, binary even when named `.txt`), Finder and Explorer metadata.
 */
export function isDecoyEntry(entryName: string): boolean {
  const segments = entryName.split('/');
  if (segments.includes('__MACOSX')) return true;
  const base = baseName(entryName);
  return base.startsWith('._') || base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini';
}

/**
 * The chat file's own names: iOS `_chat.txt`; Android `WhatsApp Chat with <chat>.txt`, localized
 * (`Conversa do WhatsApp com …`, `WhatsApp-Chat mit …`, `Chat de WhatsApp con …`, `Discussion
 * WhatsApp avec …`, `Chat di WhatsApp con …`, `WhatsApp-chat met …`, …). Every localization seen
 * keeps the brand, in Latin script or in the script of the language (Arabic, Persian, Hebrew).
 */
const CHAT_NAME =
  /^_chat\.txt$|^.*(?:whats ?app|واتساب|واتس اب|واتساپ|וואטסאפ|ווטסאפ|ватсап|вотсап).*\.txt$/iu;

export function looksLikeChatName(entryName: string): boolean {
  return CHAT_NAME.test(baseName(entryName));
}

export interface ChooseChatOptions<E extends NamedEntry = NamedEntry> {
  /** The entry the user picked with `--chat` (full path, or a file name that is unique). */
  readonly chat?: string | undefined;
  /** Whether an entry's first bytes look like a chat; used when no entry has a chat's name. */
  readonly sniff?: (entry: E) => Promise<boolean>;
}

/**
 * Finds the chat file among an archive's entries: the one named like a chat, or (for renamed chats)
 * the one `.txt` whose first lines read as a chat. Several candidates or none are UserErrors
 * (chatNotFound) that list what there is, so the user can pass `--chat ENTRY`.
 */
export async function chooseChatEntry<E extends NamedEntry>(
  archive: string,
  entries: readonly E[],
  options: ChooseChatOptions<E> = {},
): Promise<E> {
  const files = entries.filter((entry) => !entry.isDirectory);
  const usable = files.filter((entry) => !isDecoyEntry(entry.name));
  if (options.chat !== undefined) return pickNamed(archive, usable, options.chat);

  const named = usable.filter((entry) => looksLikeChatName(entry.name));
  if (named.length === 1 && named[0]) return named[0];
  if (named.length > 1) throw severalChats(archive, named);

  const texts = usable
    .filter((entry) => /\.txt$/i.test(entry.name) && entry.size > 0)
    .slice(0, SNIFF_MAX_FILES);
  const sniffed: E[] = [];
  if (options.sniff) {
    for (const entry of texts) if (await options.sniff(entry)) sniffed.push(entry);
  }
  if (sniffed.length === 1 && sniffed[0]) return sniffed[0];
  if (sniffed.length > 1) throw severalChats(archive, sniffed);
  throw new UserError(
    `No WhatsApp chat found in "${archive}"; it holds ${describeNames(files.map((entry) => entry.name))}.`,
    ExitCode.chatNotFound,
    {
      path: archive,
      hint: 'Use an archive made by WhatsApp\'s "Export chat", or pass --chat ENTRY to name the chat file inside it.',
    },
  );
}

function pickNamed<E extends NamedEntry>(archive: string, usable: readonly E[], wanted: string): E {
  const exact = usable.find((entry) => entry.name === wanted);
  if (exact) return exact;
  const byBase = usable.filter((entry) => baseName(entry.name) === wanted);
  if (byBase.length === 1 && byBase[0]) return byBase[0];
  const texts = usable.filter((entry) => /\.txt$/i.test(entry.name)).map((entry) => entry.name);
  const problem = byBase.length > 1 ? 'matches several entries' : 'is not an entry';
  throw new UserError(
    `--chat "${wanted}" ${problem} of "${archive}"; its text files are ${describeNames(texts)}.`,
    ExitCode.chatNotFound,
    {path: archive, hint: 'Pass --chat with the full entry path, as listed.'},
  );
}

function severalChats(archive: string, candidates: readonly NamedEntry[]): UserError {
  return new UserError(
    `"${archive}" holds ${candidates.length} chats: ${describeNames(candidates.map((entry) => entry.name))}.`,
    ExitCode.chatNotFound,
    {path: archive, hint: 'Pass --chat ENTRY to choose one of them.'},
  );
}

function describeNames(names: readonly string[]): string {
  if (names.length === 0) return 'no files';
  const listed = names.slice(0, LISTED_NAMES).map((name) => JSON.stringify(name));
  const more = names.length - listed.length;
  return more > 0 ? `${listed.join(', ')} and ${more} more` : listed.join(', ');
}

/**
 * Every file of the export except the chat and the decoys, by the name the chat uses. When two
 * folders hold the same name, the one beside the chat wins (it is the export's own).
 */
export function indexMedia(entries: readonly NamedEntry[], chatEntry: string): Map<string, MediaEntry> {
  const chatFolder = folderOf(chatEntry);
  const media = new Map<string, MediaEntry>();
  for (const entry of entries) {
    if (entry.isDirectory || entry.name === chatEntry || isDecoyEntry(entry.name)) continue;
    const name = baseName(entry.name);
    const existing = media.get(name);
    if (existing && folderOf(existing.entry) === chatFolder) continue;
    media.set(name, {name, entry: entry.name, size: entry.size});
  }
  return media;
}
