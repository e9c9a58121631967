/**
 * Bounds of the runs commands' numeric flags. A table longer than a thousand rows is no longer
 * read by a person, and `--json` consumers that need more should page with --since/--until;
 * the bound also keeps one read session short so a concurrent writer is never starved.
 */
export const MAX_ROWS = 1000;
export const DEFAULT_TAIL_ROWS = 10;
export const DEFAULT_LIST_ROWS = 50;
