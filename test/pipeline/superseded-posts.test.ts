import {existsSync} from 'node:fs';
import {readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {buildChat, type FixtureMessage, writeExportZip} from '../fixtures/index.js';
import {runCli, tempDir} from '../helpers/cli.js';

/**
 * A chat exported again later: its first messages are the same, its last window gets more messages
 * (and a new topic, so a new title and a new file name). The earlier post of that window must not
 * stay beside the new one; edited posts are never deleted.
 */
const AUTHORS = ['Ana Souza', 'Bruno Lima', 'Carla Mendes'] as const;
const EARLY_TOPIC = 'the bicycle workshop needs volunteers for the bicycle repairs';
const LATE_TOPIC = 'the harvest festival lanterns and the festival music programme';

function messages(count: number): FixtureMessage[] {
  const start = Date.UTC(2024, 2, 1, 8, 0, 0);
  return Array.from({length: count}, (_, index) => {
    const at = new Date(start + index * 60_000).toISOString().slice(0, 19);
    const topic = index < 250 ? EARLY_TOPIC : LATE_TOPIC;
    return {date: at, author: AUTHORS[index % AUTHORS.length] ?? null, text: `${topic} (${index})`};
  });
}

function exportOf(dir: string, count: number): Promise<string> {
  return writeExportZip(dir, {
    platform: 'android',
    chatName: 'Neighbours',
    chatText: buildChat({layout: 'android-en-gb', messages: messages(count)}),
  });
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({dir, cleanup} = await tempDir('egregora-superseded-'));
});
afterEach(async () => cleanup());

async function processJson(zip: string, extra: readonly string[] = []) {
  const result = await runCli(
    ['process', zip, '--output', 'site', '--dir', '.egregora', '--json', ...extra],
    {cwd: dir},
  );
  expect(result.code, result.stderr).toBe(0);
  return {summary: ProcessSummarySchema.parse(JSON.parse(result.stdout)), stderr: result.stderr};
}

async function postsOf(windowIndex: number): Promise<string[]> {
  const mark = `-w${String(windowIndex).padStart(4, '0')}-`;
  return (await readdir(path.join(dir, 'site', 'posts'))).filter(
    (name) => name.includes(mark) && name.endsWith('.md'),
  );
}

describe('posts of a window whose post is now another file', () => {
  it('are removed when the chat grew, with their pages, and listed in the summary', async () => {
    const first = await processJson(await exportOf(path.join(dir, 'early'), 250));
    expect(first.summary.superseded_posts).toEqual({removed: [], kept_edited: []});
    const [before] = await postsOf(2);
    expect(before).toBeDefined();

    const second = await processJson(await exportOf(path.join(dir, 'late'), 400));
    const after = await postsOf(2);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    expect(second.summary.superseded_posts).toEqual({removed: [`posts/${before}`], kept_edited: []});
    expect(second.summary.windows).toMatchObject({total: 4, skipped: 2, processed: 2});
    // The site renders from the posts on disk: the old page went with its post.
    const pages = await readdir(path.join(dir, 'site', 'posts'));
    expect(pages).not.toContain(before?.replace(/\.md$/, '.html'));
    expect(pages).toContain(after[0]?.replace(/\.md$/, '.html'));
    // Unchanged windows keep their one post.
    for (const index of [0, 1, 3]) expect(await postsOf(index)).toHaveLength(1);
  });

  it('are kept, with a warning, when someone edited them', async () => {
    await processJson(await exportOf(path.join(dir, 'early'), 250));
    const [before = ''] = await postsOf(2);
    const file = path.join(dir, 'site', 'posts', before);
    await writeFile(file, `${await readFile(file, 'utf8')}\nMy own note.\n`);

    const second = await processJson(await exportOf(path.join(dir, 'late'), 400));
    expect(second.summary.superseded_posts).toEqual({removed: [], kept_edited: [`posts/${before}`]});
    expect(existsSync(file)).toBe(true);
    expect(second.stderr).toContain(before);
    expect(second.stderr).toContain('edited');
    expect(await postsOf(2)).toHaveLength(2);
  });

  it('go when the windows got larger, so that windows past the new last one no longer exist', async () => {
    const zip = await exportOf(path.join(dir, 'late'), 400);
    await processJson(zip, ['--window-size', '50']);
    const markdown = async () =>
      (await readdir(path.join(dir, 'site', 'posts'))).filter((name) => name.endsWith('.md')).sort();
    const small = await markdown();
    expect(small).toHaveLength(8);
    const second = await processJson(zip, ['--window-size', '200']);
    const large = await markdown();
    expect(large).toHaveLength(2);
    // Every post of the small windows that is not a post of the large ones was removed (a path both
    // share was simply rewritten).
    expect(second.summary.superseded_posts.removed.sort()).toEqual(
      small.filter((name) => !large.includes(name)).map((name) => `posts/${name}`),
    );
    expect(second.summary.superseded_posts.removed.length).toBeGreaterThanOrEqual(6);
  });

  it('are not touched by a run that only plans (--dry-run)', async () => {
    await processJson(await exportOf(path.join(dir, 'early'), 250));
    const [before] = await postsOf(2);
    const planned = await processJson(await exportOf(path.join(dir, 'late'), 400), ['--dry-run']);
    expect(planned.summary.superseded_posts).toEqual({removed: [], kept_edited: []});
    expect(await postsOf(2)).toEqual([before]);
  });
});
