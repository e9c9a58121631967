import {execFileSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {mkdir, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {DoctorOutputSchema} from '../../schemas/doctor.js';
import {recordOutputs} from '../../src/db/pipeline-store.js';
import {openInstanceCount} from '../../src/db/registry.js';
import {runDoctor} from '../../src/doctor/doctor.js';
import {GATE_NAMES} from '../../src/doctor/gates.js';
import {CURRENT_SCHEMA_VERSION} from '../../src/runs/schema.js';
import {RunTracker} from '../../src/runs/tracker.js';
import {resolveStatePaths} from '../../src/util/paths.js';
import {
  buildHealthyState,
  deadPid,
  execute,
  failedGates,
  gateOf,
  type HealthyState,
  snapshotTree,
  tempRoot,
} from './helpers.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const REQUIRED = [
  GATE_NAMES.outputsHaveRuns,
  GATE_NAMES.noStaleRunning,
  GATE_NAMES.terminalTimes,
  GATE_NAMES.failedHaveError,
  GATE_NAMES.lineageIntegrity,
  GATE_NAMES.postsRecorded,
  GATE_NAMES.schemaCurrent,
];

/** Finishes a run from a separate process with DuckDB directly, synchronously. */
function finishInAnotherProcess(dbPath: string, runId: string): void {
  const script = `
    import {DuckDBInstance} from '@duckdb/node-api';
    const instance = await DuckDBInstance.create(process.argv[1]);
    const connection = await instance.connect();
    await connection.run("UPDATE runs SET status = 'completed', finished_at = started_at, duration_seconds = 0 WHERE run_id = $1", [process.argv[2]]);
    await connection.run('DELETE FROM run_owners WHERE run_id = $1', [process.argv[2]]);
    connection.closeSync();
    instance.closeSync();`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script, dbPath, runId], {cwd: REPO_ROOT});
}

async function doctor(healthy: HealthyState) {
  const output = await runDoctor({state: healthy.state, baseDir: healthy.root});
  // Every result honours the --json contract.
  DoctorOutputSchema.parse(output);
  return output;
}

/** Breaking one invariant fails that gate, and only that one; the verdict follows. */
async function expectOnlyFailure(healthy: HealthyState, name: string) {
  const output = await doctor(healthy);
  expect(failedGates(output)).toEqual([name]);
  expect(output.ok).toBe(false);
  return gateOf(output, name);
}

describe('doctor on a healthy state', () => {
  it('passes every required gate and reports the three INFO gates', async () => {
    const healthy = await buildHealthyState();
    const output = await doctor(healthy);
    expect(output.ok).toBe(true);
    expect(output.state_dir).toBe(healthy.state.stateDir);
    expect(output.gates.map((gate) => gate.name)).toEqual([
      ...REQUIRED,
      GATE_NAMES.runsByStatus,
      GATE_NAMES.lastRun,
      GATE_NAMES.lastIngest,
    ]);
    for (const name of REQUIRED) {
      const gate = gateOf(output, name);
      expect(gate, name).toMatchObject({status: 'pass', required: true, examples: []});
    }
    expect(gateOf(output, GATE_NAMES.runsByStatus)).toMatchObject({
      status: 'info',
      required: false,
      detail: '5 runs: 3 completed, 1 degraded, 1 failed',
    });
    expect(gateOf(output, GATE_NAMES.lastRun).detail).toMatch(
      /^newest run [0-9a-f]{8}… \(window_2_part_0, completed\) started \d{4}-\d{2}-\d{2}T/,
    );
    expect(gateOf(output, GATE_NAMES.lastIngest)).toMatchObject({
      status: 'info',
      required: false,
      detail: `newest ingest ${healthy.ingestId.slice(0, 8)}… (completed): no lines in other layouts, no headers kept as text`,
      examples: [],
    });
    expect(gateOf(output, GATE_NAMES.outputsHaveRuns).detail).toBe(
      'all 9 rows of messages, authors, media and outputs name one of 3 recorded runs',
    );
    expect(gateOf(output, GATE_NAMES.postsRecorded).detail).toBe(
      '3 recorded files on disk and 2 post files all recorded, in 1 output folder',
    );
    expect(gateOf(output, GATE_NAMES.lineageIntegrity).detail).toBe('4 lineage links: no orphans, no cycles');
    expect(gateOf(output, GATE_NAMES.schemaCurrent).detail).toBe(
      `runs.duckdb is at schema version ${CURRENT_SCHEMA_VERSION} (current)`,
    );
    // Every session was closed: no file lock is left behind.
    expect(openInstanceCount()).toBe(0);
  });

  it('writes nothing: same files, same bytes, same mtimes, nothing new', async () => {
    const healthy = await buildHealthyState();
    // Also break something, so that the failing paths are proven read-only too.
    await rm(path.join(healthy.outputDir, healthy.postPath));
    const before = await snapshotTree(healthy.root);
    const output = await doctor(healthy);
    expect(output.ok).toBe(false);
    const after = await snapshotTree(healthy.root);
    expect(after).toEqual(before);
  });
});

describe('nothing to check yet', () => {
  it('a missing state directory: every gate INFO, ok, and nothing is created', async () => {
    const root = await tempRoot();
    const state = resolveStatePaths(path.join(root, '.egregora'));
    const output = await runDoctor({state, baseDir: root});
    DoctorOutputSchema.parse(output);
    expect(output.ok).toBe(true);
    expect(output.gates).toHaveLength(REQUIRED.length + 3);
    for (const gate of output.gates) {
      expect(gate.status).toBe('info');
      expect(gate.detail).toBe(`nothing to check yet: ${state.stateDir} does not exist`);
    }
    expect((await snapshotTree(root)).size).toBe(0);
  });

  it('an empty state directory: INFO per database, ok, and no database is created', async () => {
    const root = await tempRoot();
    const state = resolveStatePaths(path.join(root, '.egregora'));
    await mkdir(state.stateDir);
    const output = await runDoctor({state, baseDir: root});
    expect(output.ok).toBe(true);
    expect(output.gates.every((gate) => gate.status === 'info')).toBe(true);
    expect(gateOf(output, GATE_NAMES.terminalTimes).detail).toBe(
      `nothing to check yet: ${state.runsDb} does not exist`,
    );
    expect(gateOf(output, GATE_NAMES.outputsHaveRuns).detail).toBe(
      `nothing to check yet: ${state.pipelineDb} does not exist`,
    );
    expect([...(await snapshotTree(root)).keys()]).toEqual(['.egregora']);
  });

  it('runs recorded but no pipeline.duckdb yet: the pipeline gates are INFO, the runs gates judge', async () => {
    const root = await tempRoot();
    const state = resolveStatePaths(path.join(root, '.egregora'));
    const tracker = await RunTracker.open({dbPath: state.runsDb});
    const run = tracker.start({stage: 'ingest'});
    tracker.finish(run.runId, {status: 'completed'});
    await tracker.close();
    const output = await runDoctor({state, baseDir: root});
    expect(output.ok).toBe(true);
    expect(gateOf(output, GATE_NAMES.outputsHaveRuns).status).toBe('info');
    expect(gateOf(output, GATE_NAMES.postsRecorded).status).toBe('info');
    expect(gateOf(output, GATE_NAMES.terminalTimes).status).toBe('pass');
    expect(gateOf(output, GATE_NAMES.schemaCurrent).status).toBe('pass');
  });
});

describe('outputs-have-runs', () => {
  it('fails for an outputs row that names a run that does not exist', async () => {
    const healthy = await buildHealthyState();
    const ghost = randomUUID();
    // The same file under an unknown run: the file is on disk, so only this gate can notice.
    await recordOutputs(healthy.state.pipelineDb, [
      {
        runId: ghost,
        kind: 'post',
        windowIndex: 0,
        partIndex: null,
        windowFingerprint: 'sha256:w0',
        outputDir: healthy.outputDir,
        path: healthy.postPath,
        contentSha256: 'sha256:x',
      },
    ]);
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.outputsHaveRuns);
    expect(gate.detail).toBe(
      `1 row (outputs 1) names 1 run that does not exist (e.g. ${ghost.slice(0, 8)}…)`,
    );
    expect(gate.examples).toEqual([ghost]);
  });

  it('fails for messages whose ingest run does not exist, counting rows per table', async () => {
    const healthy = await buildHealthyState();
    const ghost = randomUUID();
    await execute(
      healthy.state.pipelineDb,
      `INSERT INTO messages SELECT $1::UUID, position + 100, date, instant, author, text, kind, edited, attachment, attachment_present FROM messages`,
      [ghost],
    );
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.outputsHaveRuns);
    expect(gate.detail).toMatch(/^3 rows \(messages 3\) name 1 run that does not exist/);
    expect(gate.examples).toEqual([ghost]);
  });

  it('fails for rows without a run id (a store another tool made nullable)', async () => {
    const healthy = await buildHealthyState();
    await execute(healthy.state.pipelineDb, 'ALTER TABLE authors ALTER COLUMN ingest_run_id DROP NOT NULL');
    await execute(healthy.state.pipelineDb, `INSERT INTO authors VALUES (NULL, 'Cy', 1), (NULL, 'Di', 2)`);
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.outputsHaveRuns);
    expect(gate.detail).toBe('2 rows (authors 2) have no run id');
    expect(gate.examples).toEqual([]);
  });

  it('fails when runs.duckdb is gone but pipeline rows remain: every row is an orphan', async () => {
    const healthy = await buildHealthyState();
    await rm(healthy.state.runsDb);
    const output = await doctor(healthy);
    expect(failedGates(output)).toEqual([GATE_NAMES.outputsHaveRuns]);
    expect(gateOf(output, GATE_NAMES.outputsHaveRuns).detail).toMatch(
      /^9 rows \(messages 3, authors 2, media 1, outputs 3\) name 3 runs that do not exist \(.*runs\.duckdb does not exist\)/,
    );
    expect(gateOf(output, GATE_NAMES.terminalTimes).status).toBe('info');
  });
});

describe('no-stale-running', () => {
  async function withRunningRun(healthy: HealthyState): Promise<string> {
    const tracker = await RunTracker.open({dbPath: healthy.state.runsDb});
    const run = tracker.start({stage: 'window_9', parentRunIds: [healthy.ingestId]});
    // Closed without finishing: the row stays `running`, owned by this (live) process.
    await tracker.close();
    return run.runId;
  }

  it('passes while the owner of a running run is alive', async () => {
    const healthy = await buildHealthyState();
    await withRunningRun(healthy);
    const output = await doctor(healthy);
    expect(output.ok).toBe(true);
    expect(gateOf(output, GATE_NAMES.noStaleRunning)).toMatchObject({
      status: 'pass',
      detail: '1 run `running`: 1 owned by a live process',
    });
  });

  it('fails for a running run whose process is gone, and says the next process marks it crashed', async () => {
    const healthy = await buildHealthyState();
    const runId = await withRunningRun(healthy);
    const pid = await deadPid();
    await execute(
      healthy.state.runsDb,
      'UPDATE run_owners SET pid = $1, process_start = NULL WHERE run_id = $2',
      [pid, runId],
    );
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.noStaleRunning);
    expect(gate.detail).toContain(
      `1 run is still \`running\` but the process that ran it is gone, e.g. PID ${pid}`,
    );
    expect(gate.detail).toContain('the next `egregora process` marks them crashed');
    expect(gate.examples).toEqual([runId]);
  });

  it('does not call a run stale if it finished between the read and the owner check', async () => {
    const healthy = await buildHealthyState();
    const runId = await withRunningRun(healthy);
    let checks = 0;
    const output = await runDoctor({
      state: healthy.state,
      baseDir: healthy.root,
      // The owner check runs between the first read and the second look; another process finishing
      // the run right there is the race. It runs synchronously, as the owner check itself does.
      ownerStateOf: () => {
        checks += 1;
        finishInAnotherProcess(healthy.state.runsDb, runId);
        return 'gone';
      },
    });
    expect(checks).toBe(1);
    expect(output.ok).toBe(true);
    expect(gateOf(output, GATE_NAMES.noStaleRunning)).toMatchObject({
      status: 'pass',
      detail: 'no run is left `running`',
    });
  });
});

describe('terminal-times', () => {
  it('fails when duration_seconds disagrees with finished_at − started_at', async () => {
    const healthy = await buildHealthyState();
    await execute(
      healthy.state.runsDb,
      'UPDATE runs SET duration_seconds = duration_seconds + 0.5 WHERE run_id = $1',
      [healthy.postWindowId],
    );
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.terminalTimes);
    expect(gate.detail).toMatch(
      /^1 finished run has inconsistent times: 1 duration_seconds off from finished_at − started_at by more than 1 ms \(e\.g\. [0-9a-f]{8}…\)$/,
    );
    expect(gate.examples).toEqual([healthy.postWindowId]);
  });

  it('fails when a run finished before it started, or has no finish time', async () => {
    const healthy = await buildHealthyState();
    await execute(
      healthy.state.runsDb,
      `UPDATE runs SET finished_at = started_at - INTERVAL 1 SECOND, duration_seconds = 1 WHERE run_id = $1`,
      [healthy.failedId],
    );
    await execute(healthy.state.runsDb, 'UPDATE runs SET finished_at = NULL WHERE run_id = $1', [
      healthy.partId,
    ]);
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.terminalTimes);
    expect(gate.detail).toMatch(
      /^2 finished runs have inconsistent times: 1 no finished_at, 1 finished_at before started_at/,
    );
    expect(new Set(gate.examples)).toEqual(new Set([healthy.failedId, healthy.partId]));
  });

  it('accepts a difference within the tolerance', async () => {
    const healthy = await buildHealthyState();
    await execute(
      healthy.state.runsDb,
      'UPDATE runs SET duration_seconds = duration_seconds + 0.0004 WHERE run_id = $1',
      [healthy.postWindowId],
    );
    expect((await doctor(healthy)).ok).toBe(true);
  });
});

describe('failed-have-error', () => {
  it('fails for a failed run without error text', async () => {
    const healthy = await buildHealthyState();
    await execute(healthy.state.runsDb, 'UPDATE runs SET error = NULL WHERE run_id = $1', [healthy.failedId]);
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.failedHaveError);
    expect(gate.detail).toBe(
      `1 failed or crashed run has no error text (e.g. ${healthy.failedId.slice(0, 8)}…)`,
    );
    expect(gate.examples).toEqual([healthy.failedId]);
  });

  it('fails for a crashed run whose error is only whitespace', async () => {
    const healthy = await buildHealthyState();
    await execute(
      healthy.state.runsDb,
      `UPDATE runs SET status = 'crashed', error = ' \n ' WHERE run_id = $1`,
      [healthy.postWindowId],
    );
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.failedHaveError);
    expect(gate.examples).toEqual([healthy.postWindowId]);
  });
});

describe('lineage-integrity', () => {
  it('fails for a lineage row that names a run that does not exist', async () => {
    const healthy = await buildHealthyState();
    const ghost = randomUUID();
    await execute(healthy.state.runsDb, 'INSERT INTO run_lineage VALUES ($1, $2)', [
      healthy.postWindowId,
      ghost,
    ]);
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.lineageIntegrity);
    expect(gate.detail).toBe(`1 lineage link names a run that does not exist (e.g. ${ghost.slice(0, 8)}…)`);
    expect(gate.examples).toEqual([ghost]);
  });

  it('fails for a cycle: a run that is its own ancestor', async () => {
    const healthy = await buildHealthyState();
    // ingest → window_2 → part exists; part as the ingest's parent closes the loop.
    await execute(healthy.state.runsDb, 'INSERT INTO run_lineage VALUES ($1, $2)', [
      healthy.ingestId,
      healthy.partId,
    ]);
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.lineageIntegrity);
    expect(gate.detail).toMatch(/^1 cycle through 3 runs: a run is its own ancestor \(e\.g\. /);
    expect(new Set(gate.examples)).toEqual(new Set([healthy.ingestId, healthy.splitId, healthy.partId]));
  });

  it('fails for a run that is its own parent', async () => {
    const healthy = await buildHealthyState();
    await execute(healthy.state.runsDb, 'INSERT INTO run_lineage VALUES ($1, $1)', [healthy.failedId]);
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.lineageIntegrity);
    expect(gate.examples).toEqual([healthy.failedId]);
  });
});

describe('posts-recorded', () => {
  it('fails for a post file on disk that no outputs row records', async () => {
    const healthy = await buildHealthyState();
    await writeFile(path.join(healthy.outputDir, 'posts/2024-01-03-w0009-stray.md'), '# stray\n');
    // Not posts: ignored.
    await writeFile(path.join(healthy.outputDir, 'posts/notes.txt'), 'x');
    await writeFile(path.join(healthy.outputDir, 'README.md'), 'x');
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.postsRecorded);
    expect(gate.detail).toBe(
      '1 post file is on disk but not recorded in outputs (e.g. posts/2024-01-03-w0009-stray.md)',
    );
    expect(gate.examples).toEqual([path.join(healthy.outputDir, 'posts/2024-01-03-w0009-stray.md')]);
  });

  it('fails for a recorded post or media file that is missing on disk', async () => {
    const healthy = await buildHealthyState();
    await rm(path.join(healthy.outputDir, healthy.postPath));
    await rm(path.join(healthy.outputDir, healthy.mediaPath));
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.postsRecorded);
    expect(gate.detail).toBe(
      `2 recorded files are missing on disk (e.g. ${healthy.mediaPath}, ${healthy.postPath})`,
    );
  });

  it('fails once for a whole output folder that is gone', async () => {
    const healthy = await buildHealthyState();
    await rm(healthy.outputDir, {recursive: true});
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.postsRecorded);
    expect(gate.detail).toBe(`1 output folder with 3 recorded files not found: ${healthy.outputDir}`);
    expect(gate.examples).toEqual([healthy.outputDir]);
  });

  it('resolves a relative recorded folder against the base directory, and says so when it is not there', async () => {
    const healthy = await buildHealthyState();
    await execute(healthy.state.pipelineDb, `UPDATE outputs SET output_dir = 'site'`);
    expect((await runDoctor({state: healthy.state, baseDir: healthy.root})).ok).toBe(true);
    const elsewhere = await tempRoot();
    const output = await runDoctor({state: healthy.state, baseDir: elsewhere});
    expect(failedGates(output)).toEqual([GATE_NAMES.postsRecorded]);
    expect(gateOf(output, GATE_NAMES.postsRecorded).detail).toContain(
      `(recorded relative to where \`process\` ran; resolved against ${elsewhere})`,
    );
  });

  it('while a live process runs, waits for a just-written post to be recorded before calling it unrecorded', async () => {
    const healthy = await buildHealthyState();
    // A `running` run owned by this process: a live `process` as far as doctor can tell.
    const tracker = await RunTracker.open({dbPath: healthy.state.runsDb});
    const live = tracker.start({stage: 'window_3', parentRunIds: [healthy.ingestId]});
    await tracker.close();
    const late = 'posts/2024-01-04-w0003-late.md';
    const stray = 'posts/2024-01-04-w0004-stray.md';
    await writeFile(path.join(healthy.outputDir, late), '# late\n');
    await writeFile(path.join(healthy.outputDir, stray), '# stray\n');
    // Without the grace period both files count as unrecorded: the wait is what tells them apart.
    const hasty = await runDoctor({state: healthy.state, baseDir: healthy.root, recordingGraceMs: 0});
    expect(gateOf(hasty, GATE_NAMES.postsRecorded).examples).toEqual([
      path.join(healthy.outputDir, late),
      path.join(healthy.outputDir, stray),
    ]);
    const graceMs = 400;
    const recording = new Promise<void>((resolve, reject) => {
      setTimeout(() => {
        recordOutputs(healthy.state.pipelineDb, [
          {
            runId: live.runId,
            kind: 'post',
            windowIndex: 3,
            partIndex: null,
            windowFingerprint: 'sha256:w3',
            outputDir: healthy.outputDir,
            path: late,
            contentSha256: 'sha256:y',
          },
        ]).then(resolve, reject);
      }, graceMs / 4);
    });
    const output = await runDoctor({state: healthy.state, baseDir: healthy.root, recordingGraceMs: graceMs});
    await recording;
    expect(failedGates(output)).toEqual([GATE_NAMES.postsRecorded]);
    expect(gateOf(output, GATE_NAMES.postsRecorded).examples).toEqual([path.join(healthy.outputDir, stray)]);
  });
});

describe('schema-current', () => {
  it('fails for an older schema and says the next process upgrades it', async () => {
    const healthy = await buildHealthyState();
    // What a v1 store looks like to a reader: a runs table and no version table.
    await execute(healthy.state.runsDb, 'DROP TABLE schema_version');
    const gate = await expectOnlyFailure(healthy, GATE_NAMES.schemaCurrent);
    expect(gate.detail).toBe(
      `${healthy.state.runsDb} is at schema version 1, this egregora writes ${CURRENT_SCHEMA_VERSION}: the next \`egregora process\` upgrades it`,
    );
  });

  it('fails for a newer schema and leaves the runs gates unchecked', async () => {
    const healthy = await buildHealthyState();
    const newer = CURRENT_SCHEMA_VERSION + 1;
    await execute(healthy.state.runsDb, 'INSERT INTO schema_version VALUES ($1, now(), NULL)', [newer]);
    const output = await doctor(healthy);
    expect(failedGates(output)).toEqual([GATE_NAMES.schemaCurrent]);
    expect(output.ok).toBe(false);
    expect(gateOf(output, GATE_NAMES.schemaCurrent).detail).toContain(
      `schema version ${newer}, newer than this egregora knows (${CURRENT_SCHEMA_VERSION}): upgrade egregora`,
    );
    for (const name of [GATE_NAMES.noStaleRunning, GATE_NAMES.terminalTimes, GATE_NAMES.outputsHaveRuns]) {
      expect(gateOf(output, name).detail).toMatch(/^not checked: .*newer egregora/);
    }
  });
});
