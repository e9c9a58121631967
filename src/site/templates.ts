import {esc} from './html.js';
import type {MediaRef} from './markdown.js';

/**
 * Every page's Content-Security-Policy: nothing from anywhere but the site's own folder, no inline
 * script or style at all, no plugins, no <base>, forms only to the site itself.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; " +
  "form-action 'self'; base-uri 'none'";

/** A post as the list pages show it. */
export interface PostSummary {
  /** `posts/<name>.html`, relative to the site root, URL-encoded. */
  readonly href: string;
  readonly title: string;
  readonly date: string;
  readonly summary: string;
  readonly tags: readonly LinkedName[];
  readonly authors: readonly LinkedName[];
}

/** A tag or a pseudonym and the page it links to (relative to the site root, URL-encoded). */
export interface LinkedName {
  readonly name: string;
  readonly href: string;
}

export interface PageFrame {
  readonly siteTitle: string;
  /** The page's own title; null for the home page. */
  readonly title: string | null;
  /** `''` for pages at the site root, `'../'` one folder down. */
  readonly root: string;
  readonly main: string;
  /** Scripts the page loads, relative to the site root. */
  readonly scripts?: readonly string[];
}

export function page(frame: PageFrame): string {
  const {root, siteTitle} = frame;
  const title = frame.title === null ? siteTitle : `${frame.title} · ${siteTitle}`;
  const scripts = (frame.scripts ?? []).map((src) => `<script src="${esc(root + src)}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(CONTENT_SECURITY_POLICY)}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="egregora">
<title>${esc(title)}</title>
<link rel="icon" href="${root}assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${root}assets/site.css">
<link rel="alternate" type="application/atom+xml" title="${esc(siteTitle)}" href="${root}feed.xml">
</head>
<body>
<header class="site">
<a class="brand" href="${root}index.html">${esc(siteTitle)}</a>
<nav aria-label="Site"><a href="${root}archive.html">Archive</a><a href="${root}tags.html">Tags</a><a href="${root}people.html">People</a><a href="${root}media.html">Media</a><a href="${root}feed.xml">Feed</a></nav>
<form action="${root}search.html" method="get" role="search"><input type="search" name="q" placeholder="Search posts" aria-label="Search posts"></form>
</header>
<main>
${frame.main}
</main>
<footer class="site">Rendered by egregora from a chat export. People appear under pseudonyms only.</footer>
${scripts}
</body>
</html>
`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export function monthName(month: string): string {
  return MONTHS[Number(month) - 1] ?? month;
}

export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

function linkList(names: readonly LinkedName[], root: string, className: string, label: string): string {
  if (names.length === 0) return '';
  const items = names
    .map((name) => `<li><a href="${esc(root + name.href)}">${esc(name.name)}</a></li>`)
    .join('');
  return `<ul class="${className}" aria-label="${label}">${items}</ul>`;
}

/**
 * A post's list item is the same on every list that shows it (its tag pages, its people's pages,
 * the archive): made once per build and kind of list. Summaries are new objects every build, so a
 * WeakMap keyed by them never serves an item of an older build.
 */
const itemCache = new WeakMap<PostSummary, Map<string, string>>();

/** One post in a list: date, title, summary, tags. */
export function postItem(post: PostSummary, root: string, withSummary = true): string {
  let cached = itemCache.get(post);
  if (cached === undefined) {
    cached = new Map();
    itemCache.set(post, cached);
  }
  const variant = `${root}|${withSummary}`;
  const hit = cached.get(variant);
  if (hit !== undefined) return hit;
  const item = renderPostItem(post, root, withSummary);
  cached.set(variant, item);
  return item;
}

function renderPostItem(post: PostSummary, root: string, withSummary: boolean): string {
  const summary = withSummary && post.summary !== '' ? `<div>${esc(post.summary)}</div>` : '';
  const tags = withSummary ? linkList(post.tags, root, 'tags', 'Tags') : '';
  return `<li><span class="meta">${esc(post.date)}</span> <a href="${esc(root + post.href)}">${esc(post.title)}</a>${summary}${tags}</li>`;
}

export function postList(posts: readonly PostSummary[], root: string, withSummary = true): string {
  if (posts.length === 0) return '<p class="muted">No posts.</p>';
  return `<ol class="posts">${posts.map((post) => postItem(post, root, withSummary)).join('\n')}</ol>`;
}

export interface HomeInput {
  readonly siteTitle: string;
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  readonly posts: number;
  /** Null when the chat's own totals are not available (no pipeline database). */
  readonly messages: number | null;
  readonly people: number;
  readonly media: number;
  readonly latest: readonly PostSummary[];
}

export function homePage(input: HomeInput): string {
  const range =
    input.firstDate === null
      ? '<p class="muted">No posts yet: run <code>egregora process</code> on an export.</p>'
      : `<p class="meta">${esc(input.firstDate)} – ${esc(input.lastDate ?? input.firstDate)}</p>`;
  const stats = [
    `<li><strong>${esc(input.posts.toLocaleString('en-US'))}</strong> ${input.posts === 1 ? 'post' : 'posts'}</li>`,
    input.messages === null
      ? ''
      : `<li><strong>${esc(input.messages.toLocaleString('en-US'))}</strong> ${input.messages === 1 ? 'message' : 'messages'}</li>`,
    `<li><strong>${esc(input.people.toLocaleString('en-US'))}</strong> ${input.people === 1 ? 'person' : 'people'}</li>`,
    `<li><strong>${esc(input.media.toLocaleString('en-US'))}</strong> media ${input.media === 1 ? 'file' : 'files'}</li>`,
  ].join('');
  const main = `<h1>${esc(input.siteTitle)}</h1>
${range}
<ul class="stats">${stats}</ul>
<h2>Latest posts</h2>
${postList(input.latest, '')}
<p><a href="archive.html">All posts, by month</a></p>`;
  return page({siteTitle: input.siteTitle, title: null, root: '', main});
}

export interface PostPageInput {
  readonly siteTitle: string;
  readonly post: PostSummary;
  readonly bodyHtml: string;
  readonly windowLabel: string;
  readonly previous: PostSummary | null;
  readonly next: PostSummary | null;
}

export function postPage(input: PostPageInput): string {
  const {post} = input;
  const root = '../';
  const people = linkList(post.authors, root, 'tags people', 'People');
  const tags = linkList(post.tags, root, 'tags', 'Tags');
  const previous =
    input.previous === null
      ? '<span></span>'
      : `<a rel="prev" href="${esc(root + input.previous.href)}">← ${esc(input.previous.title)}</a>`;
  const next =
    input.next === null
      ? '<span></span>'
      : `<a rel="next" href="${esc(root + input.next.href)}">${esc(input.next.title)} →</a>`;
  const main = `<article>
<h1>${esc(post.title)}</h1>
<p class="meta"><time datetime="${esc(post.date)}">${esc(post.date)}</time> · ${esc(input.windowLabel)}</p>
${people === '' ? '' : `<div class="meta">People ${people}</div>`}
${tags === '' ? '' : `<div class="meta">Tags ${tags}</div>`}
${input.bodyHtml}
</article>
<nav class="pager" aria-label="Previous and next post">${previous}${next}</nav>`;
  return page({siteTitle: input.siteTitle, title: post.title, root, main});
}

export interface NamedListInput {
  readonly siteTitle: string;
  readonly heading: string;
  readonly intro: string;
  readonly posts: readonly PostSummary[];
}

/** A tag's or a person's page: a heading, a line of figures, their posts newest first. */
export function namedListPage(input: NamedListInput): string {
  const main = `<h1>${esc(input.heading)}</h1>
<p class="meta">${esc(input.intro)}</p>
${postList(input.posts, '../')}`;
  return page({siteTitle: input.siteTitle, title: input.heading, root: '../', main});
}

export interface IndexEntry {
  readonly name: string;
  readonly href: string;
  readonly detail: string;
}

/** The list of tags or people, each with its figures. */
export function indexPage(siteTitle: string, heading: string, entries: readonly IndexEntry[]): string {
  const items = entries
    .map(
      (entry) =>
        `<li><a href="${esc(entry.href)}">${esc(entry.name)}</a> <span class="muted">${esc(entry.detail)}</span></li>`,
    )
    .join('\n');
  const main = `<h1>${esc(heading)}</h1>
${entries.length === 0 ? '<p class="muted">None yet.</p>' : `<ul class="cloud">${items}</ul>`}`;
  return page({siteTitle, title: heading, root: '', main});
}

export interface ArchiveYear {
  readonly year: string;
  readonly months: ReadonlyArray<{readonly month: string; readonly posts: readonly PostSummary[]}>;
}

export function archiveIndexPage(siteTitle: string, years: readonly ArchiveYear[]): string {
  const sections = years
    .map((year) => {
      const months = year.months
        .map(
          (month) =>
            `<li><a href="archive/${esc(year.year)}.html#m${esc(month.month)}">${esc(monthName(month.month))}</a> <span class="muted">${esc(plural(month.posts.length, 'post'))}</span></li>`,
        )
        .join('');
      return `<h2><a href="archive/${esc(year.year)}.html">${esc(year.year)}</a></h2>\n<ul class="cloud">${months}</ul>`;
    })
    .join('\n');
  const main = `<h1>Archive</h1>\n${years.length === 0 ? '<p class="muted">No posts yet.</p>' : sections}`;
  return page({siteTitle, title: 'Archive', root: '', main});
}

export function archiveYearPage(siteTitle: string, year: ArchiveYear): string {
  const months = year.months
    .map(
      (month) =>
        `<h2 id="m${esc(month.month)}">${esc(monthName(month.month))} ${esc(year.year)}</h2>\n${postList(month.posts, '../', false)}`,
    )
    .join('\n');
  const main = `<h1>${esc(year.year)}</h1>\n<p><a href="../archive.html">All years</a></p>\n${months}`;
  return page({siteTitle, title: year.year, root: '../', main});
}

export interface GalleryItem {
  readonly media: MediaRef;
  readonly post: PostSummary;
}

export function mediaPage(siteTitle: string, items: readonly GalleryItem[]): string {
  const images = items.filter((item) => item.media.kind === 'image');
  const others = items.filter((item) => item.media.kind !== 'image');
  const figure = (item: GalleryItem): string =>
    `<li><figure><a href="${esc(item.post.href)}"><img src="${esc(item.media.path)}" alt="${esc(item.media.label)}" loading="lazy" decoding="async"></a><figcaption>${esc(item.post.date)}</figcaption></figure></li>`;
  const other = (item: GalleryItem): string => {
    const player =
      item.media.kind === 'audio' || item.media.kind === 'video'
        ? `<${item.media.kind} class="player" controls preload="none" src="${esc(item.media.path)}"></${item.media.kind}>`
        : '';
    return `<li>${player}<a href="${esc(item.media.path)}">${esc(item.media.label)}</a> <span class="muted">in <a href="${esc(item.post.href)}">${esc(item.post.title)}</a></span></li>`;
  };
  const main = `<h1>Media</h1>
<p class="meta">${esc(plural(items.length, 'file'))}</p>
${images.length === 0 ? '' : `<h2>Pictures</h2>\n<ul class="gallery">${images.map(figure).join('\n')}</ul>`}
${others.length === 0 ? '' : `<h2>Audio, video and files</h2>\n<ul class="posts">${others.map(other).join('\n')}</ul>`}
${items.length === 0 ? '<p class="muted">No media in these posts.</p>' : ''}`;
  return page({siteTitle, title: 'Media', root: '', main});
}

export function searchPage(siteTitle: string, shardFiles: readonly string[]): string {
  const main = `<h1>Search</h1>
<p><input id="q" type="search" placeholder="Words from posts, tags or people" aria-label="Search posts" autofocus></p>
<p id="status" class="meta" role="status"></p>
<ol id="results" class="posts"></ol>`;
  return page({
    siteTitle,
    title: 'Search',
    root: '',
    main,
    scripts: ['assets/minisearch.js', ...shardFiles, 'assets/search.js'],
  });
}
