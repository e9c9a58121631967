import {spawn} from 'node:child_process';
import {mkdir, readdir} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {withWriteSession} from '../../src/db/session.js';
import {BIN, cliEnv, tempDir} from '../helpers/cli.js';
import {createStore} from '../runs/tools-seed.js';

/** Enough runs that writing them as JSON takes seconds here, so that Ctrl-C lands during the COPY. */
const MANY_RUNS = 600_000;
/** How often the test looks for the export's temporary file. */
const POLL_MS = 10;

describe('runs export stopped by Ctrl-C', () => {
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({dir, cleanup} = await tempDir());
    const dbPath = path.join(dir, '.egregora', 'runs.duckdb');
    await mkdir(path.dirname(dbPath), {recursive: true});
    await createStore(dbPath);
    await withWriteSession(dbPath, (connection) =>
      connection.run(
        `INSERT INTO runs (run_id, stage, status, error, code_ref, started_at, finished_at, duration_seconds, rows_in, rows_out)
         SELECT uuid(), 'window_' || (i % 10000), CASE WHEN i % 97 = 0 THEN 'failed' ELSE 'completed' END,
           'Error: window ' || i || ': ' || repeat('a long error message, ', 10), 'test',
           TIMESTAMPTZ '2024-01-01' + to_seconds(i), TIMESTAMPTZ '2024-01-01' + to_seconds(i + 1), 1.0, 100, 1
         FROM range(${MANY_RUNS}) t(i)`,
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await cleanup();
  });

  it('interrupts the COPY, leaves no file (temporary or final) and exits 130 with what to do', async () => {
    const out = path.join(dir, 'out');
    await mkdir(out);
    const target = path.join(out, 'runs.json');
    const child = spawn(process.execPath, [BIN, 'runs', 'export', '--output', target], {
      cwd: dir,
      env: cliEnv(undefined),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Ctrl-C once the COPY has begun writing its temporary file.
    let sawTemporary = false;
    while (!sawTemporary && child.exitCode === null) {
      sawTemporary = (await readdir(out)).some((name) => name.startsWith('.egregora-export-'));
      if (!sawTemporary) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    expect(sawTemporary).toBe(true);
    child.kill('SIGINT');
    const code = await closed;
    expect(code).toBe(130);
    expect(stderr).toContain('Stopped: nothing was exported');
    expect(stderr).toContain(target);
    expect(await readdir(out)).toEqual([]);
  }, 120_000);
});
