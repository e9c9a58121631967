import * as z from 'zod';

/** Most tags kept on a post: more than six stop being a summary of its topics. */
export const MAX_TAGS = 6;
const TITLE_MAX_CHARS = 120;
const SUMMARY_MAX_CHARS = 400;
const TAG_MAX_CHARS = 40;
/** A post of more than ~15k words is not one post; such a reply is a model that lost its way. */
const BODY_MAX_CHARS = 100_000;

/** What the model is asked to reply: checked with zod, and sent as `response_format` where accepted. */
export const LlmReplySchema = z
  .object({
    title: z
      .string()
      .trim()
      .min(1)
      .max(TITLE_MAX_CHARS * 2),
    summary: z
      .string()
      .trim()
      .min(1)
      .max(SUMMARY_MAX_CHARS * 2),
    tags: z.array(z.string()).max(MAX_TAGS * 4),
    body: z.string().trim().min(1).max(BODY_MAX_CHARS),
  })
  .strict();
export type LlmReply = z.infer<typeof LlmReplySchema>;

/** The JSON Schema of the reply, for servers that constrain their output to one (`strict` needs every key listed). */
export const REPLY_JSON_SCHEMA = {
  type: 'object',
  properties: {
    title: {type: 'string'},
    summary: {type: 'string'},
    tags: {type: 'array', items: {type: 'string'}},
    body: {type: 'string'},
  },
  required: ['title', 'summary', 'tags', 'body'],
  additionalProperties: false,
} as const;

export type ReplyCheck =
  | {readonly ok: true; readonly reply: LlmReply}
  | {readonly ok: false; readonly problem: string};

/**
 * Reads a model's reply: the JSON object (also when wrapped in a ``` fence or a sentence, as small
 * models do), validated, tidied (one-line title and summary, short lowercase unique tags), and
 * refused when it names a real person of the chat.
 */
export function checkReply(content: string, guard: RealNameGuard): ReplyCheck {
  const json = extractJson(content);
  if (json === undefined) return {ok: false, problem: 'it is not a JSON object'};
  const parsed = LlmReplySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'the object';
    return {ok: false, problem: `${where} ${issue?.message ?? 'is invalid'}`};
  }
  const reply = tidy(parsed.data);
  for (const field of ['title', 'summary', 'body'] as const) {
    if (reply[field] === '')
      return {ok: false, problem: `"${field}" is empty once control characters are removed`};
  }
  if (reply.tags.length === 0 && parsed.data.tags.length > 0)
    return {ok: false, problem: '"tags" holds no usable tag'};
  // Tags are checked as the model wrote them too: tidying lowercases them, and "Maria Silva" as a tag
  // would be published as "maria silva".
  const named =
    guard.find([reply.title, reply.summary, reply.body, ...parsed.data.tags].join('\n')) ??
    guard.findIgnoringCase(reply.tags.join('\n'));
  // The name itself is not repeated: this text is stored in the run and sent back to the model.
  if (named)
    return {ok: false, problem: 'it contains a real name of a person in the chat; use the pseudonyms only'};
  return {ok: true, reply};
}

function extractJson(content: string): unknown {
  const attempts = [content.trim()];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(content);
  if (fenced?.[1]) attempts.push(fenced[1].trim());
  const first = content.indexOf('{');
  const last = content.lastIndexOf('}');
  if (first >= 0 && last > first) attempts.push(content.slice(first, last + 1));
  for (const text of attempts) {
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
    } catch {
      // Try the next reading.
    }
  }
  return undefined;
}

/** Control characters other than tab and line breaks: never kept in what a post shows. */
const CONTROL = /(?![\t\n\r])\p{Cc}/gu;

function oneLine(text: string, max: number): string {
  const line = text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function tidy(reply: LlmReply): LlmReply {
  const tags: string[] = [];
  for (const tag of reply.tags) {
    const clean = oneLine(tag, TAG_MAX_CHARS).toLowerCase().replace(/^#+/, '').trim();
    if (clean !== '' && !tags.includes(clean)) tags.push(clean);
    if (tags.length === MAX_TAGS) break;
  }
  return {
    title: oneLine(reply.title, TITLE_MAX_CHARS),
    summary: oneLine(reply.summary, SUMMARY_MAX_CHARS),
    tags,
    body: reply.body.replace(CONTROL, '').replace(/\r\n?/g, '\n').trim(),
  };
}

/**
 * Names shorter than this are not looked for: a two-letter name ("Jo") matches ordinary words. The
 * anonymizer scrubs names from the same length on, so a shorter one never reached the model anyway.
 */
const MIN_NAME_CHARS = 3;

/**
 * Finds the real names of a chat's people in text: whole words, case as printed, as the anonymizer
 * matches them. Full names only: a given name alone ("Will", "Rose") is too often an ordinary word.
 */
export class RealNameGuard {
  private readonly pattern: RegExp | null;
  private readonly caseless: RegExp | null;

  constructor(names: Iterable<string>) {
    const forms = new Set<string>();
    for (const name of names) {
      const trimmed = name.replace(CONTROL, '').trim();
      if ([...trimmed].length >= MIN_NAME_CHARS) forms.add(trimmed);
    }
    const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    const source = `(?<![\\p{L}\\p{N}\\p{M}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}\\p{M}_])`;
    this.pattern = alternatives.length === 0 ? null : new RegExp(source, 'u');
    this.caseless = alternatives.length === 0 ? null : new RegExp(source, 'iu');
  }

  /** The first real name found in the text, or null. */
  find(text: string): string | null {
    return this.pattern?.exec(text)?.[0] ?? null;
  }

  /** `find` for text whose case was changed (tags are lowercased). */
  findIgnoringCase(text: string): string | null {
    return this.caseless?.exec(text)?.[0] ?? null;
  }

  /** The text with every real name replaced by `[name]`: what may be sent back in a repair request. */
  redact(text: string): string {
    if (this.pattern === null) return text;
    return text.replace(new RegExp(this.pattern.source, 'gu'), '[name]');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
