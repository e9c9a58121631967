import {hostname} from 'node:os';
import {describe, expect, it} from 'vitest';
import {listRuns, showRun, tailRuns} from '../../src/runs/queries.js';
import {RunTracker} from '../../src/runs/tracker.js';
import {execute, query, sleep, spawnFixture, tempDbPath} from './helpers.js';

const STORED = `SELECT status, error, epoch_us(finished_at) - epoch_us(started_at) AS micros, duration_seconds
  FROM runs WHERE run_id = $1::UUID`;

describe('runs left running by a process that is gone', () => {
  it('read as crashed at once, and the next writer persists them as crashed', async () => {
    const dbPath = tempDbPath();
    const child = spawnFixture('record-run.ts', [dbPath]);
    const runId = (await child.line((line) => line.startsWith('run '))).slice(4);

    // While the child lives, its run is running, for every reader.
    const live = await tailRuns({dbPath, limit: 5});
    expect(live.state === 'ok' && live.runs.map((run) => [run.run_id, run.status])).toEqual([
      [runId, 'running'],
    ]);

    child.process.kill('SIGKILL');
    await child.exited;

    const tail = await tailRuns({dbPath, limit: 5});
    expect(tail.state === 'ok' && tail.runs[0]).toMatchObject({
      run_id: runId,
      status: 'crashed',
      finished_at: null,
    });
    expect(tail.state === 'ok' && tail.runs[0]?.error).toContain(`PID ${child.process.pid}`);
    const shown = await showRun({dbPath, prefix: runId.slice(0, 8)});
    expect(shown.state === 'ok' && shown.match.kind === 'found' && shown.match.run.status).toBe('crashed');
    const crashed = await listRuns({dbPath, statuses: ['crashed'], limit: 5});
    expect(crashed.state === 'ok' && crashed.runs.map((run) => run.run_id)).toEqual([runId]);
    const running = await listRuns({dbPath, statuses: ['running'], limit: 5});
    expect(running.state === 'ok' && running.runs).toEqual([]);
    // Readers did not write: the row is still `running` in the file.
    expect(await query(dbPath, 'SELECT status FROM runs WHERE run_id = $1::UUID', [runId])).toEqual([
      {status: 'running'},
    ]);

    const tracker = await RunTracker.open({dbPath});
    await tracker.close();
    const [stored] = await query(dbPath, STORED, [runId]);
    expect(stored?.status).toBe('crashed');
    expect(stored?.error).toContain('ended without finishing it');
    expect(Number(stored?.micros)).toBeGreaterThan(0);
    expect(stored?.duration_seconds).toBe(Number(stored?.micros) / 1_000_000);
    expect(await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM run_owners')).toEqual([{n: 0}]);
  });

  it('treats a reused PID (alive, but started at another time) as gone, and leaves other hosts alone', async () => {
    const dbPath = tempDbPath();
    await (await RunTracker.open({dbPath})).close();
    const reused = '66666666-6666-4666-8666-666666666666';
    const foreign = '77777777-7777-4777-8777-777777777777';
    const ours = '88888888-8888-4888-8888-888888888888';
    await execute(
      dbPath,
      `INSERT INTO runs (run_id, stage, status, started_at) VALUES
        ('${reused}', 'a', 'running', now() - INTERVAL 1 HOUR),
        ('${foreign}', 'b', 'running', now() - INTERVAL 1 HOUR),
        ('${ours}', 'c', 'running', now() - INTERVAL 1 HOUR)`,
      // Our own PID, but a start token from another boot: the PID was reused.
      `INSERT INTO run_owners VALUES ('${reused}', ${process.pid}, '${hostname()}', 'another-boot:1')`,
      // A PID that surely does not exist here, but on another machine: cannot be checked.
      `INSERT INTO run_owners VALUES ('${foreign}', 999999999, 'some-other-host', NULL)`,
      `INSERT INTO run_owners VALUES ('${ours}', ${process.pid}, '${hostname()}', NULL)`,
    );
    const tail = await tailRuns({dbPath, limit: 5});
    const statuses = Object.fromEntries(
      tail.state === 'ok' ? tail.runs.map((run) => [run.run_id, run.status]) : [],
    );
    expect(statuses).toEqual({[reused]: 'crashed', [foreign]: 'running', [ours]: 'running'});

    await (await RunTracker.open({dbPath})).close();
    const rows = await query(dbPath, 'SELECT run_id::VARCHAR AS id, status FROM runs ORDER BY id');
    expect(rows).toEqual([
      {id: reused, status: 'crashed'},
      {id: foreign, status: 'running'},
      {id: ours, status: 'running'},
    ]);
  });
});

describe('a writer in another process and a reader at the same time', () => {
  it('every read succeeds and the number of runs never goes down', async () => {
    const dbPath = tempDbPath();
    const runs = 150;
    const writer = spawnFixture('writer-loop.ts', [dbPath, String(runs), '20']);
    await writer.line((line) => line === 'ready');
    let done = false;
    void writer.exited.then(() => {
      done = true;
    });
    const counts: number[] = [];
    while (!done) {
      // Any read that stays locked out for longer than READ_BUSY_TIMEOUT_MS throws and fails the test.
      const result = await tailRuns({dbPath, limit: 1_000});
      expect(result.state).toBe('ok');
      counts.push(result.state === 'ok' ? result.runs.length : -1);
      // A watcher polls; a reader with no pause at all can take turns with itself and starve the writer.
      await sleep(10);
    }
    expect(await writer.exited).toBe(0);
    const report = JSON.parse(writer.stdout().trim().split('\n').at(-1) ?? '{}');
    expect(report).toMatchObject({
      recorded: true,
      runsStarted: runs + 1,
      runsFinished: runs + 1,
      warnings: [],
    });
    const final = await tailRuns({dbPath, limit: 1_000});
    expect(final.state === 'ok' && final.runs.length).toBe(runs + 1);
    expect(counts.length).toBeGreaterThan(5);
    for (let index = 1; index < counts.length; index += 1) {
      expect(counts[index]).toBeGreaterThanOrEqual(counts[index - 1] ?? 0);
    }
    // The reader saw the store while the writer was half-way, not only before and after.
    expect(counts.some((count) => count > 0 && count < runs + 1)).toBe(true);
  });
});
