import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {codeRef, gitCommit, resolveCodeRef} from '../../src/runs/code-ref.js';
import {tempDir} from './helpers.js';

const SHA = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

/** A fake package with its module at src/runs/code-ref.js, as the real layout has it. */
function fakePackage(): {root: string; moduleUrl: string} {
  const root = tempDir();
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({name: 'egregora', version: '1.2.3'}));
  mkdirSync(path.join(root, 'src', 'runs'), {recursive: true});
  // A nested package.json without name/version (like dist/package.json {"type":"module"}) is not the root.
  writeFileSync(path.join(root, 'src', 'package.json'), JSON.stringify({type: 'module'}));
  return {root, moduleUrl: pathToFileURL(path.join(root, 'src', 'runs', 'code-ref.js')).href};
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), {recursive: true});
  writeFileSync(file, text);
}

describe('code_ref', () => {
  it('is the package version outside a checkout', () => {
    const {moduleUrl} = fakePackage();
    expect(resolveCodeRef(moduleUrl)).toBe('egregora@1.2.3');
  });

  it('is the commit of a branch, from its loose ref or from packed-refs', () => {
    const {root, moduleUrl} = fakePackage();
    write(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    write(
      path.join(root, '.git', 'packed-refs'),
      `# pack-refs with: peeled fully-peeled sorted\n${OTHER} refs/heads/main\n`,
    );
    expect(resolveCodeRef(moduleUrl)).toBe(OTHER);
    write(path.join(root, '.git', 'refs', 'heads', 'main'), `${SHA}\n`);
    expect(resolveCodeRef(moduleUrl)).toBe(SHA);
  });

  it('is the commit of a detached HEAD', () => {
    const {root, moduleUrl} = fakePackage();
    write(path.join(root, '.git', 'HEAD'), `${SHA}\n`);
    expect(resolveCodeRef(moduleUrl)).toBe(SHA);
  });

  it('falls back to the version on an unborn branch (no commit yet)', () => {
    const {root, moduleUrl} = fakePackage();
    write(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    expect(resolveCodeRef(moduleUrl)).toBe('egregora@1.2.3');
  });

  it('follows a worktree .git file to its HEAD and the common refs', () => {
    const {root, moduleUrl} = fakePackage();
    const main = tempDir();
    const worktreeGitDir = path.join(main, '.git', 'worktrees', 'wt');
    write(path.join(root, '.git'), `gitdir: ${worktreeGitDir}\n`);
    write(path.join(worktreeGitDir, 'HEAD'), 'ref: refs/heads/feature\n');
    write(path.join(worktreeGitDir, 'commondir'), '../..\n');
    write(path.join(main, '.git', 'refs', 'heads', 'feature'), `${SHA}\n`);
    expect(gitCommit(root)).toBe(SHA);
    expect(resolveCodeRef(moduleUrl)).toBe(SHA);
  });

  it('for this package is computed once and is a commit or this version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const value = codeRef();
    expect(value === `egregora@${pkg.version}` || /^[0-9a-f]{40}$/.test(value)).toBe(true);
    expect(codeRef()).toBe(value);
  });
});
