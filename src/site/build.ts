import {createHash} from 'node:crypto';
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {mkdir, readdir, rm} from 'node:fs/promises';
import path from 'node:path';
import type {PostFrontMatter} from '../../schemas/post.js';
import type {SiteManifest, SkippedPost} from '../../schemas/site.js';
import {writeFileAtomic} from '../pipeline/atomic-write.js';
import {describeSystemError, ExitCode, isCannotWriteError, UserError} from '../util/errors.js';

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
/** Files read and written at once: enough to keep the disk busy, few enough for any fd limit. */
const IO_CONCURRENCY = 32;
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
  readonly media: readonly MediaRefData[];
  /** `posts/<name>.html`. */
  readonly page: string;
}

interface MediaRefData {
  readonly path: string;
  readonly kind: 'image' | 'audio' | 'video' | 'file';
  readonly label: string;
}

interface PendingFile {
  readonly file: string;
  readonly key: string;
  readonly content: () => Promise<string> | string;
}

/**
 * Renders the static site from the posts in `outputDir/posts/`: home, archive, post, tag, people,
 * media and search pages, `feed.xml`, the search index and the assets. Incremental: every file has
 * an inputs key (a hash of what it is made from, or of its rendered bytes), kept in the manifest;
 * a file whose key is unchanged and which is still on disk is not rendered or written again. Files
 * are written atomically. Never prints.
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
  const [{readManifest, writeManifest}, {readFrontMatter}, {createBodyRenderer}, templates] =
    await Promise.all([
      import('./manifest.js'),
      import('./front-matter.js'),
      import('./markdown.js'),
      import('./templates.js'),
    ]);
  const previous = await readManifest(outputDir);
  const sources = await readSources(outputDir, previous, signal);
  const renderer = createBodyRenderer();
  const rendered = new Map<string, {html: string; text: string}>();
  const renderBody = (
    post: SourcePost,
    body: string,
  ): {html: string; text: string; media: MediaRefData[]} => {
    const result = renderer.render(body);
    rendered.set(post.file, {html: result.html, text: result.text});
    return {html: result.html, text: result.text, media: [...result.media]};
  };

  // 1. Posts: front matter from the manifest when the file's bytes are unchanged, else parsed.
  const manifest: SiteManifest = {version: 2, files: {}, sources: {}};
  const skipped: SkippedPost[] = [];
  const posts: SitePost[] = [];
  // Posts added or edited; posts removed are counted once the loop has seen every file.
  let sourcesChanged = false;
  for (const source of sources.posts) {
    signal?.throwIfAborted();
    const cached = previous.sources[source.file];
    let entry = cached !== undefined && cached.hash === source.hash ? cached : undefined;
    if (entry === undefined) {
      sourcesChanged = true;
      const parsed = readFrontMatter(source.content);
      if (parsed.ok) {
        const body = renderBody(source, parsed.body);
        entry = {...stamp(source), frontMatter: parsed.frontMatter, problem: null, media: body.media};
      } else {
        entry = {
          ...stamp(source),
          frontMatter: null,
          problem: {line: parsed.line, problem: parsed.problem},
          media: [],
        };
      }
    }
    manifest.sources[source.file] = entry;
    if (entry.frontMatter === null) {
      skipped.push({
        file: source.file,
        line: entry.problem?.line ?? null,
        problem: entry.problem?.problem ?? 'invalid',
      });
      continue;
    }
    posts.push({
      source,
      frontMatter: entry.frontMatter,
      media: entry.media,
      page: `${POSTS_DIR}/${source.name}.html`,
    });
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
  const summaries = new Map<SitePost, import('./templates.js').PostSummary>();
  for (const post of posts) {
    const {frontMatter} = post;
    summaries.set(post, {
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
    });
  }
  const summaryOf = (post: SitePost) => summaries.get(post) as import('./templates.js').PostSummary;
  const postOfSummary = new Map([...summaries].map(([post, summary]) => [summary, post]));
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

  const pending: PendingFile[] = [];
  const byBytes = (file: string, content: string): void => {
    pending.push({file, key: `bytes:${sha256(content)}`, content: () => content});
  };
  /**
   * A list page keyed by what it shows: its own figures and the summary key of every post it lists,
   * so that an unchanged tag or person page (most of them, after an edit) is not even rendered.
   */
  const summaryKeys = new Map<SitePost, string>();
  for (const post of posts) summaryKeys.set(post, sha256(JSON.stringify(summaryOf(post))).slice(0, 24));
  const byInputs = (
    file: string,
    parts: readonly unknown[],
    members: readonly SitePost[],
    render: () => string,
  ): void => {
    const key = `inputs:${sha256(JSON.stringify([SITE_FORMAT_VERSION, siteTitle, parts, members.map((post) => summaryKeys.get(post))]))}`;
    pending.push({file, key, content: render});
  };

  // 3. Post pages: keyed by their inputs, so that an unchanged post is not even rendered.
  posts.forEach((post, index) => {
    const previousPost = index > 0 ? posts[index - 1] : undefined;
    const nextPost = posts[index + 1];
    const summary = summaryOf(post);
    const neighbour = (other: SitePost | undefined) => (other === undefined ? null : summaryOf(other));
    const key = `inputs:${sha256(
      JSON.stringify([
        SITE_FORMAT_VERSION,
        siteTitle,
        post.source.hash,
        post.frontMatter.window,
        summary.tags,
        summary.authors,
        previousPost && [summaryOf(previousPost).href, summaryOf(previousPost).title],
        nextPost && [summaryOf(nextPost).href, summaryOf(nextPost).title],
      ]),
    )}`;
    pending.push({
      file: post.page,
      key,
      content: () => {
        let body = rendered.get(post.source.file);
        if (body === undefined) {
          const parsed = readFrontMatter(post.source.content);
          body = renderBody(post.source, parsed.ok ? parsed.body : '');
        }
        const {window, part} = post.frontMatter;
        const windowLabel = `window ${window + 1}${part === undefined ? '' : `, part ${part.index + 1} of ${part.count}`}`;
        return templates.postPage({
          siteTitle,
          post: summary,
          bodyHtml: body.html,
          windowLabel,
          previous: neighbour(previousPost),
          next: neighbour(nextPost),
        });
      },
    });
  });

  // 4. List pages, rendered every time (cheap) and keyed by their bytes.
  const people = new Map<string, SitePost[]>();
  const tags = new Map<string, SitePost[]>();
  for (const post of newestFirst) {
    for (const tag of unique(post.frontMatter.tags)) push(tags, tag, post);
    for (const author of unique(post.frontMatter.authors)) push(people, author, post);
  }
  const galleryItems: import('./templates.js').GalleryItem[] = [];
  const galleryPosts: SitePost[] = [];
  const seenMedia = new Set<string>();
  for (const post of posts) {
    for (const media of post.media) {
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
  const years = archiveYears(posts.map(summaryOf));
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

  // 5. Search: shards keyed by the posts they hold.
  const search = await import('./search-index.js');
  const shards = search.shardCount(posts.length);
  const shardPosts = new Map<number, SitePost[]>();
  for (const post of posts) push(shardPosts, search.shardOf(post.source.file, shards), post);
  const shardFiles: string[] = [];
  for (const [shard, members] of [...shardPosts].sort((a, b) => a[0] - b[0])) {
    const file = search.shardFileName(shard);
    shardFiles.push(file);
    const key = `inputs:${sha256(JSON.stringify([SITE_FORMAT_VERSION, shards, members.map((post) => [post.source.file, post.source.hash])]))}`;
    pending.push({
      file,
      key,
      content: () =>
        search.renderShard(
          members.map((post, id) => {
            const summary = summaryOf(post);
            let body = rendered.get(post.source.file);
            if (body === undefined) {
              const parsed = readFrontMatter(post.source.content);
              body = renderBody(post.source, parsed.ok ? parsed.body : '');
            }
            return {
              id,
              title: summary.title,
              tags: summary.tags.map((tag) => tag.name).join(' '),
              authors: summary.authors.map((author) => author.name).join(' '),
              summary: summary.summary,
              text: body.text,
              date: summary.date,
              url: summary.href,
            };
          }),
        ),
    });
  }
  byBytes('search.html', templates.searchPage(siteTitle, shardFiles));

  // 6. Feed and assets.
  const {renderFeed} = await import('./feed.js');
  byBytes('feed.xml', await renderFeed(siteTitle, newestFirst.map(summaryOf), options.baseUrl));
  const assets = await import('./assets.js');
  byBytes('assets/site.css', assets.SITE_CSS);
  byBytes('assets/search.js', assets.SEARCH_JS);
  byBytes('assets/favicon.svg', assets.FAVICON_SVG);
  byBytes('assets/minisearch.js', search.minisearchBrowserBuild());

  // 7. Write what changed; remove what no longer belongs to the site.
  const onDisk = await listSiteFiles(outputDir, pending);
  const toWrite = pending.filter((file) => previous.files[file.file] !== file.key || !onDisk.has(file.file));
  for (const file of pending) manifest.files[file.file] = file.key;
  const wanted = new Set(pending.map((file) => file.file));
  const stale = Object.keys(previous.files).filter((file) => !wanted.has(file) && isSiteFile(file));
  try {
    if (toWrite.length > 0 || stale.length > 0) {
      // Forget what is about to change first: a build killed halfway leaves those files unknown, so
      // the next build writes them again rather than trusting a key that no longer describes them.
      const interim: SiteManifest = {version: 2, files: {...previous.files}, sources: previous.sources};
      for (const file of [...toWrite.map((pendingFile) => pendingFile.file), ...stale])
        delete interim.files[file];
      await writeManifest(outputDir, interim);
    }
    await forEachLimited(toWrite, IO_CONCURRENCY, async (file) => {
      signal?.throwIfAborted();
      await writeSiteFile(path.join(outputDir, file.file), await file.content(), onDisk.has(file.file));
    });
    for (const file of stale) await rm(path.join(outputDir, file), {force: true});
    if (toWrite.length > 0 || stale.length > 0 || sourcesChanged) {
      await writeManifest(outputDir, manifest);
    }
  } catch (error) {
    if (isCannotWriteError(error)) {
      throw new UserError(
        `Cannot write the site into ${outputDir}: ${describeSystemError(error)}`,
        ExitCode.cannotWrite,
        {
          path: outputDir,
          hint: 'Check the folder is writable and the disk has space, or pass another folder with --output.',
          cause: error,
        },
      );
    }
    throw error;
  }
  return {
    posts: posts.length,
    pages: pending.filter((file) => file.file.endsWith('.html')).length,
    written: toWrite.length,
    unchanged: pending.length - toWrite.length,
    removed: stale.length,
    skipped,
    indexPath: path.join(outputDir, 'index.html'),
    notes,
  };
}

/**
 * A file that exists is replaced atomically (temporary file + rename: a reader sees the old page or
 * the new one). A file that does not exist yet is created in place (exclusively: `wx`), which saves
 * a rename per page on a first build of thousands of pages (docs/BENCHMARKS.md): a build killed
 * mid-write can leave it short, but the manifest written before the writes does not list it, so the
 * next build writes it again.
 */
async function writeSiteFile(target: string, content: string, exists: boolean): Promise<void> {
  if (exists) {
    await writeFileAtomic(target, content, {sync: false});
    return;
  }
  const folder = path.dirname(target);
  if (!madeFolders.has(folder)) {
    await mkdir(folder, {recursive: true});
    madeFolders.add(folder);
  }
  try {
    writeFileSync(target, content, {flag: 'wx', mode: 0o644});
  } catch (error) {
    // Created meanwhile (by a user or another build): replace it the atomic way.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await writeFileAtomic(target, content, {sync: false});
  }
}
/** Folders made by this process, so that a build of thousands of pages does not mkdir for each. */
const madeFolders = new Set<string>();

/** Only files under these names are ever removed as stale: a damaged manifest cannot reach posts or media. */
function isSiteFile(file: string): boolean {
  if (file.includes('..') || file.includes('\\')) return false;
  return (
    /^[^/]+\.(html|xml)$/.test(file) ||
    /^(posts|tags|people|archive)\/[^/]+\.html$/.test(file) ||
    /^(search|assets)\/[^/]+\.(js|css|svg)$/.test(file)
  );
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

/** The site's files that exist now, among those this build would write (one readdir per folder). */
async function listSiteFiles(outputDir: string, pending: readonly PendingFile[]): Promise<Set<string>> {
  const folders = new Set(pending.map((file) => path.posix.dirname(file.file)));
  const present = new Set<string>();
  for (const folder of folders) {
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

function archiveYears(oldestFirst: readonly import('./templates.js').PostSummary[]) {
  const years = new Map<string, Map<string, import('./templates.js').PostSummary[]>>();
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

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await fn(item);
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
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
