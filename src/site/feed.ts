import {esc} from './html.js';
import type {PostSummary} from './templates.js';

/** Feed readers show the recent past: older posts stay in the archive. */
export const FEED_ITEMS = 50;
/**
 * Where the feed's links point when no base URL is given: the address `site serve` serves the site
 * at by default. Feed links must be absolute (the `feed` package refuses relative ones), and the
 * site itself has no address until someone publishes it.
 */
export const DEFAULT_FEED_BASE_URL = 'http://127.0.0.1:8000/';

/**
 * The Atom feed (`feed.xml`) of the latest posts, made by the `feed` package. Titles and summaries
 * are plain text, which the package emits as `type="html"`: they are HTML-escaped first so that a
 * reader shows them as text. `updated` is the newest post's date, not the clock, so that an
 * unchanged site gives the same bytes.
 */
export async function renderFeed(
  siteTitle: string,
  newestFirst: readonly PostSummary[],
  baseUrl: string = DEFAULT_FEED_BASE_URL,
): Promise<string> {
  const {Feed} = await import('feed');
  const base = new URL(baseUrl);
  const at = (href: string): string => new URL(href, base).toString();
  const latest = newestFirst.slice(0, FEED_ITEMS);
  const updated = latest[0] === undefined ? new Date(0) : dateOf(latest[0].date);
  const feed = new Feed({
    id: at('index.html'),
    title: siteTitle,
    link: at('index.html'),
    updated,
    generator: 'egregora',
    feedLinks: {atom: at('feed.xml')},
  });
  for (const post of latest) {
    feed.addItem({
      title: esc(post.title),
      id: at(post.href),
      link: at(post.href),
      date: dateOf(post.date),
      description: esc(post.summary),
      author: post.authors.map((author) => ({name: author.name})),
      category: post.tags.map((tag) => ({name: attributeText(tag.name), term: attributeText(tag.name)})),
    });
  }
  return `${feed.atom1()}\n`;
}

/**
 * The `feed` package writes category names into XML attributes escaping only `&` and `"`: a `<` would
 * make the feed malformed, so angle brackets become their full-width look-alikes there.
 */
function attributeText(text: string): string {
  return text.replaceAll('<', '\uFF1C').replaceAll('>', '\uFF1E');
}

function dateOf(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}
