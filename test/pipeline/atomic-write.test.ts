import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {NOW_WRITE_MAX_BYTES, writeFileAtomic} from '../../src/pipeline/atomic-write.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'egregora-atomic-'));
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  const cases = [
    {title: 'flushed (the default)', sync: true, size: 16},
    {title: 'unflushed and small (synchronous calls)', sync: false, size: 16},
    {title: 'unflushed and large (asynchronous calls)', sync: false, size: NOW_WRITE_MAX_BYTES + 1},
  ];
  for (const {title, sync, size} of cases) {
    describe(title, () => {
      it('writes the file, replaces an existing one whole, and leaves no temporary file', async () => {
        const target = path.join(dir, 'posts', 'a.md');
        const second = Buffer.alloc(size, 'b');
        await writeFileAtomic(target, 'first', {sync});
        await writeFileAtomic(target, second, {sync});
        expect(readFileSync(target).equals(second)).toBe(true);
        expect(readdirSync(path.dirname(target))).toEqual(['a.md']);
      });

      it('removes its temporary file when the rename fails, and keeps what was there', async () => {
        const target = path.join(dir, 'taken');
        mkdirSync(path.join(target, 'inside'), {recursive: true});
        await expect(writeFileAtomic(target, Buffer.alloc(size, 'x'), {sync})).rejects.toThrow();
        expect(readdirSync(dir)).toEqual(['taken']);
        expect(readdirSync(target)).toEqual(['inside']);
      });
    });
  }
});
