import {spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO_ROOT, 'bin', 'run.js');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** Environment of a spawned CLI: no colours, no inherited state dir, unless a test says otherwise. */
export function cliEnv(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1'};
  delete env.EGREGORA_DIR;
  delete env.FORCE_COLOR;
  delete env.TRACEPARENT;
  return {...env, ...extra};
}

export interface NodeRunOptions extends CliOptions {
  /** Use this environment as it is, instead of the CLI environment built from `env`. */
  readonly exactEnv?: NodeJS.ProcessEnv;
}

/** Spawns `node` with these arguments and collects what it printed: the one way tests run a process. */
export function runNode(nodeArgs: readonly string[], options: NodeRunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs], {
      cwd: options.cwd,
      env: options.exactEnv ?? cliEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}));
  });
}

/** Spawns the built CLI (`bin/run.js`) as a user runs it and collects what it printed. */
export function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return runNode([BIN, ...args], options);
}

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(
  prefix = 'egregora-test-',
): Promise<{dir: string; cleanup: () => Promise<void>}> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return {dir, cleanup: () => rm(dir, {recursive: true, force: true})};
}
