import {existsSync, statSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import path from 'node:path';
import type {PostFrontMatter} from '../../schemas/post.js';
import type {ManifestSource, PostStore, SiteManifest, SkippedPost, StoredPost} from '../../schemas/site.js';
import {ExitCode, UserError} from '../util/errors.js';
import type {MediaRef, RenderedBody} from './markdown.js';
import {
  metaOf,
  pageFile,
  postPageKey,
  renderPostPage,
  SITE_FORMAT_VERSION,
  searchDocument,
  sha256,
  shardKey,
  siteDigest,
  summaryOf,
  unique,
} from './post-inputs.js';
import type {CachedPost, ShardOutput} from './search-shards.js';
import {chatStats, listFiles, listSiteFiles, readSources, type SourcePost, stamp} from './sources.js';
import type {GalleryItem, PostSummary} from './templates.js';

export interface SiteBuildOptions {
  /** The folder holding posts/ and media/; the HTML goes beside them (index.html at its root). */
  readonly outputDir: string;
  /** The site's title; default `DEFAULT_SITE_TITLE` (never the group's subject: it often names people). */
  readonly title?: string;
  readonly signal?: AbortSignal;
  /**
   * `.egregora/pipeline.duckdb`, for the chat's message total and each pseudonym's message count.
   * Optional: without it (or when it cannot be read) the site is built from the posts alone.
   */
  readonly pipelineDb?: string | null;
  /**
   * Where the site will be published, for the absolute links the Atom feed needs (`feed.xml`);
   * default `DEFAULT_FEED_BASE_URL`, the address of `site serve`. Pages never use it.
   */
  readonly baseUrl?: string;
  /** Which thread indexes the search shards; default: a worker when there are many posts to index. */
  readonly searchThread?: 'worker' | 'caller';
}

export interface SiteBuildResult {
  /** Posts on the site. */
  readonly posts: number;
  /** HTML pages of the site. */
  readonly pages: number;
  /** Files written because their inputs changed (pages, feed, search index, assets). */
  readonly written: number;
  /** Files left as they were. */
  readonly unchanged: number;
  /** Files of an earlier build that no longer belong to the site, removed. */
  readonly removed: number;
  /** Posts whose front matter does not validate: reported by file and line and left out. */
  readonly skipped: ReadonlyArray<SkippedPost>;
  /** Absolute path of the home page. */
  readonly indexPath: string;
  /** Things the user may want to know that did not stop the build (e.g. chat figures unavailable). */
  readonly notes: readonly string[];
}

export const DEFAULT_SITE_TITLE = 'Chat archive';
/** How many posts the home page lists. */
export const HOME_LATEST_POSTS = 20;
export {SITE_FORMAT_VERSION} from './post-inputs.js';

interface SitePost {
  readonly source: SourcePost;
  readonly frontMatter: PostFrontMatter;
  /** Null until its body is rendered, for a post that is new or edited. */
  media: readonly MediaRef[] | null;
  /** The Markdown body when the front matter was just parsed (else it is read when needed). */
  body: string | null;
}

/**
 * Renders the static site from the posts in `outputDir/posts/`: home, archive, post, tag, people,
 * media and search pages, `feed.xml`, the search index and the assets. Incremental: every file has
 * an inputs key (a hash of what it is made from, or of its rendered bytes), kept in the manifest;
 * a file whose key is unchanged and which is still on disk is not rendered or written again. When
 * only post bodies changed, `incremental.ts` renders just their pages and search shards. Post
 * pages are rendered and written one after the other (a post's HTML is not kept), while the search
 * shards are indexed beside them (`search-shards.ts`). Never prints.
 */
export async function buildSite(options: SiteBuildOptions): Promise<SiteBuildResult> {
  const outputDir = path.resolve(options.outputDir);
  const signal = options.signal;
  if (!existsSync(outputDir) || !statSync(outputDir).isDirectory()) {
    throw new UserError(`The output folder ${outputDir} does not exist`, ExitCode.inputNotFound, {
      path: outputDir,
      hint: 'Run `egregora process <export.zip>` first, or pass the folder holding posts/ with --output.',
    });
  }
  const siteTitle = (options.title ?? '').trim() || DEFAULT_SITE_TITLE;
  const [manifests, frontMatterModule, {createBodyRenderer}, templates, search, shardsModule, siteFiles] =
    await Promise.all([
      import('./manifest.js'),
      import('./front-matter.js'),
      import('./markdown.js'),
      import('./templates.js'),
      import('./search-index.js'),
      import('./search-shards.js'),
      import('./site-files.js'),
    ]);
  const {readFrontMatter, splitFrontMatter} = frontMatterModule;
  siteFiles.forgetFolders();
  const previous = await manifests.readManifest(outputDir);
  const sources = await readSources(outputDir, previous, signal);
  const renderer = createBodyRenderer();
  const assets = await import('./assets.js');
  const assetFiles: ReadonlyArray<readonly [string, string]> = [
    ['assets/site.css', assets.SITE_CSS],
    ['assets/search.js', assets.SEARCH_JS],
    ['assets/favicon.svg', assets.FAVICON_SVG],
    ['assets/minisearch.js', search.minisearchBrowserBuild()],
  ];
  const assetsKey = sha256(JSON.stringify(assetFiles));

  const {buildAfterBodyEdits} = await import('./incremental.js');
  const quick = await buildAfterBodyEdits({
    outputDir,
    siteTitle,
    baseUrl: options.baseUrl ?? null,
    pipelineDb: options.pipelineDb ?? null,
    signal,
    previous,
    sources,
    assetsKey,
    renderer,
    templates,
    frontMatter: frontMatterModule,
    search,
    shards: shardsModule,
    siteFiles,
    manifests,
  });
  if (quick !== null) return quick;

  // 1. Posts: front matter from the post store when the file's bytes are unchanged, else parsed.
  const store = await manifests.readPostStore(outputDir);
  const skipped: SkippedPost[] = [];
  const posts: SitePost[] = [];
  /** Invalid post files, in file order, with what the manifest keeps of them. */
  const invalid: Array<{file: string; entry: ManifestSource; stored: StoredPost}> = [];
  // Posts added or edited; posts removed are counted once the loop has seen every file.
  let sourcesChanged = false;
  for (const source of sources.posts) {
    signal?.throwIfAborted();
    const cached = previous.sources[source.file];
    const stored = store.posts[source.file];
    if (cached !== undefined && cached.hash === source.hash && stored?.meta === cached.meta) {
      if (stored.frontMatter === null) {
        invalid.push({file: source.file, entry: cached, stored});
        skipped.push({
          file: source.file,
          line: cached.problem?.line ?? null,
          problem: cached.problem?.problem ?? 'invalid',
        });
      } else {
        posts.push({source, frontMatter: stored.frontMatter, media: stored.media, body: null});
      }
      continue;
    }
    sourcesChanged = true;
    const parsed = readFrontMatter(source.content);
    if (!parsed.ok) {
      const problem = {line: parsed.line, problem: parsed.problem};
      const meta = metaOf(null, [], problem);
      invalid.push({
        file: source.file,
        entry: {...stamp(source), meta, problem},
        stored: {meta, frontMatter: null, media: []},
      });
      skipped.push({file: source.file, ...problem});
      continue;
    }
    // Its media are known once its body is rendered (its page is: its inputs key is new).
    posts.push({source, frontMatter: parsed.frontMatter, media: null, body: parsed.body});
  }
  skipped.push(...sources.unreadable);
  if (Object.keys(previous.sources).length !== posts.length + invalid.length) sourcesChanged = true;
  posts.sort(
    (a, b) => compare(a.frontMatter.date, b.frontMatter.date) || compare(a.source.name, b.source.name),
  );

  // 2. Names, summaries and figures.
  const {assignFileNames} = await import('./names.js');
  const tagFiles = assignFileNames(posts.flatMap((post) => post.frontMatter.tags));
  const personFiles = assignFileNames(posts.flatMap((post) => post.frontMatter.authors));
  const summaries = posts.map((post) =>
    summaryOf(
      post.source.name,
      post.frontMatter,
      (tag) => tagFiles.get(tag) as string,
      (name) => personFiles.get(name) as string,
    ),
  );
  /** Each post's place in `posts` (oldest first), which is also its summary's place in `summaries`. */
  const order = new Map(posts.map((post, index) => [post, index]));
  const summaryFor = (post: SitePost) => summaries[order.get(post) as number] as PostSummary;
  const postOfSummary = new Map(posts.map((post, index) => [summaries[index] as PostSummary, post]));
  const newestFirst = [...posts].reverse();
  const notes: string[] = [];
  const firstDate = posts[0]?.frontMatter.date ?? null;
  const lastDate = posts.at(-1)?.frontMatter.date ?? null;
  const stats = await chatStats(
    options.pipelineDb ?? null,
    new Set(personFiles.keys()),
    firstDate,
    lastDate,
    notes,
  );
  const mediaOnDisk = await listFiles(path.join(outputDir, 'media'));
  const onDisk = await listSiteFiles(outputDir);

  const files: Record<string, string> = {};
  /** A file needs writing when its key is new or it is gone from the disk. */
  const needsWrite = (file: string, key: string): boolean =>
    previous.files[file] !== key || !onDisk.has(file);
  /** Replace it atomically when it exists or the last manifest knows it (see `writeSiteFile`). */
  const atomicFor = (file: string): boolean => onDisk.has(file) || previous.files[file] !== undefined;
  let written = 0;
  let unchanged = 0;
  let pages = 0;
  const emit = (file: string, key: string, content: () => string): void => {
    files[file] = key;
    if (file.endsWith('.html')) pages += 1;
    if (!needsWrite(file, key)) {
      unchanged += 1;
      return;
    }
    signal?.throwIfAborted();
    if (siteFiles.writeSiteFile(path.join(outputDir, file), content(), atomicFor(file))) written += 1;
    else unchanged += 1;
  };
  const byBytes = (file: string, content: string): void => {
    emit(file, `bytes:${sha256(content)}`, () => content);
  };
  /**
   * A list page keyed by what it shows: its own figures and the summary key of every post it lists,
   * so that an unchanged tag or person page (most of them, after an edit) is not even rendered.
   */
  const summaryKeys = summaries.map((summary) => sha256(JSON.stringify(summary)).slice(0, 24));
  const byInputs = (
    file: string,
    parts: readonly unknown[],
    members: readonly SitePost[],
    render: () => string,
  ): void => {
    const key = `inputs:${sha256(JSON.stringify([SITE_FORMAT_VERSION, siteTitle, parts, members.map((post) => summaryKeys[order.get(post) as number])]))}`;
    emit(file, key, render);
  };

  // 3. The plan: each post page's key, and the search shards whose posts changed.
  const pageKeys = posts.map((post, index) =>
    postPageKey(
      siteTitle,
      post.source.hash,
      post.frontMatter,
      summaries[index] as PostSummary,
      summaries[index - 1],
      summaries[index + 1],
    ),
  );
  const shardCount = search.shardCount(posts.length);
  const shardOfPost = posts.map((post) => search.shardOf(post.source.file, shardCount));
  const shardMembers = new Map<number, SitePost[]>();
  posts.forEach((post, index) => {
    push(shardMembers, shardOfPost[index] as number, post);
  });
  const shardPlans = [...shardMembers]
    .sort((a, b) => a[0] - b[0])
    .map(([shard, members]) => {
      const file = search.shardFileName(shard);
      const key = shardKey(
        shardCount,
        members.map((post) => post.source),
      );
      return {shard, file, key, members, rebuild: needsWrite(file, key)};
    });
  const rebuilt = new Map<number, {cache: Map<string, CachedPost>; next: number}>();
  for (const plan of shardPlans) {
    if (!plan.rebuild) continue;
    // The texts of posts whose pages are not rendered this time come from the shard's text cache.
    const needsCache = plan.members.some((post) => {
      const index = order.get(post) as number;
      return !needsWrite(pageFile(post.source.name), pageKeys[index] as string);
    });
    const cache = needsCache
      ? await shardsModule.readTextCache(outputDir, plan.shard, SITE_FORMAT_VERSION)
      : new Map<string, CachedPost>();
    rebuilt.set(plan.shard, {cache, next: 0});
  }
  const builder =
    rebuilt.size === 0
      ? null
      : shardsModule.createShardBuilder({
          outputDir,
          formatVersion: SITE_FORMAT_VERSION,
          documents: shardPlans.reduce((sum, plan) => sum + (plan.rebuild ? plan.members.length : 0), 0),
          ...(options.searchThread === undefined ? {} : {thread: options.searchThread}),
        });

  try {
    // 4. Post pages, each rendered and written in turn; their texts go to the search shards. Shard
    // by shard (each one's posts in the site's order), so that the builder can write each shard
    // while the next one's pages are rendered.
    const shardOutputs = new Map<number, ShardOutput>();
    for (const plan of shardPlans) {
      if (!plan.rebuild) continue;
      shardOutputs.set(plan.shard, {
        shard: plan.shard,
        target: path.join(outputDir, plan.file),
        atomic: atomicFor(plan.file),
      });
    }
    for (const plan of shardPlans) {
      const shard = rebuilt.get(plan.shard);
      for (const post of plan.members) {
        signal?.throwIfAborted();
        const index = order.get(post) as number;
        const key = pageKeys[index] as string;
        const summary = summaries[index] as PostSummary;
        const file = pageFile(post.source.name);
        const cached = shard?.cache.get(post.source.file);
        const text = cached?.hash === post.source.hash ? cached.document.text : null;
        let body: RenderedBody | null = null;
        if (needsWrite(file, key) || (shard !== undefined && text === null) || post.media === null) {
          body = renderer.render(post.body ?? bodyOf(splitFrontMatter, post.source.content));
          post.media ??= body.media;
        }
        post.body = null;
        emit(file, key, () =>
          renderPostPage(
            templates,
            siteTitle,
            post.frontMatter,
            summary,
            (body as RenderedBody).html,
            summaries[index - 1],
            summaries[index + 1],
          ),
        );
        if (shard !== undefined && builder !== null) {
          builder.add(
            plan.shard,
            searchDocument(shard.next, summary, text ?? (body as RenderedBody).text),
            post.source,
          );
          shard.next += 1;
        }
      }
      const output = shardOutputs.get(plan.shard);
      if (output !== undefined && builder !== null) builder.seal(output);
    }

    // 5. List pages, keyed by their bytes or by their inputs.
    const people = new Map<string, SitePost[]>();
    const tags = new Map<string, SitePost[]>();
    for (const post of newestFirst) {
      for (const tag of unique(post.frontMatter.tags)) push(tags, tag, post);
      for (const author of unique(post.frontMatter.authors)) push(people, author, post);
    }
    const galleryItems: GalleryItem[] = [];
    const galleryPosts: SitePost[] = [];
    const seenMedia = new Set<string>();
    for (const post of posts) {
      for (const media of post.media ?? []) {
        if (seenMedia.has(media.path) || !mediaOnDisk.has(path.posix.basename(media.path))) continue;
        seenMedia.add(media.path);
        galleryItems.push({media, post: summaryFor(post)});
        galleryPosts.push(post);
      }
    }
    byBytes(
      'index.html',
      templates.homePage({
        siteTitle,
        firstDate,
        lastDate,
        posts: posts.length,
        messages: stats?.messages ?? null,
        people: stats === null ? people.size : Math.max(stats.byAuthor.size, people.size),
        media: galleryItems.length,
        latest: newestFirst.slice(0, HOME_LATEST_POSTS).map(summaryFor),
      }),
    );
    const years = archiveYears(summaries);
    byBytes('archive.html', templates.archiveIndexPage(siteTitle, years));
    for (const year of years) {
      const members = year.months.flatMap((month) =>
        month.posts.map((summary) => postOfSummary.get(summary) as SitePost),
      );
      byInputs(`archive/${year.year}.html`, ['archive', year.year], members, () =>
        templates.archiveYearPage(siteTitle, year),
      );
    }
    const sortedTags = [...tags].sort((a, b) => b[1].length - a[1].length || compare(a[0], b[0]));
    byBytes(
      'tags.html',
      templates.indexPage(
        siteTitle,
        'Tags',
        sortedTags.map(([tag, tagged]) => ({
          name: tag,
          href: `tags/${tagFiles.get(tag) as string}.html`,
          detail: templates.plural(tagged.length, 'post'),
        })),
      ),
    );
    for (const [tag, tagged] of sortedTags) {
      byInputs(`tags/${tagFiles.get(tag) as string}.html`, ['tag', tag], tagged, () =>
        templates.namedListPage({
          siteTitle,
          heading: `Tag: ${tag}`,
          intro: templates.plural(tagged.length, 'post'),
          posts: tagged.map(summaryFor),
        }),
      );
    }
    const personDetail = (name: string, authored: number): string => {
      const messages = stats?.byAuthor.get(name);
      const postsText = `in ${templates.plural(authored, 'post')}`;
      return messages === undefined ? postsText : `${templates.plural(messages, 'message')} · ${postsText}`;
    };
    const sortedPeople = [...people].sort(
      (a, b) =>
        (stats?.byAuthor.get(b[0]) ?? 0) - (stats?.byAuthor.get(a[0]) ?? 0) ||
        b[1].length - a[1].length ||
        compare(a[0], b[0]),
    );
    byBytes(
      'people.html',
      templates.indexPage(
        siteTitle,
        'People',
        sortedPeople.map(([name, authored]) => ({
          name,
          href: `people/${personFiles.get(name) as string}.html`,
          detail: personDetail(name, authored.length),
        })),
      ),
    );
    for (const [name, authored] of sortedPeople) {
      const intro = personDetail(name, authored.length);
      byInputs(`people/${personFiles.get(name) as string}.html`, ['person', name, intro], authored, () =>
        templates.namedListPage({siteTitle, heading: name, intro, posts: authored.map(summaryFor)}),
      );
    }
    byInputs(
      'media.html',
      ['media', galleryItems.map((item) => [item.media.path, item.media.kind, item.media.label])],
      galleryPosts,
      () => templates.mediaPage(siteTitle, galleryItems),
    );

    // 6. Search: the shards whose posts changed are written by the builder (sealed above).
    for (const plan of shardPlans) {
      files[plan.file] = plan.key;
      if (!plan.rebuild) unchanged += 1;
    }
    byBytes(
      'search.html',
      templates.searchPage(
        siteTitle,
        shardPlans.map((plan) => plan.file),
      ),
    );

    // 7. Feed and assets.
    const {renderFeed} = await import('./feed.js');
    byBytes('feed.xml', await renderFeed(siteTitle, newestFirst.map(summaryFor), options.baseUrl));
    for (const [file, content] of assetFiles) byBytes(file, content);
    if (builder !== null) {
      const changed = await builder.finish([]);
      written += changed;
      unchanged += shardOutputs.size - changed;
    }
  } catch (error) {
    await builder?.abort();
    throw siteFiles.cannotWrite(error, outputDir);
  }

  // 8. Remove what no longer belongs to the site; remember what was made of what.
  const manifest: SiteManifest = {
    version: 3,
    files,
    sources: {},
    site: '',
    names: {tags: Object.fromEntries(tagFiles), people: Object.fromEntries(personFiles)},
    dates: {first: firstDate, last: lastDate},
  };
  const nextStore: PostStore = {version: 3, posts: {}};
  for (const post of posts) {
    const media = post.media ?? [];
    const meta = metaOf(post.frontMatter, media, null);
    manifest.sources[post.source.file] = {...stamp(post.source), meta, problem: null};
    nextStore.posts[post.source.file] = {meta, frontMatter: post.frontMatter, media: [...media]};
  }
  for (const {file, entry, stored} of invalid) {
    manifest.sources[file] = entry;
    nextStore.posts[file] = stored;
  }
  manifest.site = siteDigest({
    siteTitle,
    baseUrl: options.baseUrl ?? null,
    stats,
    mediaOnDisk,
    assets: assetsKey,
    metas: Object.entries(manifest.sources).map(([file, entry]) => [file, entry.meta] as const),
  });
  const stale = Object.keys(previous.files).filter(
    (file) => files[file] === undefined && siteFiles.isSiteFile(file),
  );
  try {
    for (const file of stale) await rm(path.join(outputDir, file), {force: true});
    if (rebuilt.size > 0) await removeStaleTextCaches(outputDir, shardCount, shardsModule);
    if (sourcesChanged || Object.keys(store.posts).length !== Object.keys(nextStore.posts).length) {
      await manifests.writePostStore(outputDir, nextStore);
    }
    if (JSON.stringify(manifest) !== JSON.stringify(previous))
      await manifests.writeManifest(outputDir, manifest);
  } catch (error) {
    throw siteFiles.cannotWrite(error, outputDir);
  }
  return {
    posts: posts.length,
    pages,
    written,
    unchanged,
    removed: stale.length,
    skipped,
    indexPath: path.join(outputDir, 'index.html'),
    notes,
  };
}

/** The body of a post whose front matter the manifest vouches for (its bytes are unchanged). */
function bodyOf(split: typeof import('./front-matter.js').splitFrontMatter, content: string): string {
  const parts = split(content);
  return parts.ok ? parts.body : '';
}

/** Text caches of shards the site no longer has (the shard count changed). */
async function removeStaleTextCaches(
  outputDir: string,
  shardCount: number,
  shards: typeof import('./search-shards.js'),
): Promise<void> {
  const dir = path.join(outputDir, shards.SEARCH_TEXT_DIR);
  const wanted = new Set(
    Array.from({length: shardCount}, (_, shard) => path.basename(shards.textCachePath(outputDir, shard))),
  );
  for (const name of await listFiles(dir)) {
    if (!wanted.has(name) && /^index-\d{3}\.json$/.test(name)) await rm(path.join(dir, name), {force: true});
  }
}

function archiveYears(oldestFirst: readonly PostSummary[]) {
  const years = new Map<string, Map<string, PostSummary[]>>();
  for (const post of [...oldestFirst].reverse()) {
    const year = post.date.slice(0, 4);
    const month = post.date.slice(5, 7);
    let months = years.get(year);
    if (months === undefined) {
      months = new Map();
      years.set(year, months);
    }
    push(months, month, post);
  }
  return [...years].map(([year, months]) => ({
    year,
    months: [...months].map(([month, monthPosts]) => ({month, posts: monthPosts})),
  }));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
