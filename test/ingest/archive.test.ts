import {randomBytes} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openZipArchive} from '../../src/ingest/archive.js';
import {checkEntry, checkNoOverlap, checkRatio, unsafeNameReason} from '../../src/ingest/archive-safety.js';
import {
  DEFAULT_ARCHIVE_LIMITS,
  formatBytes,
  limitsForMaxSize,
  MAX_COMPRESSION_RATIO,
  MAX_ENTRIES,
  parseByteSize,
  resolveLimits,
} from '../../src/ingest/limits.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {writeZip} from '../fixtures/index.js';

function entry(archive: Awaited<ReturnType<typeof openZipArchive>>, index: number) {
  const found = archive.entries[index];
  if (!found) throw new Error(`no entry ${index}`);
  return found;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'egregora-archive-'));
});
afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

describe('openZipArchive', () => {
  it('lists entries with UTF-8 names, sizes and directories, and streams their exact bytes', async () => {
    const photo = randomBytes(5000);
    const text = 'Olá 👋\n'.repeat(1000);
    const file = await writeZip(path.join(dir, 'plain.zip'), [
      {name: 'Família 👨‍👩‍👧/'},
      {name: 'Família 👨‍👩‍👧/Conversa do WhatsApp com Família.txt', data: text},
      {name: 'Família 👨‍👩‍👧/IMG-20240101-WA0001.jpg', data: photo, compress: false},
    ]);
    const archive = await openZipArchive(file);
    try {
      expect(archive.entries.map((entry) => [entry.name, entry.size, entry.isDirectory])).toEqual([
        ['Família 👨‍👩‍👧/', 0, true],
        ['Família 👨‍👩‍👧/Conversa do WhatsApp com Família.txt', Buffer.byteLength(text), false],
        ['Família 👨‍👩‍👧/IMG-20240101-WA0001.jpg', 5000, false],
      ]);
      const chat = entry(archive, 1);
      expect(Buffer.from(await archive.read(chat)).toString('utf8')).toBe(text);
      expect(Buffer.from(await archive.read(entry(archive, 2)))).toEqual(photo);
      expect(Buffer.from(await archive.readPrefix(chat, 10))).toEqual(Buffer.from(text).subarray(0, 10));
      expect(archive.totalSize).toBe(Buffer.byteLength(text) + 5000);
    } finally {
      archive.close();
    }
  });

  it('reads Zip64 records', async () => {
    const file = await writeZip(
      path.join(dir, 'zip64.zip'),
      [{name: '_chat.txt', data: 'x'.repeat(10_000)}],
      {zip64: true},
    );
    const archive = await openZipArchive(file);
    try {
      expect(archive.entries[0]?.size).toBe(10_000);
      expect(await archive.read(entry(archive, 0))).toHaveLength(10_000);
    } finally {
      archive.close();
    }
  });

  it('stops streaming an entry at the byte limit it is read with', async () => {
    const file = await writeZip(path.join(dir, 'limit.zip'), [
      {name: '_chat.txt', data: randomBytes(200_000)},
    ]);
    const archive = await openZipArchive(file);
    try {
      await expect(archive.read(entry(archive, 0), {maxBytes: 50_000})).rejects.toMatchObject({
        exitCode: ExitCode.inputUnsafe,
        message: expect.stringContaining('unpacks to more than 49 KiB'),
      });
    } finally {
      archive.close();
    }
  });
});

describe('archive safety rules', () => {
  const facts = (overrides: Partial<Parameters<typeof checkEntry>[1]> = {}) => ({
    name: 'IMG.jpg',
    uncompressedSize: 1000,
    compressedSize: 900,
    encrypted: false,
    localHeaderOffset: 0,
    ...overrides,
  });

  it('refuses names that are absolute or climb out', () => {
    expect(unsafeNameReason('media/IMG.jpg')).toBeNull();
    expect(unsafeNameReason('..hidden/IMG.jpg')).toBeNull();
    expect(unsafeNameReason('../IMG.jpg')).toMatch(/climbs out/);
    expect(unsafeNameReason('a/../../IMG.jpg')).toMatch(/climbs out/);
    expect(unsafeNameReason('..\\IMG.jpg')).toMatch(/climbs out/);
    expect(unsafeNameReason('/etc/passwd')).toMatch(/absolute/);
    expect(unsafeNameReason('C:\\Windows\\x')).toMatch(/absolute/);
    expect(unsafeNameReason('a\0b')).toMatch(/NUL/);
  });

  it('applies the ratio rule from the floor size on', () => {
    const limits = DEFAULT_ARCHIVE_LIMITS;
    expect(() => checkRatio('x.zip', 'small', 1000, 1, limits)).not.toThrow();
    expect(() =>
      checkRatio('x.zip', 'big', 2 * 1024 * 1024, (2 * 1024 * 1024) / MAX_COMPRESSION_RATIO, limits),
    ).not.toThrow();
    expect(() => checkRatio('x.zip', 'bomb', 2 * 1024 * 1024, 1024, limits)).toThrowError(/expands 2048×/);
  });

  it('refuses an entry over the size limit and a total over the total limit', () => {
    const limits = resolveLimits({maxEntryBytes: 5000, maxTotalBytes: 8000});
    expect(checkEntry('x.zip', facts(), 0, limits)).toBe(1000);
    expect(() =>
      checkEntry('x.zip', facts({uncompressedSize: 6000, compressedSize: 6000}), 0, limits),
    ).toThrowError(/over the 4\.9 KiB limit/);
    expect(() =>
      checkEntry('x.zip', facts({uncompressedSize: 4000, compressedSize: 4000}), 5000, limits),
    ).toThrowError(/in total/);
    expect(() => checkEntry('x.zip', facts({encrypted: true}), 0, limits)).toThrowError(/encrypted/);
  });

  it('refuses entries that share their compressed data', () => {
    expect(() =>
      checkNoOverlap('x.zip', [
        facts({name: 'a', localHeaderOffset: 0}),
        facts({name: 'b', localHeaderOffset: 0}),
      ]),
    ).toThrowError(/share their data/);
    expect(() =>
      checkNoOverlap('x.zip', [
        facts({name: 'a', localHeaderOffset: 0}),
        facts({name: 'b', localHeaderOffset: 1000}),
      ]),
    ).not.toThrow();
  });
});

describe('limits', () => {
  it('has named defaults and lets options raise or lower them', () => {
    expect(DEFAULT_ARCHIVE_LIMITS.maxEntries).toBe(MAX_ENTRIES);
    expect(resolveLimits({maxEntries: 5}).maxEntries).toBe(5);
    expect(resolveLimits(limitsForMaxSize(20 * 1024 ** 3))).toMatchObject({
      maxTotalBytes: 20 * 1024 ** 3,
      maxEntryBytes: 20 * 1024 ** 3,
      maxChatBytes: 20 * 1024 ** 3,
    });
    expect(() => resolveLimits({maxRatio: 0})).toThrow(RangeError);
  });

  it('reads --max-size as people write it, within bounds', () => {
    expect(parseByteSize('500000')).toBe(500_000);
    expect(parseByteSize('500MB')).toBe(500_000_000);
    expect(parseByteSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('2g')).toBe(2 * 1024 ** 3);
    expect(parseByteSize(' 16 KiB ')).toBe(16 * 1024);
    for (const bad of ['', 'big', '-5MB', '12', '2PB', '5 XB', `${2 * 1024 ** 4}`]) {
      expect(() => parseByteSize(bad), bad).toThrowError(expect.objectContaining({exitCode: ExitCode.usage}));
    }
  });

  it('formats sizes for messages', () => {
    expect(formatBytes(900)).toBe('900 B');
    expect(formatBytes(2048)).toBe('2 KiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(8 * 1024 ** 3)).toBe('8 GiB');
  });
});
