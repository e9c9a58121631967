import path from 'node:path';
import type {DoctorGate} from '../../schemas/doctor.js';
import type {PipelineIntegrity, PipelineTable} from '../db/pipeline-integrity.js';
import {PIPELINE_SCHEMA_VERSION} from '../db/pipeline-store.js';
import {INGEST_NOTE_PREFIX} from '../ingest/parse-notes.js';
import {
  DURATION_TOLERANCE_SECONDS,
  type RunningRun,
  type RunsIntegrity,
  TIME_PROBLEMS,
  type TimeProblem,
} from '../runs/integrity.js';
import {CURRENT_SCHEMA_VERSION} from '../runs/schema.js';
import {formatCount, shortId} from '../util/format.js';

/**
 * The gates of `egregora doctor`, built from facts the read layers gathered. Pure functions: no
 * database, no disk, no clock, so every wording and verdict is testable from plain objects.
 */

export const GATE_NAMES = {
  outputsHaveRuns: 'outputs-have-runs',
  noStaleRunning: 'no-stale-running',
  terminalTimes: 'terminal-times',
  failedHaveError: 'failed-have-error',
  lineageIntegrity: 'lineage-integrity',
  postsRecorded: 'posts-recorded',
  schemaCurrent: 'schema-current',
  runsByStatus: 'runs-by-status',
  lastRun: 'last-run',
  lastIngest: 'last-ingest',
} as const;

/** The owner verdicts for the runs stored as `running` (see owner.ts). */
export interface RunningVerdicts {
  /** Still `running` on a second look, and their process is provably gone. */
  readonly stale: readonly RunningRun[];
  readonly alive: number;
  /** Owned on another host, or the owner cannot be examined. */
  readonly unknown: number;
  /** No owner recorded (a v1 store, or written by another tool): nothing can be proved. */
  readonly withoutOwner: number;
}

export interface OutputDirCheck {
  /** As outputs recorded it. */
  readonly recorded: string;
  /** Absolute: a relative recorded folder is resolved against the doctor's base directory. */
  readonly resolved: string;
  readonly exists: boolean;
}

export interface OutputFile {
  /** The resolved output folder. */
  readonly outputDir: string;
  /** Relative to it, POSIX. */
  readonly path: string;
}

export interface OutputFilesCheck {
  readonly baseDir: string;
  readonly dirs: readonly OutputDirCheck[];
  /** Distinct recorded files (posts and media). */
  readonly recordedFiles: number;
  /** Post files found under the folders' posts/. */
  readonly postsOnDisk: number;
  /** Recorded, but not a file on disk. */
  readonly missing: readonly OutputFile[];
  /** Post files on disk that no outputs row records. */
  readonly unrecorded: readonly OutputFile[];
}

const ELLIPSIS = '…';

function short(id: string): string {
  return `${shortId(id)}${ELLIPSIS}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** ` (e.g. a…, b…)`, or nothing when there are no examples. */
function eg(items: readonly string[]): string {
  return items.length === 0 ? '' : ` (e.g. ${items.join(', ')})`;
}

function gate(
  name: string,
  status: DoctorGate['status'],
  detail: string,
  examples: readonly string[] = [],
  required = true,
): DoctorGate {
  return {name, status, required, detail, examples: [...examples]};
}

/** Why runs-side gates cannot judge anything, or null when runs.duckdb was read. */
function runsUnavailable(runs: RunsIntegrity): string | null {
  switch (runs.state) {
    case 'missing':
      return `nothing to check yet: ${runs.dbPath} does not exist`;
    case 'empty':
      return `nothing to check yet: no runs are recorded in ${runs.dbPath}`;
    case 'newer':
      return `not checked: ${runs.dbPath} was written by a newer egregora (schema version ${runs.version})`;
    default:
      return null;
  }
}

function pipelineUnavailable(pipeline: PipelineIntegrity): string | null {
  switch (pipeline.state) {
    case 'missing':
      return `nothing to check yet: ${pipeline.dbPath} does not exist`;
    case 'newer':
      return `not checked: ${pipeline.dbPath} was written by a newer egregora (schema version ${pipeline.version})`;
    default:
      return null;
  }
}

/** Every gate, INFO, when the state directory itself does not exist. */
export function nothingYet(stateDir: string): DoctorGate[] {
  const detail = `nothing to check yet: ${stateDir} does not exist`;
  return [
    gate(GATE_NAMES.outputsHaveRuns, 'info', detail),
    gate(GATE_NAMES.noStaleRunning, 'info', detail),
    gate(GATE_NAMES.terminalTimes, 'info', detail),
    gate(GATE_NAMES.failedHaveError, 'info', detail),
    gate(GATE_NAMES.lineageIntegrity, 'info', detail),
    gate(GATE_NAMES.postsRecorded, 'info', detail),
    gate(GATE_NAMES.schemaCurrent, 'info', detail),
    gate(GATE_NAMES.runsByStatus, 'info', detail, [], false),
    gate(GATE_NAMES.lastRun, 'info', detail, [], false),
    gate(GATE_NAMES.lastIngest, 'info', detail, [], false),
  ];
}

/** 1. Every pipeline row names a run that exists in runs.duckdb. */
export function outputsHaveRuns(
  pipeline: PipelineIntegrity,
  runs: RunsIntegrity,
  exampleLimit: number,
): DoctorGate {
  const name = GATE_NAMES.outputsHaveRuns;
  const unavailable = pipelineUnavailable(pipeline);
  if (unavailable !== null || pipeline.state !== 'ok') return gate(name, 'info', unavailable ?? '');
  const references = pipeline.references;
  const totalRows = references.reduce((sum, reference) => sum + reference.rows, 0);
  if (totalRows === 0) return gate(name, 'info', `nothing to check yet: ${pipeline.dbPath} holds no rows`);
  if (runs.state === 'newer') return gate(name, 'info', runsUnavailable(runs) ?? '');

  // A missing or empty runs store has none of the runs the rows name: every row is an orphan.
  const missing =
    runs.state === 'ok'
      ? new Set(runs.missingRunIds)
      : new Set(references.flatMap((reference) => (reference.runId === null ? [] : [reference.runId])));
  const orphanRows = new Map<PipelineTable, number>();
  const nullRows = new Map<PipelineTable, number>();
  for (const reference of references) {
    const bucket = reference.runId === null ? nullRows : missing.has(reference.runId) ? orphanRows : null;
    if (bucket) bucket.set(reference.table, (bucket.get(reference.table) ?? 0) + reference.rows);
  }
  const byTable = (counts: Map<PipelineTable, number>) =>
    [...counts].map(([table, rows]) => `${table} ${formatCount(rows)}`).join(', ');
  const problems: string[] = [];
  const orphanCount = sum(orphanRows);
  if (orphanCount > 0) {
    const where =
      runs.state === 'ok' ? '' : ` (${runsUnavailable(runs)?.replace(/^nothing to check yet: /, '')})`;
    problems.push(
      `${plural(orphanCount, 'row')} (${byTable(orphanRows)}) ${orphanCount === 1 ? 'names' : 'name'} ${plural(
        missing.size,
        'run that does',
        'runs that do',
      )} not exist${where}`,
    );
  }
  const nullCount = sum(nullRows);
  if (nullCount > 0) {
    problems.push(
      `${plural(nullCount, 'row')} (${byTable(nullRows)}) ${nullCount === 1 ? 'has' : 'have'} no run id`,
    );
  }
  if (problems.length > 0) {
    const examples = [...missing].sort().slice(0, exampleLimit);
    return gate(name, 'fail', `${problems.join('; ')}${eg(examples.map(short))}`, examples);
  }
  const runCount = new Set(references.map((reference) => reference.runId)).size;
  return gate(
    name,
    'pass',
    `all ${plural(totalRows, 'row')} of messages, authors, media and outputs name one of ${plural(runCount, 'recorded run')}`,
  );
}

function sum(counts: ReadonlyMap<unknown, number>): number {
  let total = 0;
  for (const value of counts.values()) total += value;
  return total;
}

/** 2. No run is `running` without a live owner. */
export function noStaleRunning(
  runs: RunsIntegrity,
  verdicts: RunningVerdicts,
  exampleLimit: number,
): DoctorGate {
  const name = GATE_NAMES.noStaleRunning;
  const unavailable = runsUnavailable(runs);
  if (unavailable !== null) return gate(name, 'info', unavailable);
  if (verdicts.stale.length > 0) {
    const examples = verdicts.stale.slice(0, exampleLimit).map((run) => run.runId);
    const first = verdicts.stale[0]?.owner;
    const who = first ? `, e.g. PID ${first.pid} on ${first.host}` : '';
    return gate(
      name,
      'fail',
      `${plural(verdicts.stale.length, 'run is', 'runs are')} still \`running\` but the process that ran ` +
        `${verdicts.stale.length === 1 ? 'it' : 'them'} is gone${who}${eg(examples.map(short))}; ` +
        'the next `egregora process` marks them crashed',
      examples,
    );
  }
  const running = verdicts.alive + verdicts.unknown + verdicts.withoutOwner;
  if (running === 0) return gate(name, 'pass', 'no run is left `running`');
  const parts = [
    verdicts.alive > 0 ? `${formatCount(verdicts.alive)} owned by a live process` : null,
    verdicts.unknown > 0
      ? `${formatCount(verdicts.unknown)} owned on another host (not checkable here)`
      : null,
    verdicts.withoutOwner > 0
      ? `${formatCount(verdicts.withoutOwner)} without an owner record (not checkable)`
      : null,
  ].filter((part) => part !== null);
  return gate(name, 'pass', `${plural(running, 'run')} \`running\`: ${parts.join(', ')}`);
}

const TIME_PROBLEM_TEXT: Readonly<Record<TimeProblem, string>> = {
  'no-finish-time': 'no finished_at',
  'finished-before-start': 'finished_at before started_at',
  'no-duration': 'no duration_seconds',
  'duration-mismatch': `duration_seconds off from finished_at − started_at by more than ${DURATION_TOLERANCE_SECONDS * 1000} ms`,
};

/** 3. Terminal runs have finished_at ≥ started_at and a duration that matches. */
export function terminalTimes(runs: RunsIntegrity, exampleLimit: number): DoctorGate {
  const name = GATE_NAMES.terminalTimes;
  const unavailable = runsUnavailable(runs);
  if (unavailable !== null || runs.state !== 'ok') return gate(name, 'info', unavailable ?? '');
  const {counts, examples} = runs.timeViolations;
  const broken = TIME_PROBLEMS.reduce((total, problem) => total + (counts[problem] ?? 0), 0);
  const terminal = runs.total - (runs.statusCounts.running ?? 0);
  if (broken === 0) {
    return gate(
      name,
      'pass',
      `${plural(terminal, 'finished run')}: finished_at ≥ started_at and duration_seconds agrees (±${
        DURATION_TOLERANCE_SECONDS * 1000
      } ms)`,
    );
  }
  const parts = TIME_PROBLEMS.filter((problem) => (counts[problem] ?? 0) > 0).map(
    (problem) => `${formatCount(counts[problem] ?? 0)} ${TIME_PROBLEM_TEXT[problem]}`,
  );
  const ids = examples.slice(0, exampleLimit).map((example) => example.runId);
  return gate(
    name,
    'fail',
    `${plural(broken, 'finished run has', 'finished runs have')} inconsistent times: ${parts.join(', ')}${eg(ids.map(short))}`,
    ids,
  );
}

/** 4. Failed and crashed runs say why. */
export function failedHaveError(runs: RunsIntegrity, exampleLimit: number): DoctorGate {
  const name = GATE_NAMES.failedHaveError;
  const unavailable = runsUnavailable(runs);
  if (unavailable !== null || runs.state !== 'ok') return gate(name, 'info', unavailable ?? '');
  const {count, examples} = runs.failedWithoutError;
  if (count > 0) {
    const ids = examples.slice(0, exampleLimit);
    return gate(
      name,
      'fail',
      `${plural(count, 'failed or crashed run has', 'failed or crashed runs have')} no error text${eg(ids.map(short))}`,
      ids,
    );
  }
  const failed = (runs.statusCounts.failed ?? 0) + (runs.statusCounts.crashed ?? 0);
  return gate(
    name,
    'pass',
    failed === 0
      ? 'no failed or crashed runs'
      : `all ${plural(failed, 'failed or crashed run')} have an error text`,
  );
}

/** 5. Lineage names only existing runs, and has no cycles. */
export function lineageIntegrity(
  runs: RunsIntegrity,
  cycles: readonly string[][],
  exampleLimit: number,
): DoctorGate {
  const name = GATE_NAMES.lineageIntegrity;
  const unavailable = runsUnavailable(runs);
  if (unavailable !== null || runs.state !== 'ok') return gate(name, 'info', unavailable ?? '');
  const orphans = runs.lineageOrphans;
  const problems: string[] = [];
  const examples: string[] = [];
  if (orphans.count > 0) {
    const missingIds = orphans.examples.flatMap((orphan) => [
      ...(orphan.childMissing ? [orphan.childRunId] : []),
      ...(orphan.parentMissing ? [orphan.parentRunId] : []),
    ]);
    const shown = [...new Set(missingIds)].slice(0, exampleLimit);
    examples.push(...shown);
    problems.push(
      `${plural(orphans.count, 'lineage link names', 'lineage links name')} a run that does not exist${eg(shown.map(short))}`,
    );
  }
  if (cycles.length > 0) {
    const members = cycles.reduce((total, cycle) => total + cycle.length, 0);
    const shown = (cycles[0] ?? []).slice(0, exampleLimit);
    for (const id of shown) if (!examples.includes(id)) examples.push(id);
    problems.push(
      `${plural(cycles.length, 'cycle')} through ${plural(members, 'run')}: a run is its own ancestor${eg(shown.map(short))}`,
    );
  }
  if (problems.length > 0) return gate(name, 'fail', problems.join('; '), examples);
  return gate(name, 'pass', `${plural(runs.lineageLinks, 'lineage link')}: no orphans, no cycles`);
}

/** 6. Every post on disk is recorded, and every recorded file is on disk. */
export function postsRecorded(
  pipeline: PipelineIntegrity,
  files: OutputFilesCheck | null,
  exampleLimit: number,
): DoctorGate {
  const name = GATE_NAMES.postsRecorded;
  const unavailable = pipelineUnavailable(pipeline);
  if (unavailable !== null) return gate(name, 'info', unavailable);
  if (files === null || files.dirs.length === 0) {
    return gate(name, 'info', 'nothing to check yet: no output files are recorded');
  }
  const problems: string[] = [];
  const gone = files.dirs.filter((dir) => !dir.exists);
  const goneDirs = new Set(gone.map((dir) => dir.resolved));
  // Files of a folder that is gone as a whole are reported once, as the folder.
  const missing = files.missing.filter((file) => !goneDirs.has(file.outputDir));
  if (gone.length > 0) {
    const relative = gone.some((dir) => !path.isAbsolute(dir.recorded));
    const missingInGone = files.missing.length - missing.length;
    problems.push(
      `${plural(gone.length, 'output folder')} with ${plural(missingInGone, 'recorded file')} not found: ${gone
        .map((dir) => dir.resolved)
        .join(
          ', ',
        )}${relative ? ` (recorded relative to where \`process\` ran; resolved against ${files.baseDir})` : ''}`,
    );
  }
  if (missing.length > 0) {
    problems.push(
      `${plural(missing.length, 'recorded file is', 'recorded files are')} missing on disk${eg(
        missing.slice(0, exampleLimit).map((file) => file.path),
      )}`,
    );
  }
  if (files.unrecorded.length > 0) {
    problems.push(
      `${plural(files.unrecorded.length, 'post file is', 'post files are')} on disk but not recorded in outputs${eg(
        files.unrecorded.slice(0, exampleLimit).map((file) => file.path),
      )}`,
    );
  }
  if (problems.length > 0) {
    const examples = [
      ...gone.map((dir) => dir.resolved),
      ...missing.slice(0, exampleLimit).map((file) => path.join(file.outputDir, file.path)),
      ...files.unrecorded.slice(0, exampleLimit).map((file) => path.join(file.outputDir, file.path)),
    ];
    return gate(name, 'fail', problems.join('; '), examples);
  }
  return gate(
    name,
    'pass',
    `${plural(files.recordedFiles, 'recorded file')} on disk and ${plural(files.postsOnDisk, 'post file')} all recorded, in ${plural(
      files.dirs.length,
      'output folder',
    )}`,
  );
}

/** 7. runs.duckdb (and pipeline.duckdb) are at the schema this egregora writes. */
export function schemaCurrent(runs: RunsIntegrity, pipeline: PipelineIntegrity): DoctorGate {
  const name = GATE_NAMES.schemaCurrent;
  const problems: string[] = [];
  if (runs.state === 'newer') {
    problems.push(
      `${runs.dbPath} is at schema version ${runs.version}, newer than this egregora knows (${CURRENT_SCHEMA_VERSION}): upgrade egregora`,
    );
  } else if (runs.state === 'ok' && runs.version < CURRENT_SCHEMA_VERSION) {
    problems.push(
      `${runs.dbPath} is at schema version ${runs.version}, this egregora writes ${CURRENT_SCHEMA_VERSION}: the next \`egregora process\` upgrades it`,
    );
  }
  if (pipeline.state === 'newer') {
    problems.push(
      `${pipeline.dbPath} is at schema version ${pipeline.version}, newer than this egregora knows (${PIPELINE_SCHEMA_VERSION}): upgrade egregora`,
    );
  }
  if (problems.length > 0) return gate(name, 'fail', problems.join('; '));
  if (runs.state !== 'ok') return gate(name, 'info', runsUnavailable(runs) ?? '');
  return gate(name, 'pass', `runs.duckdb is at schema version ${runs.version} (current)`);
}

/** INFO: how many runs there are, by stored status. */
export function runsByStatus(runs: RunsIntegrity): DoctorGate {
  const name = GATE_NAMES.runsByStatus;
  const unavailable = runsUnavailable(runs);
  if (unavailable !== null || runs.state !== 'ok') return gate(name, 'info', unavailable ?? '', [], false);
  if (runs.total === 0) return gate(name, 'info', 'no runs recorded yet', [], false);
  const parts = Object.entries(runs.statusCounts)
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([status, count]) => `${formatCount(count)} ${status}`);
  return gate(name, 'info', `${plural(runs.total, 'run')}: ${parts.join(', ')}`, [], false);
}

/** INFO: the newest run. */
export function lastRun(runs: RunsIntegrity): DoctorGate {
  const name = GATE_NAMES.lastRun;
  const unavailable = runsUnavailable(runs);
  if (unavailable !== null || runs.state !== 'ok') return gate(name, 'info', unavailable ?? '', [], false);
  const last = runs.lastRun;
  if (last === null) return gate(name, 'info', 'no runs recorded yet', [], false);
  return gate(
    name,
    'info',
    `newest run ${short(last.runId)} (${last.stage}, ${last.status}) started ${last.startedAt}`,
    [],
    false,
  );
}

/**
 * INFO: what the newest ingest's parse said: lines in another layout than the chat's own (each read
 * as a message) and header-like lines kept as text, with the first line of each; or that it said
 * nothing. Not a verdict: a chat that changed layout was still read whole.
 */
export function lastIngest(runs: RunsIntegrity): DoctorGate {
  const name = GATE_NAMES.lastIngest;
  const unavailable = runsUnavailable(runs);
  if (unavailable !== null || runs.state !== 'ok') return gate(name, 'info', unavailable ?? '', [], false);
  const ingest = runs.lastIngest;
  if (ingest === null) return gate(name, 'info', 'no ingest recorded yet', [], false);
  const which = `newest ingest ${short(ingest.runId)} (${ingest.status})`;
  const note = ingest.error?.startsWith(INGEST_NOTE_PREFIX)
    ? ingest.error.slice(INGEST_NOTE_PREFIX.length)
    : null;
  if (note !== null) return gate(name, 'info', `${which}: ${note}`, [ingest.runId], false);
  if (ingest.status !== 'completed' && ingest.status !== 'degraded') {
    return gate(name, 'info', `${which}: egregora runs show ${shortId(ingest.runId)} tells why`, [], false);
  }
  return gate(name, 'info', `${which}: no lines in other layouts, no headers kept as text`, [], false);
}
