import * as z from 'zod';
import {PostFrontMatterSchema} from './post.js';

/** A post left out of the site because its front matter does not validate (e.g. after a hand edit). */
export const SkippedPostSchema = z
  .object({
    /** Relative to the output folder: `posts/<name>.md`. */
    file: z.string(),
    /** 1-based line of the file the problem is on; null when no line can be named. */
    line: z.number().int().positive().nullable(),
    problem: z.string(),
  })
  .strict();
export type SkippedPost = z.infer<typeof SkippedPostSchema>;

/** What `buildSite` returns, and what `site build --json` prints. */
export const SiteBuildResultSchema = z
  .object({
    /** Posts on the site (valid front matter). */
    posts: z.number().int().nonnegative(),
    /** HTML pages of the site. */
    pages: z.number().int().nonnegative(),
    /** Files (pages, feed, search index, assets) written by this build because their inputs changed. */
    written: z.number().int().nonnegative(),
    /** Files left as they were: their inputs had not changed. */
    unchanged: z.number().int().nonnegative(),
    /** Files of an earlier build that no longer belong to the site (a post or tag gone), removed. */
    removed: z.number().int().nonnegative(),
    skipped: z.array(SkippedPostSchema),
    /** Absolute path of the home page. */
    indexPath: z.string(),
    /** Things that did not stop the build, e.g. the chat's figures could not be read. */
    notes: z.array(z.string()),
  })
  .strict();
export type SiteBuildResultOutput = z.infer<typeof SiteBuildResultSchema>;

/** What the manifest remembers of a post file, keyed by the hash of its bytes. */
export const ManifestSourceSchema = z.object({
  hash: z.string(),
  /** Size and modification time when hashed: a file with both unchanged is not read again. */
  size: z.number(),
  mtimeMs: z.number(),
  /**
   * A hash of what the rest of the site takes from the post (its front matter, its media, its
   * problem): when an edit leaves it unchanged, only the post's own page and search shard change.
   */
  meta: z.string(),
  /** Non-null: the front matter did not validate, and why. */
  problem: SkippedPostSchema.omit({file: true}).nullable(),
});
export type ManifestSource = z.infer<typeof ManifestSourceSchema>;

/**
 * `.egregora-site.json` in the output folder: what the last build read and wrote, so that the next
 * one rewrites only files whose inputs changed. Damaged or of another version: ignored, and the
 * whole site is rendered again. Small on purpose (it is read and written by every build): the posts'
 * front matter lives in `PostStoreSchema`'s file, read only when more than post bodies changed.
 */
export const SiteManifestSchema = z.object({
  version: z.literal(3),
  /** Inputs key of every file the site is made of, by path relative to the output folder. */
  files: z.record(z.string(), z.string()),
  /** Every post file, valid ones in the site's order (oldest first), then the invalid ones. */
  sources: z.record(z.string(), ManifestSourceSchema),
  /**
   * A hash of every input of the site other than the post bodies (format, title, feed address, chat
   * figures, media on disk, assets, each post's `meta` in order); '' when not known.
   */
  site: z.string(),
  /** File names (without `.html`) of each tag's and each pseudonym's page. */
  names: z.object({tags: z.record(z.string(), z.string()), people: z.record(z.string(), z.string())}),
  /** The dates of the first and the last post (null: no post), for the chat's figures. */
  dates: z.object({first: z.string().nullable(), last: z.string().nullable()}),
});
export type SiteManifest = z.infer<typeof SiteManifestSchema>;

/** A post's front matter and media as the last build read them (null front matter: invalid). */
export const StoredPostSchema = z.object({
  /** The `meta` of the manifest's entry this was made with: a mismatch means it is out of date. */
  meta: z.string(),
  frontMatter: PostFrontMatterSchema.nullable(),
  media: z.array(
    z.object({
      path: z.string(),
      kind: z.enum(['image', 'audio', 'video', 'file']),
      label: z.string(),
    }),
  ),
});
export type StoredPost = z.infer<typeof StoredPostSchema>;

/** `.egregora-site-posts.json`: every post's `StoredPostSchema`, by post file. */
export const PostStoreSchema = z.object({
  version: z.literal(3),
  posts: z.record(z.string(), StoredPostSchema),
});
export type PostStore = z.infer<typeof PostStoreSchema>;

/** A post's search document (`src/site/search-index.ts`), without its place in the shard. */
export const CachedSearchDocumentSchema = z.object({
  title: z.string(),
  tags: z.string(),
  authors: z.string(),
  summary: z.string(),
  text: z.string(),
  date: z.string(),
  url: z.string(),
});

/**
 * A search shard's text cache (`.egregora-site-text/index-NNN.json`): the search document of each
 * of the shard's posts, with the hash of the post file it was made from, so that one edited post
 * re-indexes its shard without reading and rendering the others again. `format` is the renderer's
 * `SITE_FORMAT_VERSION`.
 */
export const SearchTextCacheSchema = z.object({
  format: z.number().int(),
  posts: z.record(z.string(), z.object({hash: z.string(), document: CachedSearchDocumentSchema})),
});
export type CachedSearchDocument = z.infer<typeof CachedSearchDocumentSchema>;
export type SearchTextCache = z.infer<typeof SearchTextCacheSchema>;

/** `site serve --json`: one line once the server listens. */
export const SiteServeOutputSchema = z.object({url: z.string(), root: z.string()}).strict();
export type SiteServeOutput = z.infer<typeof SiteServeOutputSchema>;
