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
});
