import {randomUUID} from 'node:crypto';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import type {DuckDBConnection} from '@duckdb/node-api';
import type {LlmUsage} from '../../schemas/post.js';
import {
  type FinishStatus,
  FinishStatusSchema,
  type RunContext,
  type RunRecord,
  type TrackerReport,
} from '../../schemas/run.js';
import {StoreAccessError} from '../db/errors.js';
import {READ_RETRY_MAX_DELAY_MS, withWriteSession} from '../db/session.js';
import {describeSystemError, isUserError} from '../util/errors.js';
import {codeRef as defaultCodeRef} from './code-ref.js';
import {formatErrorText} from './error-text.js';
import {currentOwner, type ProcessOwner} from './owner.js';
import {findReusableRunsInStore} from './queries.js';
import {ensureSchema} from './schema.js';
import {
  type FinishConflict,
  type FinishRow,
  type LineageRow,
  type OwnerRow,
  type ProcessDetail,
  type RunRow,
  reconcileStaleRuns,
  type StartDetailRow,
  type UsageRow,
  type WindowDetail,
  writeBatch,
} from './store-writer.js';
import {traceIdFromEnv} from './trace.js';

/**
 * Queued transitions that trigger a flush. At ~9 µs per appended row plus one ~20 ms session, a
 * thousand transitions cost ~30 ms of writing, i.e. ~0.03 ms per window, far under the 0.5 ms budget,
 * and hold the file only briefly; memory stays at a few hundred KB.
 */
export const FLUSH_BATCH_SIZE = 1_000;

/**
 * Longest a transition waits in memory. Half a second keeps `runs tail` in another terminal current
 * for a person watching, while at ~20 ms per session the writer holds the file under 5% of the time.
 */
export const FLUSH_INTERVAL_MS = 500;

/**
 * Least time between the end of one write session and the start of the next. A reader locked out
 * retries at most READ_RETRY_MAX_DELAY_MS apart and needs ~10 ms to open, so a pause longer than both
 * guarantees every waiting reader a turn between two flushes, even when a fast pipeline fills a batch
 * the moment the previous one is written (measured: without it, a 20 ms flush interval kept a reader
 * locked out for over half a second).
 */
export const WRITE_SESSION_MIN_GAP_MS = READ_RETRY_MAX_DELAY_MS + 50;

export interface RunTrackerOptions {
  /** The runs store, normally `resolveStatePaths(...).runsDb`. Its directory is created if missing. */
  readonly dbPath: string;
  readonly tenantId?: string | null;
  /** Defaults to the git commit or package version of this egregora (code-ref.ts). */
  readonly codeRef?: string;
  /** Where TRACEPARENT is read from; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Called for each warning (the tracker never prints). Default: nothing; warnings are also in the report. */
  readonly onWarning?: (message: string) => void;
  /**
   * The trace id every run of this tracker records; default: the one of TRACEPARENT, else none.
   * `process` passes a fresh one when runs are exported to OpenTelemetry without a TRACEPARENT.
   */
  readonly traceId?: string | null;
  /** Keep every finished run in memory for `finishedRunsInOrder()` (the telemetry export reads them). */
  readonly keepFinishedRuns?: boolean;
  /** Tuning for tests and benchmarks; the defaults are FLUSH_INTERVAL_MS, FLUSH_BATCH_SIZE, WRITE_BUSY_TIMEOUT_MS. */
  readonly flushIntervalMs?: number;
  readonly flushBatchSize?: number;
  readonly busyTimeoutMs?: number;
}

/** A run finished by this tracker, as `finishedRunsInOrder()` returns it. */
export interface FinishedRun {
  readonly record: RunRecord;
  readonly parentRunIds: readonly string[];
  readonly llmUsage: LlmUsage | null;
}

export interface StartRunInput {
  readonly stage: string;
  readonly rowsIn?: number | null;
  readonly inputFingerprint?: string | null;
  readonly configHash?: string | null;
  readonly parentRunIds?: readonly string[];
  /** A `process` run: what it needs to be repeated (`process_runs`). */
  readonly process?: ProcessDetail;
  /** A window or part run: which window, and its span (`run_windows`). */
  readonly window?: WindowDetail;
  /** A run started by `runs retry`: the run it re-does (`run_retries`). */
  readonly retryOf?: string;
}

export interface FinishRunInput {
  readonly status: FinishStatus;
  readonly rowsOut?: number | null;
  readonly llmCalls?: number | null;
  readonly tokens?: number | null;
  /** An Error (stored as `Type: message` with its causes), or a string for a declared shortfall. */
  readonly error?: unknown;
  /** Where the error happened, e.g. `window 3`, added to the stored error text. */
  readonly errorContext?: string;
  /** The detail of `llmCalls` and `tokens` for a run whose writer called a model (`run_llm_usage`). */
  readonly llmUsage?: LlmUsage | null;
  /**
   * When the run's own work ended (nowMicros()), when the finish is recorded later: a window's run
   * is finished only after its files are committed, and that wait is not its work.
   */
  readonly finishedAtMicros?: bigint;
}

export interface ReusableRunQuery {
  readonly stage?: string;
  readonly inputFingerprint: string;
  readonly configHash: string;
}

export interface ReusableRunsQuery {
  readonly stage?: string;
  readonly inputFingerprints: readonly string[];
  readonly configHash: string;
}

/** A programming error about a run's life cycle: a terminal run can never change again. */
export class RunStateError extends Error {
  readonly runId: string;

  constructor(message: string, runId: string) {
    super(message);
    this.name = 'RunStateError';
    this.runId = runId;
  }
}

export class RunAlreadyFinishedError extends RunStateError {
  readonly status: FinishStatus;

  constructor(runId: string, status: FinishStatus) {
    super(`Run ${runId} is already finished (${status}); a finished run never changes.`, runId);
    this.name = 'RunAlreadyFinishedError';
    this.status = status;
  }
}

export class UnknownRunError extends RunStateError {
  constructor(runId: string) {
    super(`Run ${runId} was not started by this tracker, so it cannot be finished here.`, runId);
    this.name = 'UnknownRunError';
  }
}

export class TrackerClosedError extends Error {
  constructor() {
    super('The run tracker is closed; start and finish runs before closing it.');
    this.name = 'TrackerClosedError';
  }
}

let lastMicros = 0n;

/**
 * Microseconds since the epoch, strictly increasing within the process: a monotonic clock anchored
 * at process start, so durations never go negative and runs started in one process sort in order.
 */
export function nowMicros(): bigint {
  const micros = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
  lastMicros = micros > lastMicros ? micros : lastMicros + 1n;
  return lastMicros;
}

/**
 * The only write path for runs. `start` and `finish` are synchronous: they queue transitions, which
 * are written in one short write session when FLUSH_BATCH_SIZE is reached, FLUSH_INTERVAL_MS passes,
 * or on `flush()`/`close()`. A start and finish in the same batch become one INSERT of the final row.
 *
 * Tracking never takes the pipeline down: when the store cannot be written (I/O, busy, damaged, newer
 * schema) the tracker turns itself off, warns once, and `close()` reports `recorded: false` with the
 * reason. Only programming errors (finishing a run twice, an unknown run, bad counts) throw.
 */
export class RunTracker {
  readonly dbPath: string;
  private readonly tenantId: string | null;
  private readonly codeRef: string;
  private readonly traceId: string | null;
  private readonly onWarning: (message: string) => void;
  private readonly flushIntervalMs: number;
  private readonly flushBatchSize: number;
  private readonly busyTimeoutMs: number | undefined;
  private readonly owner: ProcessOwner;
  private readonly keepFinished: boolean;
  private readonly parentsOf = new Map<string, readonly string[]>();
  private readonly finished: FinishedRun[] = [];

  /** Runs started and not yet finished; the row object is also the queued INSERT until a flush takes it. */
  private readonly live = new Map<string, RunRow>();
  private readonly finishedRuns = new Map<string, FinishStatus>();
  private queuedRuns = new Map<string, RunRow>();
  private queuedOwners = new Map<string, OwnerRow>();
  private queuedLineage: LineageRow[] = [];
  private queuedFinishes: FinishRow[] = [];
  private queuedUsage: UsageRow[] = [];
  private queuedDetails: StartDetailRow[] = [];
  /** Completed/degraded runs of this process by fingerprint+config, for resume before they are flushed. */
  private readonly reusable = new Map<string, RunRecord[]>();

  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private initialized = false;
  private lastSessionEnd = Number.NEGATIVE_INFINITY;
  private disabledReason: string | null = null;
  private lookupWarned = false;
  private closing: Promise<TrackerReport> | null = null;
  private readonly warnings: string[] = [];
  private runsStarted = 0;
  private runsFinished = 0;

  private constructor(options: RunTrackerOptions) {
    if (typeof options.dbPath !== 'string' || options.dbPath === '')
      throw new TypeError('dbPath must be a path');
    this.dbPath = path.resolve(options.dbPath);
    this.tenantId = options.tenantId ?? null;
    this.codeRef = options.codeRef ?? defaultCodeRef();
    this.traceId =
      options.traceId === undefined ? traceIdFromEnv(options.env ?? process.env) : options.traceId;
    this.keepFinished = options.keepFinishedRuns ?? false;
    this.onWarning = options.onWarning ?? (() => undefined);
    this.flushIntervalMs = positive(options.flushIntervalMs, FLUSH_INTERVAL_MS, 'flushIntervalMs');
    this.flushBatchSize = positive(options.flushBatchSize, FLUSH_BATCH_SIZE, 'flushBatchSize');
    this.busyTimeoutMs = options.busyTimeoutMs;
    this.owner = currentOwner();
  }

  /**
   * Opens the store for writing: creates its directory, then in a first write session creates or
   * migrates the schema and reconciles stale runs. Never throws for I/O (see the class comment).
   */
  static async open(options: RunTrackerOptions): Promise<RunTracker> {
    const tracker = new RunTracker(options);
    await tracker.prepare();
    return tracker;
  }

  /** Whether transitions are still being written (false once the store proved unwritable). */
  get recording(): boolean {
    return this.disabledReason === null;
  }

  /** Whether the run was started here and has not finished yet. */
  isRunning(runId: string): boolean {
    return this.live.has(runId);
  }

  start(input: StartRunInput): RunContext {
    this.assertOpen();
    const stage = checkStage(input.stage);
    const rowsIn = checkCount(input.rowsIn, 'rowsIn');
    const parentRunIds = checkRunIds(input.parentRunIds ?? []);
    const runId = randomUUID();
    const row: RunRow = {
      runId,
      tenantId: this.tenantId,
      stage,
      status: 'running',
      error: null,
      inputFingerprint: input.inputFingerprint ?? null,
      codeRef: this.codeRef,
      configHash: input.configHash ?? null,
      startedMicros: nowMicros(),
      finishedMicros: null,
      durationSeconds: null,
      rowsIn,
      rowsOut: null,
      llmCalls: null,
      tokens: null,
      traceId: this.traceId,
    };
    this.live.set(runId, row);
    if (this.keepFinished) this.parentsOf.set(runId, parentRunIds);
    this.runsStarted += 1;
    if (this.recording) {
      this.queuedRuns.set(runId, row);
      this.queuedOwners.set(runId, {runId, owner: this.owner});
      for (const parentRunId of parentRunIds) this.queuedLineage.push({childRunId: runId, parentRunId});
      if (input.process || input.window || input.retryOf) {
        this.queuedDetails.push({
          runId,
          ...(input.process ? {process: input.process} : {}),
          ...(input.window ? {window: input.window} : {}),
          ...(input.retryOf ? {retryOf: checkRunIds([input.retryOf])[0] as string} : {}),
        });
      }
      this.afterQueue();
    }
    return {runId, stage, tenantId: this.tenantId, parentRunIds, dbPath: this.dbPath, traceId: this.traceId};
  }

  finish(runId: string, input: FinishRunInput): void {
    const previous = this.finishedRuns.get(runId);
    if (previous !== undefined) throw new RunAlreadyFinishedError(runId, previous);
    const row = this.live.get(runId);
    if (row === undefined) throw new UnknownRunError(runId);
    this.assertOpen();
    const parsedStatus = FinishStatusSchema.safeParse(input.status);
    if (!parsedStatus.success) {
      throw new TypeError(
        `A run finishes as completed, failed, degraded or cancelled, not ${String(input.status)}.`,
      );
    }
    const status = parsedStatus.data;
    const rowsOut = checkCount(input.rowsOut, 'rowsOut');
    const llmCalls = checkCount(input.llmCalls, 'llmCalls');
    const tokens = checkCount(input.tokens, 'tokens');
    const error =
      input.error === undefined || input.error === null
        ? null
        : formatErrorText(input.error, input.errorContext === undefined ? {} : {context: input.errorContext});
    const now = nowMicros();
    const finishedMicros =
      input.finishedAtMicros !== undefined &&
      input.finishedAtMicros >= row.startedMicros &&
      input.finishedAtMicros <= now
        ? input.finishedAtMicros
        : now;

    this.live.delete(runId);
    this.finishedRuns.set(runId, status);
    this.runsFinished += 1;
    const queued = this.queuedRuns.get(runId);
    const target: RunRow = queued ?? {...row};
    target.status = status;
    target.error = error;
    target.finishedMicros = finishedMicros;
    target.durationSeconds = Number(finishedMicros - row.startedMicros) / 1_000_000;
    target.rowsOut = rowsOut;
    target.llmCalls = llmCalls;
    target.tokens = tokens;
    this.rememberReusable(target);
    if (this.keepFinished) {
      this.finished.push({
        record: toRecord(target),
        parentRunIds: this.parentsOf.get(runId) ?? [],
        llmUsage: input.llmUsage ?? null,
      });
      this.parentsOf.delete(runId);
    }
    if (!this.recording) return;
    if (queued) {
      // Start and finish in one batch: a single INSERT of the final row, and no owner to record.
      this.queuedOwners.delete(runId);
    } else {
      this.queuedFinishes.push({runId, status, error, finishedMicros, rowsOut, llmCalls, tokens});
    }
    if (input.llmUsage) this.queuedUsage.push({runId, usage: {...input.llmUsage}});
    this.afterQueue();
  }

  /** Writes every queued transition in one write session. Never rejects. */
  flush(): Promise<void> {
    if (this.flushScheduled) return this.chain;
    this.clearTimer();
    this.flushScheduled = true;
    this.chain = this.chain.then(() => {
      this.flushScheduled = false;
      return this.writeQueued();
    });
    return this.chain;
  }

  /** Flushes and stops. Runs still running stay `running` (and read as `crashed` once this process ends). */
  close(): Promise<TrackerReport> {
    this.closing ??= (async () => {
      await this.flush();
      this.clearTimer();
      return this.report();
    })();
    return this.closing;
  }

  /** The runs this tracker finished, in finish order (empty unless `keepFinishedRuns`). */
  finishedRunsInOrder(): readonly FinishedRun[] {
    return this.finished;
  }

  /** A snapshot of what has been tracked so far (close() returns the final one). */
  report(): TrackerReport {
    return {
      recorded: this.recording,
      reason: this.disabledReason,
      runsStarted: this.runsStarted,
      runsFinished: this.runsFinished,
      warnings: [...this.warnings],
      dbPath: this.dbPath,
    };
  }

  /**
   * For resume: the newest `completed` or `degraded` run with this input fingerprint and config hash
   * (and stage, when given), from this process or the store; null if none, the store is missing, or
   * the tracker is off.
   */
  async findReusableRun(query: ReusableRunQuery): Promise<RunRecord | null> {
    const found = await this.findReusableRuns({
      inputFingerprints: [query.inputFingerprint],
      configHash: query.configHash,
      ...(query.stage === undefined ? {} : {stage: query.stage}),
    });
    return found.get(query.inputFingerprint) ?? null;
  }

  /** findReusableRun for many fingerprints in one read session (a pipeline's windows at once). */
  async findReusableRuns(query: ReusableRunsQuery): Promise<Map<string, RunRecord>> {
    const found = new Map<string, RunRecord>();
    if (!this.recording) return found;
    const missing: string[] = [];
    for (const fingerprint of query.inputFingerprints) {
      const local = this.localReusable(fingerprint, query.configHash, query.stage);
      if (local) found.set(fingerprint, local);
      else missing.push(fingerprint);
    }
    if (missing.length === 0) return found;
    try {
      const stored = await findReusableRunsInStore({
        dbPath: this.dbPath,
        inputFingerprints: missing,
        configHash: query.configHash,
        ...(query.stage === undefined ? {} : {stage: query.stage}),
      });
      for (const [fingerprint, run] of stored) found.set(fingerprint, run);
    } catch (error) {
      if (!this.lookupWarned) {
        this.lookupWarned = true;
        this.warn(
          `Could not look up earlier runs for resume (${describeFailure(error)}); those windows are processed again.`,
        );
      }
    }
    return found;
  }

  private async prepare(): Promise<void> {
    try {
      await mkdir(path.dirname(this.dbPath), {recursive: true});
    } catch (error) {
      this.disable(new StoreAccessError(this.dbPath, 'write', describeSystemError(error), error));
      return;
    }
    await this.flush();
  }

  private afterQueue(): void {
    if (this.queuedRuns.size + this.queuedFinishes.length >= this.flushBatchSize) {
      void this.flush();
      return;
    }
    if (this.timer === null && !this.flushScheduled) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.flushIntervalMs);
      // A pending flush must not keep the process alive; close() writes whatever is left.
      this.timer.unref();
    }
  }

  private async writeQueued(): Promise<void> {
    if (!this.recording) return;
    if (this.initialized && this.queuedRuns.size === 0 && this.queuedFinishes.length === 0) return;
    const pause = this.lastSessionEnd + WRITE_SESSION_MIN_GAP_MS - performance.now();
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    // The batch is taken after the pause, so whatever was queued meanwhile goes in the same session.
    const batch = {
      runs: [...this.queuedRuns.values()],
      owners: [...this.queuedOwners.values()],
      lineage: this.queuedLineage,
      finishes: this.queuedFinishes,
      usage: this.queuedUsage,
      details: this.queuedDetails,
    };
    this.queuedRuns = new Map();
    this.queuedOwners = new Map();
    this.queuedLineage = [];
    this.queuedFinishes = [];
    this.queuedUsage = [];
    this.queuedDetails = [];
    try {
      const result = await withWriteSession(
        this.dbPath,
        async (connection) => {
          if (!this.initialized) await this.initializeStore(connection);
          return writeBatch(connection, batch);
        },
        this.busyTimeoutMs === undefined ? {} : {busyTimeoutMs: this.busyTimeoutMs},
      );
      this.initialized = true;
      if (result.conflicts.length > 0) this.warn(conflictWarning(this.dbPath, result.conflicts));
    } catch (error) {
      this.disable(error);
    } finally {
      this.lastSessionEnd = performance.now();
    }
  }

  /** The first session of a tracker: schema (create, migrate, or refuse a newer one) and stale runs. */
  private async initializeStore(connection: DuckDBConnection): Promise<void> {
    await ensureSchema(connection, {dbPath: this.dbPath, codeRef: this.codeRef});
    await reconcileStaleRuns(connection, nowMicros());
  }

  private disable(error: unknown): void {
    if (this.disabledReason !== null) return;
    this.disabledReason = describeFailure(error);
    this.clearTimer();
    this.queuedRuns = new Map();
    this.queuedOwners = new Map();
    this.queuedLineage = [];
    this.queuedFinishes = [];
    this.queuedUsage = [];
    this.queuedDetails = [];
    this.warn(`Runs are not being recorded: ${this.disabledReason} Processing goes on without run tracking.`);
  }

  private warn(message: string): void {
    this.warnings.push(message);
    try {
      this.onWarning(message);
    } catch {
      // A failing warning handler must not turn a warning into a crash.
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private assertOpen(): void {
    if (this.closing !== null) throw new TrackerClosedError();
  }

  private rememberReusable(row: RunRow): void {
    if (row.status !== 'completed' && row.status !== 'degraded') return;
    if (row.inputFingerprint === null || row.configHash === null) return;
    const key = `${row.inputFingerprint}\0${row.configHash}`;
    const list = this.reusable.get(key) ?? [];
    list.push(toRecord(row));
    this.reusable.set(key, list);
  }

  private localReusable(
    fingerprint: string,
    configHash: string,
    stage: string | undefined,
  ): RunRecord | null {
    const list = this.reusable.get(`${fingerprint}\0${configHash}`);
    if (!list) return null;
    for (let index = list.length - 1; index >= 0; index -= 1) {
      const record = list[index];
      if (record && (stage === undefined || record.stage === stage)) return record;
    }
    return null;
  }
}

export interface StageOutcome {
  readonly status?: FinishStatus;
  readonly rowsOut?: number | null;
  readonly llmCalls?: number | null;
  readonly tokens?: number | null;
  /** A note for a `degraded` outcome (or any status), stored in the run's error column. */
  readonly error?: unknown;
}

export interface RunStageOptions<T> {
  /** Derives the finish from the stage's result; default `completed` with nothing else. */
  readonly outcome?: (result: T) => StageOutcome;
}

/**
 * Runs `fn` as one tracked run: starts it, finishes it `completed` (or as `outcome` says), and when
 * `fn` throws, finishes it `failed` with the error and re-throws the original error. A run that was
 * already finished meanwhile (e.g. marked `cancelled` by a signal handler) is left as it is.
 */
export async function runStage<T>(
  tracker: RunTracker,
  input: StartRunInput,
  fn: (context: RunContext) => Promise<T> | T,
  options: RunStageOptions<T> = {},
): Promise<T> {
  const context = tracker.start(input);
  let result: T;
  try {
    result = await fn(context);
  } catch (error) {
    if (tracker.isRunning(context.runId)) tracker.finish(context.runId, {status: 'failed', error});
    throw error;
  }
  try {
    const outcome = options.outcome?.(result) ?? {};
    if (tracker.isRunning(context.runId)) {
      tracker.finish(context.runId, {
        status: outcome.status ?? 'completed',
        rowsOut: outcome.rowsOut ?? null,
        llmCalls: outcome.llmCalls ?? null,
        tokens: outcome.tokens ?? null,
        error: outcome.error,
      });
    }
  } catch (error) {
    // A broken outcome must not leave the run `running` forever.
    if (tracker.isRunning(context.runId)) tracker.finish(context.runId, {status: 'failed', error});
    throw error;
  }
  return result;
}

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkRunIds(ids: readonly string[]): string[] {
  const unique: string[] = [];
  for (const id of ids) {
    const normalized = typeof id === 'string' ? id.toLowerCase() : '';
    if (!RUN_ID.test(normalized)) throw new TypeError(`A parent run id must be a UUID; got ${String(id)}.`);
    if (!unique.includes(normalized)) unique.push(normalized);
  }
  return unique;
}

function checkStage(stage: unknown): string {
  if (typeof stage !== 'string' || stage.trim() === '')
    throw new TypeError('A run needs a non-empty stage name.');
  return stage;
}

function checkCount(value: number | null | undefined, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number of at least 0; got ${value}.`);
  }
  return value;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be positive; got ${value}.`);
  return value;
}

function describeFailure(error: unknown): string {
  if (isUserError(error)) return error.hint ? `${error.message} ${error.hint}` : error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Most conflicting run ids listed in one warning; the rest are counted. */
const CONFLICT_IDS_SHOWN = 5;

function conflictWarning(dbPath: string, conflicts: readonly FinishConflict[]): string {
  const shown = conflicts
    .slice(0, CONFLICT_IDS_SHOWN)
    .map((c) => `${c.runId} (${c.storedStatus ?? 'not in the store'})`)
    .join(', ');
  const more =
    conflicts.length > CONFLICT_IDS_SHOWN ? ` and ${conflicts.length - CONFLICT_IDS_SHOWN} more` : '';
  return (
    `${conflicts.length} run(s) were no longer running in ${dbPath}, so their finish from this process was not recorded ` +
    `(a finished run never changes): ${shown}${more}.`
  );
}

function microsToIso(micros: bigint): string {
  const millis = micros / 1000n;
  const rest = Number(micros % 1000n);
  return `${new Date(Number(millis)).toISOString().slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}

function toRecord(row: RunRow): RunRecord {
  return {
    run_id: row.runId,
    tenant_id: row.tenantId,
    stage: row.stage,
    status: row.status,
    error: row.error,
    input_fingerprint: row.inputFingerprint,
    code_ref: row.codeRef,
    config_hash: row.configHash,
    started_at: microsToIso(row.startedMicros),
    finished_at: row.finishedMicros === null ? null : microsToIso(row.finishedMicros),
    duration_seconds: row.durationSeconds,
    rows_in: row.rowsIn,
    rows_out: row.rowsOut,
    llm_calls: row.llmCalls,
    tokens: row.tokens,
    trace_id: row.traceId,
  };
}
