#!/usr/bin/env node
// Bundles the command map and everything it imports (lazily or not) into dist/commands/, over the
// file tsc emitted there. Loading one bundled entry instead of hundreds of small modules is what
// keeps start-up fast: `import 'ink'` alone costs about 300 ms unbundled and about 60 ms bundled
// (docs/BENCHMARKS.md). Lazy imports stay lazy: they become separate chunks.
import {rm} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
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
  tsconfig: 'tsconfig.json',
  allowOverwrite: true,
  sourcemap: 'linked',
  // DuckDB loads a native binding; oclif is already loaded by bin/run.js and resolves its own files;
  // react-devtools-core is an optional import of Ink's that only runs with DEV=true.
  external: ['@duckdb/node-api', '@oclif/core', 'react-devtools-core'],
  // Bundled CommonJS dependencies call require(); give the ESM bundle a real one.
  banner: {
    js: "import {createRequire as __egregoraCreateRequire} from 'node:module'; const require = __egregoraCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
