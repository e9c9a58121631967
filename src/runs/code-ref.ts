import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** Package roots are found by walking up from this module; a real layout is never deeper than this. */
const MAX_PARENT_LEVELS = 8;

const FULL_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * What `code_ref` records: the git commit of the egregora checkout running (so a run can be traced to
 * exact code), or `egregora@<version>` when installed from a package. Read from the files git keeps,
 * never by running git: no subprocess on start-up, and no dependency on git being installed.
 */
export function resolveCodeRef(fromUrl: string = import.meta.url): string {
  const root = findPackageRoot(path.dirname(fileURLToPath(fromUrl)));
  if (root === null) return 'egregora@unknown';
  return gitCommit(root.dir) ?? `${root.name}@${root.version}`;
}

let cached: string | undefined;

/** resolveCodeRef() for this module, computed once per process. */
export function codeRef(): string {
  cached ??= resolveCodeRef();
  return cached;
}

interface PackageRoot {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
}

function findPackageRoot(startDir: string): PackageRoot | null {
  let dir = startDir;
  for (let level = 0; level <= MAX_PARENT_LEVELS; level += 1) {
    const manifest = readJson(path.join(dir, 'package.json'));
    if (manifest && typeof manifest.name === 'string' && typeof manifest.version === 'string') {
      return {dir, name: manifest.name, version: manifest.version};
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** The commit HEAD points at, or null when this is not a checkout, HEAD is unborn, or the files are odd. */
export function gitCommit(repoDir: string): string | null {
  const gitDir = resolveGitDir(repoDir);
  if (gitDir === null) return null;
  const head = readText(path.join(gitDir, 'HEAD'));
  if (head === null) return null;
  if (FULL_SHA.test(head)) return head;
  const match = /^ref:\s*(refs\/\S+)$/.exec(head);
  if (!match?.[1]) return null;
  // Worktrees keep HEAD in their own dir and refs in the main repository's ("commondir").
  const commonDirText = readText(path.join(gitDir, 'commondir'));
  const commonDir = commonDirText === null ? gitDir : path.resolve(gitDir, commonDirText);
  return resolveRef(match[1], [gitDir, commonDir]);
}

function resolveGitDir(repoDir: string): string | null {
  const dotGit = path.join(repoDir, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
  } catch {
    return null;
  }
  // A worktree or submodule: `.git` is a file saying `gitdir: <path>`.
  const text = readText(dotGit);
  const match = text === null ? null : /^gitdir:\s*(.+)$/.exec(text);
  return match?.[1] ? path.resolve(repoDir, match[1]) : null;
}

function resolveRef(ref: string, dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    const loose = readText(path.join(dir, ...ref.split('/')));
    if (loose !== null && FULL_SHA.test(loose)) return loose;
  }
  for (const dir of dirs) {
    const packed = readText(path.join(dir, 'packed-refs'));
    if (packed === null) continue;
    for (const line of packed.split('\n')) {
      const [sha, name] = line.trim().split(' ');
      if (name === ref && sha !== undefined && FULL_SHA.test(sha)) return sha;
    }
  }
  return null;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

function readJson(file: string): Record<string, unknown> | null {
  const text = readText(file);
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
