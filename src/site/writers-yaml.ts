/**
 * A strict reader for the small YAML subset the writers emit (`src/writers/digest/yaml.ts`): one key
 * per line from the post schema's keys, each a double-quoted string, a non-negative integer, `[]`,
 * `{}`, a block sequence of quoted strings or integers indented by two spaces, or (for `part`) a
 * block mapping of such scalars. The YAML library takes about a millisecond per post, most of a
 * full render's front-matter time (docs/BENCHMARKS.md); this takes microseconds.
 *
 * It either returns exactly what the library would (`parseDocument(text).toJS()`), or `undefined`
 * when the text leaves the subset in any way (a comment, a tab, a plain scalar, an escape the writers
 * never write, an unknown or repeated key, a line ending in `\r`, ...): the caller then reads it with
 * the library, which also names the line of any problem. Nothing here guesses: the test compares the
 * two on generated and hostile inputs (test/site/writers-yaml.test.ts).
 */
export function parseWritersYaml(text: string): Record<string, unknown> | undefined {
  if (text === '' || !text.endsWith('\n') || text.includes('\r')) return undefined;
  const lines = text.split('\n');
  lines.pop(); // the empty string after the last newline
  const result: Record<string, unknown> = {};
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const key = line.slice(0, colon);
    if (!TOP_KEYS.has(key) || Object.hasOwn(result, key)) return undefined;
    index += 1;
    if (colon === line.length - 1) {
      // A block collection on the lines below: a sequence (`  - x`) or a mapping (`  key: x`).
      const first = lines[index];
      if (first === undefined) return undefined;
      if (first.startsWith(ITEM)) {
        const items: unknown[] = [];
        while (index < lines.length && (lines[index] as string).startsWith(ITEM)) {
          const item = scalar((lines[index] as string).slice(ITEM.length));
          if (item === undefined) return undefined;
          items.push(item);
          index += 1;
        }
        result[key] = items;
      } else {
        const nestedKeys = NESTED_KEYS[key];
        if (nestedKeys === undefined) return undefined;
        const mapping: Record<string, unknown> = {};
        let count = 0;
        while (index < lines.length && (lines[index] as string).startsWith(INDENT)) {
          const nested = (lines[index] as string).slice(INDENT.length);
          const nestedColon = nested.indexOf(': ');
          if (nestedColon <= 0) return undefined;
          const nestedKey = nested.slice(0, nestedColon);
          if (!nestedKeys.has(nestedKey) || Object.hasOwn(mapping, nestedKey)) return undefined;
          const value = scalar(nested.slice(nestedColon + 2));
          if (value === undefined) return undefined;
          mapping[nestedKey] = value;
          count += 1;
          index += 1;
        }
        if (count === 0) return undefined;
        result[key] = mapping;
      }
      continue;
    }
    if (line.charCodeAt(colon + 1) !== SPACE) return undefined;
    const valueText = line.slice(colon + 2);
    if (valueText === '[]') result[key] = [];
    else if (valueText === '{}') result[key] = {};
    else {
      const value = scalar(valueText);
      if (value === undefined) return undefined;
      result[key] = value;
    }
  }
  return result;
}

/** The keys of the post schema (schemas/post.ts): any other key goes to the library. */
const TOP_KEYS: ReadonlySet<string> = new Set([
  'title',
  'slug',
  'date',
  'tags',
  'summary',
  'authors',
  'window',
  'part',
]);
const NESTED_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {part: new Set(['index', 'count'])};
const INDENT = '  ';
const ITEM = '  - ';
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/**
 * Integers the library reads as the same JS number: no sign, no leading zero, and few enough digits
 * to stay exact (a longer one goes to the library, and the schema decides).
 */
const INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;

/** A whole value: a double-quoted string ending the line, or an integer; else `undefined`. */
function scalar(text: string): string | number | undefined {
  if (text.charCodeAt(0) === QUOTE) return quoted(text);
  return INTEGER.test(text) ? Number(text) : undefined;
}

/** The escapes the writers write (`quoteYamlString`), and what each one stands for. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  '"': '"',
  '\\': '\\',
  N: '\u0085',
  L: '\u2028',
  P: '\u2029',
};
const HEX4 = /^[0-9A-Fa-f]{4}$/;

/**
 * A double-quoted string that must end the line. Characters the writers always escape (controls,
 * DEL and C1, the BOM, U+FFFE/U+FFFF, the line separators, lone surrogates) make it `undefined`
 * when they appear raw, as does any escape outside the writers' set.
 */
function quoted(text: string): string | undefined {
  let out = '';
  let start = 1;
  let position = 1;
  while (position < text.length) {
    const code = text.charCodeAt(position);
    if (code === QUOTE) {
      if (position !== text.length - 1) return undefined;
      return out + text.slice(start, position);
    }
    if (code === BACKSLASH) {
      out += text.slice(start, position);
      const escaped = text[position + 1];
      if (escaped === undefined) return undefined;
      if (escaped === 'u') {
        const hex = text.slice(position + 2, position + 6);
        if (!HEX4.test(hex)) return undefined;
        const value = Number.parseInt(hex, 16);
        if (value >= 0xd800 && value <= 0xdfff) return undefined;
        out += String.fromCharCode(value);
        position += 6;
      } else {
        const replacement = ESCAPES[escaped];
        if (replacement === undefined) return undefined;
        out += replacement;
        position += 2;
      }
      start = position;
      continue;
    }
    if (isAlwaysEscaped(code)) return undefined;
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = text.charCodeAt(position + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return undefined;
      position += 2;
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return undefined;
    position += 1;
  }
  return undefined; // no closing quote on this line
}

function isAlwaysEscaped(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0xfeff ||
    code === 0xfffe ||
    code === 0xffff
  );
}
