export type YamlScalar = string | number | boolean | null;
export type YamlValue = YamlScalar | readonly YamlScalar[] | YamlMapping;
export interface YamlMapping {
  readonly [key: string]: YamlValue | undefined;
}

/**
 * Emits a block mapping in a deliberately small subset of YAML that every YAML 1.1 and 1.2 reader
 * parses the same way: plain identifier keys in insertion order, strings always double-quoted and
 * escaped, integers and finite numbers, booleans, null, sequences of scalars, nested mappings.
 * Members that are `undefined` are left out. Every line ends with a newline.
 */
export function emitYaml(mapping: YamlMapping): string {
  return emitMapping(mapping, '');
}

const INDENT = '  ';
/** Keys never need quoting and never collide with YAML syntax or JS's integer-key ordering. */
const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

function emitMapping(mapping: YamlMapping, indent: string): string {
  let out = '';
  for (const key of Object.keys(mapping)) {
    const value = mapping[key];
    if (value === undefined) continue;
    if (!KEY_PATTERN.test(key)) throw new TypeError(`YAML key '${key}' is not a plain identifier`);
    if (Array.isArray(value)) {
      out +=
        value.length === 0
          ? `${indent}${key}: []\n`
          : `${indent}${key}:\n${value.map((item: YamlScalar) => `${indent}${INDENT}- ${emitScalar(item)}\n`).join('')}`;
    } else if (isMapping(value)) {
      const body = emitMapping(value, indent + INDENT);
      out += body === '' ? `${indent}${key}: {}\n` : `${indent}${key}:\n${body}`;
    } else {
      out += `${indent}${key}: ${emitScalar(value as YamlScalar)}\n`;
    }
  }
  return out;
}

function isMapping(value: YamlValue): value is YamlMapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function emitScalar(value: YamlScalar): string {
  if (typeof value === 'string') return quoteYamlString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`YAML number must be finite, got ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  throw new TypeError(`not a YAML scalar: ${typeof value}`);
}

/** Printable ASCII other than `"` and `\`: the common case, copied as is. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const NAMED_ESCAPES: Readonly<Record<number, string>> = {
  0: '\\0',
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
  27: '\\e',
  34: '\\"',
  92: '\\\\',
  133: '\\N',
  8232: '\\L',
  8233: '\\P',
};

/**
 * A double-quoted YAML string. Escaped: `"`, `\`, every character outside YAML's printable set
 * (C0 and C1 controls, DEL, U+FFFE/U+FFFF), the line separators YAML 1.1 treats as breaks (U+0085,
 * U+2028, U+2029) and the BOM. A lone surrogate has no YAML spelling at all and becomes U+FFFD.
 */
export function quoteYamlString(text: string): string {
  if (PLAIN_ASCII.test(text)) return `"${text}"`;
  let out = '"';
  for (const char of text) {
    const codePoint = char.codePointAt(0) as number;
    const named = NAMED_ESCAPES[codePoint];
    if (named !== undefined) out += named;
    else if (codePoint >= 0xd800 && codePoint <= 0xdfff) out += '\uFFFD';
    else if (needsEscape(codePoint)) out += `\\u${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

function needsEscape(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0xfeff ||
    codePoint === 0xfffe ||
    codePoint === 0xffff
  );
}
