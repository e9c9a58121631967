/**
 * JSON text written straight into UTF-8 byte chunks, byte for byte what `JSON.stringify` followed by
 * UTF-8 encoding gives, without building the strings first. A large output (`parse --json` of a chat
 * of a million messages prints 168 MB) spent most of its time in `JSON.stringify` per object, in
 * joining the lines and in encoding the joined text again (docs/BENCHMARKS.md, issue 14).
 */

/** Chunk size: big enough that writing a chunk costs little per byte, small enough to stream. */
export const JSON_CHUNK_BYTES = 1 << 20;

/**
 * The most bytes a JSON string literal of a string of `length` UTF-16 units takes: its two quotes and
 * six bytes per unit (`\u001f`, or an escaped lone surrogate `\udc00`; a character outside the BMP
 * is two units and four bytes, any other unit at most three).
 */
export function maxJsonStringBytes(length: number): number {
  return 2 + 6 * length;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LOWER_U = 0x75;
const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
/**
 * For each ASCII code, what JSON.stringify writes after a backslash for it (the short escapes of
 * ECMA-262's QuoteJSONString), `u` for the other control characters (`\u00XX`), 0 for none.
 */
const ASCII_ESCAPES = (() => {
  const table = new Uint8Array(0x80);
  for (let code = 0; code < 0x20; code += 1) table[code] = LOWER_U;
  const short: Record<number, string> = {8: 'b', 9: 't', 10: 'n', 12: 'f', 13: 'r', 34: '"', 92: '\\'};
  for (const [code, letter] of Object.entries(short)) table[Number(code)] = letter.charCodeAt(0);
  return table;
})();

/** A string's bytes when every character is ASCII (constant parts of a JSON text). */
export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) throw new RangeError(`asciiBytes: ${JSON.stringify(text)} is not ASCII`);
    bytes[index] = code;
  }
  return bytes;
}

/**
 * Appends JSON to a series of byte chunks. The caller reserves room for what it is about to write
 * (`reserve`), then writes without further checks; a chunk is finished when the next reservation
 * does not fit in it. Finished chunks are new buffers each time, never reused, so a stream may keep
 * them queued as long as it needs.
 */
export class JsonByteChunks {
  private chunk: Buffer;
  private at = 0;
  private finished: Buffer[] = [];

  constructor(private readonly chunkBytes: number = JSON_CHUNK_BYTES) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
  }

  /** Makes room for `bytes` more bytes; a value larger than a chunk gets a chunk of its own size. */
  reserve(bytes: number): void {
    if (this.at + bytes <= this.chunk.length) return;
    if (this.at > 0) this.finished.push(this.chunk.subarray(0, this.at));
    this.chunk = Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
    this.at = 0;
  }

  /** Pre-encoded bytes (see `asciiBytes`). */
  bytes(bytes: Uint8Array): void {
    this.chunk.set(bytes, this.at);
    this.at += bytes.length;
  }

  /**
   * `value` as a JSON string literal in UTF-8, as `JSON.stringify(value)` writes it: `"` and `\`
   * escaped, control characters as `\b \t \n \f \r` or `\u00XX`, a lone surrogate as `\uXXXX`
   * (lower-case hex), everything else as itself. Needs `maxJsonStringBytes(value.length)` reserved.
   */
  string(value: string): void {
    const chunk = this.chunk;
    let at = this.at;
    chunk[at++] = QUOTE;
    const length = value.length;
    for (let index = 0; index < length; index += 1) {
      const code = value.charCodeAt(index);
      if (code < 0x80) {
        const escaped = ASCII_ESCAPES[code] as number;
        if (escaped === 0) {
          chunk[at++] = code;
        } else {
          chunk[at++] = BACKSLASH;
          chunk[at++] = escaped;
          if (escaped === LOWER_U) at = writeHex4(chunk, at, code);
        }
      } else if (code < 0x800) {
        chunk[at++] = 0xc0 | (code >> 6);
        chunk[at++] = 0x80 | (code & 0x3f);
      } else if (code < 0xd800 || code > 0xdfff) {
        chunk[at++] = 0xe0 | (code >> 12);
        chunk[at++] = 0x80 | ((code >> 6) & 0x3f);
        chunk[at++] = 0x80 | (code & 0x3f);
      } else {
        const next = index + 1 < length ? value.charCodeAt(index + 1) : 0;
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const point = ((code - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
          chunk[at++] = 0xf0 | (point >> 18);
          chunk[at++] = 0x80 | ((point >> 12) & 0x3f);
          chunk[at++] = 0x80 | ((point >> 6) & 0x3f);
          chunk[at++] = 0x80 | (point & 0x3f);
          index += 1;
        } else {
          // A lone surrogate has no UTF-8 form: JSON.stringify escapes it (well-formed JSON.stringify).
          chunk[at++] = BACKSLASH;
          chunk[at++] = LOWER_U;
          at = writeHex4(chunk, at, code);
        }
      }
    }
    chunk[at++] = QUOTE;
    this.at = at;
  }

  /** The chunks finished since the last call (none until a chunk fills). */
  take(): Buffer[] {
    const finished = this.finished;
    this.finished = [];
    return finished;
  }

  /** Every chunk not yet taken, the partly filled one included; the writer starts a new chunk after. */
  flush(): Buffer[] {
    if (this.at > 0) {
      this.finished.push(this.chunk.subarray(0, this.at));
      this.chunk = Buffer.allocUnsafe(this.chunkBytes);
      this.at = 0;
    }
    return this.take();
  }
}

function writeHex4(chunk: Buffer, start: number, code: number): number {
  let at = start;
  chunk[at++] = HEX_DIGITS[(code >> 12) & 0xf] as number;
  chunk[at++] = HEX_DIGITS[(code >> 8) & 0xf] as number;
  chunk[at++] = HEX_DIGITS[(code >> 4) & 0xf] as number;
  chunk[at++] = HEX_DIGITS[code & 0xf] as number;
  return at;
}
