import {existsSync} from 'node:fs';
import {type DuckDBConnection, listValue} from '@duckdb/node-api';
import type {RunLlmUsage, RunRecord} from '../../schemas/run.js';
import {
  type FieldDiff,
  type RunsDiffOutput,
  type SettingDiff,
  WINDOW_CHANGES,
  type WindowChange,
  type WindowCounts,
  type WindowDiff,
  type WindowSide,
  type WindowsDiff,
} from '../../schemas/runs-diff.js';
import {outputsOfRunsByWindow, type RecordedOutputFile} from '../db/pipeline-store.js';
import {canonicalJson} from '../util/canonical.js';
import {UserError} from '../util/errors.js';
import {matchRunPrefix, normalizeRunIdPrefix, readStore, type StoreRead} from './queries.js';
import {newestFirst, readRunRecords, runSelectList, toRunRecord, withEffectiveStatus} from './records.js';
import {readLlmUsage, readProcessDetail} from './run-pages.js';
import {type SchemaInfo, TABLES} from './schema.js';
import {TEXT_LIST} from './sql-types.js';

/**
 * `runs diff <a> <b>`: two runs side by side. The fields that differ, the recorded settings key by
 * key, and for two process runs their windows: added, removed, not run, or changed (status, input
 * fingerprint, or the content hashes of the files they wrote). All reads: runs.duckdb first, then
 * pipeline.duckdb for the files, each in a short read-only session of its own.
 */

/** `--json` lists at most this many changed windows (and counts them all): enough for any script to act on. */
export const DIFF_MAX_CHANGED_WINDOWS = 500;

/** Posts named per window side: a window writes one post, a split window one per part. */
export const DIFF_MAX_POSTS_PER_WINDOW = 10;

/** The stage of a `process` invocation's own run (src/pipeline/process.ts PROCESS_STAGE). */
const PROCESS_STAGE = 'process';

const WINDOW_STAGE = /^window_(\d+)$/;
const PART_STAGE = /^window_(\d+)\.part_\d+$/;

/**
 * The settings that decide how a chat is cut into windows: when both processes read the same chat
 * (same fingerprint) with these equal, they have the same windows, so a window only one of them ran
 * was skipped by the other (resume), never added or removed.
 */
const WINDOWING_KEYS = ['windowUnit', 'windowSize', 'overlap', 'timezone', 'chat'] as const;

export type DiffSide = 'a' | 'b';

export interface DiffRunsOptions {
  readonly dbPath: string;
  /** The pipeline's store, where the windows' files and their hashes are recorded; absent: not compared. */
  readonly pipelineDb?: string;
  readonly a: string;
  readonly b: string;
  /** How many changed windows to list (at most and by default DIFF_MAX_CHANGED_WINDOWS); all are counted. */
  readonly changedLimit?: number;
}

export type DiffMatch =
  | {kind: 'found'; output: Omit<RunsDiffOutput, 'db_path'>}
  | {kind: 'none'; side: DiffSide; prefix: string}
  | {kind: 'ambiguous'; side: DiffSide; prefix: string; candidates: RunRecord[]; total: number};

/** A window run of a process (or the earlier run it reused), with the part runs under it. */
interface WindowRun {
  readonly index: number;
  readonly run: RunRecord;
  readonly ran: boolean;
  parts: string[];
}

interface ProcessWindows {
  readonly own: Map<number, WindowRun>;
  readonly reused: Map<number, WindowRun>;
  /** Indexes this process did not run although they are windows of its chat. */
  readonly notRun: Set<number>;
}

interface Collected {
  readonly a: RunRecord;
  readonly b: RunRecord;
  readonly llm: {a: RunLlmUsage | null; b: RunLlmUsage | null};
  readonly settingsFrom: {a: string | null; b: string | null};
  readonly settings: {a: Record<string, unknown> | null; b: Record<string, unknown> | null};
  readonly windows: {a: ProcessWindows; b: ProcessWindows} | null;
  /** Both are window or part runs: each with its parts. */
  readonly single: {a: WindowRun; b: WindowRun} | null;
}

/** Two runs by prefixes of their ids, compared; or which prefix matched none or several. */
export async function diffRuns(options: DiffRunsOptions): Promise<StoreRead<{match: DiffMatch}>> {
  const prefixes = {a: normalizeSide(options.a, 'a'), b: normalizeSide(options.b, 'b')};
  const read = await readStore(options.dbPath, async (connection, schema, dbPath) => {
    const resolved: Partial<Record<DiffSide, RunRecord>> = {};
    for (const side of ['a', 'b'] as const) {
      const prefix = options[side];
      const found = await matchRunPrefix(connection, schema, dbPath, prefixes[side]);
      if (found.kind === 'none') return {match: {kind: 'none', side, prefix} as DiffMatch, collected: null};
      if (found.kind === 'ambiguous') {
        const {candidates, total} = found;
        return {match: {kind: 'ambiguous', side, prefix, candidates, total} as DiffMatch, collected: null};
      }
      resolved[side] = found.run;
    }
    const [a, b] = await withEffectiveStatus(connection, schema, [
      resolved.a as RunRecord,
      resolved.b as RunRecord,
    ]);
    if (a === undefined || b === undefined) throw new Error('both runs were resolved');
    const collected = await collect(connection, schema, dbPath, a, b);
    return {match: null, collected};
  });
  if (read.state !== 'ok') return read;
  if (read.match !== null || read.collected === null) {
    return {state: 'ok', dbPath: read.dbPath, match: read.match as DiffMatch};
  }
  const {collected} = read;
  const files = await readFiles(options.pipelineDb, collected);
  const limit = Math.max(
    0,
    Math.min(DIFF_MAX_CHANGED_WINDOWS, Math.floor(options.changedLimit ?? DIFF_MAX_CHANGED_WINDOWS)),
  );
  const {a, b} = collected;
  const settings =
    collected.settings.a === null || collected.settings.b === null
      ? null
      : diffSettings(collected.settings.a, collected.settings.b);
  const output: Omit<RunsDiffOutput, 'db_path'> = {
    a,
    b,
    same_run: a.run_id === b.run_id,
    llm_usage: collected.llm,
    fields: diffFields(a, b, collected.llm),
    settings_from: collected.settingsFrom,
    settings,
    windows: collected.windows === null ? null : diffWindows(collected.windows, files, limit),
    window:
      collected.single === null
        ? null
        : compareWindow(
            collected.single.a.index,
            sideOf(collected.single.a, files),
            sideOf(collected.single.b, files),
            files !== null,
          ),
  };
  return {state: 'ok', dbPath: read.dbPath, match: {kind: 'found', output}};
}

/** The prefix's normal form; a too-short prefix is a usage error that names its argument. */
function normalizeSide(prefix: string, side: DiffSide): string | null {
  try {
    return normalizeRunIdPrefix(prefix);
  } catch (error) {
    if (error instanceof UserError) {
      throw new UserError(`Run ${side}: ${error.message}`, error.exitCode, {
        ...(error.hint === undefined ? {} : {hint: error.hint}),
      });
    }
    throw error;
  }
}

async function collect(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  dbPath: string,
  a: RunRecord,
  b: RunRecord,
): Promise<Collected> {
  const llm = {
    a: await readLlmUsage(connection, schema, a.run_id),
    b: await readLlmUsage(connection, schema, b.run_id),
  };
  const settingsFrom = {
    a: await processRunOf(connection, a),
    b: await processRunOf(connection, b),
  };
  const settings = {
    a: await recordedSettings(connection, schema, settingsFrom.a),
    b: await recordedSettings(connection, schema, settingsFrom.b),
  };
  let windows: Collected['windows'] = null;
  if (a.stage === PROCESS_STAGE && b.stage === PROCESS_STAGE) {
    const own = {
      a: await windowRunsOf(connection, schema, dbPath, a.run_id),
      b: await windowRunsOf(connection, schema, dbPath, b.run_id),
    };
    const same = windowingMatches(a, b, settings);
    windows = {
      a: await notRunWindows(connection, dbPath, a, own.a, own.b, same),
      b: await notRunWindows(connection, dbPath, b, own.b, own.a, same),
    };
    await attachParts(connection, [
      ...windows.a.own.values(),
      ...windows.a.reused.values(),
      ...windows.b.own.values(),
      ...windows.b.reused.values(),
    ]);
  }
  let single: Collected['single'] = null;
  const indexA = windowIndexOfStage(a.stage);
  const indexB = windowIndexOfStage(b.stage);
  if (indexA !== null && indexB !== null) {
    single = {
      a: {index: indexA, run: a, ran: true, parts: []},
      b: {index: indexB, run: b, ran: true, parts: []},
    };
    const windowRuns = [single.a, single.b].filter((entry) => WINDOW_STAGE.test(entry.run.stage));
    await attachParts(connection, windowRuns);
  }
  return {a, b, llm, settingsFrom, settings, windows, single};
}

function windowIndexOfStage(stage: string): number | null {
  const match = WINDOW_STAGE.exec(stage) ?? PART_STAGE.exec(stage);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/**
 * The process run whose recorded settings a run was made with: itself, its parent (an ingest or
 * window run), or its grandparent (a part run, under its window run). Null for runs of no process.
 */
async function processRunOf(connection: DuckDBConnection, run: RunRecord): Promise<string | null> {
  if (run.stage === PROCESS_STAGE) return run.run_id;
  const reader = await connection.runAndReadAll(
    `SELECT p.run_id::VARCHAR AS id, 1 AS depth, p.started_at FROM ${TABLES.lineage} l
       JOIN ${TABLES.runs} p ON p.run_id = l.parent_run_id
       WHERE l.child_run_id = $1::UUID AND p.stage = '${PROCESS_STAGE}'
     UNION ALL
     SELECT p.run_id::VARCHAR AS id, 2 AS depth, p.started_at FROM ${TABLES.lineage} l1
       JOIN ${TABLES.lineage} l2 ON l2.child_run_id = l1.parent_run_id
       JOIN ${TABLES.runs} p ON p.run_id = l2.parent_run_id
       WHERE l1.child_run_id = $1::UUID AND p.stage = '${PROCESS_STAGE}'
     ORDER BY depth, started_at LIMIT 1`,
    [run.run_id],
  );
  const row = reader.getRowObjectsJson()[0];
  return row === undefined ? null : String(row.id);
}

/**
 * A process run's recorded settings plus what it read and wrote (`export_path`, `export_fingerprint`,
 * `chat_entry`, `output_dir`, snake_case like the columns of process_runs, so they never collide
 * with the camelCase settings). Null when nothing was recorded (older stores, runs of no process).
 */
async function recordedSettings(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  processRunId: string | null,
): Promise<Record<string, unknown> | null> {
  if (processRunId === null || !schema.tables.has(TABLES.processes)) return null;
  const detail = await readProcessDetail(connection, processRunId);
  if (detail === null) return null;
  return {
    ...detail.settings,
    export_path: detail.export_path,
    export_fingerprint: detail.export_fingerprint,
    chat_entry: detail.chat_entry,
    output_dir: detail.output_dir,
  };
}

/** The window runs (not parts) a process ran, by window index (the last started, should one repeat). */
async function windowRunsOf(
  connection: DuckDBConnection,
  schema: SchemaInfo,
  dbPath: string,
  processRunId: string,
): Promise<Map<number, WindowRun>> {
  const spans = schema.tables.has(TABLES.windows);
  const reader = await connection.runAndReadAll(
    `SELECT ${runSelectList('r')}, ${spans ? 'w.window_index' : 'NULL'} AS window_index
     FROM ${TABLES.runs} r ${spans ? `LEFT JOIN ${TABLES.windows} w ON w.run_id = r.run_id` : ''}
     WHERE r.run_id IN (SELECT l.child_run_id FROM ${TABLES.lineage} l WHERE l.parent_run_id = $1::UUID)
       AND regexp_full_match(r.stage, 'window_[0-9]+')
     ORDER BY r.started_at, r.run_id`,
    [processRunId],
  );
  const rows = reader.getRowObjectsJson();
  const records = await withEffectiveStatus(
    connection,
    schema,
    rows.map((row) => toRunRecord(row, dbPath)),
  );
  const byIndex = new Map<number, WindowRun>();
  rows.forEach((row, at) => {
    const run = records[at];
    if (run === undefined) return;
    const index =
      row.window_index === null || row.window_index === undefined
        ? windowIndexOfStage(run.stage)
        : Number(row.window_index);
    if (index !== null) byIndex.set(index, {index, run, ran: true, parts: []});
  });
  return byIndex;
}

/** Whether the two processes cut the same windows: same chat, same windowing settings. */
function windowingMatches(a: RunRecord, b: RunRecord, settings: Collected['settings']): boolean {
  if (a.input_fingerprint === null || a.input_fingerprint !== b.input_fingerprint) return false;
  if (settings.a === null || settings.b === null) return false;
  for (const key of WINDOWING_KEYS) {
    if (canonicalJson(settings.a[key] ?? null) !== canonicalJson(settings.b[key] ?? null)) return false;
  }
  return true;
}

/**
 * The windows of the other process that this one did not run although they are windows of its chat,
 * and the earlier runs it reused for them. A window is taken as skipped (not as added or removed)
 * when: an earlier finished run of it with this process's config hash and the other side's input
 * fingerprint exists (what resume reuses); or both processes cut the same windows; or its index lies
 * below this process's highest window (windows are numbered 0…n−1, so a gap was skipped).
 */
async function notRunWindows(
  connection: DuckDBConnection,
  dbPath: string,
  process: RunRecord,
  own: Map<number, WindowRun>,
  other: Map<number, WindowRun>,
  sameWindows: boolean,
): Promise<ProcessWindows> {
  const missing = [...other.values()].filter((entry) => !own.has(entry.index));
  const reused = new Map<number, WindowRun>();
  const lookups = missing.filter((entry) => entry.run.input_fingerprint !== null);
  if (lookups.length > 0 && process.config_hash !== null) {
    const runs = await readRunRecords(
      connection,
      dbPath,
      `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r
       JOIN (SELECT unnest($1::VARCHAR[]) AS stage, unnest($2::VARCHAR[]) AS fingerprint) w
         ON r.stage = w.stage AND r.input_fingerprint = w.fingerprint
       WHERE r.config_hash = $3 AND r.status IN ('completed', 'degraded') AND r.started_at < $4::TIMESTAMPTZ
       QUALIFY row_number() OVER (PARTITION BY r.stage ORDER BY ${newestFirst('r')}) = 1`,
      [
        listValue(lookups.map((entry) => entry.run.stage)),
        listValue(lookups.map((entry) => entry.run.input_fingerprint as string)),
        process.config_hash,
        process.started_at,
      ],
    );
    for (const run of runs) {
      const index = windowIndexOfStage(run.stage);
      if (index !== null) reused.set(index, {index, run, ran: false, parts: []});
    }
  }
  const highest = Math.max(-1, ...own.keys());
  const notRun = new Set(
    missing
      .map((entry) => entry.index)
      .filter((index) => reused.has(index) || sameWindows || index < highest),
  );
  return {own, reused, notRun};
}

/** Fills in the part runs under these window runs (a split window's files are its parts'). */
async function attachParts(connection: DuckDBConnection, windows: readonly WindowRun[]): Promise<void> {
  if (windows.length === 0) return;
  const reader = await connection.runAndReadAll(
    `SELECT l.parent_run_id::VARCHAR AS parent, l.child_run_id::VARCHAR AS child
     FROM ${TABLES.lineage} l JOIN ${TABLES.runs} r ON r.run_id = l.child_run_id
     WHERE l.parent_run_id IN (SELECT unnest($1::UUID[]))
       AND regexp_full_match(r.stage, 'window_[0-9]+\\.part_[0-9]+')`,
    [listValue([...new Set(windows.map((entry) => entry.run.run_id))])],
    [TEXT_LIST],
  );
  const parts = new Map<string, string[]>();
  for (const row of reader.getRowObjectsJson()) {
    const list = parts.get(String(row.parent)) ?? [];
    list.push(String(row.child));
    parts.set(String(row.parent), list);
  }
  for (const entry of windows) entry.parts = parts.get(entry.run.run_id) ?? [];
}

/** The recorded files of every compared run, by run id; null when pipeline.duckdb is not there. */
async function readFiles(
  pipelineDb: string | undefined,
  collected: Collected,
): Promise<Map<string, RecordedOutputFile[]> | null> {
  if (pipelineDb === undefined || !existsSync(pipelineDb)) return null;
  const entries: WindowRun[] = [];
  if (collected.windows !== null) {
    for (const side of [collected.windows.a, collected.windows.b])
      entries.push(...side.own.values(), ...side.reused.values());
  }
  if (collected.single !== null) entries.push(collected.single.a, collected.single.b);
  const ids = entries.flatMap((entry) => [entry.run.run_id, ...entry.parts]);
  const byRun = new Map<string, RecordedOutputFile[]>();
  if (ids.length === 0) return byRun;
  const byWindow = await outputsOfRunsByWindow(pipelineDb, ids);
  for (const files of byWindow.values()) {
    for (const file of files) {
      const list = byRun.get(file.runId) ?? [];
      list.push(file);
      byRun.set(file.runId, list);
    }
  }
  return byRun;
}

interface SideFiles {
  readonly side: WindowSide;
  /** `path sha256` of every post and media file, for comparing sets. */
  readonly posts: ReadonlySet<string>;
  readonly media: ReadonlySet<string>;
}

function sideOf(entry: WindowRun, files: Map<string, RecordedOutputFile[]> | null): SideFiles {
  const all = [entry.run.run_id, ...entry.parts].flatMap((id) => files?.get(id) ?? []);
  const posts = all.filter((file) => file.kind === 'post').sort((x, y) => x.path.localeCompare(y.path));
  const media = all.filter((file) => file.kind === 'media');
  return {
    side: {
      run_id: entry.run.run_id,
      ran: entry.ran,
      status: entry.run.status,
      input_fingerprint: entry.run.input_fingerprint,
      posts: posts
        .slice(0, DIFF_MAX_POSTS_PER_WINDOW)
        .map((file) => ({path: file.path, sha256: file.contentSha256})),
      posts_total: posts.length,
      media_total: media.length,
    },
    posts: new Set(posts.map((file) => `${file.path} ${file.contentSha256}`)),
    media: new Set(media.map((file) => `${file.path} ${file.contentSha256}`)),
  };
}

/** A window a process did not run and whose earlier run cannot be found: nothing to compare. */
function unknownSide(): SideFiles {
  return {
    side: {
      run_id: null,
      ran: false,
      status: null,
      input_fingerprint: null,
      posts: [],
      posts_total: 0,
      media_total: 0,
    },
    posts: new Set(),
    media: new Set(),
  };
}

function sameSet(x: ReadonlySet<string>, y: ReadonlySet<string>): boolean {
  if (x.size !== y.size) return false;
  for (const item of x) if (!y.has(item)) return false;
  return true;
}

/**
 * How one window compares. Sides are null when the window does not exist there; a side that did
 * not run the window is `not_run_in_…` whatever its reused files say (posts_differ tells).
 */
export function compareWindow(
  index: number,
  a: SideFiles | null,
  b: SideFiles | null,
  filesKnown: boolean,
): WindowDiff {
  const comparable = a !== null && b !== null && a.side.run_id !== null && b.side.run_id !== null;
  const postsDiffer = comparable && filesKnown ? !sameSet(a.posts, b.posts) : null;
  const mediaDiffer = comparable && filesKnown ? !sameSet(a.media, b.media) : null;
  let change: WindowChange;
  if (a === null) change = 'added';
  else if (b === null) change = 'removed';
  else if (!a.side.ran) change = 'not_run_in_a';
  else if (!b.side.ran) change = 'not_run_in_b';
  else if (a.side.status !== b.side.status) change = 'status_changed';
  else if (a.side.input_fingerprint !== b.side.input_fingerprint) change = 'changed_input';
  else if (postsDiffer === true || mediaDiffer === true) change = 'changed_content';
  else change = 'unchanged';
  return {
    window_index: index,
    change,
    a: a?.side ?? null,
    b: b?.side ?? null,
    posts_differ: postsDiffer,
    media_differ: mediaDiffer,
  };
}

/**
 * Whether a compared window is worth listing: anything but `unchanged`, except a not-run window
 * whose reused run matches the other side in status, input and files (the blog did not change).
 */
function differs(window: WindowDiff): boolean {
  if (window.change === 'unchanged') return false;
  if (window.change !== 'not_run_in_a' && window.change !== 'not_run_in_b') return true;
  const {a, b} = window;
  if (a === null || b === null || a.run_id === null || b.run_id === null) return true;
  if (a.run_id === b.run_id) return false;
  return (
    a.status !== b.status ||
    a.input_fingerprint !== b.input_fingerprint ||
    window.posts_differ !== false ||
    window.media_differ !== false
  );
}

function diffWindows(
  windows: {a: ProcessWindows; b: ProcessWindows},
  files: Map<string, RecordedOutputFile[]> | null,
  limit: number,
): WindowsDiff {
  const indexes = [...new Set([...windows.a.own.keys(), ...windows.b.own.keys()])].sort((x, y) => x - y);
  const side = (process: ProcessWindows, index: number): SideFiles | null => {
    const own = process.own.get(index);
    if (own !== undefined) return sideOf(own, files);
    const reused = process.reused.get(index);
    if (reused !== undefined) return sideOf(reused, files);
    return process.notRun.has(index) ? unknownSide() : null;
  };
  const counts = Object.fromEntries(WINDOW_CHANGES.map((change) => [change, 0])) as WindowCounts;
  const listed: WindowDiff[] = [];
  let notRunSame = 0;
  for (const index of indexes) {
    const compared = compareWindow(index, side(windows.a, index), side(windows.b, index), files !== null);
    counts[compared.change] += 1;
    if (differs(compared)) listed.push(compared);
    else if (compared.change === 'not_run_in_a' || compared.change === 'not_run_in_b') notRunSame += 1;
  }
  const order = (change: WindowChange) => WINDOW_CHANGES.indexOf(change);
  listed.sort((x, y) => order(x.change) - order(y.change) || x.window_index - y.window_index);
  return {
    runs_in_a: windows.a.own.size,
    runs_in_b: windows.b.own.size,
    files_compared: files !== null,
    counts,
    not_run_same: notRunSame,
    changed: listed.slice(0, limit),
    total_changed: listed.length,
  };
}

type FieldValue = string | number | null;

function firstLine(text: string | null): string | null {
  if (text === null) return null;
  return text.split('\n')[0] ?? '';
}

/**
 * The compared fields, in the table's order. Numbers get `delta` (b − a) and `ratio` (b / a, when
 * a is not zero); `started_at` gets the seconds between the two starts as its delta.
 */
export function diffFields(
  a: RunRecord,
  b: RunRecord,
  llm: {a: RunLlmUsage | null; b: RunLlmUsage | null},
): FieldDiff[] {
  const fields: [string, FieldValue, FieldValue][] = [
    ['stage', a.stage, b.stage],
    ['status', a.status, b.status],
    ['error', firstLine(a.error), firstLine(b.error)],
    ['input_fingerprint', a.input_fingerprint, b.input_fingerprint],
    ['code_ref', a.code_ref, b.code_ref],
    ['config_hash', a.config_hash, b.config_hash],
    ['started_at', a.started_at, b.started_at],
    ['duration_seconds', a.duration_seconds, b.duration_seconds],
    ['rows_in', a.rows_in, b.rows_in],
    ['rows_out', a.rows_out, b.rows_out],
    ['llm_calls', a.llm_calls, b.llm_calls],
    ['tokens', a.tokens, b.tokens],
    ['trace_id', a.trace_id, b.trace_id],
  ];
  if (llm.a !== null || llm.b !== null) {
    fields.push(
      ['llm.model', llm.a?.model ?? null, llm.b?.model ?? null],
      ['llm.prompt_tokens', llm.a?.prompt_tokens ?? null, llm.b?.prompt_tokens ?? null],
      ['llm.completion_tokens', llm.a?.completion_tokens ?? null, llm.b?.completion_tokens ?? null],
    );
  }
  const diffs: FieldDiff[] = [];
  for (const [field, x, y] of fields) {
    if (x === y) continue;
    let delta: number | null = null;
    let ratio: number | null = null;
    if (typeof x === 'number' && typeof y === 'number') {
      delta = y - x;
      ratio = x === 0 ? null : y / x;
    } else if (field === 'started_at' && typeof x === 'string' && typeof y === 'string') {
      delta = (Date.parse(y) - Date.parse(x)) / 1000;
    }
    diffs.push({field, a: x, b: y, delta, ratio});
  }
  return diffs;
}

/**
 * Nested settings as dotted keys (`llm.model`); arrays and scalars are values. An empty or null
 * object stays one key, so `llm: null` against `llm: {model: …}` shows both sides.
 */
export function flattenSettings(value: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [key, member] of Object.entries(value)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (
      member !== null &&
      typeof member === 'object' &&
      !Array.isArray(member) &&
      Object.keys(member).length > 0
    ) {
      for (const [inner, innerValue] of flattenSettings(member as Record<string, unknown>, name))
        flat.set(inner, innerValue);
    } else {
      flat.set(name, member);
    }
  }
  return flat;
}

/** The settings that differ, by key in alphabetical order; `only` for a key one side lacks. */
export function diffSettings(a: Record<string, unknown>, b: Record<string, unknown>): SettingDiff[] {
  const flatA = flattenSettings(a);
  const flatB = flattenSettings(b);
  const keys = [...new Set([...flatA.keys(), ...flatB.keys()])].sort();
  const diffs: SettingDiff[] = [];
  for (const key of keys) {
    const inA = flatA.has(key);
    const inB = flatB.has(key);
    const x = flatA.get(key) ?? null;
    const y = flatB.get(key) ?? null;
    if (inA && inB && canonicalJson(x) === canonicalJson(y)) continue;
    diffs.push({key, a: x, b: y, only: inA && inB ? null : inA ? 'a' : 'b'});
  }
  return diffs;
}
