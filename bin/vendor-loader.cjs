'use strict';
// Loads the vendored CommonJS bundles in dist/vendor/ (oclif, DuckDB's API, Ink with React) from V8's
// compiled code, cached at build time next to each bundle, instead of compiling them on every start:
// oclif alone loads in ~14 ms instead of ~55 ms from its package, in a process that starts in ~60 ms
// bare (docs/BENCHMARKS.md, "The start: vendored bundles run from V8's code cache"). Node 22 does
// this for every module (module.enableCompileCache); Node 20, which we support, does not.
//
// The cache is only an accelerator. V8 checks it against its own version, its flags and the source's
// length and refuses one that does not match; we also refuse one written for other bytes of the
// bundle (see `cacheHeader`). A refused or missing cache means an ordinary compile, never an error.
const {createHash} = require('node:crypto');
const {closeSync, existsSync, openSync, readFileSync, writeSync} = require('node:fs');
const {createRequire} = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const VENDOR_DIR = path.join(__dirname, '..', 'dist', 'vendor');

/** The bundles the build writes (bin/bundle.js checks that its list is this one). */
const VENDORED_BUNDLES = ['oclif', 'duckdb', 'ui'];

/**
 * Set by the build (bin/bundle.js) to write each loaded bundle's code cache at exit, after the
 * process has run a command: the cache then holds the functions that command compiled, not only
 * the top level, which is what makes loading from it fast.
 */
const WRITE_ENV = 'EGREGORA_WRITE_CODE_CACHE';
const writing = process.env[WRITE_ENV] === '1';

/**
 * `EGREGORA_CODE_CACHE=off` compiles the bundles as if they had no cache: the benchmark of what the
 * cache saves (`npm run bench -- code-cache`) compares the two in one run.
 */
const OFF_ENV = 'EGREGORA_CODE_CACHE';

/** The code of the error for a missing bundle (bin/run.js prints its message alone). */
const NOT_BUILT = 'EGREGORA_NOT_BUILT';

/** The loaded bundles by file: each is compiled and run once per thread, like a required module. */
const loaded = new Map();

/**
 * The exports of `dist/vendor/<name>.cjs`. Synchronous, like `require`, because the bundles are
 * required from inside other bundled modules.
 */
function loadVendor(name) {
  return loadBundle(path.join(VENDOR_DIR, `${name}.cjs`));
}

/** The exports of a CommonJS bundle, run from `<filename>.v8cache` when that cache fits it. */
function loadBundle(filename) {
  let entry = loaded.get(filename);
  if (!entry) {
    entry = compileAndRun(filename);
    loaded.set(filename, entry);
  }
  return entry.module.exports;
}

function compileAndRun(filename) {
  const bytes = readBundle(filename);
  const wrapped = wrapCommonJS(bytes.toString('utf8'));
  const cacheFile = `${filename}.v8cache`;
  const cachedData = process.env[OFF_ENV] === 'off' ? undefined : readCache(cacheFile, wrapped, bytes);
  const script = new vm.Script(wrapped, {filename, cachedData});
  const bundleModule = {exports: {}, filename, id: filename, loaded: false};
  const run = script.runInThisContext();
  run.call(
    bundleModule.exports,
    bundleModule.exports,
    createRequire(filename),
    bundleModule,
    filename,
    path.dirname(filename),
    vendorImport,
  );
  bundleModule.loaded = true;
  // The text is kept only to write the cache's header at exit, when the build asks for it.
  return {
    module: bundleModule,
    script,
    cacheFile,
    wrapped: writing ? wrapped : null,
    bytes: writing ? bytes : null,
  };
}

/** The bundle's bytes; a missing bundle means the CLI was never built, which the error says. */
function readBundle(filename) {
  try {
    return readFileSync(filename);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    throw notBuilt(filename);
  }
}

function notBuilt(filename) {
  const root = path.dirname(path.dirname(VENDOR_DIR));
  return Object.assign(
    new Error(
      `${filename} does not exist: egregora is not built, or its installation is incomplete. ` +
        `In a clone of the repository, run \`npm run build\` in ${root}; otherwise install egregora again.`,
    ),
    {code: NOT_BUILT},
  );
}

/** Throws the "not built" error if any bundle is missing (bin/run.js checks before loading oclif). */
function checkBuilt() {
  for (const name of VENDORED_BUNDLES) {
    const filename = path.join(VENDOR_DIR, `${name}.cjs`);
    if (!existsSync(filename)) throw notBuilt(filename);
  }
}

/**
 * The wrapper Node puts around a CommonJS module (on one line, so line numbers stay the file's), plus
 * `__vendorImport`. A `vm.Script` runs `import()` only with an `importModuleDynamically` option, and
 * on Node 20 each kind has a cost: a function needs --experimental-vm-modules, and
 * `vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER` prints an ExperimentalWarning on every start (and,
 * tried with the code cache, failed here with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). So the build
 * makes the bundles' computed `import()` calls go through this module, where `import()` is Node's own.
 */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __vendorImport) { ';
const WRAPPER_TAIL = '\n});';

function wrapCommonJS(source) {
  return `${WRAPPER_HEAD}${source}${WRAPPER_TAIL}`;
}

function vendorImport(specifier) {
  return import(specifier);
}

/**
 * The cache file starts with one JSON line naming the text it was compiled from: the length of the
 * bundle in its wrapper (what V8 compares) and a hash of the wrapper and the bundle's bytes, the text
 * V8 compiled (the bundle is UTF-8). V8's own check compares lengths only, so a bundle edited to the
 * same length would otherwise run stale compiled code. The bytes are hashed as read, not the text:
 * no second UTF-8 encoding of ~900 KB at every start.
 */
function cacheHeader(wrapped, bytes) {
  const sha256 = createHash('sha256').update(WRAPPER_HEAD).update(bytes).update(WRAPPER_TAIL).digest('hex');
  return JSON.stringify({length: wrapped.length, sha256});
}

function readCache(cacheFile, wrapped, bytes) {
  let cache;
  try {
    cache = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const newline = cache.indexOf(0x0a);
  if (newline < 0 || cache.subarray(0, newline).toString('utf8') !== cacheHeader(wrapped, bytes))
    return undefined;
  return cache.subarray(newline + 1);
}

function writeCaches() {
  for (const {script, wrapped, bytes, cacheFile} of loaded.values()) {
    const fd = openSync(cacheFile, 'w');
    try {
      writeSync(fd, `${cacheHeader(wrapped, bytes)}\n`);
      writeSync(fd, script.createCachedData());
    } finally {
      closeSync(fd);
    }
  }
}

if (writing) process.on('exit', writeCaches);

/** Whether each loaded bundle was compiled from its code cache (the tests check the build's). */
function codeCacheStatus() {
  return [...loaded].map(([filename, {script}]) => ({
    file: path.basename(filename),
    cached: script.cachedDataRejected === false,
  }));
}

module.exports = {
  loadVendor,
  loadBundle,
  checkBuilt,
  codeCacheStatus,
  NOT_BUILT,
  VENDORED_BUNDLES,
  VENDOR_DIR,
  WRITE_ENV,
};
