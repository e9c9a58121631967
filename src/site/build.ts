import {createHash} from 'node:crypto';
import {existsSync, readFileSync, statSync} from 'node:fs';
import {readdir, rm} from 'node:fs/promises';
import path from 'node:path';
import type {PostFrontMatter} from '../../schemas/post.js';
import type {SiteManifest, SkippedPost} from '../../schemas/site.js';
import {describeSystemError, ExitCode, isCannotWriteError, UserError} from '../util/errors.js';
import type {RenderedBody} from './markdown.js';
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
/**
 * Part of every page's inputs key: raise it when templates, styles or page structure change, so that
 * the next build renders every page again instead of keeping pages made by the older code.
 */
export const SITE_FORMAT_VERSION = 1;
/** Post files read between two turns of the event loop. */
const READ_BATCH = 256;

const POSTS_DIR = 'posts';

interface SourcePost {
  /** `posts/<name>.md`. */
  readonly file: string;
  /** `<name>`: the post file's name without `.md`. */
  readonly name: string;
  /** The file's text, read when first needed (an unchanged post is not read at all). */
  readonly content: string;
  /** sha256 of the text; taken from the manifest when size and modification time are unchanged. */
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
}

interface SitePost {
  readonly source: SourcePost;
  readonly frontMatter: PostFrontMatter;
  /** Null until its body is rendered, for a post that is new or edited. */
  media: readonly MediaRefData[] | null;
  /** The Markdown body when the front matter was just parsed (else it is read when needed). */
  body: string | null;
}

interface MediaRefData {
  readonly path: string;
  readonly kind: 'image' | 'audio' | 'video' | 'file';
  readonly label: string;
}

/** The folders the site's files are in ('.' is the output folder itself). */
const SITE_FOLDERS = ['.', POSTS_DIR, 'tags', 'people', 'archive', 'search', 'assets'] as const;

/**
 * Renders the static site from the posts in `outputDir/posts/`: home, archive, post, tag, people,
 * media and search pages, `feed.xml`, the search index and the assets. Incremental: every file has
 * an inputs key (a hash of what it is made from, or of its rendered bytes), kept in the manifest;
 * a file whose key is unchanged and which is still on disk is not rendered or written again. Post
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
  const [
    {readManifest, writeManifest},
    {readFrontMatter, splitFrontMatter},
    {createBodyRenderer},
    templates,
  ] = await Promise.all([
    import('./manifest.js'),
    import('./front-matter.js'),
    import('./markdown.js'),
    import('./templates.js'),
  ]);
  const [search, shardsModule, siteFiles] = await Promise.all([
    import('./search-index.js'),
    import('./search-shards.js'),
    import('./site-files.js'),
  ]);
  siteFiles.forgetFolders();
  const previous = await readManifest(outputDir);
  const sources = await readSources(outputDir, previous, signal);
  const renderer = createBodyRenderer();

  // 1. Posts: front matter from the manifest when the file's bytes are unchanged, else parsed.
  const manifest: SiteManifest = {version: 2, files: {}, sources: {}};
  const skipped: SkippedPost[] = [];
  const posts: SitePost[] = [];
  // Posts added or edited; posts removed are counted once the loop has seen every file.
  let sourcesChanged = false;
  for (const source of sources.posts) {
    signal?.throwIfAborted();
    const cached = previous.sources[source.file];
    if (cached !== undefined && cached.hash === source.hash) {
      manifest.sources[source.file] = cached;
      if (cached.frontMatter === null) {
        skipped.push({
          file: source.file,
          line: cached.problem?.line ?? null,
          problem: cached.problem?.problem ?? 'invalid',
        });
      } else {
        posts.push({source, frontMatter: cached.frontMatter, media: cached.media, body: null});
      }
      continue;
    }
    sourcesChanged = true;
    const parsed = readFrontMatter(source.content);
    if (!parsed.ok) {
      manifest.sources[source.file] = {
        ...stamp(source),
        frontMatter: null,
        problem: {line: parsed.line, problem: parsed.problem},
        media: [],
      };
      skipped.push({file: source.file, line: parsed.line, problem: parsed.problem});
      continue;
    }
    // Its media are known once its body is rendered (its page is: its inputs key is new); the entry
    // is completed then, in this place of the manifest.
    manifest.sources[source.file] = {
      ...stamp(source),
      frontMatter: parsed.frontMatter,
      problem: null,
      media: [],
    };
    posts.push({source, frontMatter: parsed.frontMatter, media: null, body: parsed.body});
  }
  skipped.push(...sources.unreadable);
  if (Object.keys(previous.sources).length !== Object.keys(manifest.sources).length) sourcesChanged = true;
  posts.sort(
    (a, b) => compare(a.frontMatter.date, b.frontMatter.date) || compare(a.source.name, b.source.name),
  );

  // 2. Names, summaries and figures.
  const {assignFileNames} = await import('./names.js');
  const tagFiles = assignFileNames(posts.flatMap((post) => post.frontMatter.tags));
  const personFiles = assignFileNames(posts.flatMap((post) => post.frontMatter.authors));
  const summaries = posts.map((post): PostSummary => {
    const {frontMatter} = post;
    return {
      href: `${POSTS_DIR}/${encodeURIComponent(post.source.name)}.html`,
      title: frontMatter.title,
      date: frontMatter.date,
      summary: frontMatter.summary,
      tags: unique(frontMatter.tags).map((tag) => ({
        name: tag,
        href: `tags/${tagFiles.get(tag) as string}.html`,
      })),
      authors: unique(frontMatter.authors).map((name) => ({
        name,
        href: `people/${personFiles.get(name) as string}.html`,
      })),
    };
  });
  /** Each post's place in `posts` (oldest first), which is also its summary's place in `summaries`. */
  const order = new Map(posts.map((post, index) => [post, index]));
  const summaryOf = (post: SitePost) => summaries[order.get(post) as number] as PostSummary;
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

  /** A file needs writing when its key is new or it is gone from the disk. */
  const needsWrite = (file: string, key: string): boolean =>
    previous.files[file] !== key || !onDisk.has(file);
  /** Replace it atomically when it exists or the last manifest knows it (see `writeSiteFile`). */
  const atomicFor = (file: string): boolean => onDisk.has(file) || previous.files[file] !== undefined;
  let written = 0;
  let unchanged = 0;
  let pages = 0;
  const emit = (file: string, key: string, content: () => string): void => {
    manifest.files[file] = key;
    if (file.endsWith('.html')) pages += 1;
    if (!needsWrite(file, key)) {
      unchanged += 1;
      return;
    }
    signal?.throwIfAborted();
    siteFiles.writeSiteFile(path.join(outputDir, file), content(), atomicFor(file));
    written += 1;
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
  const pageKeys = posts.map((post, index) => {
    const summary = summaries[index] as PostSummary;
    const previousSummary = summaries[index - 1];
    const nextSummary = summaries[index + 1];
    return `inputs:${sha256(
      JSON.stringify([
        SITE_FORMAT_VERSION,
        siteTitle,
        post.source.hash,
        post.frontMatter.window,
        summary.tags,
        summary.authors,
        previousSummary && [previousSummary.href, previousSummary.title],
        nextSummary && [nextSummary.href, nextSummary.title],
      ]),
    )}`;
  });
  const pageFile = (post: SitePost): string => `${POSTS_DIR}/${post.source.name}.html`;
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
      const key = `inputs:${sha256(JSON.stringify([SITE_FORMAT_VERSION, shardCount, members.map((post) => [post.source.file, post.source.hash])]))}`;
      return {shard, file, key, members, rebuild: needsWrite(file, key)};
    });
  const rebuilt = new Map<number, {texts: Map<string, {hash: string; text: string}>; next: number}>();
  for (const plan of shardPlans) {
    if (!plan.rebuild) continue;
    // The texts of posts whose pages are not rendered this time come from the shard's text cache.
    const needsCache = plan.members.some((post) => {
      const index = order.get(post) as number;
      return !needsWrite(pageFile(post), pageKeys[index] as string);
    });
    const texts = needsCache
      ? await shardsModule.readTextCache(outputDir, plan.shard, SITE_FORMAT_VERSION)
      : new Map<string, {hash: string; text: string}>();
    rebuilt.set(plan.shard, {texts, next: 0});
  }
  const builder =
    rebuilt.size === 0
      ? null
      : shardsModule.createShardBuilder({
          outputDir,
          formatVersion: SITE_FORMAT_VERSION,
          documents: shardPlans.reduce((sum, plan) => sum + (plan.rebuild ? plan.members.length : 0), 0),
        });

  try {
    // 4. Post pages, each rendered and written in turn; their texts go to the search shards.
    posts.forEach((post, index) => {
      signal?.throwIfAborted();
      const file = pageFile(post);
      const key = pageKeys[index] as string;
      const summary = summaries[index] as PostSummary;
      const shard = rebuilt.get(shardOfPost[index] as number);
      const cachedText = shard?.texts.get(post.source.file);
      const text = cachedText?.hash === post.source.hash ? cachedText.text : null;
      const writePage = needsWrite(file, key);
      let body: RenderedBody | null = null;
      if (writePage || (shard !== undefined && text === null) || post.media === null) {
        body = renderer.render(post.body ?? bodyOf(splitFrontMatter, post.source.content));
        if (post.media === null) {
          post.media = body.media;
          const entry = {
            ...stamp(post.source),
            frontMatter: post.frontMatter,
            problem: null,
            media: [...body.media],
          };
          manifest.sources[post.source.file] = entry;
        }
      }
      post.body = null;
      emit(file, key, () => {
        const {window, part} = post.frontMatter;
        const windowLabel = `window ${window + 1}${part === undefined ? '' : `, part ${part.index + 1} of ${part.count}`}`;
        const previousSummary = summaries[index - 1];
        const nextSummary = summaries[index + 1];
        return templates.postPage({
          siteTitle,
          post: summary,
          bodyHtml: (body as RenderedBody).html,
          windowLabel,
          previous: previousSummary ?? null,
          next: nextSummary ?? null,
        });
      });
      if (shard !== undefined && builder !== null) {
        builder.add(
          shardOfPost[index] as number,
          {
            id: shard.next,
            title: summary.title,
            tags: summary.tags.map((tag) => tag.name).join(' '),
            authors: summary.authors.map((author) => author.name).join(' '),
            summary: summary.summary,
            text: text ?? (body as RenderedBody).text,
            date: summary.date,
            url: summary.href,
          },
          {file: post.source.file, hash: post.source.hash},
        );
        shard.next += 1;
      }
    });

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
        galleryItems.push({media, post: summaryOf(post)});
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
        latest: newestFirst.slice(0, HOME_LATEST_POSTS).map(summaryOf),
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
          posts: tagged.map(summaryOf),
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
        templates.namedListPage({siteTitle, heading: name, intro, posts: authored.map(summaryOf)}),
      );
    }
    byInputs(
      'media.html',
      ['media', galleryItems.map((item) => [item.media.path, item.media.kind, item.media.label])],
      galleryPosts,
      () => templates.mediaPage(siteTitle, galleryItems),
    );

    // 6. Search: the shards whose posts changed are written by the builder, once all are indexed.
    const shardOutputs: import('./search-shards.js').ShardOutput[] = [];
    for (const plan of shardPlans) {
      manifest.files[plan.file] = plan.key;
      if (!plan.rebuild) {
        unchanged += 1;
        continue;
      }
      shardOutputs.push({
        shard: plan.shard,
        target: path.join(outputDir, plan.file),
        atomic: atomicFor(plan.file),
      });
      written += 1;
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
    byBytes('feed.xml', await renderFeed(siteTitle, newestFirst.map(summaryOf), options.baseUrl));
    const assets = await import('./assets.js');
    byBytes('assets/site.css', assets.SITE_CSS);
    byBytes('assets/search.js', assets.SEARCH_JS);
    byBytes('assets/favicon.svg', assets.FAVICON_SVG);
    byBytes('assets/minisearch.js', search.minisearchBrowserBuild());
    if (builder !== null) await builder.finish(shardOutputs);
  } catch (error) {
    await builder?.abort();
    throw cannotWrite(error, outputDir);
  }

  // 8. Remove what no longer belongs to the site; remember what was made of what.
  const stale = Object.keys(previous.files).filter(
    (file) => manifest.files[file] === undefined && siteFiles.isSiteFile(file),
  );
  try {
    for (const file of stale) await rm(path.join(outputDir, file), {force: true});
    if (rebuilt.size > 0) await removeStaleTextCaches(outputDir, shardCount, shardsModule);
    if (written > 0 || stale.length > 0 || sourcesChanged) await writeManifest(outputDir, manifest);
  } catch (error) {
    throw cannotWrite(error, outputDir);
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

/** A failure to write the site, as the user's problem it is (disk full, read-only, no permission). */
function cannotWrite(error: unknown, outputDir: string): unknown {
  if (!isCannotWriteError(error)) return error;
  return new UserError(
    `Cannot write the site into ${outputDir}: ${describeSystemError(error)}`,
    ExitCode.cannotWrite,
    {
      path: outputDir,
      hint: 'Check the folder is writable and the disk has space, or pass another folder with --output.',
      cause: error,
    },
  );
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

async function chatStats(
  pipelineDb: string | null,
  authors: ReadonlySet<string>,
  firstDate: string | null,
  lastDate: string | null,
  notes: string[],
) {
  if (pipelineDb === null) return null;
  try {
    const {readChatStats} = await import('./chat-stats.js');
    return await readChatStats(pipelineDb, authors, firstDate, lastDate);
  } catch (error) {
    notes.push(
      `The chat's message counts were left out: ${pipelineDb} could not be read (${error instanceof Error ? error.message : String(error)}).`,
    );
    return null;
  }
}

function stamp(source: SourcePost): {hash: string; size: number; mtimeMs: number} {
  return {hash: source.hash, size: source.size, mtimeMs: source.mtimeMs};
}

/**
 * The post files, oldest name first. A file whose size and modification time (nanosecond clocks on
 * today's file systems) match the manifest keeps its recorded hash and is read only if a page needs
 * it: after one edit, a re-render of 10,000 posts reads one file, not 10,000 (docs/BENCHMARKS.md).
 */
async function readSources(
  outputDir: string,
  previous: SiteManifest,
  signal: AbortSignal | undefined,
): Promise<{posts: SourcePost[]; unreadable: SkippedPost[]}> {
  const postsDir = path.join(outputDir, POSTS_DIR);
  let names: string[];
  try {
    const entries = await readdir(postsDir, {withFileTypes: true});
    names = entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort(compare);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {posts: [], unreadable: []};
    throw error;
  }
  // Synchronous calls, a batch at a time with a turn of the event loop between batches: for
  // thousands of small files, asynchronous ones are round trips through libuv's thread pool each.
  const posts: SourcePost[] = [];
  const unreadable: SkippedPost[] = [];
  for (let start = 0; start < names.length; start += READ_BATCH) {
    signal?.throwIfAborted();
    for (const name of names.slice(start, start + READ_BATCH)) {
      const file = `${POSTS_DIR}/${name}`;
      const full = path.join(postsDir, name);
      try {
        const info = statSync(full);
        const cached = previous.sources[file];
        if (cached !== undefined && cached.size === info.size && cached.mtimeMs === info.mtimeMs) {
          posts.push(lazySource(file, name, full, cached.hash, info.size, info.mtimeMs));
        } else {
          const content = readFileSync(full, 'utf8');
          posts.push({
            file,
            name: name.slice(0, -'.md'.length),
            content,
            hash: sha256(content),
            size: info.size,
            mtimeMs: info.mtimeMs,
          });
        }
      } catch (error) {
        unreadable.push({file, line: null, problem: `cannot be read: ${describeSystemError(error)}`});
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {posts, unreadable};
}

/** A post known from the manifest: its text is read on first use. */
function lazySource(
  file: string,
  fileName: string,
  full: string,
  hash: string,
  size: number,
  mtimeMs: number,
): SourcePost {
  let content: string | undefined;
  return {
    file,
    name: fileName.slice(0, -'.md'.length),
    hash,
    size,
    mtimeMs,
    get content(): string {
      content ??= readFileSync(full, 'utf8');
      return content;
    },
  };
}

/** The site's files that exist now (one readdir per folder of the site). */
async function listSiteFiles(outputDir: string): Promise<Set<string>> {
  const present = new Set<string>();
  for (const folder of SITE_FOLDERS) {
    for (const name of await listFiles(path.join(outputDir, folder))) {
      present.add(folder === '.' ? name : `${folder}/${name}`);
    }
  }
  return present;
}

async function listFiles(dir: string): Promise<Set<string>> {
  try {
    return new Set(
      (await readdir(dir, {withFileTypes: true}))
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name),
    );
  } catch {
    return new Set();
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

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
