/**
 * The run statuses, without zod, so that command modules (loaded for every `--help`) can offer
 * them as flag options without paying for the schema library at start-up.
 */
export const RUN_STATUSES = ['running', 'completed', 'failed', 'degraded', 'cancelled', 'crashed'] as const;
export type RunStatusName = (typeof RUN_STATUSES)[number];
