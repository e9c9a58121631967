import {UserError} from '../util/errors.js';
import {ExitCode} from '../util/exit-codes.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;

/**
 * Twice the most media WhatsApp puts in one export (Android caps an export with media at the
 * latest 10,000 messages), because an archive re-zipped on a Mac carries an AppleDouble `._` decoy
 * for every file. The central directory of 20,000 entries is a few megabytes of metadata.
 */
export const MAX_ENTRIES = 20_000;

/**
 * Ten years of a very busy group is about five million messages, roughly 500 MB of text; 1 GiB
 * doubles that. A bigger "chat" is not a chat, and V8 cannot hold it as one string anyway.
 */
export const MAX_CHAT_BYTES = 1 * GiB;

/** WhatsApp refuses to send a file above 2 GB, so no entry of a real export is bigger. */
export const MAX_ENTRY_BYTES = 2 * GiB;

/**
 * Exports with media of long-lived groups reach a few GiB; 8 GiB leaves room for them while
 * refusing archives that claim to unpack to sizes no phone ever exported.
 */
export const MAX_TOTAL_BYTES = 8 * GiB;

/**
 * Chat text deflates 3-10×, media (JPEG, MP4, Opus) barely at all, while a zip bomb's zero-filled
 * entries reach deflate's ceiling of about 1032×. 200× sits far above any real entry and far below
 * a bomb.
 */
export const MAX_COMPRESSION_RATIO = 200;

/**
 * Tiny entries (an empty `.vcf`, a one-line note) may compress absurdly well and cannot hurt, so
 * the ratio rule only applies from this uncompressed size on.
 */
export const RATIO_FLOOR_BYTES = 1 * MiB;

/** `--max-size` is bounded like every user-supplied limit: below 1 KiB nothing real fits, above 1 TiB is a typo. */
export const MAX_SIZE_FLAG_MIN = 1 * KiB;
export const MAX_SIZE_FLAG_MAX = 1 * TiB;

/** The safety limits applied to an input. Sizes are uncompressed bytes. */
export interface ArchiveLimits {
  readonly maxEntries: number;
  readonly maxChatBytes: number;
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
  readonly maxRatio: number;
  readonly ratioFloorBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = Object.freeze({
  maxEntries: MAX_ENTRIES,
  maxChatBytes: MAX_CHAT_BYTES,
  maxEntryBytes: MAX_ENTRY_BYTES,
  maxTotalBytes: MAX_TOTAL_BYTES,
  maxRatio: MAX_COMPRESSION_RATIO,
  ratioFloorBytes: RATIO_FLOOR_BYTES,
});

/** The defaults with some limits replaced (raised or lowered); missing members keep their default. */
export function resolveLimits(overrides: Partial<ArchiveLimits> = {}): ArchiveLimits {
  const limits = {...DEFAULT_ARCHIVE_LIMITS};
  for (const key of Object.keys(limits) as (keyof ArchiveLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0)
      throw new RangeError(`archive limit ${key} must be a positive number`);
    limits[key] = value;
  }
  return limits;
}

/**
 * What `--max-size BYTES` means: the largest uncompressed size accepted for the whole input, and so
 * for the chat and for any one entry. It both raises and lowers the three size limits.
 */
export function limitsForMaxSize(maxBytes: number): Partial<ArchiveLimits> {
  return {maxTotalBytes: maxBytes, maxEntryBytes: maxBytes, maxChatBytes: maxBytes};
}

const UNIT_FACTORS: Record<string, number> = {
  '': 1,
  b: 1,
  k: KiB,
  kib: KiB,
  kb: 1e3,
  m: MiB,
  mib: MiB,
  mb: 1e6,
  g: GiB,
  gib: GiB,
  gb: 1e9,
  t: TiB,
  tib: TiB,
  tb: 1e12,
};

/**
 * Reads a byte size as people write it: `500000`, `500MB`, `1.5GiB`, `2g`. SI units (KB, MB) are
 * powers of 1000, binary ones (KiB, or a bare K) powers of 1024. Bounded to
 * [MAX_SIZE_FLAG_MIN, MAX_SIZE_FLAG_MAX]; anything else is a usage error naming the flag.
 */
export function parseByteSize(input: string, flagName = 'max-size'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(input);
  const factor = match ? UNIT_FACTORS[(match[2] ?? '').toLowerCase()] : undefined;
  const value = match && factor !== undefined ? Math.floor(Number(match[1]) * factor) : Number.NaN;
  if (!Number.isFinite(value) || value < MAX_SIZE_FLAG_MIN || value > MAX_SIZE_FLAG_MAX) {
    throw new UserError(
      `--${flagName} must be a size from 1KiB to 1TiB (like 500MB or 4GiB); got "${input}".`,
      ExitCode.usage,
    );
  }
  return value;
}

/** A size for messages: `1.5 GiB`, `12 KiB`, `900 B`. */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [TiB, 'TiB'],
    [GiB, 'GiB'],
    [MiB, 'MiB'],
    [KiB, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} B`;
}
