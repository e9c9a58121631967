import {mkdir, readdir, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import type {DateOrder} from '../../schemas/parse.js';
import type {LlmUsage} from '../../schemas/post.js';
import type {PlannedWindow, ProcessSummary} from '../../schemas/process.js';
import type {RunRecord, TrackerReport} from '../../schemas/run.js';
import type {Window} from '../../schemas/window.js';
import type {LlmSettings} from '../config/resolve.js';
import {
  openPipelineStore,
  outputsInFolder,
  postsRecordedInFolder,
  type RecordedOutput,
  type RecordedPost,
} from '../db/pipeline-store.js';
import {limitsForMaxSize} from '../ingest/limits.js';
import type {ChatSource} from '../ingest/source.js';
import {openChatSource} from '../ingest/source.js';
import {configHash as fingerprintConfig} from '../runs/fingerprint.js';
import {findReusableRunsAmong, findReusableRunsInStore} from '../runs/queries.js';
import {type FinishRunInput, RunTracker} from '../runs/tracker.js';
import type {SiteBuildResult} from '../site/build.js';
import {telemetryEnabled} from '../telemetry/enabled.js';
import {canonicalJson} from '../util/canonical.js';
import {describeSystemError, ExitCode, isCannotWriteError, UserError} from '../util/errors.js';
import type {StatePaths} from '../util/paths.js';
import {cutWindowSpans, estimateTokens, splitWindow, type WindowSpan} from '../windows/index.js';
import {getWriter, LLM_WRITER_NAME} from '../writers/registry.js';
import type {ChatInfo, MediaAccess, Writer} from '../writers/writer.js';
import {sweepTempFiles} from './atomic-write.js';
import {Committer} from './committer.js';
import {type ConfigInput, effectiveConfig, windowSpecOf} from './config.js';
import {HeldChat, outlineOf, type WindowOutline, windowFrom} from './held-chat.js';
import {type IngestResult, type ParsedExport, parseExport, runIngest} from './ingest-step.js';
import {runPool} from './pool.js';
import {acquireProjectLock, type ProjectLock} from './project-lock.js';
import {lookupOrNothing, mayLookUp} from './resume-lookups.js';
import {removeSupersededPosts, type SupersedeResult} from './superseded.js';
import {exportInvocationSpans, invocationTraceId} from './telemetry.js';
import {addUsage, processWindow, type WindowJob, type WindowResult} from './window-step.js';

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
  /** The LLM writer's settings (read only when it is the writer). */
  readonly llm: LlmSettings;
  /** From the environment only; never printed, recorded or hashed. */
  readonly apiKey: string | null;
  /** `--max-tokens`: once this invocation's windows have spent this many tokens, no new window starts. */
  readonly maxTokens: number | undefined;
  /** Aborted by Ctrl-C / SIGTERM: no new windows start, in-flight ones end `cancelled`. */
  readonly signal: AbortSignal;
  readonly onProgress?: (progress: ProcessProgress) => void;
  readonly onWarning?: (message: string) => void;
  /** `runs retry`: only these windows, each a retry of a run of an earlier `process`. */
  readonly retry?: RetryPlan;
  /** Render the HTML site beside the posts at the end, as its own run (stage `site`); default true. */
  readonly html?: boolean;
  /** The site's title (the group's subject is never used: it often names people). */
  readonly title?: string | undefined;
}

export interface RetryPlan {
  /** The `process` run being retried. */
  readonly processRunId: string;
  /** The chat's fingerprint that process recorded: the export must still be the same. */
  readonly exportFingerprint: string;
  /** By window index: the run to retry and the window's fingerprint it recorded. */
  readonly windows: ReadonlyMap<number, {readonly runId: string; readonly fingerprint: string | null}>;
}

/** The stage of the run every `process` invocation is (the parent of its ingest and window runs). */
export const PROCESS_STAGE = 'process';

/** A window to write, by outline: its messages are made again from the held chat when it starts. */
interface PlannedJob {
  readonly window: WindowOutline;
  readonly parts: readonly WindowOutline[] | null;
}

interface Plan {
  readonly jobs: PlannedJob[];
  readonly skipped: WindowOutline[];
  readonly reusableParts: Set<string>;
  readonly planned: PlannedWindow[];
  /** Window index → the fingerprints of the window and of its parts when it is split. */
  readonly fingerprintsOf: Map<number, string[]>;
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
  const writer = await getWriter(options.writer, {
    stateDir: options.state.stateDir,
    llm: options.llm,
    apiKey: options.apiKey,
    onWarning: options.onWarning ?? (() => undefined),
  });
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
  let processRunId: string | null = null;
  /** The tracker whose finished runs are exported as spans at the end (when telemetry is on). */
  let spans: RunTracker | null = null;
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
    if (options.retry && options.retry.exportFingerprint !== parsed.summary.inputFingerprint) {
      throw new UserError(
        `${options.input} is not the export the retried process read: its chat's fingerprint differs.`,
        ExitCode.usage,
        {path: options.input, hint: 'Pass the export that process read with --export PATH.'},
      );
    }
    if (!options.dryRun) {
      await prepareDirectories(options);
      lock = await acquireProjectLock(options.state.stateDir);
      await openPipelineStore(options.state.pipelineDb);
      await sweepTempFiles(options.outputDir);
      const traceId = invocationTraceId(process.env);
      tracker = await RunTracker.open({
        dbPath: options.state.runsDb,
        onWarning: options.onWarning,
        traceId,
        keepFinishedRuns: telemetryEnabled(process.env),
      });
      spans = tracker;
      processRunId = tracker.start({
        stage: PROCESS_STAGE,
        rowsIn: parsed.messages.length,
        inputFingerprint: parsed.summary.inputFingerprint,
        configHash,
        process: {
          exportPath: path.resolve(options.input),
          exportFingerprint: parsed.summary.inputFingerprint,
          chatEntry: source.chatEntry,
          outputDir: options.outputDir,
          settings: canonicalJson(repeatableSettings(options, spec)),
        },
        ...(options.retry ? {retryOf: options.retry.processRunId} : {}),
      }).runId;
    }
    // The parsed copy goes as soon as the ingest has made its pseudonymized one.
    const ingestParsed = async (): Promise<IngestResult> => {
      const result = await runIngest({
        source,
        parsed: parsed as ParsedExport,
        state: options.state,
        tracker,
        timezone: options.timezone,
        dateOrder: options.dateOrder,
        force: options.force,
        processRunId,
        onWarning: options.onWarning,
      });
      parsed = null;
      return result;
    };
    // The chat's messages live in `work` alone, which is dropped before the site is rendered: a
    // large chat's messages and the site's pages must not be in memory together.
    let work: ChatWork | null = await planChat({
      ingest: await ingestParsed(),
      options,
      spec,
      configHash,
      tracker,
      onWindowing: () => progress.update({phase: 'windowing'}),
    });
    const chat: ChatInfo = {title: null, windowCount: work.windowCount, realNames: work.ingest.realNames};
    if (options.dryRun) await estimatePlan(work, writer, chat);
    progress.update({
      windowsTotal: work.plan.jobs.length + work.plan.skipped.length,
      windowsDone: work.plan.skipped.length,
      windowsSkipped: work.plan.skipped.length,
    });

    if (tracker === null || processRunId === null) {
      return summarize({
        options,
        configHash,
        facts: factsOf(work),
        results: [],
        startedAt,
        report: null,
        cancelled: false,
        processRunId: null,
        site: null,
        superseded: null,
      });
    }

    progress.update({phase: 'processing'});
    const writtenPosts = new Map<number, string[]>();
    const results = await processWindows({
      writtenPosts,
      options,
      tracker,
      ingest: work.ingest,
      plan: work.plan,
      held: work.chat,
      configHash,
      writer,
      source,
      progress,
      chat,
      processRunId,
    });
    const cancelled = options.signal.aborted;
    progress.update({phase: cancelled ? 'stopping' : 'finishing', current: []});
    // Before the site, which renders whatever posts are on disk.
    const superseded = cancelled ? null : await supersedePosts({options, ...work, results, writtenPosts});
    const facts = factsOf(work);
    work = null;
    const site =
      options.html === false || cancelled || results.some((result) => result.fatal !== null)
        ? null
        : await renderSite(tracker, processRunId, options);
    // The server refuses everything (key, model, unreachable): the runs are recorded, then stop loudly.
    const fatal = results.find((result) => result.fatal !== null)?.fatal;
    const invocationRunId = processRunId;
    tracker.finish(
      processRunId,
      processOutcome(
        results,
        cancelled,
        fatal ?? (site?.error instanceof Error ? site.error : null),
        options.signal,
      ),
    );
    processRunId = null;
    const report = await tracker.close();
    tracker = null;
    if (fatal) throw fatal;
    if (site?.error) throw site.error;
    return summarize({
      site,
      superseded,
      options,
      configHash,
      facts,
      results,
      startedAt,
      report,
      cancelled,
      processRunId: invocationRunId,
    });
  } catch (error) {
    // Whatever stopped the invocation, its own run says so (the windows' runs say which failed).
    if (tracker !== null && processRunId !== null && tracker.isRunning(processRunId)) {
      tracker.finish(
        processRunId,
        options.signal.aborted
          ? {status: 'cancelled', error: options.signal.reason}
          : {status: 'failed', error},
      );
    }
    throw error;
  } finally {
    writer.close?.();
    if (tracker) await tracker.close();
    if (spans) {
      const warning = await exportInvocationSpans(process.env, spans.finishedRunsInOrder());
      if (warning) options.onWarning?.(warning);
    }
    await source.close();
    if (lock) await lock.release();
  }
}

/** What the windows need of the ingest once its messages are held as columns (held-chat.ts). */
type IngestFacts = Omit<IngestResult, 'messages'>;

/** The chat as the windows see it: its pseudonymized messages, its windows and what to do with each. */
interface ChatWork {
  readonly ingest: IngestFacts;
  readonly chat: HeldChat;
  readonly windowCount: number;
  readonly plan: Plan;
}

async function planChat(input: {
  readonly ingest: IngestResult;
  readonly options: ProcessOptions;
  readonly spec: ReturnType<typeof windowSpecOf>;
  readonly configHash: string;
  readonly tracker: RunTracker | null;
  readonly onWindowing: () => void;
}): Promise<ChatWork> {
  input.onWindowing();
  const {messages, ...ingest} = input.ingest;
  const spans = cutWindowSpans(messages, input.spec);
  const plan = await planWindows(spans, input.options, input.configHash, input.tracker);
  // From here on the message objects (and the windows' arrays of them) are garbage: only columns stay.
  return {ingest, chat: HeldChat.of(messages), windowCount: spans.length, plan};
}

/** What the summary reports of the chat, its windows and the plan: a few numbers, not the messages. */
interface ChatFacts {
  readonly ingestRunId: string | null;
  readonly ingestReused: boolean;
  readonly chatEntry: string;
  readonly messages: number;
  readonly authors: number;
  readonly windows: number;
  readonly jobs: number;
  readonly skipped: number;
  readonly split: number;
  readonly planned: readonly PlannedWindow[];
}

function factsOf(work: ChatWork): ChatFacts {
  return {
    ingestRunId: work.ingest.runId,
    ingestReused: work.ingest.reused,
    chatEntry: work.ingest.chatEntry,
    messages: work.chat.length,
    authors: work.ingest.authors,
    windows: work.windowCount,
    jobs: work.plan.jobs.length,
    skipped: work.plan.skipped.length,
    split: work.plan.jobs.filter((job) => job.parts !== null).length,
    planned: work.plan.planned,
  };
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
  spans: readonly WindowSpan[],
  options: ProcessOptions,
  configHash: string,
  tracker: RunTracker | null,
): Promise<Plan> {
  const windows = spans.map((span) => span.window);
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

  const plan: Plan = {
    jobs: [],
    skipped: [],
    reusableParts: new Set(),
    planned: [],
    fingerprintsOf: new Map(),
  };
  const retry = options.retry;
  for (const {window, start} of spans) {
    if (retry !== undefined) {
      const target = retry.windows.get(window.index);
      if (target === undefined) continue;
      if (target.fingerprint !== null && target.fingerprint !== window.fingerprint) {
        throw new UserError(
          `Window ${window.index} is not the window its run ${target.runId} read: the export or its settings changed.`,
          ExitCode.usage,
          {hint: 'Run `egregora process` again instead: it redoes whatever differs.'},
        );
      }
    }
    const parts = partsOf.get(window.index) ?? null;
    plan.fingerprintsOf.set(window.index, [
      window.fingerprint,
      ...(parts ?? []).map((part) => part.fingerprint),
    ]);
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
    const outline = outlineOf(window, start);
    if (skip) plan.skipped.push(outline);
    else plan.jobs.push({window: outline, parts: parts === null ? null : partOutlines(parts, start)});
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

/** The outlines of a window's parts: consecutive runs of its messages, from the window's `start`. */
function partOutlines(parts: readonly Window[], start: number): WindowOutline[] {
  let next = start;
  return parts.map((part) => {
    const outline = outlineOf(part, next);
    next = outline.end;
    return outline;
  });
}

/** A planned job with its window's (and parts') messages made again: what processWindow takes. */
function jobFrom(chat: HeldChat, planned: PlannedJob): WindowJob {
  return {
    window: windowFrom(chat, planned.window),
    parts: planned.parts === null ? null : planned.parts.map((part) => windowFrom(chat, part)),
  };
}

interface ProcessWindowsInput {
  readonly options: ProcessOptions;
  readonly tracker: RunTracker;
  readonly ingest: IngestFacts;
  readonly plan: Plan;
  readonly held: HeldChat;
  readonly configHash: string;
  readonly writer: Writer;
  readonly source: ChatSource;
  readonly progress: ReturnType<typeof progressReporter>;
  readonly chat: ChatInfo;
  readonly processRunId: string;
  readonly writtenPosts: Map<number, string[]>;
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
  let fatal = false;
  const budget = tokenBudget(options.maxTokens);
  const context = {
    tracker,
    committer,
    writer: input.writer,
    outputDir: options.outputDir,
    configHash: input.configHash,
    ingestRunId: ingest.runId,
    processRunId: input.processRunId,
    retryOf: new Map(
      [...(options.retry?.windows ?? new Map())].map(([index, target]) => [index, target.runId]),
    ),
    chat: input.chat,
    media,
    signal: options.signal,
    reusableParts: plan.reusableParts,
    writtenPosts: input.writtenPosts,
  };
  try {
    await runPool(
      plan.jobs,
      options.concurrency,
      async (planned) => {
        const label = `window ${planned.window.index}`;
        inFlight.add(label);
        progress.update({current: [...inFlight]});
        const result = await processWindow(context, jobFrom(input.held, planned));
        inFlight.delete(label);
        results.push(result);
        if (result.status === 'failed' && options.failFast) failFastTripped = true;
        if (result.fatal !== null) fatal = true;
        budget.spend(result.usage);
        progress.windowDone(result.status === 'failed', [...inFlight]);
      },
      () => options.signal.aborted || failFastTripped || fatal || budget.reached(),
    );
  } finally {
    await committer.close();
  }
  return results.sort((a, b) => a.window - b.window);
}

interface SupersedeStepInput {
  readonly options: ProcessOptions;
  readonly plan: Plan;
  readonly windowCount: number;
  readonly results: readonly WindowResult[];
  readonly writtenPosts: ReadonlyMap<number, readonly string[]>;
}

/**
 * Removes the posts earlier runs wrote for windows whose post is now another file (superseded.ts).
 * A window's current posts: those this run wrote for it, and those recorded under its own (or its
 * reused parts') fingerprint when they were reused. Windows that failed or did not run keep their
 * old posts. Cleanup only: a failure here is a warning, never the run's failure.
 */
async function supersedePosts(input: SupersedeStepInput): Promise<SupersedeResult | null> {
  const {options, plan} = input;
  try {
    const recorded = await postsRecordedInFolder(options.state.pipelineDb, options.outputDir);
    // Grouped once: a re-run of a large chat skips thousands of windows, each looked up here.
    const recordedByWindow = new Map<number, RecordedPost[]>();
    for (const post of recorded) {
      const posts = recordedByWindow.get(post.windowIndex) ?? [];
      posts.push(post);
      recordedByWindow.set(post.windowIndex, posts);
    }
    const recordedUnder = (index: number, fingerprints: ReadonlySet<string>): string[] =>
      (recordedByWindow.get(index) ?? [])
        .filter((post) => fingerprints.has(post.windowFingerprint))
        .map((post) => post.path);
    const current = new Map<number, Set<string>>();
    for (const window of plan.skipped) {
      current.set(
        window.index,
        new Set(recordedUnder(window.index, new Set(plan.fingerprintsOf.get(window.index)))),
      );
    }
    for (const result of input.results) {
      if (result.status !== 'completed' && result.status !== 'degraded') continue;
      const reusedParts = new Set(
        (plan.fingerprintsOf.get(result.window) ?? []).filter((fingerprint) =>
          plan.reusableParts.has(fingerprint),
        ),
      );
      current.set(
        result.window,
        new Set([
          ...(input.writtenPosts.get(result.window) ?? []),
          ...recordedUnder(result.window, reusedParts),
        ]),
      );
    }
    const everyWindowInPlace = options.retry === undefined && current.size === input.windowCount;
    const outcome = await removeSupersededPosts({
      outputDir: options.outputDir,
      recorded,
      current,
      windowCount: everyWindowInPlace ? input.windowCount : null,
    });
    for (const file of outcome.keptEdited) {
      options.onWarning?.(
        `${path.join(options.outputDir, file)} is the post of an earlier version of its window and was edited after it was written: kept beside the new one. Delete it if the new post replaces it.`,
      );
    }
    return outcome;
  } catch (error) {
    options.onWarning?.(
      `Could not remove the posts this run superseded in ${options.outputDir}: ${describeSystemError(error)}. They stay beside the new ones; run process again to retry.`,
    );
    return null;
  }
}

interface SiteOutcome {
  readonly runId: string;
  readonly result: SiteBuildResult | null;
  /** Why the site could not be rendered; the posts are all written and recorded by then. */
  readonly error: unknown;
}

/** The stage of the run that renders the HTML site: a child of the process run. */
export const SITE_STAGE = 'site';

/**
 * Renders the HTML site from the posts on disk as its own run: rows in = posts, rows out = pages;
 * `degraded` when posts had to be left out (their front matter no longer validates). Only pages whose
 * inputs changed are rewritten (src/site/). Its renderer is loaded only now.
 */
async function renderSite(
  tracker: RunTracker,
  processRunId: string,
  options: ProcessOptions,
): Promise<SiteOutcome> {
  const run = tracker.start({
    stage: SITE_STAGE,
    rowsIn: await postsOnDisk(options.outputDir),
    parentRunIds: [processRunId],
  });
  try {
    const {buildSite} = await import('../site/build.js');
    const result = await buildSite({
      outputDir: options.outputDir,
      pipelineDb: options.state.pipelineDb,
      signal: options.signal,
      ...(options.title === undefined ? {} : {title: options.title}),
    });
    const skipped = result.skipped.length;
    tracker.finish(run.runId, {
      status: skipped > 0 ? 'degraded' : 'completed',
      rowsOut: result.pages,
      ...(skipped > 0
        ? {
            error: `Shortfall: ${skipped} post${skipped === 1 ? '' : 's'} left out (front matter does not validate): ${result.skipped[0]?.file}`,
          }
        : {}),
    });
    return {runId: run.runId, result, error: null};
  } catch (error) {
    tracker.finish(
      run.runId,
      options.signal.aborted
        ? {status: 'cancelled', error: options.signal.reason}
        : {status: 'failed', error},
    );
    return {runId: run.runId, result: null, error: options.signal.aborted ? null : error};
  }
}

/** The Markdown posts the site is rendered from: its run's rows in. */
async function postsOnDisk(outputDir: string): Promise<number> {
  try {
    return (await readdir(path.join(outputDir, 'posts'))).filter((name) => name.endsWith('.md')).length;
  } catch {
    return 0;
  }
}

/** The settings `runs retry` repeats a process with: everything but secrets, the flags of one invocation and paths. */
function repeatableSettings(
  options: ProcessOptions,
  spec: ReturnType<typeof windowSpecOf>,
): Record<string, unknown> {
  return {
    windowUnit: spec.unit,
    windowSize: spec.size,
    overlap: spec.overlap,
    maxWindowTokens: options.maxWindowTokens,
    writer: options.writer,
    timezone: options.timezone,
    chat: options.chat ?? null,
    dateOrder: options.dateOrder ?? null,
    maxSize: options.maxSize ?? null,
    concurrency: options.concurrency,
    failFast: options.failFast,
    maxTokens: options.maxTokens ?? null,
    html: options.html !== false,
    title: options.title ?? null,
    llm:
      options.writer === LLM_WRITER_NAME
        ? {
            url: options.llm.url,
            model: options.llm.model,
            instructions: options.llm.instructions,
            timeoutSeconds: options.llm.timeoutSeconds,
            cache: options.llm.cache,
          }
        : null,
  };
}

/**
 * How the invocation's own run ends: `failed` when a window failed or the LLM server refused
 * everything, `cancelled` on a signal, `degraded` when a window declared a shortfall, else `completed`;
 * rows out = posts, LLM calls and tokens = its windows' sums.
 */
function processOutcome(
  results: readonly WindowResult[],
  cancelled: boolean,
  fatal: Error | null,
  signal: AbortSignal,
): FinishRunInput {
  const usage = results.reduce<LlmUsage | null>((sum, result) => addUsage(sum, result.usage), null);
  const failed = results.filter((result) => result.status === 'failed');
  const counts = {
    rowsOut: results.reduce((sum, result) => sum + result.posts, 0),
    llmCalls: usage?.requests ?? 0,
    tokens: usage === null ? 0 : usage.promptTokens + usage.completionTokens,
  };
  if (fatal !== null) return {status: 'failed', error: fatal, ...counts};
  if (cancelled || results.some((result) => result.status === 'cancelled'))
    return {status: 'cancelled', error: signal.reason ?? 'cancelled', ...counts};
  if (failed.length > 0) {
    const stages = failed.slice(0, FAILED_STAGES_NAMED).map((result) => result.stage);
    const more = failed.length > stages.length ? ` and ${failed.length - stages.length} more` : '';
    return {
      status: 'failed',
      error: `WindowsFailed: ${failed.length} of ${results.length} windows failed (${stages.join(', ')}${more}); see \`egregora runs show\` of each`,
      ...counts,
    };
  }
  if (results.some((result) => result.status === 'degraded')) {
    const degraded = results.filter((result) => result.status === 'degraded').length;
    return {
      status: 'degraded',
      error: `Shortfall: ${degraded} window${degraded === 1 ? '' : 's'} degraded`,
      ...counts,
    };
  }
  return {status: 'completed', ...counts};
}

/** Failed windows named in the process run's error; the rest are counted ("and N more"). */
const FAILED_STAGES_NAMED = 5;

/** `--max-tokens`: what this invocation's windows have spent, and whether new windows may start. */
function tokenBudget(maxTokens: number | undefined) {
  let spent = 0;
  return {
    spend(usage: LlmUsage | null): void {
      if (usage !== null) spent += usage.promptTokens + usage.completionTokens;
    },
    reached: (): boolean => maxTokens !== undefined && spent >= maxTokens,
  };
}

/**
 * `--dry-run` with a writer that calls a model: each window's estimated prompt tokens and whether its
 * reply is cached, from the writer itself, without contacting anything.
 */
async function estimatePlan(work: ChatWork, writer: Writer, chat: ChatInfo): Promise<void> {
  if (writer.estimate === undefined) return;
  const {plan} = work;
  const jobs = new Map(plan.jobs.map((job) => [job.window.index, job]));
  for (const entry of plan.planned) {
    const planned = jobs.get(entry.window);
    if (planned === undefined) {
      entry.estimated_prompt_tokens = 0;
      entry.cached = false;
      continue;
    }
    const job = jobFrom(work.chat, planned);
    let tokens = 0;
    let cached = true;
    for (const unit of job.parts ?? [job.window]) {
      if (plan.reusableParts.has(unit.fingerprint)) continue;
      const estimate = await writer.estimate({window: unit, chat});
      tokens += estimate.promptTokens;
      cached &&= estimate.cached;
    }
    entry.estimated_prompt_tokens = tokens;
    entry.cached = cached;
  }
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
  readonly facts: ChatFacts;
  readonly results: readonly WindowResult[];
  readonly startedAt: number;
  readonly report: TrackerReport | null;
  readonly cancelled: boolean;
  readonly processRunId: string | null;
  readonly site: SiteOutcome | null;
  readonly superseded: SupersedeResult | null;
}

function summarize(input: SummaryInput): ProcessSummary {
  const {options, results, facts} = input;
  const count = (status: WindowResult['status']) =>
    results.filter((result) => result.status === status).length;
  const failed = results.filter((result) => result.status === 'failed');
  const cancelled = input.cancelled || count('cancelled') > 0;
  const report = input.report;
  const usage = results.reduce<LlmUsage | null>((sum, result) => addUsage(sum, result.usage), null);
  const tokens = usage === null ? 0 : usage.promptTokens + usage.completionTokens;
  const windowsLeft = options.dryRun ? 0 : facts.jobs - results.length;
  const budgetReached = options.maxTokens !== undefined && tokens >= options.maxTokens && windowsLeft > 0;
  const outcome: ProcessSummary['outcome'] = options.dryRun
    ? 'planned'
    : cancelled
      ? 'cancelled'
      : failed.length > 0
        ? 'failed'
        : budgetReached
          ? 'budget_reached'
          : 'completed';
  const exitCode =
    outcome === 'cancelled'
      ? ExitCode.interrupted
      : outcome === 'failed'
        ? ExitCode.windowsFailed
        : ExitCode.ok;
  const estimated =
    options.dryRun && facts.planned.some((entry) => entry.estimated_prompt_tokens !== undefined);
  return {
    input: path.resolve(options.input),
    output_dir: path.resolve(options.outputDir),
    state_dir: options.state.stateDir,
    dry_run: options.dryRun,
    outcome,
    exit_code: exitCode,
    config_hash: input.configHash,
    process_run_id: input.report?.recorded ? input.processRunId : null,
    retry_of: options.retry?.processRunId ?? null,
    ingest: {
      run_id: facts.ingestRunId,
      reused: facts.ingestReused,
      chat_entry: facts.chatEntry,
      messages: facts.messages,
      authors: facts.authors,
    },
    windows: {
      total: facts.windows,
      processed: results.length,
      skipped: facts.skipped,
      failed: failed.length,
      cancelled: count('cancelled'),
      degraded: count('degraded'),
      split: facts.split,
    },
    llm: {
      model: usage?.model ?? (options.writer === LLM_WRITER_NAME ? options.llm.model : null),
      calls: usage?.requests ?? 0,
      tokens,
      prompt_tokens: usage?.promptTokens ?? 0,
      completion_tokens: usage?.completionTokens ?? 0,
      retries: usage?.retries ?? 0,
      repairs: usage?.repairs ?? 0,
      cache_hits: usage?.cacheHits ?? 0,
      fallbacks: results.filter((result) => result.usage?.fallback === true).length,
      // What would really be sent: cached and skipped windows cost nothing.
      estimated_prompt_tokens: estimated
        ? facts.planned.reduce(
            (sum, entry) =>
              sum + (entry.action === 'skip' || entry.cached ? 0 : (entry.estimated_prompt_tokens ?? 0)),
            0,
          )
        : null,
    },
    budget:
      options.maxTokens === undefined
        ? null
        : {
            max_tokens: options.maxTokens,
            spent: tokens,
            reached: budgetReached,
            windows_left: budgetReached ? windowsLeft : 0,
          },
    site:
      input.site === null || input.site.result === null
        ? null
        : {
            run_id: input.site.runId,
            posts: input.site.result.posts,
            pages: input.site.result.pages,
            written: input.site.result.written,
            unchanged: input.site.result.unchanged,
            skipped: input.site.result.skipped.map((skip) => ({
              file: skip.file,
              line: skip.line,
              problem: skip.problem,
            })),
            index_path: input.site.result.indexPath,
          },
    posts_written: results.reduce((sum, result) => sum + result.posts, 0),
    superseded_posts: {
      removed: input.superseded?.removed ?? [],
      kept_edited: input.superseded?.keptEdited ?? [],
    },
    media_written: results.reduce((sum, result) => sum + result.media, 0),
    failed_windows: failed.map((result) => ({
      window: result.window,
      stage: result.stage,
      run_id: result.runId,
      error: result.error ?? 'failed',
    })),
    ...(options.dryRun ? {plan: [...facts.planned]} : {}),
    duration_seconds: Math.max(0, (performance.now() - input.startedAt) / 1000),
    tracking: {
      recorded: options.dryRun ? false : (report?.recorded ?? false),
      db_path: options.state.runsDb,
      warning:
        report && !report.recorded ? (report.reason ?? report.warnings[0] ?? 'runs were not recorded') : null,
    },
  };
}
