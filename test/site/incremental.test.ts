import {cp, mkdir, readdir, readFile, rm, stat, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {buildSite, type SiteBuildOptions} from '../../src/site/build.js';
import {MANIFEST_NAME, POST_STORE_NAME} from '../../src/site/manifest.js';
import {shardFileName} from '../../src/site/search-index.js';
import {createShardBuilder, readTextCache, textCachePath} from '../../src/site/search-shards.js';
import {tempDir} from '../helpers/cli.js';
import {BROKEN_POST, hostilePost, writePost} from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({dir, cleanup} = await tempDir('egregora-site-incremental-'));
});
afterEach(async () => {
  await cleanup();
});

const POSTS = 14;
const postName = (index: number) =>
  `2024-03-${String(index + 1).padStart(2, '0')}-w${String(index).padStart(4, '0')}-p`;

async function manyPosts(site: string): Promise<void> {
  for (let index = 0; index < POSTS; index += 1) {
    await writePost(site, {
      name: postName(index),
      title: `Post ${index}`,
      date: `2024-03-${String(index + 1).padStart(2, '0')}`,
      tags: [`tag-${index % 3}`, index % 2 === 0 ? 'even' : 'odd'],
      authors: [`person-${index % 4}`, 'amber-heron'],
      window: index,
      body: `Words of post ${index}, about gardens and rain.\n\n![photo ${index}](../media/${String(index).padStart(16, '0')}.jpg)`,
    });
  }
  await mkdir(path.join(site, 'media'), {recursive: true});
  for (const index of [1, 2, 3])
    await writeFile(path.join(site, 'media', `${String(index).padStart(16, '0')}.jpg`), 'jpg');
  await writePost(site, hostilePost());
  await writeFile(path.join(site, 'posts', '2024-02-01-broken.md'), BROKEN_POST);
}

/** Every file the site is made of (not the posts, the media or the renderer's own state), by path. */
async function siteFiles(site: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(path.join(site, folder), {withFileTypes: true})) {
      const relative = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.name.startsWith('.') || relative === 'media' || relative.endsWith('.md')) continue;
      if (entry.isDirectory()) await walk(relative);
      else files.set(relative, await readFile(path.join(site, relative), 'utf8'));
    }
  };
  await walk('');
  return files;
}

/** The manifest without the modification times, which a copy of the posts does not keep. */
async function manifestOf(site: string): Promise<unknown> {
  const manifest = JSON.parse(await readFile(path.join(site, MANIFEST_NAME), 'utf8'));
  for (const entry of Object.values(manifest.sources) as Array<{mtimeMs?: number}>) delete entry.mtimeMs;
  return manifest;
}

/** Builds `dir` again, then the same posts in a new folder from scratch: the two must be the same. */
async function expectSameAsFreshBuild(options: Partial<SiteBuildOptions> = {}) {
  const result = await buildSite({outputDir: dir, ...options});
  const fresh = path.join(dir, '..', `${path.basename(dir)}-fresh`);
  await rm(fresh, {recursive: true, force: true});
  await cp(path.join(dir, 'posts'), path.join(fresh, 'posts'), {
    recursive: true,
    filter: (source) => !source.endsWith('.html'),
  });
  await cp(path.join(dir, 'media'), path.join(fresh, 'media'), {recursive: true});
  const freshResult = await buildSite({outputDir: fresh, ...options});
  expect(await siteFiles(dir)).toStrictEqual(await siteFiles(fresh));
  expect(await manifestOf(dir)).toStrictEqual(await manifestOf(fresh));
  expect(result.skipped).toStrictEqual(freshResult.skipped);
  // What was written or removed differs by nature; what the site is must not.
  const same = {written: 0, unchanged: 0, removed: 0, indexPath: ''};
  expect({...result, ...same}).toStrictEqual({...freshResult, ...same});
  expect(result.written + result.unchanged).toBe(freshResult.written);
  await rm(fresh, {recursive: true, force: true});
  return result;
}

const storeTime = async () => (await stat(path.join(dir, POST_STORE_NAME))).mtimeMs;

async function edit(index: number, change: (text: string) => string): Promise<void> {
  const file = path.join(dir, 'posts', `${postName(index)}.md`);
  await writeFile(file, change(await readFile(file, 'utf8')));
}

describe('buildSite after changes', () => {
  it('renders after each kind of change exactly what a build from scratch renders', async () => {
    await manyPosts(dir);
    await expectSameAsFreshBuild();

    // A body edit: only the post's page and its search shard; the front matter store is not rewritten.
    let stored = await storeTime();
    await edit(7, (text) => text.replace('about gardens', 'about zephyr gardens'));
    let result = await expectSameAsFreshBuild();
    expect(result.written).toBe(2);
    expect(await storeTime()).toBe(stored);
    expect(await readFile(path.join(dir, 'posts', `${postName(7)}.html`), 'utf8')).toContain('zephyr');
    expect(await readFile(path.join(dir, shardFileName(0)), 'utf8')).toContain('zephyr');

    // Nothing changed, or only a modification time: nothing written.
    const now = new Date();
    await utimes(path.join(dir, 'posts', `${postName(3)}.md`), now, now);
    result = await expectSameAsFreshBuild();
    expect(result.written).toBe(0);
    expect((await buildSite({outputDir: dir})).written).toBe(0);

    // A body edit that adds a picture changes the gallery: the full build does it.
    await edit(2, (text) => `${text}\n![new](../media/0000000000000003.jpg)\n`);
    result = await expectSameAsFreshBuild();
    expect(await readFile(path.join(dir, 'media.html'), 'utf8')).toContain('0000000000000003.jpg');

    // A new title changes the neighbours' pages, the lists and the feed.
    stored = await storeTime();
    await edit(5, (text) => text.replace('title: "Post 5"', 'title: "A new title"'));
    result = await expectSameAsFreshBuild();
    expect(result.written).toBeGreaterThan(4);
    expect(await storeTime()).not.toBe(stored);

    // A body edit next to a post that was just renamed, with an invalid post in the folder.
    await edit(6, (text) => text.replace('about gardens', 'about hail'));
    result = await expectSameAsFreshBuild();
    expect(result.written).toBe(2);
    expect(result.skipped).toEqual([
      {file: 'posts/2024-02-01-broken.md', line: 3, problem: expect.any(String)},
    ]);

    // A post added, a post removed, a post broken, a broken post mended.
    await writePost(dir, {name: '2024-03-30-w0100-late', date: '2024-03-30', tags: ['late'], window: 100});
    await expectSameAsFreshBuild();
    await rm(path.join(dir, 'posts', `${postName(0)}.md`));
    await expectSameAsFreshBuild();
    await edit(9, (text) => text.replace('window: 9', 'window: nine'));
    result = await expectSameAsFreshBuild();
    expect(result.skipped.map((skip) => skip.file)).toContain(`posts/${postName(9)}.md`);
    await edit(9, (text) => text.replace('window: nine', 'window: 9'));
    await expectSameAsFreshBuild();

    // A page deleted behind the renderer's back, another title for the site.
    await rm(path.join(dir, 'tags', 'even.html'));
    expect((await expectSameAsFreshBuild()).written).toBe(1);
    await expectSameAsFreshBuild({title: 'Garden club'});
    await edit(4, (text) => text.replace('about gardens', 'about frost'));
    expect((await expectSameAsFreshBuild({title: 'Garden club'})).written).toBe(2);
  });

  it('indexes from the text cache when it is whole, and renders the posts again when it is not', async () => {
    await manyPosts(dir);
    await buildSite({outputDir: dir});
    await writeFile(textCachePath(dir, 0), '{damaged');
    await edit(1, (text) => text.replace('about gardens', 'about sleet'));
    const result = await expectSameAsFreshBuild();
    expect(result.written).toBe(2);
    expect((await readTextCache(dir, 0, 1)).size).toBe(POSTS + 1);
  });
});

describe('search shard builder', () => {
  it('writes the same shards and text caches from a worker thread as from the caller', async () => {
    const documents = Array.from({length: 40}, (_, id) => ({
      id,
      title: `Title ${id} ünïcödé 中文`,
      tags: `tag-${id % 3} even`,
      authors: 'amber-heron quiet-otter',
      summary: `Summary ${id}`,
      text: `Words ${id} ${'lorem ipsum '.repeat(id)}`,
      date: '2024-03-01',
      url: `posts/p-${id}.html`,
    }));
    const outputs: Record<string, Map<string, string>> = {};
    for (const thread of ['worker', 'caller'] as const) {
      const site = path.join(dir, thread);
      const builder = createShardBuilder({
        outputDir: site,
        formatVersion: 1,
        documents: documents.length,
        thread,
      });
      for (const document of documents) {
        builder.add(document.id % 2, document, {file: `posts/p-${document.id}.md`, hash: `h${document.id}`});
      }
      await builder.finish(
        [0, 1].map((shard) => ({shard, target: path.join(site, shardFileName(shard)), atomic: false})),
      );
      const files = new Map<string, string>();
      for (const shard of [0, 1]) {
        files.set(shardFileName(shard), await readFile(path.join(site, shardFileName(shard)), 'utf8'));
        files.set(`cache-${shard}`, await readFile(textCachePath(site, shard), 'utf8'));
      }
      outputs[thread] = files;
    }
    expect(outputs.worker).toStrictEqual(outputs.caller);
    expect(outputs.worker?.get(shardFileName(0))).toContain('Title 0');
  });

  it('reports a write the worker could not make', async () => {
    const blocker = path.join(dir, 'file');
    await writeFile(blocker, 'not a folder');
    const builder = createShardBuilder({
      outputDir: blocker,
      formatVersion: 1,
      documents: 1,
      thread: 'worker',
    });
    builder.add(
      0,
      {
        id: 0,
        title: 't',
        tags: '',
        authors: '',
        summary: '',
        text: '',
        date: '2024-01-01',
        url: 'posts/a.html',
      },
      {file: 'posts/a.md', hash: 'h'},
    );
    await expect(
      builder.finish([{shard: 0, target: path.join(blocker, shardFileName(0)), atomic: false}]),
    ).rejects.toMatchObject({code: 'ENOTDIR'});
  });
});
