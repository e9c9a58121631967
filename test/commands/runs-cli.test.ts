import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ErrorOutputSchema, RunShowOutputSchema, RunsListingOutputSchema} from '../../schemas/runs-output.js';
import {RunTracker} from '../../src/runs/tracker.js';
import {runCli, tempDir} from '../helpers/cli.js';

/** Ids chosen so that `aaaa1111` is ambiguous and `aaaa11112222` is not. */
const AMBIGUOUS_A = 'aaaa1111-2222-4333-8444-555555555555';
const AMBIGUOUS_B = 'aaaa1111-9999-4333-8444-555555555555';
/** An id whose text contains what SQL LIKE would treat as wildcards if it leaked. */
const PLAIN_ID = 'bbbb0000-0000-4000-8000-000000000001';

async function insertRun(dbPath: string, runId: string, stage: string, status: string, startedAt: string) {
  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  try {
    await connection.run(
      `INSERT INTO runs (run_id, stage, status, started_at, finished_at, duration_seconds, rows_in, rows_out, llm_calls, tokens)
       VALUES ($1, $2, $3, $4::TIMESTAMPTZ, $4::TIMESTAMPTZ + INTERVAL 2 SECOND, 2, 10, 1, 0, 0)`,
      [runId, stage, status, startedAt],
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('runs commands, spawned as a user runs them', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let stateDir: string;
  let ingestId: string;
  let failedId: string;

  beforeAll(async () => {
    ({dir, cleanup} = await tempDir());
    stateDir = path.join(dir, 'populated', '.egregora');
    await mkdir(stateDir, {recursive: true});
    const dbPath = path.join(stateDir, 'runs.duckdb');
    const tracker = await RunTracker.open({dbPath});
    const ingest = tracker.start({
      stage: 'ingest',
      rowsIn: 1200,
      inputFingerprint: 'sha256:aa',
      configHash: 'sha256:cc',
    });
    ingestId = ingest.runId;
    tracker.finish(ingest.runId, {status: 'completed', rowsOut: 1000});
    for (let index = 0; index < 3; index += 1) {
      const window = tracker.start({stage: `window_${index}`, rowsIn: 100, parentRunIds: [ingest.runId]});
      if (index === 1) {
        failedId = window.runId;
        tracker.finish(window.runId, {
          status: 'failed',
          error: new RangeError('window too large for the writer'),
        });
      } else {
        tracker.finish(window.runId, {status: 'completed', rowsOut: 1});
      }
    }
    const report = await tracker.close();
    expect(report.recorded).toBe(true);
    await insertRun(dbPath, AMBIGUOUS_A, 'window_a', 'completed', '2020-01-01T00:00:00Z');
    await insertRun(dbPath, AMBIGUOUS_B, 'window_b', 'degraded', '2020-01-01T00:00:01Z');
    await insertRun(dbPath, PLAIN_ID, 'window_c', 'cancelled', '2020-01-01T00:00:02Z');
  });

  afterAll(async () => {
    await cleanup();
  });

  const populated = () => path.join(dir, 'populated');

  describe('with no database', () => {
    it('tail says nothing is recorded yet, where, and what to run; exit 0; creates nothing', async () => {
      const cwd = path.join(dir, 'fresh');
      await mkdir(cwd, {recursive: true});
      const result = await runCli(['runs', 'tail'], {cwd});
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('No runs are recorded yet');
      expect(result.stderr).toContain(path.join(cwd, '.egregora', 'runs.duckdb'));
      expect(result.stderr).toContain('egregora process');
      const {existsSync} = await import('node:fs');
      expect(existsSync(path.join(cwd, '.egregora'))).toBe(false);
    });

    it('tail --json reports the missing state', async () => {
      const cwd = path.join(dir, 'fresh');
      const result = await runCli(['runs', 'tail', '--json'], {cwd});
      expect(result.code).toBe(0);
      const output = RunsListingOutputSchema.parse(JSON.parse(result.stdout));
      expect(output.state).toBe('missing');
      expect(output.runs).toEqual([]);
    });

    it('show exits with the not-found code', async () => {
      const cwd = path.join(dir, 'fresh');
      const result = await runCli(['runs', 'show', 'abcd'], {cwd});
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('No runs are recorded yet');
    });
  });

  describe('with an empty database', () => {
    it('tail and list say there are no runs, exit 0', async () => {
      const cwd = path.join(dir, 'empty');
      await mkdir(path.join(cwd, '.egregora'), {recursive: true});
      const tracker = await RunTracker.open({dbPath: path.join(cwd, '.egregora', 'runs.duckdb')});
      await tracker.flush();
      await tracker.close();
      const tail = await runCli(['runs', 'tail'], {cwd});
      expect(tail.code).toBe(0);
      expect(tail.stderr).toContain('No runs recorded yet');
      const list = await runCli(['runs', 'list', '--json'], {cwd});
      expect(list.code).toBe(0);
      expect(RunsListingOutputSchema.parse(JSON.parse(list.stdout)).runs).toEqual([]);
    });
  });

  describe('with a populated database', () => {
    it('tail shows the table newest first with the seven columns, no colour when piped', async () => {
      const result = await runCli(['runs', 'tail'], {cwd: populated()});
      expect(result.code).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^Run ID\s+Stage\s+Status\s+Started At\s+Rows In\s+Rows Out\s+Duration$/);
      expect(lines[1]).toMatch(/^[0-9a-f]{8}\s+window_2\s+completed\s/);
      expect(lines[2]).toMatch(/^[0-9a-f]{8}\s+window_1\s+failed\s+\S+ \S+\s+100\s+-\s+\d+\.\d\ds$/);
      expect(lines.at(-1)).toMatch(/^aaaa1111\s+window_a\s+completed/);
      expect(lines).toHaveLength(8);
      expect(result.stdout).not.toContain('\u001b[');
    });

    it('tail -n limits the rows and --dir finds the store from elsewhere', async () => {
      const result = await runCli(['runs', 'tail', '-n', '2', '--dir', stateDir], {cwd: dir});
      expect(result.code).toBe(0);
      expect(result.stdout.trimEnd().split('\n')).toHaveLength(3);
      const viaEnv = await runCli(['runs', 'tail', '-n', '1', '--json'], {
        cwd: dir,
        env: {EGREGORA_DIR: stateDir},
      });
      expect(RunsListingOutputSchema.parse(JSON.parse(viaEnv.stdout)).runs).toHaveLength(1);
    });

    it('tail -n rejects values out of range, saying the range', async () => {
      for (const value of ['0', '1001', '-3', 'ten']) {
        const result = await runCli(['runs', 'tail', '-n', value], {cwd: populated()});
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('from 1 to 1000');
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
    });

    it('tail --json validates against its schema', async () => {
      const result = await runCli(['runs', 'tail', '--json', '-n', '100'], {cwd: populated()});
      expect(result.code).toBe(0);
      const output = RunsListingOutputSchema.parse(JSON.parse(result.stdout));
      expect(output.runs).toHaveLength(7);
      const failed = output.runs.find((run) => run.run_id === failedId);
      expect(failed?.status).toBe('failed');
      expect(failed?.error).toMatch(/^RangeError: window too large for the writer/);
    });

    it('list filters by status, stage glob and time', async () => {
      const failed = await runCli(['runs', 'list', '--status', 'failed', '--json'], {cwd: populated()});
      expect(RunsListingOutputSchema.parse(JSON.parse(failed.stdout)).runs.map((run) => run.run_id)).toEqual([
        failedId,
      ]);
      const windows = await runCli(['runs', 'list', '--stage', 'window_?', '--json'], {cwd: populated()});
      expect(
        RunsListingOutputSchema.parse(JSON.parse(windows.stdout))
          .runs.map((run) => run.stage)
          .sort(),
      ).toEqual(['window_0', 'window_1', 'window_2', 'window_a', 'window_b', 'window_c']);
      const old = await runCli(['runs', 'list', '--until', '2021-01-01', '--json'], {cwd: populated()});
      expect(RunsListingOutputSchema.parse(JSON.parse(old.stdout)).runs).toHaveLength(3);
      const recent = await runCli(
        ['runs', 'list', '--since', '1d', '--status', 'completed', '--status', 'failed'],
        {
          cwd: populated(),
        },
      );
      expect(recent.code).toBe(0);
      expect(recent.stdout.trimEnd().split('\n')).toHaveLength(5);
      const none = await runCli(['runs', 'list', '--stage', 'nothing*'], {cwd: populated()});
      expect(none.code).toBe(0);
      expect(none.stderr).toContain('No runs match');
      const badLimit = await runCli(['runs', 'list', '--limit', '5000'], {cwd: populated()});
      expect(badLimit.code).toBe(2);
      expect(badLimit.stderr).toContain('from 1 to 1000');
    });

    it('show prints the panel for a unique prefix, case-insensitive, hyphens optional', async () => {
      const prefix = ingestId.replaceAll('-', '').slice(0, 12).toUpperCase();
      const result = await runCli(['runs', 'show', prefix], {cwd: populated()});
      expect(result.code).toBe(0);
      for (const section of [
        'Identity',
        'Timestamps',
        'Metrics',
        'Fingerprints',
        'Lineage',
        'Error',
        'Observability',
      ]) {
        expect(result.stdout).toContain(section);
      }
      expect(result.stdout).toContain(ingestId);
      expect(result.stdout).toContain('1,200');
      expect(result.stdout).toMatch(/Children\s+[0-9a-f]{8} window_\d/);
    });

    it('show --json validates and carries lineage', async () => {
      const result = await runCli(['runs', 'show', failedId.slice(0, 8), '--json'], {cwd: populated()});
      expect(result.code).toBe(0);
      const output = RunShowOutputSchema.parse(JSON.parse(result.stdout));
      expect(output.run.run_id).toBe(failedId);
      expect(output.parents.map((run) => run.run_id)).toEqual([ingestId]);
      expect(output.run.error).toContain('RangeError');
    });

    it('an ambiguous prefix lists the candidates and exits 4', async () => {
      const result = await runCli(['runs', 'show', 'aaaa1111'], {cwd: populated()});
      expect(result.code).toBe(4);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(AMBIGUOUS_A);
      expect(result.stderr).toContain(AMBIGUOUS_B);
      expect(result.stderr).toContain('window_b');
      const json = await runCli(['runs', 'show', 'aaaa1111', '--json'], {cwd: populated()});
      expect(json.code).toBe(4);
      const error = ErrorOutputSchema.parse(JSON.parse(json.stdout));
      expect(error.error.exitCode).toBe(4);
      const longer = await runCli(['runs', 'show', 'aaaa1111-2222'], {cwd: populated()});
      expect(longer.code).toBe(0);
      expect(longer.stdout).toContain(AMBIGUOUS_A);
    });

    it('an exact id wins', async () => {
      const result = await runCli(['runs', 'show', PLAIN_ID, '--json'], {cwd: populated()});
      expect(result.code).toBe(0);
      expect(RunShowOutputSchema.parse(JSON.parse(result.stdout)).run.status).toBe('cancelled');
    });

    it('an unknown prefix exits 3 with a hint', async () => {
      const result = await runCli(['runs', 'show', 'ffff9999'], {cwd: populated()});
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('No run id starts with "ffff9999"');
      expect(result.stderr).toContain('runs tail');
    });

    it('wildcards and quotes in the prefix are literal text', async () => {
      for (const prefix of ['%%%%', 'aaaa%', 'aaa_', '____', "bbbb'--", 'bbbb0000%', 'zzzz']) {
        const result = await runCli(['runs', 'show', prefix], {cwd: populated()});
        expect(result.code, prefix).toBe(3);
        expect(result.stderr).toContain('No run id starts with');
      }
    });

    it('a prefix under 4 characters is a usage error', async () => {
      const result = await runCli(['runs', 'show', 'aaa'], {cwd: populated()});
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('4');
    });
  });

  describe('with a damaged database', () => {
    it('says which file is damaged and exits 6, without touching it', async () => {
      const cwd = path.join(dir, 'damaged');
      await mkdir(path.join(cwd, '.egregora'), {recursive: true});
      const file = path.join(cwd, '.egregora', 'runs.duckdb');
      const garbage = Buffer.alloc(64 * 1024, 7);
      await writeFile(file, garbage);
      const result = await runCli(['runs', 'tail'], {cwd});
      expect(result.code).toBe(6);
      expect(result.stderr).toContain(file);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      const {readFile} = await import('node:fs/promises');
      expect((await readFile(file)).equals(garbage)).toBe(true);
    });
  });
});
