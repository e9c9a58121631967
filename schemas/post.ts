import * as z from 'zod';
import {WindowPartSchema} from './window.js';

/** Lowercase ASCII words joined by single hyphens: safe in a file name and in a URL. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The YAML front matter at the top of every post. Field order here is the order in the file. */
export const PostFrontMatterSchema = z.object({
  title: z.string().min(1),
  slug: z.string().regex(SLUG_PATTERN),
  /** ISO date (`YYYY-MM-DD`, wall clock) of the window's first message. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  tags: z.array(z.string().min(1)),
  /** One line: no line breaks. */
  summary: z.string().regex(/^[^\n\r\u2028\u2029\u0085]*$/),
  /** Pseudonyms, most active first, then by code point. */
  authors: z.array(z.string().min(1)),
  window: z.number().int().nonnegative(),
  part: WindowPartSchema.optional(),
});
export type PostFrontMatter = z.infer<typeof PostFrontMatterSchema>;

/**
 * A relative POSIX path under the output folder: no leading `/`, no backslash, no empty, `.` or `..`
 * segment, so joining it to the output folder can never leave it. Writers are not trusted to get
 * this right (an LLM writer picks names), so the pipeline checks it.
 */
const safeRelativePath = z
  .string()
  .min(1)
  .refine((path) => !path.includes('\\') && !path.includes('\0'), {message: 'path must be POSIX'})
  .refine(
    (path) => path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'),
    {
      message: 'path must be relative and stay inside the output folder',
    },
  );

export const PostRelativePathSchema = safeRelativePath.refine(
  (path) => path.startsWith('posts/') && path.endsWith('.md'),
  {message: 'a post path is posts/<name>.md'},
);

/** `media/<first 16 hex digits of the sha256 of the bytes>.<lowercase extension>`. */
export const MediaRelativePathSchema = z.string().regex(/^media\/[0-9a-f]{16}\.[a-z0-9]{1,10}$/);

export const PostFileSchema = z.object({
  relativePath: PostRelativePathSchema,
  content: z.string(),
  frontMatter: PostFrontMatterSchema,
});
export type PostFile = z.infer<typeof PostFileSchema>;

export const MediaFileSchema = z.object({
  relativePath: MediaRelativePathSchema,
  bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, {
    message: 'bytes must be a Uint8Array',
  }),
});
export type MediaFile = z.infer<typeof MediaFileSchema>;

const count = z.number().int().nonnegative();

/**
 * What an LLM writer spent on one window, kept beside the run (`run_llm_usage`): `llm_calls` is
 * `requests`, `tokens` is prompt + completion tokens, as the server reported them.
 */
export const LlmUsageSchema = z
  .object({
    model: z.string().min(1),
    /** Chat-completion requests sent: first attempts, retries and repairs. */
    requests: count,
    /** Requests that repeated a failed one (timeouts, 429, 5xx, lost connections). */
    retries: count,
    /** Follow-up requests asking the model to fix a reply that did not validate. */
    repairs: count,
    /** Replies taken from the cache instead of the server. */
    cacheHits: count,
    promptTokens: count,
    completionTokens: count,
    /** The reply could not be used and the digest writer wrote the post instead. */
    fallback: z.boolean(),
  })
  .strict();
export type LlmUsage = z.infer<typeof LlmUsageSchema>;

/** What a writer returns for one window; the pipeline validates it before writing anything. */
export const WriterOutputSchema = z.object({
  posts: z.array(PostFileSchema),
  media: z.array(MediaFileSchema),
  llmCalls: count,
  tokens: count,
  /** Non-empty: the run finished with a declared shortfall and is recorded as `degraded`. */
  shortfalls: z.array(z.string().min(1)),
  /** The LLM writer's detail of `llmCalls` and `tokens`. */
  llm: LlmUsageSchema.optional(),
});
export type WriterOutput = z.infer<typeof WriterOutputSchema>;
