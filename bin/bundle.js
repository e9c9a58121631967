#!/usr/bin/env node
// Bundles the command map and everything it imports (lazily or not) into dist/commands/, over the
// file tsc emitted there. Loading one bundled entry instead of hundreds of small modules is what
// keeps start-up fast: `import 'ink'` alone costs about 300 ms unbundled and about 60 ms bundled
// (docs/BENCHMARKS.md). Lazy imports stay lazy: they become separate chunks.
import {readFile, rm} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {LAZY_SEGMENTER_SOURCE} from './lazy-segmenter.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Ink's text measuring packages (string-width, slice-ansi, ansi-tokenize) each build an
 * \`Intl.Segmenter\` when imported; the first one loads ICU's break rules, ~9 ms of every command that
 * draws a table. Each is replaced by a stand-in (bin/lazy-segmenter.js) that makes it on first use
 * and segments printable ASCII itself. The build checks that the segmenters are used for nothing
 * but \`segment()\`, which the stand-in implements.
 */
const lazySegmenters = {
  name: 'lazy-segmenters',
  setup(builder) {
    builder.onLoad(
      {filter: /node_modules[\\/](string-width|slice-ansi|@alcalzone[\\/]ansi-tokenize)[\\/].*\.js$/},
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('new Intl.Segmenter(')) return undefined;
        // Comments may name the segmenter; only code counts (a rough strip is enough for a check).
        const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
        for (const [, name] of code.matchAll(/(\w+)\s*=\s*new Intl\.Segmenter\(/g)) {
          const uses = code.match(new RegExp(`\\b${name}\\b(?!\\s*=\\s*new Intl)`, 'g')) ?? [];
          const segmentCalls = code.match(new RegExp(`\\b${name}\\.segment\\(`, 'g')) ?? [];
          if (uses.length !== segmentCalls.length) {
            throw new Error(`${args.path}: ${name} is used for more than segment(); update bin/bundle.js`);
          }
        }
        return {
          contents:
            LAZY_SEGMENTER_SOURCE + source.replaceAll('new Intl.Segmenter(', 'new __EgregoraLazySegmenter('),
          loader: 'js',
        };
      },
    );
  },
};

/**
 * Ink's layout engine (yoga) is WebAssembly shipped as a base64 \`data:\` URL, which Emscripten's
 * loader reads with \`fetch\` whenever \`fetch\` exists. In Node that first call loads the whole
 * undici HTTP stack: ~40 ms of every command that draws a table, to decode 90 KB already in memory.
 * Telling the loader there is no fetch makes it decode the URL in place (its own fallback path).
 * The two checks are matched exactly, so a yoga-layout upgrade that changes them fails the build
 * here instead of silently losing the gain.
 */
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(builder) {
    builder.onLoad(
      {filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/},
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const check = '"function"!=typeof fetch';
        const found = source.split(check).length - 1;
        if (found !== 2) {
          throw new Error(
            `${args.path}: expected the fetch check twice, found it ${found} times; update bin/bundle.js`,
          );
        }
        return {contents: source.replaceAll(check, 'true'), loader: 'js'};
      },
    );
  },
};

const outdir = `${root}dist/commands`;

await rm(`${outdir}/chunks`, {recursive: true, force: true});
await build({
  absWorkingDir: root,
  entryPoints: ['commands/index.ts'],
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // esbuild's tables say Node 20 lacks the RegExp \`v\` flag, so it rewrites \`/\\p{RGI_Emoji}/v\` (Ink's
  // string-width) into \`new RegExp(…, 'v')\`, which V8 compiles eagerly: 16-18 ms per pattern at import,
  // against ~1 ms for the literal. Node 20.19+ (V8 11.3) supports the flag.
  supported: {'regexp-set-notation': true},
  tsconfig: 'tsconfig.json',
  allowOverwrite: true,
  sourcemap: 'linked',
  // Only DuckDB's native binding stays a package (its loader picks the platform's .node file);
  // bundling @duckdb/node-api itself saves ~100 ms of module loading per command (docs/BENCHMARKS.md).
  // oclif is already loaded by bin/run.js and resolves its own files (bundling it measured slower);
  // react-devtools-core is an optional import of Ink's that only runs with DEV=true.
  external: ['@duckdb/node-bindings', '@oclif/core', 'react-devtools-core'],
  // Bundled CommonJS dependencies call require(); give the ESM bundle a real one.
  banner: {
    js: "import {createRequire as __egregoraCreateRequire} from 'node:module'; const require = __egregoraCreateRequire(import.meta.url);",
  },
  // React and Ink pick their development builds unless NODE_ENV says production; those are twice
  // the code to load and check every render, for warnings nobody using the CLI can act on.
  define: {'process.env.NODE_ENV': '"production"'},
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [yogaWithoutFetch, lazySegmenters],
});
