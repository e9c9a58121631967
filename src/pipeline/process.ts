import {mkdir, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import type {DateOrder} from '../../schemas/parse.js';
import type {PlannedWindow, ProcessSummary} from '../../schemas/process.js';
import type {RunRecord, TrackerReport} from '../../schemas/run.js';
import type {Window} from '../../schemas/window.js';
import {openPipelineStore, outputsInFolder, type RecordedOutput} from '../db/pipeline-store.js';
import {limitsForMaxSize} from '../ingest/limits.js';
import type {ChatSource} from '../ingest/source.js';
import {openChatSource} from '../ingest/source.js';
import {configHash as fingerprintConfig} from '../runs/fingerprint.js';
import {findReusableRunsAmong, findReusableRunsInStore} from '../runs/queries.js';
import {RunTracker} from '../runs/tracker.js';
import {describeSystemError, ExitCode, isCannotWriteError, UserError} from '../util/errors.js';
import type {StatePaths} from '../util/paths.js';
import {cutWindows, estimateTokens, splitWindow} from '../windows/index.js';
import {getWriter} from '../writers/registry.js';
import type {MediaAccess} from '../writers/writer.js';
import {sweepTempFiles} from './atomic-write.js';
import {Committer} from './committer.js';
import {type ConfigInput, effectiveConfig, windowSpecOf} from './config.js';
import {type IngestResult, type ParsedExport, parseExport, runIngest} from './ingest-step.js';
import {runPool} from './pool.js';
import {acquireProjectLock, type ProjectLock} from './project-lock.js';
import {lookupOrNothing, mayLookUp} from './resume-lookups.js';
import {processWindow, type WindowJob, type WindowResult} from './window-step.js';

export type ProcessPhase = 'opening' | 'ingesting' | 'windowing' | 'processing' | 'finishing' | 'stopping';

export interface ProcessProgress {
  readonly phase: ProcessPhase;
  readonly messages: number;
  readonly windowsTotal: number;
  readonly windowsDone: number;
  readonly windowsSkipped: number;
  readonly windowsFailed: number;
  readonly current: readonly string[];
}

export interface ProcessOptions extends ConfigInput {
  readonly input: string;
  /** The day/month order to read the chat's dates in (`--date-order`); decided from the dates when absent. */
  readonly dateOrder?: DateOrder | undefined;
  readonly outputDir: string;
  readonly state: StatePaths;
  readonly chat: string | undefined;
  readonly maxSize: number | undefined;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly failFast: boolean;
  readonly concurrency: number;
  /** Aborted by Ctrl-C / SIGTERM: no new windows start, in-flight ones end `cancelled`. */
  readonly signal: AbortSignal;
  readonly onProgress?: (progress: ProcessProgress) => void;
  readonly onWarning?: (message: string) => void;
}

interface Plan {
  readonly jobs: WindowJob[];
  readonly skipped: Window[];
  readonly reusableParts: Set<string>;
  readonly planned: PlannedWindow[];
}

/**
 * The `process` service: ingest → windows → one tracked run per window → posts. Never prints;
 * reports progress through `onProgress` and returns the summary the command renders.
 */
export async function processExport(requested: ProcessOptions): Promise<ProcessSummary> {
  const startedAt = performance.now();
  // Outputs are recorded under the absolute folder, so `site` and `./site` are one place wherever it runs from.
  const options: ProcessOptions = {...requested, outputDir: path.resolve(requested.outputDir)};
  const spec = windowSpecOf(options);
  const writer = getWriter(options.writer);
  const config = effectiveConfig(options, spec);
  const configHash = fingerprintConfig(config);
  const progress = progressReporter(options);

  progress.update({phase: 'opening'});
  const source = await openChatSource(options.input, {
    chat: options.chat,
    limits: options.maxSize === undefined ? undefined : limitsForMaxSize(options.maxSize),
  });
  let lock: ProjectLock | null = null;
  let tracker: RunTracker | null = null;
  try {
    progress.update({phase: 'ingesting'});
    // Held only until the ingest has made its pseudonymized copy: a large chat must not live twice.
    let parsed: ParsedExport | null = await parseExport(
      source,
      options.timezone,
      options.signal,
      options.dateOrder,
    );
    progress.update({messages: parsed.messages.length});
    if (!options.dryRun) {
      await prepareDirectories(options);
      lock = await acquireProjectLock(options.state.stateDir);
      await openPipelineStore(options.state.pipelineDb);
      await sweepTempFiles(options.outputDir);
      tracker = await RunTracker.open({dbPath: options.state.runsDb, onWarning: options.onWarning});
    }
    const ingest = await runIngest({
      source,
      parsed,
      state: options.state,
      tracker,
      timezone: options.timezone,
      dateOrder: options.dateOrder,
      force: options.force,
      onWarning: options.onWarning,
    });
    parsed = null;

    progress.update({phase: 'windowing'});
    const windows = cutWindows(ingest.messages, spec);
    const plan = await planWindows(windows, options, configHash, tracker);
    progress.update({
      windowsTotal: windows.length,
      windowsDone: plan.skipped.length,
      windowsSkipped: plan.skipped.length,
    });

    if (tracker === null) {
      return summarize({
        options,
        configHash,
        ingest,
        windows,
        results: [],
        plan,
        startedAt,
        report: null,
        cancelled: false,
      });
    }

    progress.update({phase: 'processing'});
    const results = await processWindows({
      options,
      tracker,
      ingest,
      plan,
      configHash,
      writer,
      source,
      progress,
      windowCount: windows.length,
    });
    const cancelled = options.signal.aborted;
    progress.update({phase: cancelled ? 'stopping' : 'finishing', current: []});
    const report = await tracker.close();
    tracker = null;
    return summarize({options, configHash, ingest, windows, results, plan, startedAt, report, cancelled});
  } finally {
    if (tracker) await tracker.close();
    await source.close();
    if (lock) await lock.release();
  }
}

async function prepareDirectories(options: ProcessOptions): Promise<void> {
  const created: string[] = [];
  for (const [dir, what] of [
    [options.state.stateDir, 'the state directory'],
    [options.outputDir, 'the output directory'],
  ] as const) {
    try {
      const first = await mkdir(dir, {recursive: true});
      if (first !== undefined) created.push(first);
    } catch (error) {
      // Leave nothing behind for a run that could not start.
      for (const folder of created) await rm(folder, {recursive: true, force: true});
      throw new UserError(
        `Cannot create ${what} ${dir}: ${describeSystemError(error)}.`,
        cannotWriteCode(error),
        {
          path: dir,
          hint:
            what === 'the state directory'
              ? 'Choose a writable place with --dir.'
              : 'Choose a writable place with --output.',
          cause: error,
        },
      );
    }
  }
}

/** A path that cannot become a folder (a file is in the way) is as unwritable as a read-only one. */
const PATH_BLOCKED_CODES = new Set(['ENOTDIR', 'EEXIST', 'EISDIR']);

function cannotWriteCode(error: unknown) {
  return isCannotWriteError(error) || PATH_BLOCKED_CODES.has(String((error as NodeJS.ErrnoException).code))
    ? ExitCode.cannotWrite
    : ExitCode.unexpected;
}

async function filesExist(outputDir: string, relativePaths: readonly string[]): Promise<boolean> {
  for (const relative of relativePaths) {
    try {
      await stat(path.join(outputDir, relative));
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Decides, per window, whether to process it, skip it (a finished run of the same content and config
 * exists and its files are still in the output folder), or split it (over the token budget).
 */
async function planWindows(
  windows: readonly Window[],
  options: ProcessOptions,
  configHash: string,
  tracker: RunTracker | null,
): Promise<Plan> {
  const partsOf = new Map<number, Window[]>();
  for (const window of windows) {
    if (estimateTokens(window.messages) > options.maxWindowTokens) {
      partsOf.set(window.index, splitWindow(window, options.maxWindowTokens));
    }
  }
  const fingerprints = windows.map((window) => window.fingerprint);
  for (const parts of partsOf.values()) fingerprints.push(...parts.map((part) => part.fingerprint));

  /**
   * A window is reused when a `completed` or `degraded` run of the same content and config wrote its
   * files into THIS output folder, reported no more posts than are recorded (`rows_out`), and those
   * files still exist. A deleted site, a new `--output`, or a run killed before its files were
   * recorded is processed again.
   */
  const lookUp = !options.force && mayLookUp(tracker);
  // pipeline.duckdb is not optional like the runs store: processing writes to it, so damage there
  // stops the run here, before any post is written.
  const here = lookUp
    ? await outputsInFolder(options.state.pipelineDb, options.outputDir)
    : new Map<string, Map<string, RecordedOutput[]>>();
  const candidateRuns = [...here.values()].flatMap((runs) => [...runs.keys()]);
  const finished = lookUp
    ? await lookupOrNothing(
        () => findReusableRunsAmong({dbPath: options.state.runsDb, runIds: candidateRuns, configHash}),
        new Map<string, RunRecord>(),
        options.onWarning,
      )
    : new Map<string, RunRecord>();
  const windowRunsByFingerprint = lookUp
    ? await lookupOrNothing(
        () =>
          findReusableRunsInStore({
            dbPath: options.state.runsDb,
            inputFingerprints: fingerprints,
            configHash,
          }),
        new Map<string, RunRecord>(),
        options.onWarning,
      )
    : new Map<string, RunRecord>();
  const reusableWithFiles = async (fingerprint: string): Promise<boolean> => {
    for (const [runId, files] of here.get(fingerprint) ?? new Map<string, RecordedOutput[]>()) {
      const run = finished.get(runId);
      if (run === undefined) continue;
      const posts = files.filter((file) => file.kind === 'post').length;
      if (posts < (run.rows_out ?? 0)) continue;
      if (
        await filesExist(
          options.outputDir,
          files.map((file) => file.path),
        )
      )
        return true;
    }
    return false;
  };

  const plan: Plan = {jobs: [], skipped: [], reusableParts: new Set(), planned: []};
  for (const window of windows) {
    const parts = partsOf.get(window.index) ?? null;
    let skip: boolean;
    if (parts) {
      const reusableParts = [];
      for (const part of parts)
        if (await reusableWithFiles(part.fingerprint)) reusableParts.push(part.fingerprint);
      skip = windowRunsByFingerprint.has(window.fingerprint) && reusableParts.length === parts.length;
      if (!skip) for (const fingerprint of reusableParts) plan.reusableParts.add(fingerprint);
    } else {
      skip = await reusableWithFiles(window.fingerprint);
    }
    if (skip) plan.skipped.push(window);
    else plan.jobs.push({window, parts});
    plan.planned.push({
      window: window.index,
      first_date: window.firstDate,
      last_date: window.lastDate,
      messages: window.messages.length,
      fingerprint: window.fingerprint,
      action: skip ? 'skip' : parts ? 'split' : 'process',
      parts: parts?.length ?? 1,
    });
  }
  return plan;
}

interface ProcessWindowsInput {
  readonly options: ProcessOptions;
  readonly tracker: RunTracker;
  readonly ingest: IngestResult;
  readonly plan: Plan;
  readonly configHash: string;
  readonly writer: ReturnType<typeof getWriter>;
  readonly source: ChatSource;
  readonly progress: ReturnType<typeof progressReporter>;
  readonly windowCount: number;
}

async function processWindows(input: ProcessWindowsInput): Promise<WindowResult[]> {
  const {options, tracker, ingest, plan, progress} = input;
  if (ingest.runId === null) throw new Error('an ingest run id is required to process windows');
  const committer = new Committer(tracker, options.state.pipelineDb);
  const original = (name: string): string => ingest.attachmentNames.get(name) ?? name;
  const media: MediaAccess = {
    has: (name) => input.source.hasMedia(original(name)),
    read: (name) => input.source.readMedia(original(name)),
  };
  const results: WindowResult[] = [];
  const inFlight = new Set<string>();
  let failFastTripped = false;
  const context = {
    tracker,
    committer,
    writer: input.writer,
    outputDir: options.outputDir,
    configHash: input.configHash,
    ingestRunId: ingest.runId,
    chat: {title: null, windowCount: input.windowCount},
    media,
    signal: options.signal,
    reusableParts: plan.reusableParts,
  };
  try {
    await runPool(
      plan.jobs,
      options.concurrency,
      async (job) => {
        const label = `window ${job.window.index}`;
        inFlight.add(label);
        progress.update({current: [...inFlight]});
        const result = await processWindow(context, job);
        inFlight.delete(label);
        results.push(result);
        if (result.status === 'failed' && options.failFast) failFastTripped = true;
        progress.windowDone(result.status === 'failed', [...inFlight]);
      },
      () => options.signal.aborted || failFastTripped,
    );
  } finally {
    await committer.close();
  }
  return results.sort((a, b) => a.window - b.window);
}

function progressReporter(options: ProcessOptions) {
  let state: ProcessProgress = {
    phase: 'opening',
    messages: 0,
    windowsTotal: 0,
    windowsDone: 0,
    windowsSkipped: 0,
    windowsFailed: 0,
    current: [],
  };
  return {
    update(change: Partial<ProcessProgress>): void {
      state = {...state, ...change};
      options.onProgress?.(state);
    },
    windowDone(failed: boolean, current: readonly string[]): void {
      state = {
        ...state,
        windowsDone: state.windowsDone + 1,
        windowsFailed: state.windowsFailed + (failed ? 1 : 0),
        current,
      };
      options.onProgress?.(state);
    },
  };
}

interface SummaryInput {
  readonly options: ProcessOptions;
  readonly configHash: string;
  readonly ingest: IngestResult;
  readonly windows: readonly Window[];
  readonly results: readonly WindowResult[];
  readonly plan: Plan;
  readonly startedAt: number;
  readonly report: TrackerReport | null;
  readonly cancelled: boolean;
}

function summarize(input: SummaryInput): ProcessSummary {
  const {options, results, plan} = input;
  const count = (status: WindowResult['status']) =>
    results.filter((result) => result.status === status).length;
  const failed = results.filter((result) => result.status === 'failed');
  const cancelled = input.cancelled || count('cancelled') > 0;
  const report = input.report;
  const outcome: ProcessSummary['outcome'] = options.dryRun
    ? 'planned'
    : cancelled
      ? 'cancelled'
      : failed.length > 0
        ? 'failed'
        : 'completed';
  const exitCode =
    outcome === 'cancelled'
      ? ExitCode.interrupted
      : outcome === 'failed'
        ? ExitCode.windowsFailed
        : ExitCode.ok;
  return {
    input: path.resolve(options.input),
    output_dir: path.resolve(options.outputDir),
    state_dir: options.state.stateDir,
    dry_run: options.dryRun,
    outcome,
    exit_code: exitCode,
    config_hash: input.configHash,
    ingest: {
      run_id: input.ingest.runId,
      reused: input.ingest.reused,
      chat_entry: input.ingest.chatEntry,
      messages: input.ingest.messages.length,
      authors: input.ingest.authors,
    },
    windows: {
      total: input.windows.length,
      processed: results.length,
      skipped: plan.skipped.length,
      failed: failed.length,
      cancelled: count('cancelled'),
      degraded: count('degraded'),
      split: plan.jobs.filter((job) => job.parts !== null).length,
    },
    posts_written: results.reduce((sum, result) => sum + result.posts, 0),
    media_written: results.reduce((sum, result) => sum + result.media, 0),
    failed_windows: failed.map((result) => ({
      window: result.window,
      stage: result.stage,
      run_id: result.runId,
      error: result.error ?? 'failed',
    })),
    ...(options.dryRun ? {plan: plan.planned} : {}),
    duration_seconds: Math.max(0, (performance.now() - input.startedAt) / 1000),
    tracking: {
      recorded: options.dryRun ? false : (report?.recorded ?? false),
      db_path: options.state.runsDb,
      warning:
        report && !report.recorded ? (report.reason ?? report.warnings[0] ?? 'runs were not recorded') : null,
    },
  };
}
