/**
 * Escaping of chat text for Markdown, so that whatever people wrote shows as text and can never
 * become HTML, a link, an image, a heading, a list, a table or a code block.
 *
 * Everywhere: `&`, `<`, `>` become entities (no raw HTML, no autolinks, no blockquotes), and the ASCII
 * punctuation with inline meaning (`\` `` ` `` `*` `_` `[` `]` `~` `|` `$`) is backslash-escaped.
 * At the start of a line: leading blanks are dropped (four would start a code block), and `#`, `+`,
 * `-`, `=` and the `.`/`)` of an ordered-list number are escaped (headings, lists, setext underlines,
 * thematic breaks). Control characters become U+FFFD.
 */
export function escapeMarkdown(line: string): string {
  return neutralizeLineStart(line.replace(INLINE_SPECIAL, replaceSpecial));
}

/** A single line: line breaks inside become spaces, then `escapeMarkdown`. */
export function escapeMarkdownLine(text: string): string {
  return escapeMarkdown(text.replace(LINE_BREAKS, ' '));
}

/** A multi-line text as a Markdown blockquote, every line escaped. */
export function blockquote(text: string): string {
  return text
    .split(LINE_BREAKS)
    .map((line) => {
      const escaped = escapeMarkdown(line);
      return escaped === '' ? '>' : `> ${escaped}`;
    })
    .join('\n');
}

/** A link target the extractor produced (no spaces, `<` or `>`), as a CommonMark autolink. */
export function autolink(url: string): string {
  return `<${url}>`;
}

const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/gu;
/** Control characters other than tab: `[^\P{Cc}\t]`. */
const INLINE_SPECIAL = /[&<>\\`*_[\]~|$]|[^\P{Cc}\t]/gu;
const ENTITIES: Readonly<Record<string, string>> = {'&': '&amp;', '<': '&lt;', '>': '&gt;'};

function replaceSpecial(char: string): string {
  const entity = ENTITIES[char];
  if (entity !== undefined) return entity;
  return /\p{Cc}/u.test(char) ? '\uFFFD' : `\\${char}`;
}

function neutralizeLineStart(line: string): string {
  const trimmed = line.replace(/^[ \t]+/, '');
  if (/^[#+\-=]/.test(trimmed)) return `\\${trimmed}`;
  return trimmed.replace(/^(\d{1,9})([.)])/, '$1\\$2');
}
