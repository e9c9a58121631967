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
