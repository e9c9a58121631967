import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {build} from 'esbuild';
import {DATA_DIR, REPO_ROOT} from './paths.js';

const CHILDREN_OUT = path.join(DATA_DIR, 'children');
const built = new Map<string, Promise<string>>();

/**
 * Child processes whose memory is measured must not run under tsx (its loader thread and the
 * TypeScript transforms would count in their RSS), so each child script in bench/children/ is bundled
 * with esbuild into plain ESM (project sources included, packages left as imports resolved from
 * node_modules) and run with bare `node`. Built once per benchmark process.
 */
export function bundledChild(name: string): Promise<string> {
  let pending = built.get(name);
  if (pending === undefined) {
    pending = bundle(name);
    built.set(name, pending);
  }
  return pending;
}

async function bundle(name: string): Promise<string> {
  await mkdir(CHILDREN_OUT, {recursive: true});
  const outfile = path.join(CHILDREN_OUT, `${name}.mjs`);
  await build({
    entryPoints: [path.join(REPO_ROOT, 'bench', 'children', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: false,
    logLevel: 'error',
  });
  return outfile;
}
