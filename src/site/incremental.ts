import path from 'node:path';
import type {PostFrontMatter} from '../../schemas/post.js';
import type {SiteManifest, SkippedPost} from '../../schemas/site.js';
import type {SiteBuildResult} from './build.js';
import type {BodyRenderer, RenderedBody} from './markdown.js';
import {
  metaOf,
  type Neighbour,
  pageFile,
  postPageKey,
  renderPostPage,
  SITE_FORMAT_VERSION,
  searchDocument,
  shardKey,
  siteDigest,
  summaryOf,
} from './post-inputs.js';
import type {SearchDocument} from './search-index.js';
import {chatStats, listFiles, listSiteFiles, type SourcePost, stamp} from './sources.js';
import type {PostSummary} from './templates.js';

export interface BodyEditsContext {
  readonly outputDir: string;
  readonly siteTitle: string;
  readonly baseUrl: string | null;
  readonly pipelineDb: string | null;
  readonly signal: AbortSignal | undefined;
  readonly previous: SiteManifest;
  readonly sources: {readonly posts: readonly SourcePost[]; readonly unreadable: readonly SkippedPost[]};
  /** A hash of the assets' bytes, as `siteDigest` takes it. */
  readonly assetsKey: string;
  readonly renderer: BodyRenderer;
  readonly templates: typeof import('./templates.js');
  readonly frontMatter: typeof import('./front-matter.js');
  readonly search: typeof import('./search-index.js');
  readonly shards: typeof import('./search-shards.js');
  readonly siteFiles: typeof import('./site-files.js');
  readonly manifests: typeof import('./manifest.js');
}

/**
 * The build when nothing but post bodies changed (the common re-render: a hand edit, a retried
 * window): same post files, each edited post with the same front matter and media as before (its
 * `meta`), and every other input of the site (`siteDigest`) as the last build recorded it. Then only
 * the edited posts' pages and their search shards can differ, and they are all that is rendered:
 * the front matter of 10,000 posts is neither read nor validated (docs/BENCHMARKS.md). Returns null,
 * having written nothing, when that does not hold; the full build then does the work. Gives the
 * bytes, keys and manifest the full build would (test/site/incremental.test.ts compares them).
 */
export async function buildAfterBodyEdits(context: BodyEditsContext): Promise<SiteBuildResult | null> {
  const {previous, sources, outputDir, siteTitle} = context;
  if (previous.site === '' || sources.unreadable.length > 0) return null;
  const entries = Object.entries(previous.sources);
  if (entries.length !== sources.posts.length) return null;
  const byFile = new Map(sources.posts.map((source) => [source.file, source]));

  // 1. The edited posts: valid before and after, with the same front matter and media.
  const edited = new Map<string, {frontMatter: PostFrontMatter; body: RenderedBody}>();
  let stampsChanged = false;
  for (const [file, entry] of entries) {
    const source = byFile.get(file);
    if (source === undefined) return null;
    if (source.size !== entry.size || source.mtimeMs !== entry.mtimeMs) stampsChanged = true;
    if (source.hash === entry.hash) continue;
    if (entry.problem !== null) return null;
    context.signal?.throwIfAborted();
    const parsed = context.frontMatter.readFrontMatter(source.content);
    if (!parsed.ok) return null;
    const body = context.renderer.render(parsed.body);
    if (metaOf(parsed.frontMatter, body.media, null) !== entry.meta) return null;
    edited.set(file, {frontMatter: parsed.frontMatter, body});
  }

  // 2. Everything else the site is made of.
  const notes: string[] = [];
  const stats = await chatStats(
    context.pipelineDb,
    new Set(Object.keys(previous.names.people)),
    previous.dates.first,
    previous.dates.last,
    notes,
  );
  const digest = siteDigest({
    siteTitle,
    baseUrl: context.baseUrl,
    stats,
    mediaOnDisk: await listFiles(path.join(outputDir, 'media')),
    assets: context.assetsKey,
    metas: entries.map(([file, entry]) => [file, entry.meta] as const),
  });
  if (digest !== previous.site) return null;
  const onDisk = await listSiteFiles(outputDir);
  if (Object.keys(previous.files).some((file) => !onDisk.has(file))) return null;

  // 3. What to write: the edited posts' pages and shards, all made before anything is written.
  /** Valid posts in the site's order (the manifest keeps them so). */
  const valid = entries.filter(([, entry]) => entry.problem === null).map(([file]) => file);
  const place = new Map(valid.map((file, index) => [file, index]));
  const frontMatterOf = (file: string): PostFrontMatter | null => {
    const known = edited.get(file);
    if (known !== undefined) return known.frontMatter;
    const parsed = context.frontMatter.readFrontMatter((byFile.get(file) as SourcePost).content);
    return parsed.ok ? parsed.frontMatter : null;
  };
  const nameOf = (file: string): string => path.posix.basename(file, '.md');
  const summaryFor = (file: string, frontMatter: PostFrontMatter): PostSummary | null => {
    const {tags, people} = previous.names;
    if (frontMatter.tags.some((tag) => tags[tag] === undefined)) return null;
    if (frontMatter.authors.some((author) => people[author] === undefined)) return null;
    return summaryOf(
      nameOf(file),
      frontMatter,
      (tag) => tags[tag] as string,
      (author) => people[author] as string,
    );
  };
  const neighbour = (index: number): Neighbour | undefined | null => {
    const file = valid[index];
    if (file === undefined) return undefined;
    const frontMatter = frontMatterOf(file);
    if (frontMatter === null) return null;
    return {href: `posts/${encodeURIComponent(nameOf(file))}.html`, title: frontMatter.title};
  };
  const writes: Array<{file: string; key: string; content: () => string}> = [];
  const summaries = new Map<string, PostSummary>();
  for (const [file, {frontMatter, body}] of edited) {
    const index = place.get(file) as number;
    const summary = summaryFor(file, frontMatter);
    const before = neighbour(index - 1);
    const after = neighbour(index + 1);
    if (summary === null || before === null || after === null) return null;
    summaries.set(file, summary);
    const hash = (byFile.get(file) as SourcePost).hash;
    writes.push({
      file: pageFile(nameOf(file)),
      key: postPageKey(siteTitle, hash, frontMatter, summary, before, after),
      content: () =>
        renderPostPage(context.templates, siteTitle, frontMatter, summary, body.html, before, after),
    });
  }
  const shardCount = context.search.shardCount(valid.length);
  const touched = new Set([...edited.keys()].map((file) => context.search.shardOf(file, shardCount)));
  const shardWork: Array<{
    shard: number;
    file: string;
    key: string;
    items: Array<{document: SearchDocument; source: SourcePost}>;
  }> = [];
  for (const shard of [...touched].sort((a, b) => a - b)) {
    const members = valid
      .filter((file) => context.search.shardOf(file, shardCount) === shard)
      .map((file) => byFile.get(file) as SourcePost);
    const cache = await context.shards.readTextCache(outputDir, shard, SITE_FORMAT_VERSION);
    const items: Array<{document: SearchDocument; source: SourcePost}> = [];
    for (const [id, member] of members.entries()) {
      const edit = edited.get(member.file);
      if (edit !== undefined) {
        const summary = summaries.get(member.file) as PostSummary;
        items.push({document: searchDocument(id, summary, edit.body.text), source: member});
        continue;
      }
      const cached = cache.get(member.file);
      if (cached?.hash !== member.hash) return null;
      items.push({document: {id, ...cached.document}, source: member});
    }
    const file = context.search.shardFileName(shard);
    shardWork.push({shard, file, key: shardKey(shardCount, members), items});
  }

  // 4. Write them, then the manifest (the post store is unchanged: every `meta` is).
  const files = {...previous.files};
  let written = 0;
  try {
    for (const write of writes) {
      context.signal?.throwIfAborted();
      files[write.file] = write.key;
      if (previous.files[write.file] === write.key) continue;
      if (context.siteFiles.writeSiteFile(path.join(outputDir, write.file), write.content(), true))
        written += 1;
    }
    const builder = context.shards.createShardBuilder({
      outputDir,
      formatVersion: SITE_FORMAT_VERSION,
      documents: shardWork.reduce((sum, work) => sum + work.items.length, 0),
    });
    const outputs = [];
    for (const work of shardWork) {
      files[work.file] = work.key;
      if (previous.files[work.file] === work.key) continue;
      for (const {document, source} of work.items) builder.add(work.shard, document, source);
      outputs.push({shard: work.shard, target: path.join(outputDir, work.file), atomic: true});
    }
    written += await builder.finish(outputs);
    const manifest: SiteManifest = {...previous, files, sources: {}};
    for (const [file, entry] of entries) {
      const source = byFile.get(file) as SourcePost;
      manifest.sources[file] = {...entry, ...stamp(source)};
    }
    if (written > 0 || stampsChanged) await context.manifests.writeManifest(outputDir, manifest);
  } catch (error) {
    throw context.siteFiles.cannotWrite(error, outputDir);
  }
  const total = Object.keys(files).length;
  return {
    posts: valid.length,
    pages: Object.keys(files).filter((file) => file.endsWith('.html')).length,
    written,
    unchanged: total - written,
    removed: 0,
    skipped: entries
      .filter(([, entry]) => entry.problem !== null)
      .map(([file, entry]) => ({
        file,
        line: entry.problem?.line ?? null,
        problem: entry.problem?.problem ?? 'invalid',
      })),
    indexPath: path.join(outputDir, 'index.html'),
    notes,
  };
}
