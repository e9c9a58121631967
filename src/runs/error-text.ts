/**
 * Largest error text stored in a run. Enough for a message, a context line and a few causes; small
 * enough that 10,000 failed windows add at most ~40 MB and `runs show` fits on a screen or two.
 */
export const ERROR_TEXT_MAX_CHARS = 4_000;

/** Causes deeper than this are almost always wrappers of wrappers; the first few say what happened. */
export const ERROR_CAUSE_MAX_DEPTH = 5;

/** An AggregateError's first few members are shown; the rest are counted. */
export const AGGREGATE_MAX_MEMBERS = 3;

export interface ErrorTextOptions {
  /** Where it happened, in the caller's words, e.g. `window 3` or `writing posts/2024-01-02.md`. */
  readonly context?: string;
  readonly maxChars?: number;
}

/**
 * The text stored in `runs.error`: `Type: message` first, then what helps to act on it (the context,
 * system error details, the `cause` chain), bounded with a visible truncation marker. Never a stack
 * trace: stacks point into our code, not at what the user can fix, and they bloat every row.
 */
export function formatErrorText(error: unknown, options: ErrorTextOptions = {}): string {
  const lines = [headline(error)];
  if (options.context) lines.push(`context: ${oneLine(options.context)}`);
  lines.push(...details(error, '  '));
  const seen = new Set<unknown>([error]);
  let cause = causeOf(error);
  for (let depth = 1; cause !== undefined; depth += 1) {
    if (seen.has(cause)) {
      lines.push('caused by: (a cycle back to an earlier error)');
      break;
    }
    if (depth > ERROR_CAUSE_MAX_DEPTH) {
      lines.push(`caused by: … (${chainLength(cause, seen)} more)`);
      break;
    }
    seen.add(cause);
    lines.push(`caused by: ${headline(cause)}`, ...details(cause, '  '));
    cause = causeOf(cause);
  }
  return truncateText(lines.join('\n'), options.maxChars ?? ERROR_TEXT_MAX_CHARS);
}

/** Cuts `text` to at most `maxChars`, ending with `… [truncated N characters]` when anything was cut. */
export function truncateText(text: string, maxChars: number = ERROR_TEXT_MAX_CHARS): string {
  if (text.length <= maxChars) return text;
  // The marker's own length depends on N, which depends on how much room the marker takes: settle it.
  let removed = text.length - maxChars;
  for (;;) {
    const marker = `… [truncated ${removed} characters]`;
    const keep = Math.max(0, maxChars - marker.length);
    const actuallyRemoved = text.length - keep;
    if (actuallyRemoved === removed) return text.slice(0, keep) + marker;
    removed = actuallyRemoved;
  }
}

function headline(error: unknown): string {
  if (error instanceof Error) {
    const message = error.message.trim();
    return message === '' ? typeName(error) : `${typeName(error)}: ${message}`;
  }
  if (typeof error === 'string') return error.trim() === '' ? 'Error: (empty message)' : error;
  if (error === null || error === undefined) return `NonError: ${String(error)} was thrown`;
  if (typeof error === 'object') return `NonError: ${safeJson(error)}`;
  return `NonError: ${typeof error} ${String(error)}`;
}

function typeName(error: Error): string {
  // Subclasses often forget to set `name`; their constructor's name is then the better type.
  const constructorName = (error as {constructor?: {name?: unknown}}).constructor?.name;
  if (error.name === 'Error' && typeof constructorName === 'string' && constructorName !== '') {
    return constructorName;
  }
  return error.name || 'Error';
}

/** System error fields (code, syscall, path) and AggregateError members: what the user can act on. */
function details(error: unknown, indent: string): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const out: string[] = [];
  const system = error as Partial<NodeJS.ErrnoException> & {dest?: unknown};
  const parts: string[] = [];
  if (typeof system.code === 'string' || typeof system.code === 'number') parts.push(`code ${system.code}`);
  if (typeof system.syscall === 'string') parts.push(`syscall ${system.syscall}`);
  if (typeof system.path === 'string') parts.push(`path ${system.path}`);
  if (typeof system.dest === 'string') parts.push(`dest ${system.dest}`);
  if (parts.length > 0) out.push(`${indent}(${parts.join(', ')})`);
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    const members = error.errors as unknown[];
    for (const member of members.slice(0, AGGREGATE_MAX_MEMBERS)) out.push(`${indent}- ${headline(member)}`);
    if (members.length > AGGREGATE_MAX_MEMBERS) {
      out.push(`${indent}- … and ${members.length - AGGREGATE_MAX_MEMBERS} more`);
    }
  }
  return out;
}

function causeOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || !('cause' in error)) return undefined;
  return (error as {cause?: unknown}).cause;
}

function chainLength(start: unknown, seen: Set<unknown>): number {
  let count = 0;
  const local = new Set(seen);
  for (let current = start; current !== undefined && !local.has(current); current = causeOf(current)) {
    local.add(current);
    count += 1;
  }
  return count;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
