import {LineCounter, parseDocument} from 'yaml';
import {type PostFrontMatter, PostFrontMatterSchema} from '../../schemas/post.js';
import {parseWritersYaml} from './writers-yaml.js';

export type FrontMatterResult =
  | {readonly ok: true; readonly frontMatter: PostFrontMatter; readonly body: string}
  | {readonly ok: false; readonly line: number | null; readonly problem: string};

const OPENING = /^(?:\uFEFF)?---[ \t]*\r?\n/;
const CLOSING = /^---[ \t]*$/m;

/**
 * Splits a post into its YAML front matter and Markdown body and validates the front matter against
 * the post schema. Posts may have been edited by hand, so every failure says which line (1-based,
 * counted in the whole file) is wrong and why, instead of throwing. `fastPath: false` always uses the
 * YAML library (the tests compare the two).
 */
export function readFrontMatter(
  content: string,
  options: {readonly fastPath?: boolean} = {},
): FrontMatterResult {
  const split = splitFrontMatter(content);
  if (!split.ok) return split;
  const {yamlText, body: afterClosing} = split;
  if (options.fastPath !== false) {
    // The writers' own subset, read without the library; a value the schema refuses goes on to the
    // library below, which reads it the same and names the line.
    const fast = parseWritersYaml(yamlText);
    if (fast !== undefined) {
      const parsed = PostFrontMatterSchema.safeParse(fast);
      if (parsed.success) return {ok: true, frontMatter: parsed.data, body: afterClosing};
    }
  }
  /** Line 1 is the opening `---`; the YAML starts on line 2. */
  const firstYamlLine = 2;
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, {lineCounter, prettyErrors: false, uniqueKeys: true});
  const error = document.errors[0];
  if (error !== undefined) {
    const position = lineCounter.linePos(error.pos[0]);
    return {
      ok: false,
      line: firstYamlLine - 1 + position.line,
      problem: `the front matter is not valid YAML: ${firstSentence(error.message)}`,
    };
  }
  let value: unknown;
  try {
    // Aliases are refused: the writers never emit them, and expanding them is a known way to blow up memory.
    value = document.toJS({maxAliasCount: 0});
  } catch (error) {
    return {
      ok: false,
      line: firstYamlLine,
      problem: `the front matter cannot be read: ${firstSentence(error instanceof Error ? error.message : String(error))}`,
    };
  }
  const parsed = PostFrontMatterSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const issuePath = issue?.path ?? [];
    const node = issuePath.length === 0 ? null : nodeAt(document, issuePath);
    const offset = node?.range?.[0];
    const line = offset === undefined ? firstYamlLine : firstYamlLine - 1 + lineCounter.linePos(offset).line;
    const where = issuePath.length === 0 ? 'front matter' : `'${issuePath.join('.')}'`;
    return {ok: false, line, problem: `${where}: ${issue?.message ?? 'does not match the post schema'}`};
  }
  return {ok: true, frontMatter: parsed.data, body: afterClosing};
}

/** The front matter's YAML text and the Markdown body after it, or why the file has no front matter. */
export function splitFrontMatter(
  content: string,
):
  | {readonly ok: true; readonly yamlText: string; readonly body: string}
  | {readonly ok: false; readonly line: number; readonly problem: string} {
  const opening = OPENING.exec(content);
  if (opening === null) {
    return {ok: false, line: 1, problem: 'the file does not start with a front matter block (a line `---`)'};
  }
  const rest = content.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (closing === null) {
    return {ok: false, line: 1, problem: 'the front matter block opened on line 1 is never closed by `---`'};
  }
  return {
    ok: true,
    yamlText: rest.slice(0, closing.index),
    body: rest.slice(closing.index + closing[0].length).replace(/^\r?\n/, ''),
  };
}

interface RangedNode {
  readonly range?: readonly [number, number, number] | null;
}

/** The YAML node at a path, or the nearest parent that exists (a missing key points at its mapping). */
function nodeAt(
  document: ReturnType<typeof parseDocument>,
  issuePath: readonly PropertyKey[],
): RangedNode | null {
  for (let length = issuePath.length; length > 0; length -= 1) {
    const node = document.getIn(issuePath.slice(0, length) as unknown[], true) as RangedNode | undefined;
    if (node?.range) return node;
  }
  return (document.contents as RangedNode | null) ?? null;
}

function firstSentence(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}
