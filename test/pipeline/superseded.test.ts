import {existsSync} from 'node:fs';
import {mkdir, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {RecordedPost} from '../../src/db/pipeline-store.js';
import {sha256Hex} from '../../src/pipeline/outputs.js';
import {removeSupersededPosts} from '../../src/pipeline/superseded.js';
import {tempDir} from '../helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({dir, cleanup} = await tempDir('egregora-superseded-unit-'));
  await mkdir(path.join(dir, 'posts'));
});
afterEach(async () => cleanup());

/** Writes a post file and returns its record, as the run that wrote it recorded it. */
async function post(
  windowIndex: number,
  name: string,
  fingerprint = `f${windowIndex}`,
): Promise<RecordedPost> {
  const relative = `posts/${name}.md`;
  const content = `# ${name}\n`;
  await writeFile(path.join(dir, relative), content);
  return {windowIndex, windowFingerprint: fingerprint, path: relative, contentSha256: sha256Hex(content)};
}

const exists = (relative: string) => existsSync(path.join(dir, relative));

describe('removeSupersededPosts', () => {
  it('removes only other posts of windows whose post is in place, and never a current one', async () => {
    const recorded = [
      await post(0, 'w0-old'),
      await post(0, 'w0-new', 'g0'),
      await post(1, 'w1-old'),
      await post(2, 'w2-only'),
    ];
    const current = new Map([
      [0, new Set(['posts/w0-new.md'])],
      // Window 1 failed this time: it is not in `current`, and keeps its post.
      [2, new Set(['posts/w2-only.md'])],
    ]);
    const result = await removeSupersededPosts({outputDir: dir, recorded, current, windowCount: null});
    expect(result).toEqual({removed: ['posts/w0-old.md'], keptEdited: []});
    expect(exists('posts/w0-old.md')).toBe(false);
    for (const kept of ['posts/w0-new.md', 'posts/w1-old.md', 'posts/w2-only.md'])
      expect(exists(kept)).toBe(true);
  });

  it('removes posts of windows past the last one only when told the window count', async () => {
    const recorded = [await post(0, 'w0'), await post(5, 'w5')];
    const current = new Map([[0, new Set(['posts/w0.md'])]]);
    expect(await removeSupersededPosts({outputDir: dir, recorded, current, windowCount: null})).toEqual({
      removed: [],
      keptEdited: [],
    });
    expect(await removeSupersededPosts({outputDir: dir, recorded, current, windowCount: 1})).toEqual({
      removed: ['posts/w5.md'],
      keptEdited: [],
    });
  });

  it('keeps a file whose bytes are none a run recorded, and skips one already gone', async () => {
    const edited = await post(0, 'w0-edited');
    await writeFile(path.join(dir, edited.path), '# mine now\n');
    const gone = await post(0, 'w0-gone');
    await rm(path.join(dir, gone.path));
    const current = new Map([[0, new Set<string>()]]);
    const result = await removeSupersededPosts({
      outputDir: dir,
      recorded: [edited, gone],
      current,
      windowCount: null,
    });
    expect(result).toEqual({removed: [], keptEdited: ['posts/w0-edited.md']});
    expect(exists(edited.path)).toBe(true);
  });
});
