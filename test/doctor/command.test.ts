import {rm} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {captureOutput} from '@oclif/test';
import {describe, expect, it} from 'vitest';
import Doctor from '../../commands/doctor.js';
import {DoctorOutputSchema} from '../../schemas/doctor.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {buildHealthyState, snapshotTree, tempRoot} from './helpers.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Runs the command class in-process, as oclif would once it is registered (commands/index.ts), and
 * captures what it prints. The exit code is 0 unless the command exits or throws.
 */
async function doctor(argv: string[], cwd?: string, egregoraDir?: string) {
  const previousCwd = process.cwd();
  const previousDir = process.env.EGREGORA_DIR;
  if (egregoraDir === undefined) delete process.env.EGREGORA_DIR;
  else process.env.EGREGORA_DIR = egregoraDir;
  if (cwd) process.chdir(cwd);
  try {
    const captured = await captureOutput<unknown>(() => Doctor.run(argv, {root: REPO_ROOT}));
    const exit = captured.error ? (captured.error.oclif?.exit ?? 'threw') : 0;
    return {...captured, exit};
  } finally {
    if (cwd) process.chdir(previousCwd);
    if (previousDir === undefined) delete process.env.EGREGORA_DIR;
    else process.env.EGREGORA_DIR = previousDir;
  }
}

describe('egregora doctor (command)', () => {
  it('prints a PASS line per required gate, INFO lines, the verdict; exit 0', async () => {
    const healthy = await buildHealthyState();
    const result = await doctor(['--dir', healthy.state.stateDir], healthy.root);
    expect(result.exit).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 7).every((line) => line.startsWith('PASS  '))).toBe(true);
    expect(lines[0]).toMatch(/^PASS {2}outputs-have-runs {2}all 9 rows/);
    expect(lines.slice(7, 10).every((line) => line.startsWith('INFO  '))).toBe(true);
    expect(lines[9]).toMatch(
      /^INFO {2}last-ingest +newest ingest [0-9a-f]{8}… \(completed\): no lines in other layouts/,
    );
    expect(lines[10]).toBe('All required checks passed.');
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('exits non-zero with a FAIL line naming the gate when a required gate fails', async () => {
    const healthy = await buildHealthyState();
    await rm(path.join(healthy.outputDir, healthy.postPath));
    const result = await doctor(['--dir', healthy.state.stateDir], healthy.root);
    expect(result.exit).toBe(ExitCode.checksFailed);
    expect(result.stdout).toMatch(
      /^FAIL {2}posts-recorded {5}1 recorded file is missing on disk \(e\.g\. posts\//m,
    );
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 required check failed.');
  });

  it('--json prints one object matching the schema, ok true, exit 0', async () => {
    const healthy = await buildHealthyState();
    const result = await doctor(['--dir', healthy.state.stateDir, '--json'], healthy.root);
    expect(result.exit).toBe(0);
    const output = DoctorOutputSchema.parse(JSON.parse(result.stdout));
    expect(output.ok).toBe(true);
    expect(output.state_dir).toBe(healthy.state.stateDir);
    expect(output.gates).toHaveLength(10);
  });

  it('--json on a failure still prints the object (ok false), then exits non-zero', async () => {
    const healthy = await buildHealthyState();
    await rm(path.join(healthy.outputDir, healthy.postPath));
    const result = await doctor(['--dir', healthy.state.stateDir, '--json'], healthy.root);
    expect(result.exit).toBe(ExitCode.checksFailed);
    const output = DoctorOutputSchema.parse(JSON.parse(result.stdout));
    expect(output.ok).toBe(false);
    expect(output.gates.find((gate) => gate.status === 'fail')?.name).toBe('posts-recorded');
  });

  it('finds ./.egregora by default and EGREGORA_DIR when set', async () => {
    const healthy = await buildHealthyState();
    const byDefault = await doctor(['--json'], healthy.root);
    expect(DoctorOutputSchema.parse(JSON.parse(byDefault.stdout)).state_dir).toBe(healthy.state.stateDir);
    const fromEnv = await doctor(['--json'], await tempRoot(), healthy.state.stateDir);
    expect(DoctorOutputSchema.parse(JSON.parse(fromEnv.stdout)).state_dir).toBe(healthy.state.stateDir);
  });

  it('with no state: INFO lines saying nothing to check yet, exit 0, nothing created', async () => {
    const root = await tempRoot();
    const result = await doctor([], root);
    expect(result.exit).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    expect(
      lines.slice(0, 10).every((line) => /^INFO {2}\S+ +nothing to check yet: .* does not exist$/.test(line)),
    ).toBe(true);
    expect(lines[10]).toBe('Nothing to check yet.');
    expect((await snapshotTree(root)).size).toBe(0);
  });

  it('writes nothing through the command either', async () => {
    const healthy = await buildHealthyState();
    const before = await snapshotTree(healthy.root);
    await doctor(['--dir', healthy.state.stateDir], healthy.root);
    await doctor(['--dir', healthy.state.stateDir, '--json'], healthy.root);
    expect(await snapshotTree(healthy.root)).toEqual(before);
  });
});
