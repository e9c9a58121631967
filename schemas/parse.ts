import * as z from 'zod';

/** The header layouts of WhatsApp exports (docs/FORMATS.md, "The line header"). */
export const LayoutNameSchema = z.enum([
  'android-comma',
  'android-no-comma',
  'android-finnish',
  'android-french',
  'android-legacy',
  'android-semicolon',
  'ios',
]);
export type LayoutName = z.infer<typeof LayoutNameSchema>;

export const PlatformSchema = z.enum(['android', 'ios']);
export type Platform = z.infer<typeof PlatformSchema>;

export const DateOrderSchema = z.enum(['DMY', 'MDY', 'YMD']);
export type DateOrder = z.infer<typeof DateOrderSchema>;

/**
 * How the day/month order was decided: from a year-first layout, a part > 12, the dates' movement,
 * the locale (a guess), or as the user asked (`--date-order`).
 */
export const DateOrderBasisSchema = z.enum([
  'year-first',
  'part-over-12',
  'movement',
  'locale-default',
  'override',
]);
export type DateOrderBasis = z.infer<typeof DateOrderBasisSchema>;

const count = z.number().int().nonnegative();
const wallClock = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);

/** A line of the chat named by its number (1 = the first line) and its header as printed. */
export const HeaderAtLineSchema = z
  .object({
    line: z.number().int().positive(),
    /** The header up to where the body starts (no author, no text). */
    header: z.string(),
  })
  .strict();
export type HeaderAtLine = z.infer<typeof HeaderAtLineSchema>;

/** What parsing a chat found, available once the whole chat has been read. */
export const ParseSummarySchema = z
  .object({
    /** The chat file's name (entry name inside a zip, or the text file's path). */
    fileName: z.string(),
    /** Lines read, including continuation lines. */
    lines: count,
    /** Lines before the first header, which belong to no message. */
    skippedLines: count,
    messages: count,
    layout: LayoutNameSchema,
    platform: PlatformSchema,
    dateOrder: DateOrderSchema,
    dateOrderBasis: DateOrderBasisSchema,
    clock: z.enum(['12h', '24h']),
    /**
     * Header lines in a layout other than the file's (a phone that changed its clock, its AM/PM
     * spelling or its locale part-way): each starts a message, read in its own layout.
     */
    layoutChanges: z
      .object({
        /** Header lines read in another layout. */
        lines: count,
        /** How many other layouts those lines are in. */
        layouts: count,
        first: HeaderAtLineSchema.nullable(),
      })
      .strict(),
    /**
     * Lines shaped like a header of a known layout whose date cannot exist under the day/month order
     * in use (day 32, month 13): they continue the previous message, and are counted here so that no
     * header is folded into a message silently.
     */
    headersKeptAsText: z.object({lines: count, first: HeaderAtLineSchema.nullable()}).strict(),
    /** The IANA zone used for `instantMs`. */
    timeZone: z.string(),
    /** Earliest and latest wall-clock dates (records keep file order even when time goes backwards). */
    firstDate: wallClock.nullable(),
    lastDate: wallClock.nullable(),
    /** Distinct authors as printed, in order of first appearance. */
    authors: z.array(z.string()),
    kinds: z.object({
      message: count,
      system: count,
      media: count,
      deleted: count,
      poll: count,
      location: count,
    }),
    attachments: z.object({
      /** Messages naming an attachment file. */
      referenced: count,
      /** Of those, how many the archive holds. */
      present: count,
      /** Names of missing attachments (the first ones only; `missingCount` has them all). */
      missing: z.array(z.string()),
      missingCount: count,
    }),
    /** Bytes of chat text read (after decompression). */
    bytes: count,
    /** `sha256:<hex>` of the chat file's bytes. */
    inputFingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  })
  .strict();
export type ParseSummary = z.infer<typeof ParseSummarySchema>;
