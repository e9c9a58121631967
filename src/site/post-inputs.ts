import {createHash} from 'node:crypto';
import type {PostFrontMatter} from '../../schemas/post.js';
import type {MediaRef} from './markdown.js';
import type {SearchDocument} from './search-index.js';
import type {PostSummary} from './templates.js';

/**
 * What a post page and a search shard are made of, and their inputs keys: one definition for the
 * full build (build.ts) and for the build after body edits (incremental.ts), which must give the
 * same bytes and the same keys.
 */

export const POSTS_DIR = 'posts';

/**
 * Part of every page's inputs key: raise it when templates, styles or page structure change, so that
 * the next build renders every page again instead of keeping pages made by the older code.
 */
export const SITE_FORMAT_VERSION = 1;

/** `posts/<name>.html`, the page of the post file `posts/<name>.md`. */
export function pageFile(name: string): string {
  return `${POSTS_DIR}/${name}.html`;
}

export function summaryOf(
  name: string,
  frontMatter: PostFrontMatter,
  tagFile: (tag: string) => string,
  personFile: (name: string) => string,
): PostSummary {
  return {
    href: `${POSTS_DIR}/${encodeURIComponent(name)}.html`,
    title: frontMatter.title,
    date: frontMatter.date,
    summary: frontMatter.summary,
    tags: unique(frontMatter.tags).map((tag) => ({name: tag, href: `tags/${tagFile(tag)}.html`})),
    authors: unique(frontMatter.authors).map((author) => ({
      name: author,
      href: `people/${personFile(author)}.html`,
    })),
  };
}

/** What a neighbour shows on a post page (previous/next): its link and title. */
export type Neighbour = Pick<PostSummary, 'href' | 'title'>;

export function postPageKey(
  siteTitle: string,
  hash: string,
  frontMatter: PostFrontMatter,
  summary: PostSummary,
  previous: Neighbour | undefined,
  next: Neighbour | undefined,
): string {
  return `inputs:${sha256(
    JSON.stringify([
      SITE_FORMAT_VERSION,
      siteTitle,
      hash,
      frontMatter.window,
      summary.tags,
      summary.authors,
      previous && [previous.href, previous.title],
      next && [next.href, next.title],
    ]),
  )}`;
}

export function renderPostPage(
  templates: typeof import('./templates.js'),
  siteTitle: string,
  frontMatter: PostFrontMatter,
  summary: PostSummary,
  bodyHtml: string,
  previous: Neighbour | undefined,
  next: Neighbour | undefined,
): string {
  const {window, part} = frontMatter;
  const windowLabel = `window ${window + 1}${part === undefined ? '' : `, part ${part.index + 1} of ${part.count}`}`;
  // The page shows a neighbour's link and title only.
  const neighbour = (other: Neighbour | undefined): PostSummary | null =>
    other === undefined ? null : {...other, date: '', summary: '', tags: [], authors: []};
  return templates.postPage({
    siteTitle,
    post: summary,
    bodyHtml,
    windowLabel,
    previous: neighbour(previous),
    next: neighbour(next),
  });
}

export function searchDocument(id: number, summary: PostSummary, text: string): SearchDocument {
  return {
    id,
    title: summary.title,
    tags: summary.tags.map((tag) => tag.name).join(' '),
    authors: summary.authors.map((author) => author.name).join(' '),
    summary: summary.summary,
    text,
    date: summary.date,
    url: summary.href,
  };
}

export function shardKey(shardCount: number, members: ReadonlyArray<{file: string; hash: string}>): string {
  return `inputs:${sha256(JSON.stringify([SITE_FORMAT_VERSION, shardCount, members.map((member) => [member.file, member.hash])]))}`;
}

/** The manifest's `meta` of a post: what the rest of the site takes from it. */
export function metaOf(
  frontMatter: PostFrontMatter | null,
  media: readonly MediaRef[],
  problem: {line: number | null; problem: string} | null,
): string {
  return sha256(JSON.stringify([frontMatter, media, problem])).slice(0, 32);
}

export interface SiteInputs {
  readonly siteTitle: string;
  readonly baseUrl: string | null;
  readonly stats: {readonly messages: number; readonly byAuthor: ReadonlyMap<string, number>} | null;
  readonly mediaOnDisk: ReadonlySet<string>;
  readonly assets: string;
  /** Each post file's `meta`, in the manifest's order. */
  readonly metas: ReadonlyArray<readonly [string, string]>;
}

/** The manifest's `site`: everything besides post bodies that any file of the site is made from. */
export function siteDigest(inputs: SiteInputs): string {
  return sha256(
    JSON.stringify([
      SITE_FORMAT_VERSION,
      inputs.siteTitle,
      inputs.baseUrl,
      inputs.stats === null ? null : [inputs.stats.messages, [...inputs.stats.byAuthor].sort()],
      [...inputs.mediaOnDisk].sort(),
      inputs.assets,
      inputs.metas,
    ]),
  );
}

export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
