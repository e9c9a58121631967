import {readdir, readFile, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {SiteBuildResultSchema} from '../../schemas/site.js';
import {buildSite} from '../../src/site/build.js';
import {SEARCH_WORKER_MIN_DOCUMENTS} from '../../src/site/search-shards.js';
import {runCli, tempDir} from '../helpers/cli.js';
import {BROKEN_POST, writePost} from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({dir, cleanup} = await tempDir('egregora-site-cli-'));
});
afterEach(async () => {
  await cleanup();
});

describe('egregora site build (spawned)', () => {
  it('prints the JSON result, warns about skipped posts on stderr, exits 0', async () => {
    await writePost(dir, {name: '2024-03-01-w0000-a'});
    await writeFile(path.join(dir, 'posts', '2024-03-02-w0001-broken.md'), BROKEN_POST);
    const result = await runCli(['site', 'build', '--output', dir, '--json'], {cwd: dir});
    expect(result.code, result.stderr).toBe(0);
    const output = SiteBuildResultSchema.parse(JSON.parse(result.stdout));
    expect(output.posts).toBe(1);
    expect(output.skipped).toEqual([
      {file: 'posts/2024-03-02-w0001-broken.md', line: 3, problem: expect.stringContaining('not valid YAML')},
    ]);
    expect(result.stderr).toContain('Warning: skipped posts/2024-03-02-w0001-broken.md:3:');
    const text = await runCli(['site', 'build', '--output', dir], {cwd: dir});
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Files +0 written/);
    expect(text.stdout).toContain(`Open      ${path.join(dir, 'index.html')}`);
  });

  it('indexes a large site on the built worker thread, as the sources do in-process', async () => {
    // Enough posts for the search worker (SEARCH_WORKER_MIN_DOCUMENTS): the built CLI must start it
    // from its bundled code, and its shards must be the ones the sources make on the calling thread.
    const count = SEARCH_WORKER_MIN_DOCUMENTS + 24;
    const posts = Array.from({length: count}, (_, index) => ({
      name: `2024-01-01-w${String(index).padStart(4, '0')}-p`,
      title: `Post ${index} über ${index % 7 === 0 ? 'Ωmega' : 'garden'}`,
      tags: [`tag-${index % 9}`],
      window: index,
      body: `Words of post ${index}: ${'rain '.repeat(index % 13)}`,
    }));
    const built = path.join(dir, 'built');
    const sources = path.join(dir, 'sources');
    for (const post of posts) {
      await writePost(built, post);
      await writePost(sources, post);
    }
    const result = await runCli(['site', 'build', '--output', built, '--json'], {
      cwd: dir,
      timeoutMs: 120_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(SiteBuildResultSchema.parse(JSON.parse(result.stdout)).posts).toBe(count);
    await buildSite({outputDir: sources, searchThread: 'caller'});
    const shards = (await readdir(path.join(built, 'search'))).sort();
    expect(shards.length).toBeGreaterThan(1);
    expect((await readdir(path.join(sources, 'search'))).sort()).toEqual(shards);
    for (const shard of shards) {
      expect(await readFile(path.join(built, 'search', shard), 'utf8')).toBe(
        await readFile(path.join(sources, 'search', shard), 'utf8'),
      );
    }
  });

  it('exits 7 for a missing folder and 2 for a bad --base-url', async () => {
    const missing = await runCli(['site', 'build', '--output', path.join(dir, 'nope'), '--json'], {cwd: dir});
    expect(missing.code).toBe(7);
    expect(JSON.parse(missing.stdout)).toMatchObject({error: {exitCode: 7}});
    const bad = await runCli(['site', 'build', '--output', dir, '--base-url', 'ftp://x'], {cwd: dir});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--base-url must be an http or https URL');
  });
});

describe('egregora site serve (spawned)', () => {
  it('exits 7 without a built site and 2 on a busy port', async () => {
    const none = await runCli(['site', 'serve', '--output', dir], {cwd: dir});
    expect(none.code).toBe(7);
    expect(none.stderr).toContain('no index.html');
    await writePost(dir, {name: '2024-03-01-w0000-a'});
    expect((await runCli(['site', 'build', '--output', dir], {cwd: dir})).code).toBe(0);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const busy = await runCli(['site', 'serve', '--output', dir, '--port', String(port)], {cwd: dir});
      expect(busy.code).toBe(2);
      expect(busy.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(busy.stderr).toContain('--port');
    } finally {
      blocker.close();
    }
    const range = await runCli(['site', 'serve', '--output', dir, '--port', '70000'], {cwd: dir});
    expect(range.code).toBe(2);
  });
});
