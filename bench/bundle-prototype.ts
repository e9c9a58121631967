import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {build} from 'esbuild';
import {runsStore} from './fixtures/runs-store.js';
import {timeCommand} from './lib/measure.js';
import {CLI_BIN, DATA_DIR, REPO_ROOT} from './lib/paths.js';
import {formatMs, median} from './lib/stats.js';

/**
 * Prototype: one more step of bundling than bin/bundle.js does. The build bundles the command map
 * but leaves @oclif/core outside, and loading oclif's ~200 CommonJS files is then most of what
 * `--help` costs. Here oclif is bundled too, into a chunk shared by the entry (bin) and the command
 * map, so that it is loaded once. The result is a self-contained CLI folder in
 * bench/.data/bundle-prototype/ (package.json with the same oclif config, bin/run.js, dist/commands/);
 * DuckDB stays a package (a native binding cannot be bundled).
 *
 *   npm run build && node --import tsx bench/bundle-prototype.ts
 *
 * Measures `--help` and `runs tail` (1,000,000-run store) of the built CLI and of the prototype,
 * alternately, in fresh processes, and prints the medians.
 */
const OUT = path.join(DATA_DIR, 'bundle-prototype');
const RUNS = 15;
const STORE_RUNS = 1_000_000;

async function buildPrototype(): Promise<string> {
  await rm(OUT, {recursive: true, force: true});
  await mkdir(path.join(OUT, 'src'), {recursive: true});
  // The same manifest: oclif reads its config (explicit command map at ./dist/commands/index.js) from it.
  await writeFile(
    path.join(OUT, 'package.json'),
    await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8'),
  );
  const entry = path.join(OUT, 'src', 'run.mjs');
  await writeFile(
    entry,
    [
      "import {execute, settings} from '@oclif/core';",
      'settings.enableAutoTranspile = false;',
      'await execute({dir: import.meta.url});',
      '',
    ].join('\n'),
  );
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: {'bin/run': entry, 'dist/commands/index': path.join(REPO_ROOT, 'commands', 'index.ts')},
    outdir: OUT,
    chunkNames: 'dist/chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
    // A native binding cannot be bundled; react-devtools-core is Ink's optional DEV-only import.
    external: ['@duckdb/node-api', 'react-devtools-core'],
    banner: {
      js: "import {createRequire as __benchCreateRequire} from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
    },
    legalComments: 'none',
    logLevel: 'error',
  });
  return path.join(OUT, 'bin', 'run.js');
}

function compare(
  label: string,
  args: readonly string[],
  prototypeBin: string,
  check: (stdout: string) => boolean,
): void {
  const current: number[] = [];
  const prototype: number[] = [];
  const options = {cwd: REPO_ROOT, env: {...process.env, FORCE_COLOR: '0'}, timeoutMs: 60_000};
  for (let run = -2; run < RUNS; run += 1) {
    for (const [bin, samples] of [
      [CLI_BIN, current],
      [prototypeBin, prototype],
    ] as const) {
      const result = timeCommand(process.execPath, [bin, ...args], options);
      if (result.exitCode !== 0 || !check(result.stdout)) {
        throw new Error(
          `${bin} ${args.join(' ')} failed (exit ${result.exitCode}): ${result.stderr.slice(0, 500)}`,
        );
      }
      if (run >= 0) samples.push(result.wallMs);
    }
  }
  const [now, proto] = [median(current), median(prototype)];
  process.stdout.write(
    `${label.padEnd(34)} built CLI ${formatMs(now).padStart(7)}   prototype ${formatMs(proto).padStart(7)}   (${(((proto - now) / now) * 100).toFixed(0)}%)\n`,
  );
}

const prototypeBin = await buildPrototype();
process.stdout.write(`prototype built in ${OUT}\n`);
compare('egregora --help', ['--help'], prototypeBin, (stdout) => stdout.includes('process'));
const store = await runsStore(STORE_RUNS, (message) => process.stderr.write(`${message}\n`));
compare('egregora runs tail (1M runs)', ['runs', 'tail', '--dir', store.stateDir], prototypeBin, (stdout) =>
  stdout.includes('window_'),
);
