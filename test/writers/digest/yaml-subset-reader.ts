/**
 * A strict reader for the YAML subset the digest emits, written independently of the emitter to check
 * it: block mappings with plain keys, block sequences of scalars, `[]`/`{}`, double-quoted strings with
 * the full set of YAML escapes, integers/floats, booleans and null. Anything else is an error, including
 * raw characters YAML does not allow inside a double-quoted scalar.
 */
export type ReadValue = string | number | boolean | null | ReadValue[] | {[key: string]: ReadValue};

export function readYamlSubset(text: string): {[key: string]: ReadValue} {
  if (!text.endsWith('\n')) throw new Error('document must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const cursor = {line: 0};
  const mapping = readMapping(lines, cursor, 0);
  if (cursor.line !== lines.length)
    throw new Error(`unexpected line ${cursor.line + 1}: ${lines[cursor.line]}`);
  return mapping;
}

const KEY_LINE = /^( *)([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;

function readMapping(lines: string[], cursor: {line: number}, indent: number): {[key: string]: ReadValue} {
  const mapping: {[key: string]: ReadValue} = {};
  while (cursor.line < lines.length) {
    const line = lines[cursor.line] as string;
    const match = KEY_LINE.exec(line);
    if (match === null)
      throw new Error(`line ${cursor.line + 1} is not a mapping entry: ${JSON.stringify(line)}`);
    const [, spaces = '', key = '', rest] = match;
    if (spaces.length < indent) break;
    if (spaces.length > indent) throw new Error(`line ${cursor.line + 1}: unexpected indentation`);
    if (Object.hasOwn(mapping, key)) throw new Error(`duplicate key ${key}`);
    cursor.line++;
    if (rest !== undefined) {
      mapping[key] = readScalar(rest);
      continue;
    }
    const next = lines[cursor.line] ?? '';
    const itemPrefix = `${' '.repeat(indent + 2)}- `;
    if (next.startsWith(itemPrefix)) {
      const items: ReadValue[] = [];
      while (cursor.line < lines.length && (lines[cursor.line] as string).startsWith(itemPrefix)) {
        items.push(readScalar((lines[cursor.line] as string).slice(itemPrefix.length)));
        cursor.line++;
      }
      mapping[key] = items;
    } else {
      const nested = readMapping(lines, cursor, indent + 2);
      if (Object.keys(nested).length === 0) throw new Error(`key ${key} has no value`);
      mapping[key] = nested;
    }
  }
  return mapping;
}

function readScalar(text: string): ReadValue {
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (text.startsWith('"')) return readDoubleQuoted(text);
  throw new Error(`not a scalar of the subset: ${JSON.stringify(text)}`);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPES: Readonly<Record<string, number>> = {x: 2, u: 4, U: 8};

function readDoubleQuoted(text: string): string {
  let out = '';
  let i = 1;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '"') {
      if (i !== text.length - 1) throw new Error(`text after the closing quote: ${JSON.stringify(text)}`);
      return out;
    }
    if (char === '\\') {
      const code = text[i + 1] ?? '';
      const simple = SIMPLE_ESCAPES[code];
      const hexLength = HEX_ESCAPES[code];
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (hexLength !== undefined) {
        const hex = text.slice(i + 2, i + 2 + hexLength);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength) throw new Error(`bad escape in ${text}`);
        const codePoint = Number.parseInt(hex, 16);
        if (codePoint >= 0xd800 && codePoint <= 0xdfff) throw new Error('escaped surrogate');
        out += String.fromCodePoint(codePoint);
        i += 2 + hexLength;
      } else {
        throw new Error(`unknown escape \\${code}`);
      }
      continue;
    }
    const codePoint = text.codePointAt(i) as number;
    if (!isYamlPrintable(codePoint))
      throw new Error(`raw non-printable U+${codePoint.toString(16)} in a string`);
    const whole = String.fromCodePoint(codePoint);
    out += whole;
    i += whole.length;
  }
  throw new Error(`unterminated string: ${JSON.stringify(text)}`);
}

/** YAML 1.2 c-printable, minus the characters YAML 1.1 reads as line breaks and the BOM. */
function isYamlPrintable(codePoint: number): boolean {
  return (
    codePoint === 0x09 ||
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xd7ff && codePoint !== 0x2028 && codePoint !== 0x2029) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd && codePoint !== 0xfeff) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}
