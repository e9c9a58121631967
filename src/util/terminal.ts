/**
 * Whether to colour output written to a stream: only on a TTY, never with NO_COLOR (any value,
 * per no-color.org), never with TERM=dumb; FORCE_COLOR (not "0") forces it for tests and pagers.
 */
export function shouldColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Terminal width for layout, with a sane default when piped. */
export function terminalColumns(stream: NodeJS.WriteStream): number {
  const DEFAULT_COLUMNS = 120;
  return stream.isTTY && stream.columns ? stream.columns : DEFAULT_COLUMNS;
}

/** Every C0 control, DEL and every C1 control: what a terminal may act on instead of printing. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** The same without LF, for texts whose lines are ours to keep (a stored error, a listing). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {'\t': '\\t', '\n': '\\n', '\r': '\\r'};

function escapeControl(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Text that came from a chat or an archive (entry and file names, authors, stored errors), made safe
 * to print on a terminal: each control character is written out as `\u001b`, `\u009b`, `\n`… (the
 * escapes JSON uses, so names quoted with JSON.stringify read the same), so a crafted name can neither
 * colour, move the cursor nor retitle the window, and the reader still sees that something is there.
 * `lines: 'keep'` leaves LF alone, for multi-line texts.
 */
export function visibleControls(text: string, lines: 'escape' | 'keep' = 'escape'): string {
  return text.replace(lines === 'keep' ? CONTROL_BUT_LF : CONTROL, escapeControl);
}
