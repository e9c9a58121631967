import {existsSync} from 'node:fs';
import path from 'node:path';
import type {DoctorGate, DoctorOutput} from '../../schemas/doctor.js';
import {
  type PipelineIntegrity,
  type RecordedOutput,
  readPipelineIntegrity,
} from '../db/pipeline-integrity.js';
import {COMMIT_INTERVAL_MS} from '../pipeline/committer.js';
import {type RunningRun, readRunsIntegrity, readStillRunning} from '../runs/integrity.js';
import {type OwnerState, ownerStateCache, type ProcessOwner} from '../runs/owner.js';
import type {StatePaths} from '../util/paths.js';
import {findCycles} from './cycles.js';
import {directoryExists, fileExists, listPostFiles} from './files.js';
import {
  failedHaveError,
  lastIngest,
  lastRun,
  lineageIntegrity,
  noStaleRunning,
  nothingYet,
  type OutputDirCheck,
  type OutputFile,
  type OutputFilesCheck,
  outputsHaveRuns,
  postsRecorded,
  type RunningVerdicts,
  runsByStatus,
  schemaCurrent,
  terminalTimes,
} from './gates.js';

/** Examples per failing gate: enough to start looking (`runs show <id>`), few enough for one line. */
export const DOCTOR_EXAMPLES = 3;

/**
 * How long doctor waits before calling a post file unrecorded while an `egregora process` is live.
 * That process writes a window's files first and records them at its next commit, at most
 * COMMIT_INTERVAL_MS later plus two short write sessions; twice the interval covers a commit that was
 * just starting. Only paid when a live process and an unrecorded file are both seen.
 */
export const RECORDING_GRACE_MS = 2 * COMMIT_INTERVAL_MS;

export interface DoctorOptions {
  readonly state: StatePaths;
  /**
   * What relative output folders recorded in outputs are resolved against. `process` records the
   * `--output` it was given (default `site`), relative to the directory it ran in; default: the
   * current directory.
   */
  readonly baseDir?: string;
  readonly exampleLimit?: number;
  /** Defaults to RECORDING_GRACE_MS; tests shorten it. */
  readonly recordingGraceMs?: number;
  /** Whether a run's owner process is alive; defaults to owner.ts's check, memoized. */
  readonly ownerStateOf?: (owner: ProcessOwner) => OwnerState;
}

/**
 * `egregora doctor`: read-only quality gates over a state directory. Opens both databases read-only,
 * one short session at a time, reads the output folders, writes nothing, never prints. A missing
 * state directory or database is "nothing to check yet" (INFO), not a failure.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorOutput> {
  const {stateDir, runsDb, pipelineDb} = options.state;
  const exampleLimit = options.exampleLimit ?? DOCTOR_EXAMPLES;
  const baseDir = path.resolve(options.baseDir ?? process.cwd());
  if (!existsSync(stateDir)) return report(stateDir, nothingYet(stateDir));

  // pipeline.duckdb first, then runs.duckdb: `process` records a run before any row that names it
  // (tracker flush, then the rows), so every row read here names a run that is already in runs.duckdb
  // when it is read next. The other order could see a row whose run was written after we looked.
  const pipeline = await readPipelineIntegrity(pipelineDb);
  const runs = await readRunsIntegrity({
    dbPath: runsDb,
    referencedRunIds: pipeline.state === 'ok' ? referencedRunIds(pipeline) : [],
    exampleLimit,
  });
  const verdicts =
    runs.state === 'ok'
      ? await judgeRunning(runsDb, runs.running, options.ownerStateOf ?? ownerStateCache())
      : NO_RUNNING;
  const cycles =
    runs.state === 'ok'
      ? findCycles(runs.cycleCandidates.map((edge) => ({from: edge.childRunId, to: edge.parentRunId})))
      : [];
  const files =
    pipeline.state === 'ok'
      ? await checkOutputFilesSettled(pipeline, {
          baseDir,
          pipelineDb,
          graceMs: verdicts.alive > 0 ? (options.recordingGraceMs ?? RECORDING_GRACE_MS) : 0,
        })
      : null;

  return report(stateDir, [
    outputsHaveRuns(pipeline, runs, exampleLimit),
    noStaleRunning(runs, verdicts, exampleLimit),
    terminalTimes(runs, exampleLimit),
    failedHaveError(runs, exampleLimit),
    lineageIntegrity(runs, cycles, exampleLimit),
    postsRecorded(pipeline, files, exampleLimit),
    schemaCurrent(runs, pipeline),
    runsByStatus(runs),
    lastRun(runs),
    lastIngest(runs),
  ]);
}

function report(stateDir: string, gates: DoctorGate[]): DoctorOutput {
  return {
    state_dir: stateDir,
    gates,
    ok: !gates.some((gate) => gate.required && gate.status === 'fail'),
  };
}

function referencedRunIds(pipeline: PipelineIntegrity & {state: 'ok'}): string[] {
  const ids = new Set<string>();
  for (const reference of pipeline.references) if (reference.runId !== null) ids.add(reference.runId);
  return [...ids];
}

const NO_RUNNING: RunningVerdicts = {stale: [], alive: 0, unknown: 0, withoutOwner: 0};

/**
 * Sorts `running` runs by what is known of their owner. Runs whose owner is gone are read once more
 * before being called stale: an owner may have finished its run and exited between our read and the
 * check, and such a run is no longer `running`.
 */
async function judgeRunning(
  runsDb: string,
  running: readonly RunningRun[],
  stateOf: (owner: ProcessOwner) => OwnerState,
): Promise<RunningVerdicts> {
  const gone: RunningRun[] = [];
  let alive = 0;
  let unknown = 0;
  let withoutOwner = 0;
  for (const run of running) {
    if (run.owner === null) withoutOwner += 1;
    else {
      const state = stateOf(run.owner);
      if (state === 'gone') gone.push(run);
      else if (state === 'alive') alive += 1;
      else unknown += 1;
    }
  }
  const still = await readStillRunning(
    runsDb,
    gone.map((run) => run.runId),
  );
  return {stale: gone.filter((run) => still.has(run.runId)), alive, unknown, withoutOwner};
}

interface FilesContext {
  readonly baseDir: string;
  readonly pipelineDb: string;
  /** 0: check once. Otherwise, confirm unrecorded files after this long (a live process is writing). */
  readonly graceMs: number;
}

/**
 * checkOutputFiles, made safe against a live `process`: a post it wrote moments ago is recorded at its
 * next commit, so unrecorded files are confirmed after a grace period with a fresh read, and only
 * those unrecorded both times are reported (files that appeared meanwhile are not judged).
 */
async function checkOutputFilesSettled(
  pipeline: PipelineIntegrity & {state: 'ok'},
  context: FilesContext,
): Promise<OutputFilesCheck> {
  const first = await checkOutputFiles(pipeline.outputs, context.baseDir);
  if (first.unrecorded.length === 0 || context.graceMs <= 0) return first;
  await new Promise((resolve) => setTimeout(resolve, context.graceMs));
  const again = await readPipelineIntegrity(context.pipelineDb);
  if (again.state !== 'ok') return first;
  const second = await checkOutputFiles(again.outputs, context.baseDir);
  const key = (file: OutputFile) => `${file.outputDir}\0${file.path}`;
  const before = new Set(first.unrecorded.map(key));
  return {...second, unrecorded: second.unrecorded.filter((file) => before.has(key(file)))};
}

/**
 * Compares the recorded outputs with the disk, per output folder: every recorded file (post or media)
 * must exist, and every post file under the folder's posts/ must be recorded by some outputs row.
 */
async function checkOutputFiles(
  outputs: readonly RecordedOutput[],
  baseDir: string,
): Promise<OutputFilesCheck> {
  // Grouped by resolved folder: `site` and `./site` recorded by two runs are the same folder.
  const byDir = new Map<string, {recorded: string; paths: Set<string>}>();
  for (const output of outputs) {
    const resolved = path.resolve(baseDir, output.outputDir);
    const entry = byDir.get(resolved) ?? {recorded: output.outputDir, paths: new Set<string>()};
    entry.paths.add(output.path);
    byDir.set(resolved, entry);
  }
  const dirs: OutputDirCheck[] = [];
  const missing: OutputFile[] = [];
  const unrecorded: OutputFile[] = [];
  let recordedFiles = 0;
  let postsOnDisk = 0;
  for (const [resolved, {recorded, paths}] of [...byDir].sort(([a], [b]) => a.localeCompare(b))) {
    const exists = await directoryExists(resolved);
    dirs.push({recorded, resolved, exists});
    recordedFiles += paths.size;
    for (const relative of [...paths].sort()) {
      if (!exists || !(await fileExists(resolved, relative)))
        missing.push({outputDir: resolved, path: relative});
    }
    if (!exists) continue;
    const posts = await listPostFiles(resolved);
    postsOnDisk += posts.length;
    for (const post of posts) if (!paths.has(post)) unrecorded.push({outputDir: resolved, path: post});
  }
  return {baseDir, dirs, recordedFiles, postsOnDisk, missing, unrecorded};
}
