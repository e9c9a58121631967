/**
 * Window units, bounds and defaults, without zod: command modules offer them as flag options and
 * ranges at start-up, when loading the schema library would slow down every `--help`.
 */
export const WINDOW_UNITS = ['messages', 'hours', 'bytes'] as const;
export type WindowUnit = (typeof WINDOW_UNITS)[number];

const KIB = 1024;
const MIB = 1024 * KIB;

/**
 * The accepted `size` per unit, inclusive. Every limit a user can pass is bounded:
 * - messages: 100,000 is about a year of a very busy group; a bigger window is one unreadable post.
 * - hours: 8,760 is one year; a wider span is better served by a bigger message count.
 * - bytes: below 1 KiB a window holds a handful of lines; 64 MiB is far above any prompt budget and
 *   keeps a single window's text comfortably in memory.
 */
export const WINDOW_SIZE_BOUNDS = {
  messages: {min: 1, max: 100_000},
  hours: {min: 1, max: 8_760},
  bytes: {min: KIB, max: 64 * MIB},
} as const satisfies Record<WindowUnit, {min: number; max: number}>;

/**
 * The accepted overlap, a fraction of `size` added to the end of each window. Above one half,
 * most messages would be processed twice or more, which doubles the cost for little context.
 */
export const WINDOW_OVERLAP_BOUNDS = {min: 0, max: 0.5} as const;

/** 100 messages is a screenful or two of chat: enough context for a post, small enough for any prompt. */
export const DEFAULT_WINDOW_UNIT: WindowUnit = 'messages';
export const DEFAULT_WINDOW_SIZE = 100;
/** No overlap by default: each message is processed once. */
export const DEFAULT_WINDOW_OVERLAP = 0;
