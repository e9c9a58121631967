import {copyFile, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {build} from 'esbuild';
import {runsStore} from './fixtures/runs-store.js';
import {timeCommand} from './lib/measure.js';
import {CLI_BIN, DATA_DIR, REPO_ROOT} from './lib/paths.js';
import {formatMs, median} from './lib/stats.js';

/**
 * Prototypes of more bundling than bin/bundle.js does (it bundles the command map, and leaves
 * @oclif/core and @duckdb/node-api outside). Each variant is a self-contained CLI folder in
 * bench/.data/bundle-prototype/<variant>/ (the same package.json, so the same oclif config; bin/run.js;
 * dist/commands/), measured against the built CLI, alternately, in fresh processes:
 *
 *   duckdb-js  also bundles @duckdb/node-api, the ~60 CommonJS files of DuckDB's JavaScript layer
 *              (only the native binding, @duckdb/node-bindings, stays a package): Node no longer
 *              resolves, reads and pre-parses each of them (cjs-module-lexer) on every start.
 *   oclif      also bundles @oclif/core, into a chunk shared by bin/run.js and the command map.
 *
 *   npm run build && node --import tsx bench/bundle-prototype.ts
 */
const OUT = path.join(DATA_DIR, 'bundle-prototype');
/** Fresh processes per command and CLI, after 2 untimed ones (as the suite's CLI benchmarks). */
const RUNS = 15;
const WARMUP_RUNS = 2;
const STORE_RUNS = 1_000_000;

/** The banner bin/bundle.js uses: bundled CommonJS calls require(), so the ESM output needs one. */
const REQUIRE_BANNER =
  "import {createRequire as __benchCreateRequire} from 'node:module'; const require = __benchCreateRequire(import.meta.url);";

interface Variant {
  readonly name: string;
  readonly external: readonly string[];
  /** Whether bin/run.js is bundled too (with oclif, sharing its chunk with the command map). */
  readonly bundleBin: boolean;
}

const VARIANTS: readonly Variant[] = [
  {
    name: 'duckdb-js',
    external: ['@duckdb/node-bindings', '@oclif/core', 'react-devtools-core'],
    bundleBin: false,
  },
  {name: 'oclif', external: ['@duckdb/node-api', 'react-devtools-core'], bundleBin: true},
];

async function buildVariant(variant: Variant): Promise<string> {
  const dir = path.join(OUT, variant.name);
  await rm(dir, {recursive: true, force: true});
  await mkdir(path.join(dir, 'bin'), {recursive: true});
  // The same manifest: oclif reads its config (the explicit command map at ./dist/commands/index.js) there.
  await writeFile(
    path.join(dir, 'package.json'),
    await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8'),
  );
  const entryPoints: Record<string, string> = {
    'dist/commands/index': path.join(REPO_ROOT, 'commands', 'index.ts'),
  };
  if (variant.bundleBin) entryPoints['bin/run'] = CLI_BIN;
  else await copyFile(CLI_BIN, path.join(dir, 'bin', 'run.js'));
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints,
    outdir: dir,
    chunkNames: 'dist/chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
    external: [...variant.external],
    banner: {js: REQUIRE_BANNER},
    legalComments: 'none',
    logLevel: 'error',
  });
  return path.join(dir, 'bin', 'run.js');
}

interface Case {
  readonly label: string;
  readonly args: readonly string[];
  readonly expect: string;
}

interface Medians {
  readonly wall: number;
  /** CPU time of the child (user + system); less disturbed than wall time by other work on the machine. */
  readonly cpu: number;
}

function measure(bins: ReadonlyMap<string, string>, command: Case): Map<string, Medians> {
  const samples = new Map<string, number[]>([...bins.keys()].map((name) => [name, []]));
  const cpuSamples = new Map<string, number[]>([...bins.keys()].map((name) => [name, []]));
  const options = {cwd: REPO_ROOT, env: {...process.env, FORCE_COLOR: '0'}, timeoutMs: 60_000};
  for (let run = -WARMUP_RUNS; run < RUNS; run += 1) {
    for (const [name, bin] of bins) {
      const result = timeCommand(process.execPath, [bin, ...command.args], options);
      if (result.exitCode !== 0 || !result.stdout.includes(command.expect)) {
        throw new Error(
          `${name}: ${command.label} failed (exit ${result.exitCode}): ${result.stderr.slice(0, 500)}`,
        );
      }
      if (run >= 0) {
        samples.get(name)?.push(result.wallMs);
        cpuSamples.get(name)?.push(result.cpuMs ?? Number.NaN);
      }
    }
  }
  return new Map(
    [...samples].map(([name, values]) => [
      name,
      {wall: median(values), cpu: median(cpuSamples.get(name) ?? [])},
    ]),
  );
}

const bins = new Map<string, string>([['built CLI', CLI_BIN]]);
for (const variant of VARIANTS) bins.set(variant.name, await buildVariant(variant));
const store = await runsStore(STORE_RUNS, (message) => process.stderr.write(`${message}\n`));
const cases: Case[] = [
  {label: '--help', args: ['--help'], expect: 'process'},
  {label: 'runs tail', args: ['runs', 'tail', '--dir', store.stateDir], expect: 'window_'},
  {
    label: 'runs show <prefix>',
    args: ['runs', 'show', store.showRunId.slice(0, 8), '--dir', store.stateDir],
    expect: 'ingest',
  },
  {
    label: 'runs list --status failed',
    args: ['runs', 'list', '--status', 'failed', '--limit', '50', '--dir', store.stateDir],
    expect: 'failed',
  },
];
process.stdout.write(`medians of ${RUNS} fresh processes, 1,000,000-run store: wall / CPU\n`);
process.stdout.write(
  `${'command'.padEnd(28)}${[...bins.keys()].map((name) => name.padStart(30)).join('')}\n`,
);
const change = (value: number, reference: number) =>
  `${value > reference ? '+' : ''}${(((value - reference) / reference) * 100).toFixed(0)}%`;
for (const command of cases) {
  const medians = measure(bins, command);
  const base = medians.get('built CLI');
  const cells = [...medians].map(([name, value]) => {
    const text = `${formatMs(value.wall)} / ${formatMs(value.cpu)}`;
    if (name === 'built CLI' || base === undefined) return text.padStart(30);
    return `${text} (${change(value.wall, base.wall)}/${change(value.cpu, base.cpu)})`.padStart(30);
  });
  process.stdout.write(`${command.label.padEnd(28)}${cells.join('')}\n`);
}
