// Source text the bundle puts into @alcalzone/ansi-tokenize (bin/bundle-plugins.js, `ansiFastPaths`).
// Kept apart so that test/build/ansi-fast-paths.test.ts can check it against the package itself.
//
// Ink turns every line of its output grid into text by diffing the styles of each character with
// the previous one's: for a 100-column panel, ~4,500 diffs that each build three Sets and several
// arrays, ~15 ms of `runs show`, plus TurboFan compiles of those functions that Node waits for at
// exit (17-26 ms measured with --trace-opt). Nearly every diff is between equal style lists (all
// empty without colour), and the diff of equal lists is empty: each code of `from` is ended or
// restarted by the same code in `to`, and `to` adds nothing `from` lacks. So equal lists return an
// empty diff at once, and an empty list converts to "" at once.
export const SAME_ANSI_CODES_SOURCE = `function __egregoraSameAnsiCodes(from, to) {
  if (from === to) return true;
  if (from.length !== to.length) return false;
  for (let i = 0; i < from.length; i += 1) {
    if (from[i].code !== to[i].code || from[i].endCode !== to[i].endCode) return false;
  }
  return true;
}
`;

/** The first statement of `diffAnsiCodes` after the patch. */
export const DIFF_FAST_PATH = 'if (__egregoraSameAnsiCodes(from, to)) return [];';

/** The first statement of `ansiCodesToString` after the patch. */
export const TO_STRING_FAST_PATH = 'if (codes.length === 0) return "";';
