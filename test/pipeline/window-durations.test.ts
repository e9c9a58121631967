import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {COMMIT_INTERVAL_MS} from '../../src/pipeline/committer.js';
import {runCli, tempDir} from '../helpers/cli.js';
import {writeChatExport} from './export-fixture.js';

async function durations(dbPath: string): Promise<{windows: number[]; process: number}> {
  const instance = await DuckDBInstance.create(dbPath, {access_mode: 'READ_ONLY'});
  const connection = await instance.connect();
  try {
    const rows = (
      await connection.runAndReadAll(`SELECT stage, duration_seconds AS d FROM runs ORDER BY started_at`)
    ).getRowObjectsJson();
    return {
      windows: rows.filter((row) => String(row.stage).startsWith('window_')).map((row) => Number(row.d)),
      process: Number(rows.find((row) => row.stage === 'process')?.d),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("a window run's duration", () => {
  let root: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({dir: root, cleanup} = await tempDir('egregora-durations-'));
  });
  afterAll(async () => cleanup());

  it("measures the window's own work, not the wait for the batched commit of its records", async () => {
    const zip = await writeChatExport(path.join(root, 'input'), 900);
    const cwd = path.join(root, 'work');
    await mkdir(cwd, {recursive: true});
    // 300 windows of three messages: each takes milliseconds, while records are committed every 500 ms.
    const result = await runCli(['process', zip, '--window-size', '3', '--concurrency', '2'], {cwd});
    expect(result.code).toBe(0);
    const {windows, process} = await durations(path.join(cwd, '.egregora', 'runs.duckdb'));
    expect(windows).toHaveLength(300);
    const sorted = [...windows].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    // Waiting for a commit would put the median near half the commit interval (0.25 s); real work is ms.
    expect(median).toBeLessThan(COMMIT_INTERVAL_MS / 1000 / 5);
    // Two windows at a time: their own work cannot add up to more than twice the whole invocation.
    expect(windows.reduce((sum, value) => sum + value, 0)).toBeLessThanOrEqual(2 * process);
  });
});
