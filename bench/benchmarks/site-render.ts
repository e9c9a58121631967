import {spawnSync} from 'node:child_process';
import {cp, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {PostFrontMatter} from '../../schemas/post.js';
import {buildSite} from '../../src/site/build.js';
import {renderFrontMatter} from '../../src/writers/digest/front-matter.js';
import {blockquote, escapeMarkdownLine} from '../../src/writers/digest/markdown.js';
import {Random} from '../generate/random.js';
import {EMOJI, LANGUAGES, LINKS} from '../generate/vocabulary.js';
import {type Benchmark, runsFor, scaled} from '../lib/bench.js';
import {DATA_DIR} from '../lib/paths.js';
import type {BenchResult} from '../lib/results.js';
import {formatCount, formatMs, median} from '../lib/stats.js';

/** Issue #13: the 1,000,000-message export makes 10,000 posts (100-message windows). */
export const SITE_POSTS = 10_000;
const FULL_TARGET_MS = 10_000;
const INCREMENTAL_TARGET_MS = 1_000;
const FULL_RUNS = 3;
const INCREMENTAL_RUNS = 5;
const PEOPLE = 120;
const SEED = 13;

/**
 * Writes `count` posts in the digest writer's exact format (its front matter and Markdown escaping,
 * the same sections), synthesized rather than produced by `process` so that the benchmark measures
 * the renderer alone: varied languages and scripts (the bench generator's vocabulary), lengths from
 * 3 to 12 highlights of 4 to 60 words, 1-8 links, 0-4 pictures, 3-12 pseudonyms of 120, 5 tags from
 * the words, 7 a day from 2019 on.
 */
async function writePosts(dir: string, count: number): Promise<void> {
  const random = new Random(SEED);
  const pseudonyms = Array.from(
    {length: PEOPLE},
    (_, index) => `person-${(index * 7919).toString(36)}-${index}`,
  );
  await mkdir(path.join(dir, 'posts'), {recursive: true});
  const start = Date.UTC(2019, 0, 1);
  const writes: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    const language = random.pick(LANGUAGES);
    const sentence = (length: number): string => {
      const chosen = Array.from({length}, () => random.pick(language.words));
      if (random.chance(0.2)) chosen.push(random.pick(EMOJI));
      return chosen.join(language.spaced ? ' ' : '');
    };
    const date = new Date(start + Math.floor(index / 7) * 86_400_000).toISOString().slice(0, 10);
    const authors = [...new Set(Array.from({length: random.between(3, 12)}, () => random.pick(pseudonyms)))];
    const tags = [...new Set(Array.from({length: 5}, () => random.pick(language.words).toLowerCase()))];
    const title = tags.slice(0, 3).join(' · ');
    const summary = `${random.between(40, 100)} messages from ${authors.length} participants, about ${tags.join(', ')}.`;
    const slug = `post-${index}`;
    const frontMatter: PostFrontMatter = {title, slug, date, tags, summary, authors, window: index};
    const highlights = Array.from({length: random.between(3, 12)}, () => {
      const author = random.pick(authors);
      return `**${escapeMarkdownLine(author)}** · ${date} ${String(random.int(24)).padStart(2, '0')}:${String(random.int(60)).padStart(2, '0')}\n\n${blockquote(sentence(random.between(4, 60)))}`;
    });
    const links = Array.from({length: random.between(1, 8)}, () => `- <${random.pick(LINKS)}?p=${index}>`);
    const pictures = Array.from(
      {length: random.int(5)},
      (_, picture) =>
        `![IMG-${index}-${picture}.jpg](../media/${(index * 8 + picture).toString(16).padStart(16, '0')}.jpg)`,
    );
    const body = [
      `# ${escapeMarkdownLine(title)}`,
      escapeMarkdownLine(summary),
      ['## Highlights', ...highlights].join('\n\n'),
      `## Topics\n\n${tags.map(escapeMarkdownLine).join(' · ')}`,
      `## Links\n\n${links.join('\n')}`,
      pictures.length === 0 ? '' : ['## Media', ...pictures].join('\n\n'),
      `## Participants\n\n${authors.map((author) => `- ${author}: ${random.between(1, 30)} messages`).join('\n')}`,
    ].filter((section) => section !== '');
    const file = path.join(dir, 'posts', `${date}-w${String(index).padStart(4, '0')}-${slug}.md`);
    writes.push(writeFile(file, `${renderFrontMatter(frontMatter)}\n${body.join('\n\n')}\n`));
    if (writes.length >= 64) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
}

export const siteRender: Benchmark = {
  name: 'site',
  summary: 'render the static site of 10,000 posts; re-render after one post changed',
  async run(context) {
    const count = scaled(context, SITE_POSTS);
    const dir = path.join(DATA_DIR, `site-${count}`);
    const sources = `${dir}-posts`;
    await rm(sources, {recursive: true, force: true});
    context.log(`  writing ${formatCount(count)} synthetic digest posts into ${sources}`);
    await writePosts(sources, count);
    const full: number[] = [];
    let pages = 0;
    for (let run = 0; run < runsFor(context, FULL_RUNS); run += 1) {
      // A first render: the posts alone in the folder, no page, no manifest, no renderer state
      // (a folder left from the run before would let the renderer skip writing identical pages).
      await rm(dir, {recursive: true, force: true});
      await cp(sources, dir, {recursive: true});
      // The copy's and the removal's write-back belong to the setup, not to the render timed next.
      spawnSync('sync');
      const started = performance.now();
      const result = await buildSite({outputDir: dir});
      full.push(performance.now() - started);
      pages = result.pages;
      context.log(
        `  full render: ${formatMs(full.at(-1) as number)} (${result.written} files, ${result.pages} pages)`,
      );
    }
    const incremental: number[] = [];
    let written = 0;
    const target = path.join(
      dir,
      'posts',
      `${new Date(Date.UTC(2019, 0, 1) + Math.floor(count / 2 / 7) * 86_400_000).toISOString().slice(0, 10)}-w${String(Math.floor(count / 2)).padStart(4, '0')}-post-${Math.floor(count / 2)}.md`,
    );
    for (let run = 0; run < runsFor(context, INCREMENTAL_RUNS); run += 1) {
      const text = await readFile(target, 'utf8');
      await writeFile(target, text.replace(/\n$/, `\nAn edit by hand, number ${run}.\n`));
      const started = performance.now();
      const result = await buildSite({outputDir: dir});
      incremental.push(performance.now() - started);
      written = result.written;
      context.log(
        `  after one edit: ${formatMs(incremental.at(-1) as number)} (${result.written} files written)`,
      );
    }
    const input = `${formatCount(count)} posts, ${formatCount(pages)} pages`;
    const results: BenchResult[] = [
      {
        id: 'site.full',
        benchmark: 'site build (full)',
        input,
        median: median(full),
        unit: 'ms',
        display: formatMs(median(full)),
        target: `≤ ${formatMs(FULL_TARGET_MS)}`,
        ratio: null,
        pass: median(full) <= FULL_TARGET_MS,
        samples: full,
        details: {pages},
      },
      {
        id: 'site.incremental',
        benchmark: 'site build (one post changed)',
        input,
        median: median(incremental),
        unit: 'ms',
        display: formatMs(median(incremental)),
        target: `≤ ${formatMs(INCREMENTAL_TARGET_MS)}`,
        ratio: null,
        pass: median(incremental) <= INCREMENTAL_TARGET_MS,
        samples: incremental,
        details: {written},
      },
    ];
    return results;
  },
};
