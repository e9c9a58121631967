import {UserError} from '../util/errors.js';
import {ExitCode} from '../util/exit-codes.js';
import {type ArchiveLimits, formatBytes} from './limits.js';

/** What the safety checks need to know about one zip entry, from its central-directory record. */
export interface EntryFacts {
  readonly name: string;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  readonly encrypted: boolean;
  readonly localHeaderOffset: number;
}

/** Why a name is refused, or null when it is a plain relative path inside the archive. */
export function unsafeNameReason(name: string): string | null {
  if (name.includes('\0')) return 'contains a NUL character';
  const slashed = name.replaceAll('\\', '/');
  if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed)) return 'is an absolute path';
  if (slashed.split('/').includes('..')) return 'climbs out of the archive with ".."';
  return null;
}

function unsafe(file: string, reason: string, hint?: string): UserError {
  return new UserError(`Refusing "${file}": ${reason}.`, ExitCode.inputUnsafe, {
    path: file,
    hint: hint ?? 'egregora only reads archives made by WhatsApp\'s "Export chat"; export the chat again.',
  });
}

const RAISE_HINT = 'If this export is genuine, raise the limit with --max-size BYTES.';

/** Refuses an archive that declares more entries than the limit, before any entry is read. */
export function checkEntryCount(file: string, declared: number, limits: ArchiveLimits): void {
  if (declared > limits.maxEntries) {
    throw unsafe(file, `it holds ${declared} entries, more than the limit of ${limits.maxEntries}`);
  }
}

/**
 * Checks one entry as soon as its central-directory record is read, and returns the running total
 * of declared uncompressed bytes so the archive is refused before the whole directory is read.
 */
export function checkEntry(
  file: string,
  entry: EntryFacts,
  totalSoFar: number,
  limits: ArchiveLimits,
): number {
  const nameProblem = unsafeNameReason(entry.name);
  if (nameProblem) throw unsafe(file, `the entry "${entry.name}" ${nameProblem}`);
  if (entry.encrypted) {
    throw unsafe(file, `the entry "${entry.name}" is encrypted`, 'Export the chat again without a password.');
  }
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    throw unsafe(
      file,
      `the entry "${entry.name}" unpacks to ${formatBytes(entry.uncompressedSize)}, over the ${formatBytes(limits.maxEntryBytes)} limit`,
      RAISE_HINT,
    );
  }
  checkRatio(file, entry.name, entry.uncompressedSize, entry.compressedSize, limits);
  const total = totalSoFar + entry.uncompressedSize;
  if (total > limits.maxTotalBytes) {
    throw unsafe(
      file,
      `its entries unpack to more than ${formatBytes(limits.maxTotalBytes)} in total (a zip bomb?)`,
      RAISE_HINT,
    );
  }
  return total;
}

/** The compression-ratio rule, shared by the declared sizes and the bytes counted while inflating. */
export function checkRatio(
  file: string,
  name: string,
  uncompressed: number,
  compressed: number,
  limits: ArchiveLimits,
): void {
  if (uncompressed < limits.ratioFloorBytes) return;
  if (uncompressed > Math.max(compressed, 1) * limits.maxRatio) {
    const ratio = Math.round(uncompressed / Math.max(compressed, 1));
    throw unsafe(
      file,
      `the entry "${name}" expands ${ratio}× (more than ${limits.maxRatio}×): a zip bomb`,
      'A WhatsApp export never compresses that well; do not open this archive.',
    );
  }
}

/**
 * Refuses entries whose compressed data overlap: the "overlapping files" zip bomb makes thousands of
 * entries point at one compressed kernel, so each looks harmless while the total explodes.
 */
export function checkNoOverlap(file: string, entries: readonly EntryFacts[]): void {
  const withData = entries.filter((entry) => entry.compressedSize > 0);
  withData.sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let index = 1; index < withData.length; index += 1) {
    const previous = withData[index - 1];
    const current = withData[index];
    if (!previous || !current) continue;
    if (previous.localHeaderOffset + previous.compressedSize > current.localHeaderOffset) {
      throw unsafe(
        file,
        `the entries "${previous.name}" and "${current.name}" share their data (a zip bomb)`,
      );
    }
  }
}
