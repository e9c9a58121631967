import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {writeFileAtomic} from '../../src/pipeline/atomic-write.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'egregora-atomic-'));
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  for (const sync of [true, false]) {
    describe(sync ? 'flushed (the default)' : 'unflushed (the pipeline, synchronous calls)', () => {
      it('writes the file, replaces an existing one whole, and leaves no temporary file', async () => {
        const target = path.join(dir, 'posts', 'a.md');
        await writeFileAtomic(target, 'first', {sync});
        await writeFileAtomic(target, new TextEncoder().encode('second, longer'), {sync});
        expect(readFileSync(target, 'utf8')).toBe('second, longer');
        expect(readdirSync(path.dirname(target))).toEqual(['a.md']);
      });

      it('removes its temporary file when the rename fails, and keeps what was there', async () => {
        const target = path.join(dir, 'taken');
        mkdirSync(path.join(target, 'inside'), {recursive: true});
        await expect(writeFileAtomic(target, 'x', {sync})).rejects.toThrow();
        expect(readdirSync(dir)).toEqual(['taken']);
        expect(readdirSync(target)).toEqual(['inside']);
      });
    });
  }
});
