// Source text the bundle puts in front of the modules whose `new Intl.Segmenter(…)` it rewrites
// (bin/bundle.js). Kept apart so that test/build/lazy-segmenter.test.ts can compare it with
// Intl.Segmenter itself.
//
// The stand-in makes the real segmenter on first use: the first one loads ICU's break rules, ~9 ms
// of every command that draws a table. Printable ASCII needs no rules at all in grapheme mode (every
// character is a cluster of its own: UAX #29 joins only CR LF, controls and extending marks, none of
// them printable ASCII), so such text is segmented in place and ICU is never loaded for it.
export const LAZY_SEGMENTER_SOURCE = `class __EgregoraAsciiSegments {
  constructor(input) { this.input = input; }
  containing(index = 0) {
    const at = Math.trunc(Number(index)) || 0;
    return at >= 0 && at < this.input.length ? {segment: this.input[at], index: at, input: this.input} : undefined;
  }
  *[Symbol.iterator]() {
    for (let index = 0; index < this.input.length; index += 1) yield {segment: this.input[index], index, input: this.input};
  }
}
class __EgregoraLazySegmenter {
  constructor(...options) {
    this.options = options;
    this.segmenter = undefined;
    this.graphemes = (options[1]?.granularity ?? 'grapheme') === 'grapheme';
  }
  segment(text) {
    const input = String(text);
    if (this.graphemes && /^[\\x20-\\x7e]*$/.test(input)) return new __EgregoraAsciiSegments(input);
    this.segmenter ??= new Intl.Segmenter(...this.options);
    return this.segmenter.segment(input);
  }
}
`;
