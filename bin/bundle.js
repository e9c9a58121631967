#!/usr/bin/env node
// Bundles the command map and everything it imports (lazily or not) into dist/commands/, over the
// file tsc emitted there. Loading one bundled entry instead of hundreds of small modules is what
// keeps start-up fast: `import 'ink'` alone costs about 300 ms unbundled and about 60 ms bundled
// (docs/BENCHMARKS.md). Lazy imports stay lazy: they become separate chunks.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {readFile, rm} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {LAZY_SEGMENTER_SOURCE} from './lazy-segmenter.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const {VENDOR_DIR, WRITE_ENV} = createRequire(import.meta.url)('./vendor-loader.cjs');

/**
 * The dependencies every command start pays for, bundled as CommonJS into dist/vendor/ and loaded
 * by bin/vendor-loader.cjs from V8's code cache (written below). Each is one file, so the cache
 * covers all of it; the command bundle reaches them through `vendoredImports`.
 * - oclif: ~120 small modules that Node would resolve, read and compile one by one (~50 ms).
 * - DuckDB's API (its native binding stays a package: its loader picks the platform's .node file).
 * Ink and React are not here: Ink and yoga use top-level await, which CommonJS cannot express.
 */
const VENDORED = {
  oclif: {
    // Only the subpaths the CLI imports; a new one fails the build in `vendoredImports`.
    subpaths: ['args', 'command', 'execute', 'flags', 'settings'],
    // typescript: oclif reads tsconfig.json with it in development mode only (bin/dev.js, unbundled).
    external: ['typescript'],
  },
  duckdb: {subpaths: null, external: ['@duckdb/node-bindings']},
};

const VENDOR_SOURCES = {
  oclif: VENDORED.oclif.subpaths.map((sub) => `export * as ${sub} from '@oclif/core/${sub}';`).join('\n'),
  duckdb: "module.exports = require('@duckdb/node-api');",
};

/** Which vendored bundle a package import of the command bundle belongs to, and which part of it. */
function vendoredTarget(specifier) {
  if (specifier === '@duckdb/node-api') return {name: 'duckdb', member: null};
  const oclif = /^@oclif\/core(?:\/(.*))?$/.exec(specifier);
  if (!oclif) return null;
  const sub = oclif[1] ?? '';
  if (!VENDORED.oclif.subpaths.includes(sub)) {
    throw new Error(
      `${specifier} is not in the vendored oclif bundle; add "${sub}" to VENDORED in bin/bundle.js`,
    );
  }
  return {name: 'oclif', member: sub};
}

/**
 * Replaces imports of the vendored packages with modules that take their exports from the loader,
 * so the command bundle and bin/run.js share one copy of each (oclif checks commands by identity).
 * `#vendor-loader` is resolved by Node through package.json's "imports", from any chunk's folder.
 */
const vendoredImports = {
  name: 'vendored-imports',
  setup(builder) {
    builder.onResolve({filter: /^(@oclif\/core|@duckdb\/node-api)(\/|$)/}, (args) => {
      const target = vendoredTarget(args.path);
      return target ? {path: JSON.stringify(target), namespace: 'vendored'} : undefined;
    });
    builder.onLoad({filter: /.*/, namespace: 'vendored'}, (args) => {
      const {name, member} = JSON.parse(args.path);
      const exportsOf = `require('#vendor-loader').loadVendor(${JSON.stringify(name)})`;
      return {
        contents: `module.exports = ${member ? `${exportsOf}[${JSON.stringify(member)}]` : exportsOf};`,
        loader: 'js',
      };
    });
  },
};

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
  // oclif and DuckDB's API come from dist/vendor/ (see VENDORED); react-devtools-core is an
  // optional import of Ink's that only runs with DEV=true.
  external: ['#vendor-loader', 'react-devtools-core'],
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
  plugins: [vendoredImports, yogaWithoutFetch, lazySegmenters],
});

/**
 * A vendored bundle runs as a \`vm.Script\`, where Node 20 has no working \`import()\` for code compiled
 * from a cache (oclif loads the command map with it). Each \`await import(\` in the vendored sources
 * becomes a call of \`__vendorImport\`, which bin/vendor-loader.cjs passes in and which imports from
 * its own module. The output is then checked for any \`import(\` left.
 */
const dynamicImportsThroughLoader = {
  name: 'dynamic-imports-through-loader',
  setup(builder) {
    builder.onLoad({filter: /node_modules[\\/].*\.c?js$/}, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('await import(')) return undefined;
      return {contents: source.replaceAll('await import(', 'await __vendorImport('), loader: 'js'};
    });
  },
};

/** Fails the build if a vendored bundle still calls \`import()\` (a quoted "import()" in a message is fine). */
function checkNoDynamicImport(file) {
  const left = readFileSync(file, 'utf8').match(/(?<![\w$."'`])import\(/g);
  if (left) throw new Error(`${file}: ${left.length} import() call(s) left; see dynamicImportsThroughLoader`);
}

await rm(VENDOR_DIR, {recursive: true, force: true});
for (const [name, {external}] of Object.entries(VENDORED)) {
  await build({
    absWorkingDir: root,
    stdin: {contents: VENDOR_SOURCES[name], resolveDir: root, sourcefile: `vendor-${name}.js`, loader: 'js'},
    outfile: path.join(VENDOR_DIR, `${name}.cjs`),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external,
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [dynamicImportsThroughLoader],
  });
  checkNoDynamicImport(path.join(VENDOR_DIR, `${name}.cjs`));
}
writeCodeCaches();

/**
 * Writes each vendored bundle's code cache by running the built CLI the way people use it, with the
 * loader told to save what V8 compiled: `runs tail` on the store of the bundled sample covers
 * oclif's start, flag parsing and a command's run, and DuckDB's open, query and close.
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
    readFileSync(path.join(VENDOR_DIR, `${name}.cjs.v8cache`)); // throws if a cache was not written
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
