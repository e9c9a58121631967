// The esbuild plugins of bin/bundle.js. Those that patch a dependency match the text they replace
// exactly and fail the build when it is not there, so an upgrade that changes it is caught here
// instead of silently losing what the patch was for.
import {readFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {DIFF_FAST_PATH, SAME_ANSI_CODES_SOURCE, TO_STRING_FAST_PATH} from './ansi-fast-paths.js';
import {LAZY_SEGMENTER_SOURCE} from './lazy-segmenter.js';

/** `source` with `from` replaced by `to`, which must occur exactly `times` times in it. */
function replaceExactly(file, source, from, to, times = 1) {
  const found = source.split(from).length - 1;
  if (found !== times) {
    throw new Error(
      `${file}: expected ${JSON.stringify(from)} ${times} time(s), found it ${found}; update bin/bundle-plugins.js`,
    );
  }
  return source.replaceAll(from, to);
}

/**
 * Replaces the command bundle's imports of vendored packages with modules that take their exports
 * from bin/vendor-loader.cjs, so the command bundle and bin/run.js share one copy of each (oclif
 * checks commands by identity, React its hooks). `#vendor-loader` is resolved by Node through
 * package.json's "imports", from whichever folder a chunk is in. `targetOf(specifier)` says which
 * bundle and member a package import maps to, null when it is not vendored, and throws for a part of
 * a vendored package that its bundle does not export.
 */
export function vendoredImports(packages, targetOf) {
  const names = packages.map((name) => name.replace(/[/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|');
  return {
    name: 'vendored-imports',
    setup(builder) {
      builder.onResolve({filter: new RegExp(`^(${names})(/|$)`)}, (args) => {
        const target = targetOf(args.path);
        return target ? {path: JSON.stringify(target), namespace: 'vendored'} : undefined;
      });
      builder.onLoad({filter: /.*/, namespace: 'vendored'}, (args) => {
        const {bundle, member} = JSON.parse(args.path);
        const exportsOf = `require('#vendor-loader').loadVendor(${JSON.stringify(bundle)})`;
        return {
          contents: `module.exports = ${member ? `${exportsOf}[${JSON.stringify(member)}]` : exportsOf};`,
          loader: 'js',
        };
      });
    },
  };
}

/**
 * A vendored bundle runs as a `vm.Script` compiled from a cache, where Node 20 runs no `import()`
 * without side effects (see bin/vendor-loader.cjs), and oclif loads the command map with one. Each
 * `await import(` of a computed specifier (a file URL) becomes a call of `__vendorImport`, which the
 * loader passes in and which imports from its own module. Imports of a literal package name are left
 * to esbuild, which bundles them, so they still resolve from the importing package's folder.
 * `checkNoDynamicImport` then checks the output for any `import(` left.
 */
const COMPUTED_DYNAMIC_IMPORT = /\bawait import\((?!\s*['"`])/g;

export const dynamicImportsThroughLoader = {
  name: 'dynamic-imports-through-loader',
  setup(builder) {
    builder.onLoad({filter: /node_modules[\\/].*\.c?js$/}, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source.replace(COMPUTED_DYNAMIC_IMPORT, 'await __vendorImport(');
      return contents === source ? undefined : {contents, loader: 'js'};
    });
  },
};

/** Fails the build if a vendored bundle still calls `import()` (a quoted "import()" in a message is fine). */
export function checkNoDynamicImport(file) {
  const left = readFileSync(file, 'utf8').match(/(?<![\w$."'`])import\(/g);
  if (left) throw new Error(`${file}: ${left.length} import() call(s) left; see dynamicImportsThroughLoader`);
}

/**
 * The patches applied in this build, by name. esbuild applies the first plugin that loads a file, so
 * a patch could be skipped without error when another plugin's filter takes its file first (and a
 * minifier keeps no name to look for afterwards); each patch records itself here, and
 * `checkApplied` fails the build if one expected is missing.
 */
const applied = new Set();

export function checkApplied(expected) {
  const missing = expected.filter((patch) => !applied.has(patch));
  if (missing.length > 0) {
    throw new Error(`patch(es) not applied: ${missing.join(', ')}; see bin/bundle-plugins.js`);
  }
}

/**
 * Ink's text measuring packages (string-width, slice-ansi, ansi-tokenize) each build an
 * `Intl.Segmenter` when imported; the first one loads ICU's break rules, ~9 ms of every command that
 * draws a table. Each is replaced by a stand-in (bin/lazy-segmenter.js) that makes it on first use
 * and segments printable ASCII itself. The build checks that the segmenters are used for nothing
 * but `segment()`, which the stand-in implements. The same files get `lazyEmojiRegex` below (esbuild
 * lets one plugin load a file, so both patches are made here).
 */
export const lazySegmenters = {
  name: 'lazy-segmenters',
  setup(builder) {
    builder.onLoad(
      {filter: /node_modules[\\/](string-width|slice-ansi|@alcalzone[\\/]ansi-tokenize)[\\/].*\.js$/},
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const withSegmenters = lazySegmenterSource(args.path, source);
        const patched = lazyEmojiRegex(args.path, withSegmenters);
        return patched === source ? undefined : {contents: patched, loader: 'js'};
      },
    );
  },
};

function lazySegmenterSource(file, source) {
  if (!source.includes('new Intl.Segmenter(')) return source;
  // Comments may name the segmenter; only code counts (a rough strip is enough for a check).
  const code = stripComments(source);
  for (const [, name] of code.matchAll(/(\w+)\s*=\s*new Intl\.Segmenter\(/g)) {
    const uses = code.match(new RegExp(`\\b${name}\\b(?!\\s*=\\s*new Intl)`, 'g')) ?? [];
    const segmentCalls = code.match(new RegExp(`\\b${name}\\.segment\\(`, 'g')) ?? [];
    if (uses.length !== segmentCalls.length) {
      throw new Error(`${file}: ${name} is used for more than segment(); update bin/bundle-plugins.js`);
    }
  }
  applied.add('lazy-segmenters');
  return LAZY_SEGMENTER_SOURCE + source.replaceAll('new Intl.Segmenter(', 'new __EgregoraLazySegmenter(');
}

function stripComments(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/**
 * string-width 8 creates `/^\p{RGI_Emoji}$/v` when it is imported. With the code cache, creating that
 * one literal is where V8 expands the whole set of emoji sequences: 20-60 ms measured here, twice per
 * start (Ink and cli-truncate each bring a copy), in every command that draws a table, which then
 * measures only printable ASCII (string-width returns before any regex for it). The literal moves
 * into a `test` function and is made on first use. The build checks that `test` is its only use.
 */
const RGI_EMOJI_DECLARATION = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
const LAZY_RGI_EMOJI = `let rgiEmojiRegexMade;
const rgiEmojiRegex = {test: (text) => (rgiEmojiRegexMade ??= /^\\p{RGI_Emoji}$/v).test(text)};`;

function lazyEmojiRegex(file, source) {
  if (!source.includes('RGI_Emoji}$/v')) return source;
  const patched = replaceExactly(file, source, RGI_EMOJI_DECLARATION, LAZY_RGI_EMOJI);
  const code = stripComments(source);
  const uses = code.match(/\brgiEmojiRegex\b/g) ?? [];
  const tests = code.match(/\brgiEmojiRegex\.test\(/g) ?? [];
  if (uses.length !== tests.length + 1) {
    throw new Error(`${file}: rgiEmojiRegex is used for more than test(); update bin/bundle-plugins.js`);
  }
  applied.add('lazy-emoji-regex');
  return patched;
}

/**
 * Ink's layout engine (yoga) is WebAssembly that its entry instantiates with top-level `await`,
 * which a CommonJS bundle cannot hold. Emscripten's loader accepts an `instantiateWasm` hook; given
 * one that compiles and instantiates synchronously, the whole module is ready when the loader
 * returns (its `ready` promise resolves later, unused). The wasm comes from the base64 `data:` URL
 * the loader ships, exported as a constant so the bundle holds it once. The loader's own fetch
 * path, which would load Node's whole HTTP stack (~40 ms) to decode that URL, is never reached.
 */
export const syncYoga = {
  name: 'sync-yoga',
  setup(builder) {
    builder.onLoad(
      {filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/},
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const url = /H="data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/.exec(source);
        if (!url)
          throw new Error(`${args.path}: the wasm data: URL was not found; update bin/bundle-plugins.js`);
        const patched = replaceExactly(
          args.path,
          source,
          url[0],
          'H="data:application/octet-stream;base64,"+YOGA_WASM_BASE64',
        );
        applied.add('sync-yoga:wasm');
        return {contents: `export const YOGA_WASM_BASE64 = "${url[1]}";\n${patched}`, loader: 'js'};
      },
    );
    builder.onLoad({filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/}, async (args) => {
      const source = await readFile(args.path, 'utf8');
      let patched = replaceExactly(
        args.path,
        source,
        "import loadYoga from '../binaries/yoga-wasm-base64-esm.js';",
        "import loadYoga, {YOGA_WASM_BASE64} from '../binaries/yoga-wasm-base64-esm.js';",
      );
      patched = replaceExactly(
        args.path,
        patched,
        'const Yoga = wrapAssembly(await loadYoga());',
        `const yogaModule = {
  instantiateWasm(imports, receiveInstance) {
    const wasm = new WebAssembly.Module(Buffer.from(YOGA_WASM_BASE64, 'base64'));
    const instance = new WebAssembly.Instance(wasm, imports);
    receiveInstance(instance);
    return instance.exports;
  },
};
loadYoga(yogaModule);
if (!yogaModule.calledRun) throw new Error('yoga-layout did not initialize synchronously');
const Yoga = wrapAssembly(yogaModule);`,
      );
      applied.add('sync-yoga:instantiate');
      return {contents: patched, loader: 'js'};
    });
  },
};

/**
 * Ink's reconciler awaits at top level only when DEV=true, to connect React DevTools (not shipped
 * with egregora) and to read its package.json for them. CommonJS cannot hold those awaits; without
 * them DEV=true renders as usual, with no DevTools connection.
 */
export const inkWithoutDevTools = {
  name: 'ink-without-devtools',
  setup(builder) {
    builder.onLoad({filter: /ink[\\/]build[\\/]reconciler\.js$/}, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const withoutDevTools = replaceExactly(args.path, source, "await import('./devtools.js');", '');
      applied.add('ink-without-devtools');
      return {
        contents: replaceExactly(
          args.path,
          withoutDevTools,
          '? await loadPackageJson()',
          '? {name: undefined, version: undefined}',
        ),
        loader: 'js',
      };
    });
  },
};

/**
 * Fast paths for equal and empty style lists in the two functions Ink calls for every character of
 * its output (the reasoning and the measurements are in bin/ansi-fast-paths.js).
 */
export const ansiFastPaths = {
  name: 'ansi-fast-paths',
  setup(builder) {
    builder.onLoad({filter: /@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]diff\.js$/}, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const signature = 'export function diffAnsiCodes(from, to) {';
      applied.add('ansi-fast-paths:diff');
      return {
        contents: `${SAME_ANSI_CODES_SOURCE}${replaceExactly(args.path, source, signature, `${signature}\n${DIFF_FAST_PATH}`)}`,
        loader: 'js',
      };
    });
    builder.onLoad({filter: /@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]ansiCodes\.js$/}, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const signature = 'export function ansiCodesToString(codes) {';
      applied.add('ansi-fast-paths:to-string');
      return {
        contents: replaceExactly(args.path, source, signature, `${signature}\n${TO_STRING_FAST_PATH}`),
        loader: 'js',
      };
    });
  },
};
