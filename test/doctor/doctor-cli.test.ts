import {rm} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {DoctorOutputSchema} from '../../schemas/doctor.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {type CliResult, REPO_ROOT, runCli, runNode} from '../helpers/cli.js';
import {buildHealthyState, snapshotTree, tempRoot} from './helpers.js';

/**
 * Doctor as a user sees it: a separate process, its stdout, stderr and exit code.
 *
 * The first suite runs the command class in a child process through oclif's own error handling (as
 * bin/run.js does), so it needs no registration. The second runs the built `bin/run.js doctor` and
 * turns itself on once `doctor` is in commands/index.ts (and `npm run build` has run).
 */

const DOCTOR_SOURCE = path.join(REPO_ROOT, 'commands', 'doctor.ts');

/**
 * `Doctor.run(argv)` in a fresh Node process, errors and exit codes handled as oclif's `execute` does.
 * The process starts in the repository (so `tsx` and `@oclif/core` resolve) and moves to `cwd` first.
 */
function spawnDoctor(args: readonly string[], cwd: string): Promise<CliResult> {
  const script = `
    import {handle} from '@oclif/core';
    const [cwd, ...argv] = process.argv.slice(1);
    process.chdir(cwd);
    const {default: Doctor} = await import(${JSON.stringify(DOCTOR_SOURCE)});
    await Doctor.run(argv, {root: ${JSON.stringify(REPO_ROOT)}}).catch(handle);`;
  return runNode(['--import', 'tsx', '--input-type=module', '-e', script, '--', cwd, ...args], {
    cwd: REPO_ROOT,
  });
}

describe('doctor in its own process', () => {
  it('healthy: PASS lines on stdout, nothing on stderr, exit 0', async () => {
    const healthy = await buildHealthyState();
    const result = await spawnDoctor([], healthy.root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^PASS {2}outputs-have-runs {2}/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('All required checks passed.');
  });

  it('a failed gate: FAIL line, exit ExitCode.checksFailed; --json prints the object and exits the same', async () => {
    const healthy = await buildHealthyState();
    await rm(path.join(healthy.outputDir, healthy.mediaPath));
    const human = await spawnDoctor(['--dir', healthy.state.stateDir], healthy.root);
    expect(human.code).toBe(ExitCode.checksFailed);
    expect(human.stdout).toMatch(/^FAIL {2}posts-recorded {5}1 recorded file is missing on disk/m);
    const json = await spawnDoctor(['--dir', healthy.state.stateDir, '--json'], healthy.root);
    expect(json.code).toBe(ExitCode.checksFailed);
    const output = DoctorOutputSchema.parse(JSON.parse(json.stdout));
    expect(output.ok).toBe(false);
  });

  it('no state: INFO lines, exit 0, nothing created', async () => {
    const root = await tempRoot();
    const result = await spawnDoctor(['--json'], root);
    expect(result.code).toBe(0);
    const output = DoctorOutputSchema.parse(JSON.parse(result.stdout));
    expect(output.ok).toBe(true);
    expect(output.gates.every((gate) => gate.status === 'info')).toBe(true);
    expect((await snapshotTree(root)).size).toBe(0);
  });
});

describe('egregora doctor, the built CLI', () => {
  it('healthy: exit 0; broken: FAIL and a non-zero exit; --json matches the schema', async () => {
    const healthy = await buildHealthyState();
    const ok = await runCli(['doctor'], {cwd: healthy.root});
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('All required checks passed.');
    await rm(path.join(healthy.outputDir, healthy.postPath));
    const before = await snapshotTree(healthy.root);
    const failed = await runCli(['doctor', '--json'], {cwd: healthy.root});
    expect(failed.code).not.toBe(0);
    expect(DoctorOutputSchema.parse(JSON.parse(failed.stdout)).ok).toBe(false);
    expect(await snapshotTree(healthy.root)).toEqual(before);
  });
});
