import type {ChatMessage} from '../../../schemas/message.js';

/**
 * WhatsApp appends a marker such as ` <This message was edited>` (localized, sometimes after U+200E)
 * to edited messages. The parser keeps it in the text; the digest shows "edited" its own way, and the
 * marker's words must not become topics.
 */
const EDITED_MARKER = /\s*\u200e?<[^<>\n]+>\s*$/u;

/** The message's text as a reader should see it: without the edited marker. */
export function readableText(message: Pick<ChatMessage, 'edited' | 'text'>): string {
  return message.edited ? message.text.replace(EDITED_MARKER, '') : message.text;
}

/** About a hundred words: a quote that long still reads as a quote, not as the whole conversation. */
export const QUOTE_MAX_LENGTH = 600;

const graphemes = new Intl.Segmenter('en', {granularity: 'grapheme'});

/**
 * The text cut to at most `QUOTE_MAX_LENGTH` UTF-16 units at a grapheme boundary (an emoji with its
 * modifiers or a letter with its accents stays whole), with `…` when something was cut.
 */
export function excerpt(text: string): string {
  if (text.length <= QUOTE_MAX_LENGTH) return text;
  let end = 0;
  for (const {segment} of graphemes.segment(text)) {
    if (end + segment.length > QUOTE_MAX_LENGTH - 1) break;
    end += segment.length;
  }
  return `${text.slice(0, end).trimEnd()}…`;
}
