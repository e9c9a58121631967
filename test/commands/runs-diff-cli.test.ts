import {cp, mkdir} from 'node:fs/promises';
import path from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import * as z from 'zod';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {RunsDiffOutputSchema} from '../../schemas/runs-diff.js';
import {ErrorOutputSchema} from '../../schemas/runs-output.js';
import {runCli, tempDir} from '../helpers/cli.js';
import {writeChatExport} from '../pipeline/export-fixture.js';

/** Two ids that share the prefix `aaaa1111`. */
const AMBIGUOUS = ['aaaa1111-2222-4333-8444-555555555555', 'aaaa1111-9999-4333-8444-555555555555'] as const;

async function execute(dbPath: string, sql: string, params: string[] = []): Promise<void> {
  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  try {
    await connection.run(sql, params);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('runs diff, spawned as a user runs it', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let cwd: string;
  let first: string;
  let second: string;

  async function processRun(zip: string, args: readonly string[]): Promise<string> {
    const result = await runCli(['process', zip, ...args, '--json'], {cwd});
    expect(result.code, result.stderr).toBe(0);
    return String(ProcessSummarySchema.parse(JSON.parse(result.stdout)).process_run_id);
  }

  beforeAll(async () => {
    ({dir: root, cleanup} = await tempDir('egregora-diff-cli-'));
    const zip = await writeChatExport(path.join(root, 'input'), 450);
    cwd = path.join(root, 'work');
    await mkdir(cwd, {recursive: true});
    first = await processRun(zip, []);
    second = await processRun(zip, ['--force', '--window-size', '80']);
  }, 60_000);
  afterAll(async () => cleanup());

  it('--json validates: the fields, the setting and the windows that differ', async () => {
    const result = await runCli(['runs', 'diff', first.slice(0, 8), second.slice(0, 8), '--json'], {cwd});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const output = RunsDiffOutputSchema.parse(JSON.parse(result.stdout));
    expect(output.a.run_id).toBe(first);
    expect(output.b.run_id).toBe(second);
    expect(output.db_path).toBe(path.join(cwd, '.egregora', 'runs.duckdb'));
    expect(output.settings).toEqual([{key: 'windowSize', a: 100, b: 80, only: null}]);
    expect(output.windows?.counts).toMatchObject({changed_input: 5, added: 1});
    expect(output.windows?.total_changed).toBe(6);
  });

  it('prints the differing fields side by side, the settings, the windows and the next step', async () => {
    const result = await runCli(['runs', 'diff', first, second], {cwd});
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^a [0-9a-f]{8} \(process\) against b [0-9a-f]{8} \(process\):/);
    expect(out).toMatch(/Field\s+A\s+B/);
    expect(out).toMatch(new RegExp(`Run\\s+${first}\\s+${second}`));
    expect(out).toMatch(/Config hash\s+sha256:[0-9a-f]{12}\.\.\.\s+sha256:[0-9a-f]{12}\.\.\./);
    expect(out).toMatch(/Duration\s+\S+\s+\S+ \([+-][\d.]+s, x[\d.]+\)/);
    // Fields that are the same are not shown.
    expect(out).not.toMatch(/Rows in/);
    expect(out).toContain('== Settings that differ ==');
    expect(out).toMatch(/windowSize\s+100\s+80/);
    expect(out).toContain('5 run in a, 6 run in b: 5 changed input, 1 added');
    expect(out).toMatch(/ 5 {2}added\s+-\s+[0-9a-f]{8}\s+posts\/\S+-w0005-/);
    expect(out).toMatch(/== Next ==\negregora runs show [0-9a-f]{8} {3}\(window 0: changed input/);
    // No colour codes when piped.
    expect(out).not.toContain('\u001b[');
  });

  it('a run with itself: says that nothing differs', async () => {
    const result = await runCli(['runs', 'diff', first, first.slice(0, 6)], {cwd});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`a and b are the same run (${first}): nothing differs.`);
    expect(result.stdout).toContain('5 run in a, 5 run in b: 5 unchanged');
    expect(result.stdout).not.toContain('== Next ==');
    const json = RunsDiffOutputSchema.parse(
      JSON.parse((await runCli(['runs', 'diff', first, first, '--json'], {cwd})).stdout),
    );
    expect(json).toMatchObject({same_run: true, fields: [], settings: []});
  });

  it('exit 3 naming the argument that matches no run', async () => {
    const result = await runCli(['runs', 'diff', first, 'ffff0000'], {cwd});
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('No run id starts with "ffff0000" (run b)');
    expect(result.stderr).toContain('runs tail');
    const json = await runCli(['runs', 'diff', 'ffff0000', first, '--json'], {cwd});
    expect(json.code).toBe(3);
    const error = ErrorOutputSchema.parse(JSON.parse(json.stdout));
    expect(error.error).toMatchObject({exitCode: 3});
    expect(error.error.message).toContain('(run a)');
  });

  it('exit 4 naming the argument whose prefix matches several runs, with the candidates', async () => {
    const copy = path.join(root, 'ambiguous');
    await cp(cwd, copy, {recursive: true});
    for (const id of AMBIGUOUS) {
      await execute(
        path.join(copy, '.egregora', 'runs.duckdb'),
        `INSERT INTO runs (run_id, stage, status, started_at) VALUES ($1, 'window_9', 'completed', now())`,
        [id],
      );
    }
    const result = await runCli(['runs', 'diff', first, 'aaaa1111'], {cwd: copy});
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('The prefix "aaaa1111" (run b) matches 2 runs');
    for (const id of AMBIGUOUS) expect(result.stderr).toContain(id);
    const json = await runCli(['runs', 'diff', 'aaaa-1111', first, '--json'], {cwd: copy});
    expect(json.code).toBe(4);
    const error = ErrorOutputSchema.parse(JSON.parse(json.stdout));
    expect(error.error.details).toMatchObject({side: 'a', total: 2});
    const longer = await runCli(['runs', 'diff', 'aaaa1111-2222', 'aaaa1111-9999', '--json'], {cwd: copy});
    expect(longer.code).toBe(0);
    const output = RunsDiffOutputSchema.parse(JSON.parse(longer.stdout));
    // Two runs of no process: no settings to compare, no windows.
    expect(output).toMatchObject({settings: null, settings_from: {a: null, b: null}, windows: null});
  });

  it('exit 2 for a prefix too short to use, naming which', async () => {
    const result = await runCli(['runs', 'diff', first, 'ab'], {cwd});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Run b: A run id prefix needs at least 4 characters');
  });

  it('a friendly error where no runs are recorded yet', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty, {recursive: true});
    const result = await runCli(['runs', 'diff', 'abcd', 'ef01'], {cwd: empty});
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('No runs are recorded yet');
    expect(result.stderr).toContain('egregora process');
    const json = await runCli(['runs', 'diff', 'abcd', 'ef01', '--json'], {cwd: empty});
    expect(json.code).toBe(3);
    expect(ErrorOutputSchema.parse(JSON.parse(json.stdout)).error.exitCode).toBe(3);
  });

  it('keeps the shape of its --json output (JSON Schema snapshot)', async () => {
    const schema = z.toJSONSchema(RunsDiffOutputSchema, {target: 'draft-2020-12'});
    await expect(`${JSON.stringify(schema, null, 2)}\n`).toMatchFileSnapshot(
      '__snapshots__/runs-diff-output.schema.json',
    );
  });
});
