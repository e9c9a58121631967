import {z} from 'zod';
import {ChatMessageSchema} from './message.js';

export const WINDOW_UNITS = ['messages', 'hours', 'bytes'] as const;
export const WindowUnitSchema = z.enum(WINDOW_UNITS);
export type WindowUnit = z.infer<typeof WindowUnitSchema>;

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

export const WindowSpecSchema = z
  .object({
    unit: WindowUnitSchema,
    size: z.number().int(),
    overlap: z.number().min(WINDOW_OVERLAP_BOUNDS.min).max(WINDOW_OVERLAP_BOUNDS.max),
  })
  .superRefine((spec, context) => {
    const {min, max} = WINDOW_SIZE_BOUNDS[spec.unit];
    if (spec.size < min || spec.size > max) {
      context.addIssue({
        code: 'custom',
        path: ['size'],
        message: `window size for unit '${spec.unit}' must be between ${min} and ${max}, got ${spec.size}`,
      });
    }
  });
export type WindowSpec = z.infer<typeof WindowSpecSchema>;

export const DEFAULT_WINDOW_SPEC: WindowSpec = {
  unit: DEFAULT_WINDOW_UNIT,
  size: DEFAULT_WINDOW_SIZE,
  overlap: DEFAULT_WINDOW_OVERLAP,
};

/** Which part of a split window this is: 0-based `index` of `count` parts. */
export const WindowPartSchema = z
  .object({
    index: z.number().int().nonnegative(),
    count: z.number().int().min(2),
  })
  .refine((part) => part.index < part.count, {message: 'part index must be below part count'});
export type WindowPart = z.infer<typeof WindowPartSchema>;

const wallClock = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);

/**
 * A run of consecutive messages processed together. `firstDate`/`startMs` describe the first message
 * in file order and `lastDate`/`endMs` the last one; a chat whose clock went backwards can therefore
 * have `endMs < startMs`, exactly as the export says. Hot paths build windows without validating them.
 */
export const WindowSchema = z.object({
  /** 0-based and contiguous over the windows emitted for one chat; split parts share their parent's. */
  index: z.number().int().nonnegative(),
  firstDate: wallClock,
  lastDate: wallClock,
  startMs: z.number().int(),
  endMs: z.number().int(),
  messages: z.array(ChatMessageSchema).min(1),
  /** `sha256:<hex>` of the canonical content: messages (and the part, when split), never identity. */
  fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  part: WindowPartSchema.optional(),
});
export type Window = z.infer<typeof WindowSchema>;
