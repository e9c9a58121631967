import {existsSync} from 'node:fs';
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {buildSite, DEFAULT_SITE_TITLE} from '../../src/site/build.js';
import {MANIFEST_NAME} from '../../src/site/manifest.js';
import {resolveRequestPath, startSiteServer} from '../../src/site/serve.js';
import {isUserError} from '../../src/util/errors.js';
import {tempDir} from '../helpers/cli.js';
import {BROKEN_POST, HOSTILE, hostilePost, writePost} from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({dir, cleanup} = await tempDir('egregora-site-'));
});
afterEach(async () => {
  await cleanup();
});

async function threePosts(): Promise<void> {
  await writePost(dir, {name: '2024-03-01-w0000-a', date: '2024-03-01', tags: ['garden', 'rain'], window: 0});
  await writePost(dir, {name: '2024-03-05-w0001-b', date: '2024-03-05', tags: ['garden'], window: 1});
  await writePost(dir, {
    name: '2024-04-02-w0002-c',
    date: '2024-04-02',
    tags: ['tools'],
    authors: ['amber-heron', 'quiet-otter'],
    window: 2,
  });
}

const read = (file: string) => readFile(path.join(dir, file), 'utf8');

describe('buildSite', () => {
  it('renders every page from the posts alone, with a neutral title', async () => {
    await threePosts();
    const result = await buildSite({outputDir: dir});
    expect(result.posts).toBe(3);
    expect(result.skipped).toEqual([]);
    expect(result.unchanged).toBe(0);
    expect(result.indexPath).toBe(path.join(dir, 'index.html'));
    for (const file of [
      'index.html',
      'archive.html',
      'archive/2024.html',
      'posts/2024-03-01-w0000-a.html',
      'tags.html',
      'tags/garden.html',
      'people.html',
      'people/quiet-otter.html',
      'media.html',
      'search.html',
      'feed.xml',
      'assets/site.css',
      'assets/search.js',
      'assets/minisearch.js',
      'search/index-000.js',
      MANIFEST_NAME,
    ]) {
      expect(existsSync(path.join(dir, file)), file).toBe(true);
    }
    const home = await read('index.html');
    expect(home).toContain(`<title>${DEFAULT_SITE_TITLE}</title>`);
    expect(home).toContain('<strong>3</strong> posts');
    expect(home).toContain('2024-03-01 – 2024-04-02');
    expect(home).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;self&#39;/,
    );
    const middle = await read('posts/2024-03-05-w0001-b.html');
    expect(middle).toContain('rel="prev" href="../posts/2024-03-01-w0000-a.html"');
    expect(middle).toContain('rel="next" href="../posts/2024-04-02-w0002-c.html"');
    expect(await read('tags/garden.html')).toContain('2 posts');
    expect(await read('search/index-000.js')).toMatch(
      /^\(window\.egregoraSearch = window\.egregoraSearch \|\| \[\]\)\.push\(/,
    );
  });

  it('escapes hostile titles, tags, pseudonyms and summaries on every page and in the feed', async () => {
    await threePosts();
    await writePost(dir, hostilePost());
    const result = await buildSite({outputDir: dir, title: `Club ${HOSTILE.title}`});
    expect(result.skipped).toEqual([]);
    const pages = [
      'index.html',
      'tags.html',
      'people.html',
      'archive/2024.html',
      'posts/2024-04-30-w0099-hostile.html',
    ];
    for (const page of pages) {
      const html = await read(page);
      expect(html.match(/<script/g) ?? [], page).toHaveLength(page === 'search.html' ? 3 : 0);
      expect(html, page).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
      expect(html, page).not.toMatch(/(?:href|src)="(?:javascript|data|vbscript):/i);
      expect(html, page).not.toContain('</textarea>');
      expect(html, page).toContain('&lt;/title&gt;&lt;script&gt;');
    }
    const feed = await read('feed.xml');
    expect(feed).not.toMatch(/<script|<img|<\/textarea|<b>/i);
    expect(feed).toContain('&lt;/title&gt;&lt;script&gt;');
  });

  it('rewrites only what a change touches, removes what is gone, and survives a damaged manifest', async () => {
    await threePosts();
    const first = await buildSite({outputDir: dir});
    const again = await buildSite({outputDir: dir});
    expect(again.written).toBe(0);
    expect(again.unchanged).toBe(first.written);

    // A hand edit of the last post's body: its page, its neighbour's (title unchanged: no), the
    // search shard, and no list page whose content did not change.
    const file = path.join(dir, 'posts/2024-04-02-w0002-c.md');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        'Body of 2024-04-02-w0002-c.',
        'An edited body with the word zephyr.',
      ),
    );
    const edited = await buildSite({outputDir: dir});
    expect(edited.written).toBe(2);
    expect(await read('posts/2024-04-02-w0002-c.html')).toContain('zephyr');
    expect(await read('search/index-000.js')).toContain('zephyr');

    // A page deleted behind our back is written again.
    await rm(path.join(dir, 'tags/tools.html'));
    expect((await buildSite({outputDir: dir})).written).toBe(1);

    // A post removed: its page and its only tag's page go.
    await rm(file);
    const removed = await buildSite({outputDir: dir});
    expect(removed.posts).toBe(2);
    expect(removed.removed).toBeGreaterThanOrEqual(2);
    expect(existsSync(path.join(dir, 'posts/2024-04-02-w0002-c.html'))).toBe(false);
    expect(existsSync(path.join(dir, 'tags/tools.html'))).toBe(false);
    expect(existsSync(path.join(dir, 'people/quiet-otter.html'))).toBe(false);

    // A damaged manifest: every file is rendered again; those that hold other bytes (here a page
    // changed by hand) are written, those that already hold the same bytes are left alone.
    await writeFile(path.join(dir, MANIFEST_NAME), '{not json');
    await writeFile(path.join(dir, 'index.html'), 'changed by hand');
    const rebuilt = await buildSite({outputDir: dir});
    expect(rebuilt.written).toBe(1);
    expect(rebuilt.written + rebuilt.unchanged).toBe(removed.written + removed.unchanged);
    expect(await read('index.html')).toContain('<!doctype html>');
    expect((await buildSite({outputDir: dir})).written).toBe(0);
  });

  it('skips a post whose front matter does not validate, naming file and line, and builds the rest', async () => {
    await threePosts();
    await writeFile(path.join(dir, 'posts', '2024-03-02-broken.md'), BROKEN_POST);
    await writeFile(path.join(dir, 'posts', 'notes.md'), 'just text\n');
    const result = await buildSite({outputDir: dir});
    expect(result.posts).toBe(3);
    expect(result.skipped).toEqual([
      {file: 'posts/2024-03-02-broken.md', line: 3, problem: expect.stringMatching(/not valid YAML/)},
      {file: 'posts/notes.md', line: 1, problem: expect.stringMatching(/front matter/)},
    ]);
    expect(existsSync(path.join(dir, 'posts/2024-03-02-broken.html'))).toBe(false);
    // Still skipped (from the manifest) on the next build.
    expect((await buildSite({outputDir: dir})).skipped).toHaveLength(2);
  });

  it('builds an empty site from a folder without posts, and refuses a missing folder', async () => {
    const result = await buildSite({outputDir: dir});
    expect(result.posts).toBe(0);
    expect(await read('index.html')).toContain('No posts yet');
    await expect(buildSite({outputDir: path.join(dir, 'missing')})).rejects.toMatchObject({exitCode: 7});
  });

  it('stops when aborted', async () => {
    await threePosts();
    const controller = new AbortController();
    controller.abort();
    await expect(buildSite({outputDir: dir, signal: controller.signal})).rejects.toThrow();
  });

  it('lists media the posts show in the gallery, and only files that exist', async () => {
    await mkdir(path.join(dir, 'media'), {recursive: true});
    await writeFile(path.join(dir, 'media', '0123456789abcdef.png'), 'not really a png');
    await writePost(dir, {
      name: '2024-03-01-w0000-m',
      body: '![a.png](../media/0123456789abcdef.png)\n\n![gone.png](../media/fedcba9876543210.png)',
    });
    await buildSite({outputDir: dir});
    const gallery = await read('media.html');
    expect(gallery).toContain('src="media/0123456789abcdef.png"');
    expect(gallery).not.toContain('fedcba9876543210');
    expect(await read('index.html')).toContain('<strong>1</strong> media file');
  });
});

describe('site server', () => {
  it('keeps requests inside the folder and away from dotfiles', () => {
    const root = '/srv/site';
    expect(resolveRequestPath(root, '/')).toBe(root);
    expect(resolveRequestPath(root, '/posts/a.html?x=1')).toBe('/srv/site/posts/a.html');
    expect(resolveRequestPath(root, '/../etc/passwd')).toBe('/srv/site/etc/passwd');
    expect(resolveRequestPath(root, '/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/site/etc/passwd');
    expect(resolveRequestPath(root, '/a/%2F..%2F..%2F..%2Fetc%2Fpasswd')).toBeNull();
    expect(resolveRequestPath(root, `/${MANIFEST_NAME}`)).toBeNull();
    expect(resolveRequestPath(root, '/a%5c..%5cb')).toBeNull();
    expect(resolveRequestPath(root, '/%E0%A4%A')).toBeNull();
  });

  it('serves on 127.0.0.1 and refuses a busy port with a usage error', async () => {
    await threePosts();
    await buildSite({outputDir: dir});
    const server = await startSiteServer(dir, 0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const home = await fetch(server.url);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await home.text()).toContain('<!doctype html>');
      expect((await fetch(`${server.url}${MANIFEST_NAME}`)).status).toBe(404);
      expect((await fetch(`${server.url}nothing.html`)).status).toBe(404);
      expect((await fetch(server.url, {method: 'POST'})).status).toBe(405);
      const error = await startSiteServer(dir, server.port).catch((caught: unknown) => caught);
      expect(isUserError(error)).toBe(true);
      expect(error).toMatchObject({exitCode: 2, message: expect.stringContaining(`Port ${server.port}`)});
    } finally {
      await server.close();
    }
  });

  it('refuses a folder without a built site', async () => {
    await expect(startSiteServer(dir, 0)).rejects.toMatchObject({exitCode: 7});
  });
});
