import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const UI_BUNDLE = path.join(ROOT, 'dist', 'vendor', 'ui.cjs');

/** Clusters whose width needs the RGI emoji set, and ones that must not reach it. */
const SAMPLES = [
  '👩🏽‍💻 at work',
  '🇫🇷🇯🇵 flags',
  '1️⃣ keycap',
  '👨‍👩‍👧‍👦 family',
  '❤️ heart',
  '☺ text-style smiley',
  'e\u0301 combining',
  '界 wide',
  'plain ascii',
];

describe('the lazy RGI emoji regex of the vendored Ink (bin/bundle-plugins.js, lazyEmojiRegex)', () => {
  it('is made on first use in every copy of string-width the bundle holds, never at load', () => {
    const bundle = readFileSync(UI_BUNDLE, 'utf8');
    const literals = bundle.match(/\/\^\\p\{RGI_Emoji\}\$\/v/g) ?? [];
    const lazy = bundle.match(/\?\?=\/\^\\p\{RGI_Emoji\}\$\/v/g) ?? [];
    expect(literals.length).toBeGreaterThan(0);
    expect(lazy).toHaveLength(literals.length);
  });

  it('measures emoji, flags, keycaps and wide text exactly as the Ink package does', () => {
    const script = `
      import {createRequire} from 'node:module';
      const require = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))});
      const samples = ${JSON.stringify(SAMPLES)};
      // Width decides padding and truncation: a table of the samples, each cut to 12 columns.
      const tree = ({jsx, jsxs}, {Box, Text}) =>
        jsx(Box, {flexDirection: 'column', children: samples.map((text, index) =>
          jsxs(Box, {key: index, children: [
            jsx(Box, {width: 12, children: jsx(Text, {wrap: 'truncate-end', children: text + ' ' + text})}),
            jsx(Text, {children: '|'}),
          ]}))});
      const ui = require('./bin/vendor-loader.cjs').loadVendor('ui');
      const vendored = ui.ink.renderToString(tree(ui.jsxRuntime, ui.ink), {columns: 40});
      const ink = await import(require.resolve('ink'));
      const jsxRuntime = await import(require.resolve('react/jsx-runtime'));
      const original = ink.renderToString(tree(jsxRuntime, ink), {columns: 40});
      process.stdout.write(JSON.stringify({vendored, original}));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {...process.env, NO_COLOR: '1', NODE_ENV: 'production'},
    });
    expect(child.stderr).toBe('');
    const {vendored, original} = JSON.parse(child.stdout) as {vendored: string; original: string};
    expect(original.split('\n')).toHaveLength(SAMPLES.length);
    expect(vendored).toBe(original);
  });
});
