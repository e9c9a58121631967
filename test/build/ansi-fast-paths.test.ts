import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {ansiCodesToString, diffAnsiCodes, styledCharsFromTokens, tokenize} from '@alcalzone/ansi-tokenize';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {DIFF_FAST_PATH, SAME_ANSI_CODES_SOURCE, TO_STRING_FAST_PATH} from '../../bin/ansi-fast-paths.js';

type Codes = Parameters<typeof diffAnsiCodes>[0];

/** The two patched functions as the bundle has them: the fast path first, then the package's code. */
const patchedDiff = new Function(
  'original',
  `${SAME_ANSI_CODES_SOURCE}\nreturn function (from, to) { ${DIFF_FAST_PATH} return original(from, to); };`,
)(diffAnsiCodes) as typeof diffAnsiCodes;
const patchedToString = new Function(
  'original',
  `return function (codes) { ${TO_STRING_FAST_PATH} return original(codes); };`,
)(ansiCodesToString) as typeof ansiCodesToString;

/** SGR sequences as chalk and Ink write them: attributes, 16/256/true colours, resets. */
const sgr = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 4, 7, 9, 22, 23, 24, 27, 29, 39, 49).map((code) => `\u001b[${code}m`),
  fc.integer({min: 30, max: 37}).map((code) => `\u001b[${code}m`),
  fc.integer({min: 90, max: 97}).map((code) => `\u001b[${code}m`),
  fc.integer({min: 40, max: 47}).map((code) => `\u001b[${code}m`),
  fc.integer({min: 0, max: 255}).map((n) => `\u001b[38;5;${n}m`),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([r, g, b]) => `\u001b[48;2;${r};${g};${b}m`),
);
const styledText = fc
  .array(fc.oneof(sgr, fc.constantFrom('a', 'Z', ' ', '7', 'é', '界', '👩🏽‍💻')), {maxLength: 40})
  .map((parts) => parts.join(''));

function stylesOf(text: string): Codes[] {
  return styledCharsFromTokens(tokenize(text)).map((char) => char.styles);
}

describe("the bundle's fast paths in Ink's ANSI diffing", () => {
  it('give the same diff as the package for every pair of neighbouring characters', () => {
    fc.assert(
      fc.property(styledText, (text) => {
        const styles = stylesOf(text);
        for (let i = 1; i < styles.length; i += 1) {
          const [from, to] = [styles[i - 1] as Codes, styles[i] as Codes];
          expect(patchedDiff(from, to)).toEqual(diffAnsiCodes(from, to));
          expect(patchedDiff(to, [])).toEqual(diffAnsiCodes(to, []));
          expect(patchedToString(from)).toBe(ansiCodesToString(from));
        }
      }),
      {numRuns: 500},
    );
  });

  it('give the same diff as the package for unreduced lists too, duplicates and both intensities included', () => {
    // Real code objects, taken from the tokenizer, then combined in any order and any number.
    const codes = stylesOf(
      ['1', '2', '3', '4', '7', '9', '22', '31', '39', '42', '49', '38;5;208', '48;2;1;2;3']
        .map((code) => `\u001b[${code}mx`)
        .join(''),
    ).flat();
    const list = fc.array(fc.constantFrom(...codes), {maxLength: 8});
    fc.assert(
      fc.property(list, list, (from, to) => {
        expect(patchedDiff(from, to)).toEqual(diffAnsiCodes(from, to));
        const copy = from.map((code) => ({...code}));
        expect(patchedDiff(from, copy)).toEqual([]);
        expect(diffAnsiCodes(from, copy)).toEqual([]);
      }),
      {numRuns: 1_000},
    );
  });

  it('rest on a fact: the package itself finds no difference between equal style lists', () => {
    fc.assert(
      fc.property(styledText, (text) => {
        for (const styles of stylesOf(text)) {
          const copy = styles.map((code) => ({...code}));
          expect(diffAnsiCodes(styles, copy)).toEqual([]);
        }
      }),
      {numRuns: 500},
    );
  });
});

describe('the vendored Ink, with all its build-time patches', () => {
  it('draws exactly what the Ink package draws, colours included', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    // One tree, built with each copy's own React: colours, attributes, nesting, borders, wide
    // characters and emoji, wrapping.
    const script = `
      import {createRequire} from 'node:module';
      const require = createRequire(${JSON.stringify(path.join(root, 'package.json'))});
      const tree = ({jsx, jsxs}, {Box, Text}) =>
        jsxs(Box, {flexDirection: 'column', borderStyle: 'round', borderColor: 'cyan', paddingX: 1, children: [
          jsxs(Text, {children: [jsx(Text, {bold: true, children: 'Run ID '}), jsx(Text, {color: 'green', children: 'completed'})]}),
          jsx(Text, {dimColor: true, children: 'dim and '.repeat(3) + 'wrapped to the width of the box'}),
          jsxs(Text, {backgroundColor: '#203040', children: ['界 wide ', jsx(Text, {underline: true, italic: true, children: '👩🏽‍💻 emoji'}), ' after']}),
          jsx(Text, {inverse: true, strikethrough: true, color: 'ansi256(208)', children: 'inverse struck orange'}),
        ]});
      const ui = require('./bin/vendor-loader.cjs').loadVendor('ui');
      const vendored = ui.ink.renderToString(tree(ui.jsxRuntime, ui.ink), {columns: 34});
      const ink = await import(require.resolve('ink'));
      const jsxRuntime = await import(require.resolve('react/jsx-runtime'));
      const original = ink.renderToString(tree(jsxRuntime, ink), {columns: 34});
      process.stdout.write(JSON.stringify({vendored, original}));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: {...process.env, FORCE_COLOR: '3', NO_COLOR: '', NODE_ENV: 'production'},
    });
    expect(child.stderr).toBe('');
    const {vendored, original} = JSON.parse(child.stdout) as {vendored: string; original: string};
    expect(original).toContain('\u001b[');
    expect(original.split('\n').length).toBeGreaterThan(6);
    expect(vendored).toBe(original);
  });
});
