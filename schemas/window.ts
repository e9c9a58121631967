import * as z from 'zod';
import {ChatMessageSchema} from './message.js';

import {
  DEFAULT_WINDOW_OVERLAP,
  DEFAULT_WINDOW_SIZE,
  DEFAULT_WINDOW_UNIT,
  WINDOW_OVERLAP_BOUNDS,
  WINDOW_SIZE_BOUNDS,
  WINDOW_UNITS,
  type WindowUnit,
} from './window-bounds.js';

export type {WindowUnit};
export {
  DEFAULT_WINDOW_OVERLAP,
  DEFAULT_WINDOW_SIZE,
  DEFAULT_WINDOW_UNIT,
  WINDOW_OVERLAP_BOUNDS,
  WINDOW_SIZE_BOUNDS,
  WINDOW_UNITS,
};
export const WindowUnitSchema = z.enum(WINDOW_UNITS);

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
