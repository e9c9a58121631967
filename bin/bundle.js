#!/usr/bin/env node
// Builds what the CLI runs (after tsc has emitted dist/):
// - dist/vendor/: the dependencies every command start pays for (oclif, DuckDB's API, Ink with
//   React), each bundled as one CommonJS file and given a V8 code cache, which bin/vendor-loader.cjs
//   loads instead of compiling the code again: ~40 ms less for oclif alone (docs/BENCHMARKS.md).
// - dist/commands/: the command map and our code (zod included), bundled over the files tsc emitted
//   there, with lazy imports as separate chunks: one bundled entry instead of hundreds of small
//   modules that Node would resolve, read and compile one by one.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {rm, writeFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {
  ansiFastPaths,
  checkApplied,
  checkNoDynamicImport,
  dynamicImportsThroughLoader,
  inkWithoutDevTools,
  lazySegmenters,
  syncYoga,
  vendoredImports,
} from './bundle-plugins.js';
import {builtCliLoadOptions, MANIFEST_FILE} from './oclif-root.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const {VENDORED_BUNDLES, VENDOR_DIR, WRITE_ENV} = createRequire(import.meta.url)('./vendor-loader.cjs');

/**
 * esbuild's tables say Node 20 lacks the RegExp `v` flag, so it rewrites `/\p{RGI_Emoji}/v` (Ink's
 * string-width) into `new RegExp(…, 'v')`, which V8 compiles eagerly: 16-18 ms per pattern at import,
 * against ~1 ms for the literal. Node 20.19+ (V8 11.3) supports the flag.
 */
const SUPPORTED = {'regexp-set-notation': true};

/**
 * The vendored bundles: `exports` maps each package import of our code to the member of the bundle
 * that replaces it (null: the whole bundle). Only the imports listed here are allowed; another part
 * of a vendored package fails the build, as two copies of oclif or React in one process would break.
 */
const VENDORED = {
  oclif: {
    source: ['args', 'command', 'execute', 'flags', 'settings']
      .map((part) => `export * as ${part} from '@oclif/core/${part}';`)
      .join('\n'),
    exports: {
      '@oclif/core/args': 'args',
      '@oclif/core/command': 'command',
      '@oclif/core/execute': 'execute',
      '@oclif/core/flags': 'flags',
      '@oclif/core/settings': 'settings',
    },
    options: {
      // oclif reads tsconfig.json with typescript in development mode only (bin/dev.js, unbundled).
      external: ['typescript'],
    },
  },
  duckdb: {
    source: "module.exports = require('@duckdb/node-api');",
    exports: {'@duckdb/node-api': null},
    // The binding's loader (and detect-libc, which it asks for the C library) is bundled too: as a
    // package, its five small files cost each start a module resolution apiece (~4 ms measured).
    // The platform packages holding the .node files stay packages; the loader picks one.
    options: {external: ['@duckdb/node-bindings-*']},
  },
  ui: {
    source: "export * as ink from 'ink';\nexport * as jsxRuntime from 'react/jsx-runtime';",
    exports: {ink: 'ink', 'react/jsx-runtime': 'jsxRuntime'},
    options: {
      supported: SUPPORTED,
      // React and Ink pick their development builds unless NODE_ENV says production; those are twice
      // the code to load and check every render, for warnings nobody using the CLI can act on.
      define: {'process.env.NODE_ENV': '"production"'},
      plugins: [syncYoga, inkWithoutDevTools, lazySegmenters, ansiFastPaths],
    },
    // Every patch the plugins above must have made (bin/bundle-plugins.js, `checkApplied`).
    patches: [
      'sync-yoga:wasm',
      'sync-yoga:instantiate',
      'ink-without-devtools',
      'lazy-segmenters',
      'lazy-emoji-regex',
      'ansi-fast-paths:diff',
      'ansi-fast-paths:to-string',
    ],
  },
};

/** The vendored packages by name (the part of an import before any subpath). */
const VENDORED_PACKAGES = ['@oclif/core', '@duckdb/node-api', 'ink', 'react'];

function vendoredTarget(specifier) {
  for (const [bundle, {exports}] of Object.entries(VENDORED)) {
    if (Object.hasOwn(exports, specifier)) return {bundle, member: exports[specifier]};
  }
  if (VENDORED_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`))) {
    throw new Error(`${specifier} is not exported by a vendored bundle; add it to VENDORED in bin/bundle.js`);
  }
  return null;
}

if (Object.keys(VENDORED).join() !== VENDORED_BUNDLES.join()) {
  throw new Error(
    'VENDORED in bin/bundle.js and VENDORED_BUNDLES in bin/vendor-loader.cjs must list the same bundles',
  );
}
await rm(VENDOR_DIR, {recursive: true, force: true});
for (const [name, {source, options, patches = []}] of Object.entries(VENDORED)) {
  const outfile = path.join(VENDOR_DIR, `${name}.cjs`);
  await build({
    absWorkingDir: root,
    stdin: {contents: source, resolveDir: root, sourcefile: `vendor-${name}.js`, loader: 'js'},
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    ...options,
    plugins: [...(options.plugins ?? []), dynamicImportsThroughLoader],
  });
  checkNoDynamicImport(outfile);
  checkApplied(patches);
}

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
  supported: SUPPORTED,
  tsconfig: 'tsconfig.json',
  allowOverwrite: true,
  sourcemap: 'linked',
  external: ['#vendor-loader'],
  // Bundled CommonJS dependencies, and the vendored packages' stand-ins, call require(); give the
  // ESM bundle a real one.
  banner: {
    js: "import {createRequire as __egregoraCreateRequire} from 'node:module'; const require = __egregoraCreateRequire(import.meta.url);",
  },
  define: {'process.env.NODE_ENV': '"production"'},
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [vendoredImports(VENDORED_PACKAGES, vendoredTarget)],
});

await writeOclifManifest();
writeCodeCaches();

/**
 * Writes dist/oclif.manifest.json, where the built CLI's oclif looks for it (bin/oclif-root.js): the
 * commands' ids, summaries, flags and arguments, computed here with oclif's own Plugin loader (as
 * `oclif manifest` does). Without it oclif computes the same thing on every start (~8-15 ms of
 * `--help`, measured). It is written from the command bundle just built, so it cannot describe other
 * commands than dist/ holds; test/build/oclif-manifest.test.ts checks it against oclif's computation.
 */
async function writeOclifManifest() {
  const options = builtCliLoadOptions(root);
  const file = path.join(options.root, MANIFEST_FILE);
  await rm(file, {force: true});
  const {Plugin} = await import('@oclif/core');
  const plugin = new Plugin({
    ...options,
    type: 'core',
    isRoot: true,
    ignoreManifest: true,
    errorOnManifestCreate: true,
  });
  await plugin.load();
  await writeFile(file, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
}

/**
 * Writes each vendored bundle's code cache by running the built CLI the way people use it, with the
 * loader told to save what V8 compiled by then: `runs tail` on the store of the bundled sample covers
 * oclif's start, flag parsing and a command's run, DuckDB's open, query and close, and Ink drawing a
 * table. The cache then holds the functions those compiled, not only each bundle's top level.
 */
function writeCodeCaches() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'egregora-code-cache-'));
  try {
    const bin = path.join(root, 'bin', 'run.js');
    const state = path.join(scratch, '.egregora');
    const sample = path.join(root, 'docs', 'sample', 'export.zip');
    run([bin, 'process', sample, '--output', path.join(scratch, 'site'), '--dir', state, '--json'], {});
    run([bin, 'runs', 'tail', '--dir', state], {[WRITE_ENV]: '1'});
  } finally {
    rmSync(scratch, {recursive: true, force: true});
  }
  for (const name of Object.keys(VENDORED)) {
    const cache = path.join(VENDOR_DIR, `${name}.cjs.v8cache`);
    if (!existsSync(cache)) throw new Error(`${cache} was not written: the CLI did not load that bundle`);
  }
}

function run(args, env) {
  const result = spawnSync(process.execPath, args, {
    env: {...process.env, NO_COLOR: '1', ...env},
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
}
