import * as z from 'zod';

export const MessageKindSchema = z.enum(['message', 'system', 'media', 'deleted', 'poll', 'location']);
export type MessageKind = z.infer<typeof MessageKindSchema>;

/**
 * One chat message as the parser reads it. Hot paths build plain objects of this type without
 * validating each one; the schema is the contract at the boundaries (tests, JSON, storage reads).
 */
export const ChatMessageSchema = z.object({
  /** 0-based position of the record in the chat file. */
  position: z.number().int().nonnegative(),
  /** Wall-clock time as printed: `YYYY-MM-DDTHH:MM:SS`, no zone. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
  /** The UTC instant in epoch milliseconds, from `date` read in the chosen time zone. */
  instantMs: z.number().int(),
  /** The author as printed (or, after anonymization, the pseudonym); null for system events. */
  author: z.string().nullable(),
  text: z.string(),
  kind: MessageKindSchema,
  edited: z.boolean(),
  /** The attachment's file name when the message carries one. */
  attachment: z.string().nullable(),
  /** Whether the archive holds the attachment's file (false when there is no attachment). */
  attachmentPresent: z.boolean(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** The exact line `parse --json` prints per message (reading rules of WHATSAPP_FORMATS.md). */
export const ParseJsonLineSchema = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
    author: z.string().nullable(),
    text: z.string(),
    kind: MessageKindSchema,
    edited: z.boolean(),
    attachment: z.string().nullable(),
  })
  .strict();
export type ParseJsonLine = z.infer<typeof ParseJsonLineSchema>;
