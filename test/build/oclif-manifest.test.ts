import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MANIFEST = path.join(ROOT, 'dist', 'oclif.manifest.json');

interface Manifest {
  version: string;
  commands: Record<string, {id: string; flags: Record<string, unknown>; summary?: string}>;
}

describe('the oclif manifest the build writes (bin/bundle.js, writeOclifManifest)', () => {
  it('is in dist/ only: the sources and the tests that load them from the package root compute theirs', () => {
    expect(existsSync(MANIFEST)).toBe(true);
    expect(existsSync(path.join(ROOT, 'oclif.manifest.json'))).toBe(false);
    expect(existsSync(path.join(ROOT, '.oclif.manifest.json'))).toBe(false);
  });

  it('is what oclif computes from the built commands, for this version', () => {
    const written = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {version: string};
    expect(written.version).toBe(pkg.version);
    // oclif's own computation from the command bundle, ignoring the file.
    const script = `
      const {Plugin} = await import('@oclif/core');
      const {builtCliLoadOptions} = await import(${JSON.stringify(path.join(ROOT, 'bin', 'oclif-root.js'))});
      const options = builtCliLoadOptions(${JSON.stringify(ROOT)});
      const plugin = new Plugin({...options, type: 'core', isRoot: true, ignoreManifest: true});
      await plugin.load();
      process.stdout.write(JSON.stringify(plugin.manifest));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(child.status).toBe(0);
    const computed = JSON.parse(child.stdout) as Manifest;
    expect(Object.keys(written.commands).sort()).toEqual(Object.keys(computed.commands).sort());
    expect(written).toEqual(computed);
    expect(written.commands['runs:tail']?.flags).toHaveProperty('follow');
  });

  it('is the one the CLI reads at start', () => {
    const child = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'run.js'), '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {...process.env, DEBUG: 'oclif:*'},
    });
    expect(child.status).toBe(0);
    expect(child.stderr).toContain(`using manifest from ${MANIFEST}`);
  });
});
