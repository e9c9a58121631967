import * as z from 'zod';

/**
 * The effective configuration of a `process` run: everything that changes what a window's post
 * looks like. Its canonical JSON hash is every window run's `config_hash`, so changing any of these
 * re-processes the windows, and changing anything else (output folder, concurrency) does not.
 */
export const EffectiveConfigSchema = z
  .object({
    windowUnit: z.enum(['messages', 'hours', 'bytes']),
    windowSize: z.number().positive(),
    overlap: z.number().min(0).max(0.5),
    maxWindowTokens: z.number().int().positive(),
    writer: z.string().min(1),
    timezone: z.string().min(1),
    /**
     * Only with the LLM writer (so the digest's hashes stay as they were): the model, the prompt
     * template's hash and the user's instructions. The URL, timeout and key are not here: a model
     * served elsewhere writes the same posts, and a secret never enters a hash.
     */
    llm: z
      .object({
        model: z.string().min(1),
        prompt: z.string().regex(/^sha256:[0-9a-f]{64}$/),
        instructions: z.string(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type EffectiveConfig = z.infer<typeof EffectiveConfigSchema>;

export const FailedWindowSchema = z
  .object({
    window: z.number().int().nonnegative(),
    stage: z.string(),
    run_id: z.string().uuid(),
    error: z.string(),
  })
  .strict();

export const PlannedWindowSchema = z
  .object({
    window: z.number().int().nonnegative(),
    first_date: z.string(),
    last_date: z.string(),
    messages: z.number().int().nonnegative(),
    fingerprint: z.string(),
    action: z.enum(['process', 'skip', 'split']),
    parts: z.number().int().positive(),
    /** With a writer that calls a model: the estimated prompt tokens of its requests (0 when skipped). */
    estimated_prompt_tokens: z.number().int().nonnegative().optional(),
    /** With a writer that calls a model: whether every part's reply is already cached (no request needed). */
    cached: z.boolean().optional(),
  })
  .strict();
export type PlannedWindow = z.infer<typeof PlannedWindowSchema>;

/** The `--json` output of `process` (also what the human summary is rendered from). */
export const ProcessSummarySchema = z
  .object({
    input: z.string(),
    output_dir: z.string(),
    state_dir: z.string(),
    dry_run: z.boolean(),
    outcome: z.enum(['completed', 'failed', 'cancelled', 'planned', 'budget_reached']),
    exit_code: z.number().int(),
    config_hash: z.string(),
    /** This invocation's own run (stage `process`); null in a dry run or when runs are not recorded. */
    process_run_id: z.string().uuid().nullable(),
    /** `runs retry`: the process run whose failed windows this invocation re-did; else null. */
    retry_of: z.string().uuid().nullable(),
    ingest: z
      .object({
        run_id: z.string().uuid().nullable(),
        reused: z.boolean(),
        chat_entry: z.string(),
        messages: z.number().int().nonnegative(),
        authors: z.number().int().nonnegative(),
      })
      .strict(),
    windows: z
      .object({
        total: z.number().int().nonnegative(),
        processed: z.number().int().nonnegative(),
        skipped: z.number().int().nonnegative(),
        failed: z.number().int().nonnegative(),
        cancelled: z.number().int().nonnegative(),
        degraded: z.number().int().nonnegative(),
        split: z.number().int().nonnegative(),
      })
      .strict(),
    /** Requests and tokens of this invocation's windows (0 with the offline digest). */
    llm: z
      .object({
        model: z.string().nullable(),
        calls: z.number().int().nonnegative(),
        tokens: z.number().int().nonnegative(),
        prompt_tokens: z.number().int().nonnegative(),
        completion_tokens: z.number().int().nonnegative(),
        retries: z.number().int().nonnegative(),
        repairs: z.number().int().nonnegative(),
        cache_hits: z.number().int().nonnegative(),
        fallbacks: z.number().int().nonnegative(),
        /** `--dry-run`: the estimated prompt tokens of the windows that would be sent. */
        estimated_prompt_tokens: z.number().int().nonnegative().nullable(),
      })
      .strict(),
    /** `--max-tokens`: the budget, and the windows it left for the next run. Null without the flag. */
    budget: z
      .object({
        max_tokens: z.number().int().positive(),
        spent: z.number().int().nonnegative(),
        reached: z.boolean(),
        windows_left: z.number().int().nonnegative(),
      })
      .strict()
      .nullable(),
    /** The HTML site rendered at the end (its own run, stage `site`); null with --no-html or a dry run. */
    site: z
      .object({
        run_id: z.string().uuid(),
        posts: z.number().int().nonnegative(),
        pages: z.number().int().nonnegative(),
        written: z.number().int().nonnegative(),
        unchanged: z.number().int().nonnegative(),
        skipped: z.array(
          z.object({file: z.string(), line: z.number().int().nullable(), problem: z.string()}).strict(),
        ),
        index_path: z.string(),
      })
      .strict()
      .nullable(),
    posts_written: z.number().int().nonnegative(),
    /**
     * Posts earlier runs wrote for windows whose post is now another file (the window's messages or
     * title changed): removed, or kept because they were edited since. Paths relative to output_dir.
     */
    superseded_posts: z.object({removed: z.array(z.string()), kept_edited: z.array(z.string())}).strict(),
    media_written: z.number().int().nonnegative(),
    failed_windows: z.array(FailedWindowSchema),
    plan: z.array(PlannedWindowSchema).optional(),
    duration_seconds: z.number().nonnegative(),
    tracking: z
      .object({
        recorded: z.boolean(),
        db_path: z.string(),
        warning: z.string().nullable(),
      })
      .strict(),
  })
  .strict();
export type ProcessSummary = z.infer<typeof ProcessSummarySchema>;
