import {spawnSync} from 'node:child_process';
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOADER = path.join(ROOT, 'bin', 'vendor-loader.cjs');
const VENDOR = path.join(ROOT, 'dist', 'vendor');

interface Probe {
  status: {file: string; cached: boolean}[];
  result: unknown;
}

/**
 * Loads bundles in a fresh Node process (the loader keeps one copy per process, as `require` does)
 * and reports whether each came from its code cache, plus what `use(exports)` returned.
 */
function probe(load: string, use = 'null', env: Record<string, string> = {}): Probe {
  const script = `
    const loader = require(${JSON.stringify(LOADER)});
    (async () => {
      const exports = ${load};
      const result = await (${use})(exports);
      process.stdout.write(JSON.stringify({status: loader.codeCacheStatus(), result}));
    })();`;
  const child = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: {...process.env, EGREGORA_WRITE_CODE_CACHE: '', EGREGORA_CODE_CACHE: '', ...env},
  });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout) as Probe;
}

describe('the vendored bundles of the build', () => {
  it('load from the code cache the build wrote, and work', () => {
    const {status, result} = probe(
      `['oclif', 'duckdb', 'ui'].map((name) => loader.loadVendor(name))`,
      `async ([oclif, duckdb, ui]) => {
        const instance = await duckdb.DuckDBInstance.create(':memory:');
        const connection = await instance.connect();
        const rows = (await connection.runAndReadAll('SELECT 40 + 2 AS answer')).getRowObjectsJson();
        connection.closeSync();
        instance.closeSync();
        const {jsx, jsxs} = ui.jsxRuntime;
        const {Box, Text} = ui.ink;
        const box = jsxs(Box, {borderStyle: 'single', paddingX: 1, children: [jsx(Text, {children: 'answer'}), jsx(Text, {children: ' 42'})]});
        return {command: typeof oclif.command.Command, flag: typeof oclif.flags.string, rows, drawn: ui.ink.renderToString(box, {columns: 20})};
      }`,
    );
    expect(status).toEqual([
      {file: 'oclif.cjs', cached: true},
      {file: 'duckdb.cjs', cached: true},
      {file: 'ui.cjs', cached: true},
    ]);
    expect(result).toEqual({
      command: 'function',
      flag: 'function',
      rows: [{answer: 42}],
      // Ink's layout (yoga, instantiated synchronously in the bundle) stretched the box to the 20
      // columns and placed its border and padding.
      drawn: ['┌──────────────────┐', '│ answer 42        │', '└──────────────────┘'].join('\n'),
    });
  });

  it('keep Ink working with DEV=true, without React DevTools', () => {
    const {result} = probe(
      `loader.loadVendor('ui')`,
      `async (ui) => ui.ink.renderToString(ui.jsxRuntime.jsx(ui.ink.Text, {children: 'still drawn'}))`,
      {DEV: 'true'},
    );
    expect(result).toBe('still drawn');
  });
});

describe('the CLI without its bundles', () => {
  it('says it is not built and how to build it, with exit 1 and no stack trace', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'egregora-unbuilt-'));
    try {
      mkdirSync(path.join(copy, 'bin'));
      for (const file of ['bin/run.js', 'bin/oclif-root.js', 'bin/vendor-loader.cjs', 'package.json']) {
        copyFileSync(path.join(ROOT, file), path.join(copy, file));
      }
      const child = spawnSync(process.execPath, [path.join(copy, 'bin', 'run.js'), 'runs', 'tail'], {
        encoding: 'utf8',
      });
      expect(child.status).toBe(1);
      expect(child.stdout).toBe('');
      expect(child.stderr).toBe(
        `Error: ${path.join(copy, 'dist', 'vendor', 'oclif.cjs')} does not exist: egregora is not built, or its ` +
          `installation is incomplete. In a clone of the repository, run \`npm run build\` in ${copy}; otherwise ` +
          'install egregora again.\n',
      );
    } finally {
      rmSync(copy, {recursive: true, force: true});
    }
  });
});

describe('a bundle and its code cache', () => {
  let dir: string;
  let bundle: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'egregora-vendor-'));
    bundle = path.join(dir, 'oclif.cjs');
    cache = `${bundle}.v8cache`;
    copyFileSync(path.join(VENDOR, 'oclif.cjs'), bundle);
    copyFileSync(path.join(VENDOR, 'oclif.cjs.v8cache'), cache);
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  const loadOclif = () => `loader.loadBundle(${JSON.stringify(bundle)})`;
  const commandType = '(oclif) => typeof oclif.command.Command';

  it('is used when it was written for these bytes', () => {
    expect(probe(loadOclif(), commandType)).toEqual({
      status: [{file: 'oclif.cjs', cached: true}],
      result: 'function',
    });
  });

  it('is refused, and the bundle compiled, when the bundle changed but kept its length', () => {
    const source = readFileSync(bundle, 'utf8');
    const edited = source.replace('Mismatched version', 'Mismatched Version');
    expect(edited).not.toBe(source);
    expect(edited.length).toBe(source.length);
    writeFileSync(bundle, edited);
    expect(probe(loadOclif(), commandType)).toEqual({
      status: [{file: 'oclif.cjs', cached: false}],
      result: 'function',
    });
  });

  it('is refused by V8, and the bundle compiled, when its compiled code is damaged', () => {
    const bytes = readFileSync(cache);
    const header = bytes.subarray(0, bytes.indexOf(0x0a) + 1);
    writeFileSync(cache, Buffer.concat([header, Buffer.alloc(bytes.length - header.length, 0xa5)]));
    expect(probe(loadOclif(), commandType)).toEqual({
      status: [{file: 'oclif.cjs', cached: false}],
      result: 'function',
    });
  });

  it('is ignored with EGREGORA_CODE_CACHE=off (the benchmark of what it saves)', () => {
    expect(probe(loadOclif(), commandType, {EGREGORA_CODE_CACHE: 'off'})).toEqual({
      status: [{file: 'oclif.cjs', cached: false}],
      result: 'function',
    });
  });

  it('cannot stand in for a missing bundle: the error says to build', () => {
    rmSync(bundle);
    const child = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(LOADER)}).loadBundle(${JSON.stringify(bundle)})`],
      {
        encoding: 'utf8',
      },
    );
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain(`${bundle} does not exist: egregora is not built`);
  });

  it('is not needed: without one the bundle is compiled', () => {
    rmSync(cache);
    expect(probe(loadOclif(), commandType)).toEqual({
      status: [{file: 'oclif.cjs', cached: false}],
      result: 'function',
    });
  });

  it('is written at exit when asked, and a bundle run from it can still import()', () => {
    const importer = path.join(dir, 'importer.cjs');
    writeFileSync(
      importer,
      'module.exports = async () => (await __vendorImport("node:path")).join("a", "b") + " " + __filename;\n',
    );
    const load = `loader.loadBundle(${JSON.stringify(importer)})`;
    const call = '(run) => run()';
    const first = probe(load, call, {EGREGORA_WRITE_CODE_CACHE: '1'});
    expect(first).toEqual({
      status: [{file: 'importer.cjs', cached: false}],
      result: `${path.join('a', 'b')} ${importer}`,
    });
    expect(probe(load, call)).toEqual({
      status: [{file: 'importer.cjs', cached: true}],
      result: `${path.join('a', 'b')} ${importer}`,
    });
  });
});
