import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {DuckDBValue} from '@duckdb/node-api';
import {afterEach} from 'vitest';
import type {DoctorGate, DoctorOutput} from '../../schemas/doctor.js';
import type {ChatMessage} from '../../schemas/message.js';
import {type OutputRow, recordOutputs, storeIngestRows} from '../../src/db/pipeline-store.js';
import {withWriteSession} from '../../src/db/session.js';
import {RunTracker} from '../../src/runs/tracker.js';
import {resolveStatePaths, type StatePaths} from '../../src/util/paths.js';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh temp directory, removed after the test. */
export async function tempRoot(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'egregora-doctor-test-'));
  cleanups.push(() => rm(dir, {recursive: true, force: true}));
  return dir;
}

export interface HealthyState {
  readonly root: string;
  readonly state: StatePaths;
  /** Absolute, as a test records it (relative folders are tested on their own). */
  readonly outputDir: string;
  readonly ingestId: string;
  /** window_0: completed, wrote one post and one media file. */
  readonly postWindowId: string;
  /** window_1: failed with an error, wrote nothing. */
  readonly failedId: string;
  /** window_2: split; its part run is window_2's child. */
  readonly splitId: string;
  readonly partId: string;
  readonly postPath: string;
  readonly partPostPath: string;
  readonly mediaPath: string;
}

function message(position: number, author: string | null, text: string): ChatMessage {
  const instantMs = Date.UTC(2024, 0, 2, 3, 4, position);
  return {
    position,
    date: `2024-01-02T03:04:${String(position).padStart(2, '0')}`,
    instantMs,
    author,
    text,
    kind: author === null ? 'system' : 'message',
    edited: false,
    attachment: null,
    attachmentPresent: false,
  };
}

function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * A state directory as `process` leaves it, built with the real write paths (RunTracker,
 * storeIngestRows, recordOutputs) in the order the pipeline uses: a run is flushed before rows name it.
 * One ingest; window_0 completed with a post and a media file; window_1 failed; window_2 split into a
 * part (ingest → window_2 → part, so lineage is two deep) whose post is recorded under the part.
 */
export async function buildHealthyState(root?: string): Promise<HealthyState> {
  const base = root ?? (await tempRoot());
  const state = resolveStatePaths(path.join(base, '.egregora'));
  const outputDir = path.join(base, 'site');
  await mkdir(state.stateDir, {recursive: true});
  const tracker = await RunTracker.open({dbPath: state.runsDb, flushIntervalMs: 10_000});

  const ingest = tracker.start({
    stage: 'ingest',
    rowsIn: 3,
    inputFingerprint: 'sha256:aa',
    configHash: 'sha256:cc',
  });
  await tracker.flush();
  await storeIngestRows(state.pipelineDb, {
    runId: ingest.runId,
    messages: [message(0, 'Ana', 'hello'), message(1, 'Bo', 'hi'), message(2, null, 'Ana joined')],
    authors: new Map([
      ['Ana', 1],
      ['Bo', 1],
    ]),
    media: [{name: 'IMG-1.jpg', entryPath: 'IMG-1.jpg', size: 3}],
  });
  tracker.finish(ingest.runId, {status: 'completed', rowsOut: 3});

  const postWindow = tracker.start({stage: 'window_0', rowsIn: 2, parentRunIds: [ingest.runId]});
  const failed = tracker.start({stage: 'window_1', rowsIn: 2, parentRunIds: [ingest.runId]});
  const split = tracker.start({stage: 'window_2', rowsIn: 2, parentRunIds: [ingest.runId]});
  const part = tracker.start({stage: 'window_2_part_0', rowsIn: 1, parentRunIds: [split.runId]});

  const postPath = 'posts/2024-01-02-w0000-hello.md';
  const partPostPath = 'posts/2024-01-02-w0002-p1-part.md';
  const mediaPath = 'media/abc.jpg';
  const files: Array<[string, string, string, OutputRow['kind'], number, number | null]> = [
    [postPath, '# hello\n', postWindow.runId, 'post', 0, null],
    [mediaPath, 'jpg', postWindow.runId, 'media', 0, null],
    [partPostPath, '# part\n', part.runId, 'post', 2, 0],
  ];
  for (const [relative, content] of files) {
    await mkdir(path.dirname(path.join(outputDir, relative)), {recursive: true});
    await writeFile(path.join(outputDir, relative), content);
  }
  tracker.finish(postWindow.runId, {status: 'completed', rowsOut: 1});
  tracker.finish(failed.runId, {status: 'failed', error: new RangeError('window too large for the writer')});
  tracker.finish(part.runId, {status: 'completed', rowsOut: 1});
  tracker.finish(split.runId, {status: 'degraded', error: 'split into 1 part'});
  // As the committer does: runs first, then the rows that name them.
  await tracker.flush();
  await recordOutputs(
    state.pipelineDb,
    files.map(([relative, content, runId, kind, windowIndex, partIndex]) => ({
      runId,
      kind,
      windowIndex,
      partIndex,
      windowFingerprint: `sha256:w${windowIndex}`,
      outputDir,
      path: relative,
      contentSha256: sha256(content),
    })),
  );
  const report = await tracker.close();
  if (!report.recorded) throw new Error(`fixture runs were not recorded: ${report.reason}`);
  return {
    root: base,
    state,
    outputDir,
    ingestId: ingest.runId,
    postWindowId: postWindow.runId,
    failedId: failed.runId,
    splitId: split.runId,
    partId: part.runId,
    postPath,
    partPostPath,
    mediaPath,
  };
}

/** Raw SQL in one write session through the real session layer ("another writer" breaking a rule). */
export async function execute(dbPath: string, sql: string, params: DuckDBValue[] = []): Promise<void> {
  await withWriteSession(dbPath, async (connection) => {
    await connection.run(sql, params);
  });
}

/** A PID that belonged to a process of this host which has exited (spawned and waited for). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], {stdio: 'ignore'});
  const pid = child.pid;
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
  if (pid === undefined) throw new Error('the child process got no PID');
  return pid;
}

export function gateOf(output: DoctorOutput, name: string): DoctorGate {
  const found = output.gates.find((gate) => gate.name === name);
  if (!found) throw new Error(`no gate ${name} in ${output.gates.map((gate) => gate.name).join(', ')}`);
  return found;
}

/** The names of the gates that failed. */
export function failedGates(output: DoctorOutput): string[] {
  return output.gates.filter((gate) => gate.status === 'fail').map((gate) => gate.name);
}

export interface FileSnapshot {
  readonly sha256: string;
  readonly mtimeMs: number;
  readonly size: number;
}

/** Every file and folder under `root` with its bytes' hash and mtime: proof that nothing was written. */
export async function snapshotTree(root: string): Promise<Map<string, FileSnapshot | 'dir'>> {
  const result = new Map<string, FileSnapshot | 'dir'>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, {withFileTypes: true})) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full);
      if (entry.isDirectory()) {
        result.set(relative, 'dir');
        await walk(full);
      } else {
        const info = await stat(full);
        const bytes = await readFile(full);
        result.set(relative, {
          sha256: createHash('sha256').update(bytes).digest('hex'),
          mtimeMs: info.mtimeMs,
          size: info.size,
        });
      }
    }
  };
  await walk(root);
  return result;
}
