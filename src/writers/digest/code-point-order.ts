/**
 * Compares strings by Unicode code point. `<` on JS strings compares UTF-16 code units, which puts
 * astral characters (emoji, rare CJK) before U+E000–U+FFFF; `localeCompare` depends on the machine's
 * locale. Neither may decide the order of anything written to a post.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= SURROGATE_START && y >= SURROGATE_START) return codePointRank(x) - codePointRank(y);
    return x - y;
  }
  return a.length - b.length;
}

const SURROGATE_START = 0xd800;
const PRIVATE_USE_START = 0xe000;

/** Moves surrogates (which stand for code points above U+FFFF) after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  return unit >= PRIVATE_USE_START ? unit - 0x800 : unit + 0x2000;
}
