import {existsSync} from 'node:fs';
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseChat} from '../../src/ingest/parser.js';
import {openChatSource} from '../../src/ingest/source.js';
import {isUserError, type UserError} from '../../src/util/errors.js';
import {HOSTILE_ARCHIVES, type HostileArchive, writeHostileArchive} from '../fixtures/index.js';

/** Opens an input as `parse` does and reads its chat to the end; returns the refusal. */
async function refusal(
  file: string,
  archive: HostileArchive,
): Promise<{error: UserError; stage: 'open' | 'read'}> {
  let source: Awaited<ReturnType<typeof openChatSource>>;
  try {
    source = await openChatSource(file, {limits: archive.limits});
  } catch (error) {
    if (!isUserError(error)) throw error;
    return {error, stage: 'open'};
  }
  try {
    for await (const _batch of parseChat(source.openChat(), {timezone: 'UTC', fileName: source.label})) {
      // Reading to the end is the point.
    }
  } catch (error) {
    if (!isUserError(error)) throw error;
    return {error, stage: 'read'};
  } finally {
    await source.close();
  }
  throw new Error(`${archive.id} was accepted`);
}

describe('hostile and broken archives', () => {
  let fixtures: string;
  let sandboxTmp: string;
  let sandboxCwd: string;
  const originalCwd = process.cwd();
  const originalTmp = process.env.TMPDIR;
  const files = new Map<string, string>();

  beforeAll(async () => {
    fixtures = await mkdtemp(path.join(os.tmpdir(), 'egregora-hostile-'));
    for (const archive of HOSTILE_ARCHIVES)
      files.set(archive.id, await writeHostileArchive(fixtures, archive));
    // Anything ingest wrote to a temp dir or the working directory would show up in these.
    sandboxTmp = await mkdtemp(path.join(os.tmpdir(), 'egregora-sandbox-tmp-'));
    sandboxCwd = await mkdtemp(path.join(os.tmpdir(), 'egregora-sandbox-cwd-'));
    process.env.TMPDIR = sandboxTmp;
    process.chdir(sandboxCwd);
  });

  afterAll(async () => {
    process.chdir(originalCwd);
    if (originalTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = originalTmp;
    await Promise.all(
      [fixtures, sandboxTmp, sandboxCwd].map((dir) => rm(dir, {recursive: true, force: true})),
    );
  });

  it.each(HOSTILE_ARCHIVES.map((archive) => [archive.id, archive] as const))(
    '%s: refused with its reason and exit code, leaving nothing behind',
    async (_id, archive) => {
      const file = files.get(archive.id) ?? '';
      const fixturesBefore = await readdir(fixtures);
      const {error, stage} = await refusal(file, archive);
      expect({stage, exitCode: error.exitCode}).toEqual({stage: archive.stage, exitCode: archive.exitCode});
      expect(error.message).toMatch(archive.message);
      expect(error.message).not.toContain('\n');
      expect(error.message).toContain(file);
      expect(await readdir(sandboxTmp)).toEqual([]);
      expect(await readdir(sandboxCwd)).toEqual([]);
      expect(await readdir(fixtures)).toEqual(fixturesBefore);
      expect(existsSync(path.join(path.dirname(fixtures), 'evil.txt'))).toBe(false);
      expect(existsSync(path.join(sandboxCwd, '..', 'evil.txt'))).toBe(false);
    },
  );

  it('covers every refusal the issue lists', () => {
    const ids = HOSTILE_ARCHIVES.map((archive) => archive.id);
    for (const id of [
      'not-a-zip',
      'empty',
      'truncated',
      'damaged-crc',
      'bomb-ratio',
      'bomb-total-lowered',
      'bomb-total-declared',
      'path-traversal',
      'absolute-path',
      'encrypted',
      'too-many-entries',
      'no-chat',
      'only-macosx-decoys',
      'several-chats',
    ]) {
      expect(ids).toContain(id);
    }
  });
});
