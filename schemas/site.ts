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
  /** Null: the front matter did not validate (`problem` says why). */
  frontMatter: PostFrontMatterSchema.nullable(),
  problem: SkippedPostSchema.omit({file: true}).nullable(),
  media: z.array(
    z.object({
      path: z.string(),
      kind: z.enum(['image', 'audio', 'video', 'file']),
      label: z.string(),
    }),
  ),
});

/**
 * `.egregora-site.json` in the output folder: what the last build read and wrote, so that the next
 * one rewrites only files whose inputs changed. Damaged or of another version: ignored, and the
 * whole site is rendered again.
 */
export const SiteManifestSchema = z.object({
  version: z.literal(2),
  /** Inputs key of every file the site is made of, by path relative to the output folder. */
  files: z.record(z.string(), z.string()),
  sources: z.record(z.string(), ManifestSourceSchema),
});
export type SiteManifest = z.infer<typeof SiteManifestSchema>;

/**
 * A search shard's text cache (`.egregora-site-text/index-NNN.json`): the search text of each of the
 * shard's posts, with the hash of the post file it was made from, so that one edited post re-indexes
 * its shard without rendering the others again. `format` is the renderer's `SITE_FORMAT_VERSION`.
 */
export const SearchTextCacheSchema = z.object({
  format: z.number().int(),
  posts: z.record(z.string(), z.object({hash: z.string(), text: z.string()})),
});
export type SearchTextCache = z.infer<typeof SearchTextCacheSchema>;

/** `site serve --json`: one line once the server listens. */
export const SiteServeOutputSchema = z.object({url: z.string(), root: z.string()}).strict();
export type SiteServeOutput = z.infer<typeof SiteServeOutputSchema>;
