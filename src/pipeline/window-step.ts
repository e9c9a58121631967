import type {LlmUsage} from '../../schemas/post.js';
import type {Window} from '../../schemas/window.js';
import {nowMicros, type RunTracker} from '../runs/tracker.js';
import {isLlmUnavailable, type LlmUnavailableError} from '../writers/llm/errors.js';
import {type ChatInfo, type MediaAccess, usageOfError, type Writer} from '../writers/writer.js';
import type {Committer} from './committer.js';
import {validateWriterOutput, writeWindowOutputs} from './outputs.js';

export type WindowStatus = 'completed' | 'degraded' | 'failed' | 'cancelled';

export interface WindowResult {
  readonly window: number;
  readonly stage: string;
  readonly runId: string;
  readonly status: WindowStatus;
  readonly posts: number;
  readonly media: number;
  /** The failure's one-line text for the summary (the full text is in the run). */
  readonly error: string | null;
  /** What the window's writer spent on a model, summed over its parts; null for writers that call none. */
  readonly usage: LlmUsage | null;
  /** Set when the writer says no window can succeed (the LLM server refuses): the process stops. */
  readonly fatal: LlmUnavailableError | null;
}

export interface WindowJob {
  readonly window: Window;
  /** The parts when the window is over the token budget, else null. */
  readonly parts: readonly Window[] | null;
}

export interface WindowStepContext {
  readonly tracker: RunTracker;
  readonly committer: Committer;
  readonly writer: Writer;
  readonly outputDir: string;
  readonly configHash: string;
  readonly ingestRunId: string;
  /** The invocation's own run: every window run is also its child. */
  readonly processRunId: string;
  /** `runs retry`: the run each retried window re-does, by window index. */
  readonly retryOf: ReadonlyMap<number, string>;
  readonly chat: ChatInfo;
  readonly media: MediaAccess;
  readonly signal: AbortSignal;
  /** Part fingerprints whose earlier runs finished and whose files still exist: not redone. */
  readonly reusableParts: ReadonlySet<string>;
  /** Filled in as posts are written: window index → the posts' paths (relative to the output folder). */
  readonly writtenPosts: Map<number, string[]>;
}

function windowDetail(window: Window) {
  return {
    windowIndex: window.index,
    partIndex: window.part?.index ?? null,
    firstDate: window.firstDate,
    lastDate: window.lastDate,
    messages: window.messages.length,
  };
}

export function windowStage(window: Window): string {
  return `window_${window.index}`;
}

function partStage(part: Window): string {
  return `window_${part.index}.part_${(part.part?.index ?? 0) + 1}`;
}

/** Where a failure happened, in words a user can act on, without any message text (privacy). */
function describeWindow(window: Window): string {
  const first = window.messages[0]?.position ?? 0;
  const last = window.messages.at(-1)?.position ?? first;
  const part = window.part ? `, part ${window.part.index + 1} of ${window.part.count}` : '';
  return `window ${window.index}${part}: messages ${first}–${last}, ${window.firstDate} to ${window.lastDate}`;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0] ?? text;
}

interface UnitOutcome {
  readonly status: WindowStatus;
  readonly posts: number;
  readonly media: number;
  readonly error: string | null;
  readonly usage: LlmUsage | null;
  readonly fatal: LlmUnavailableError | null;
}

/** What a run records of a writer's spending: `llm_calls`, `tokens`, and the detail row. */
function spending(usage: LlmUsage | null, fallback: {llmCalls: number; tokens: number} | null) {
  if (usage === null) return fallback === null ? {} : {llmCalls: fallback.llmCalls, tokens: fallback.tokens};
  return {llmCalls: usage.requests, tokens: usage.promptTokens + usage.completionTokens, llmUsage: usage};
}

/** The sum of the parts' spending, for the split window's own run and the summary. */
export function addUsage(a: LlmUsage | null, b: LlmUsage | null): LlmUsage | null {
  if (a === null) return b;
  if (b === null) return a;
  return {
    model: a.model,
    requests: a.requests + b.requests,
    retries: a.retries + b.retries,
    repairs: a.repairs + b.repairs,
    cacheHits: a.cacheHits + b.cacheHits,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    fallback: a.fallback || b.fallback,
  };
}

/**
 * One unit of writing (a whole window, or one part of a split window) as one run: the writer's
 * output is validated, written atomically and queued for recording; the run ends `completed`,
 * `degraded` (the writer declared a shortfall), `failed` (with the error) or `cancelled` (Ctrl-C).
 */
async function writeUnit(context: WindowStepContext, unit: Window, runId: string): Promise<UnitOutcome> {
  const {tracker, signal} = context;
  try {
    signal.throwIfAborted();
    const output = validateWriterOutput(
      await context.writer.write({window: unit, chat: context.chat, media: context.media, signal}),
    );
    const written = await writeWindowOutputs(context.outputDir, unit, runId, output);
    const posts = context.writtenPosts.get(unit.index) ?? [];
    for (const row of written.rows) if (row.kind === 'post') posts.push(row.path);
    context.writtenPosts.set(unit.index, posts);
    // The run's own work ends here; recording it waits for the batched commit, which is not its work.
    const finishedAtMicros = nowMicros();
    const degraded = output.shortfalls.length > 0;
    const usage = output.llm ?? null;
    // Made now, so that what waits for the commit is this record and not the posts' text.
    const finish = {
      status: degraded ? ('degraded' as const) : ('completed' as const),
      rowsOut: written.posts,
      finishedAtMicros,
      ...spending(usage, output),
      ...(degraded ? {error: `Shortfall: ${output.shortfalls.join('; ')}`} : {}),
    };
    context.committer.add(written.rows, () => tracker.finish(runId, finish), written.files);
    return {
      status: degraded ? 'degraded' : 'completed',
      posts: written.posts,
      media: written.media,
      error: null,
      usage,
      fatal: null,
    };
  } catch (error) {
    // Requests a failed or cancelled window sent are real costs: they are recorded on its run too.
    const usage = usageOfError(error);
    if (signal.aborted) {
      tracker.finish(runId, {
        status: 'cancelled',
        error: signal.reason,
        errorContext: describeWindow(unit),
        ...spending(usage, null),
      });
      return {status: 'cancelled', posts: 0, media: 0, error: null, usage, fatal: null};
    }
    tracker.finish(runId, {
      status: 'failed',
      error,
      errorContext: describeWindow(unit),
      ...spending(usage, null),
    });
    const fatal = isLlmUnavailable(error) ? error : null;
    return {status: 'failed', posts: 0, media: 0, error: firstLine(error), usage, fatal};
  }
}

/** The status of a split window from its parts: any failure fails it, then cancel, then degrade. */
function combine(outcomes: readonly UnitOutcome[]): WindowStatus {
  for (const status of ['failed', 'cancelled', 'degraded'] as const) {
    if (outcomes.some((outcome) => outcome.status === status)) return status;
  }
  return 'completed';
}

export async function processWindow(context: WindowStepContext, job: WindowJob): Promise<WindowResult> {
  const {tracker, window} = {tracker: context.tracker, window: job.window};
  const stage = windowStage(window);
  const run = tracker.start({
    stage,
    rowsIn: window.messages.length,
    inputFingerprint: window.fingerprint,
    configHash: context.configHash,
    parentRunIds: [context.ingestRunId, context.processRunId],
    window: windowDetail(window),
    ...(context.retryOf.has(window.index) ? {retryOf: context.retryOf.get(window.index)} : {}),
  });
  if (job.parts === null) {
    const outcome = await writeUnit(context, window, run.runId);
    return {window: window.index, stage, runId: run.runId, ...outcome};
  }
  const outcomes: UnitOutcome[] = [];
  for (const part of job.parts) {
    if (context.reusableParts.has(part.fingerprint)) {
      outcomes.push({status: 'completed', posts: 0, media: 0, error: null, usage: null, fatal: null});
      continue;
    }
    // After a fatal failure (the LLM server refuses everything) the remaining parts are not sent.
    if (outcomes.some((outcome) => outcome.fatal !== null)) break;
    const partRun = tracker.start({
      stage: partStage(part),
      rowsIn: part.messages.length,
      inputFingerprint: part.fingerprint,
      configHash: context.configHash,
      parentRunIds: [run.runId],
      window: windowDetail(part),
    });
    outcomes.push(await writeUnit(context, part, partRun.runId));
  }
  const status = combine(outcomes);
  const posts = outcomes.reduce((sum, outcome) => sum + outcome.posts, 0);
  const media = outcomes.reduce((sum, outcome) => sum + outcome.media, 0);
  const usage = outcomes.reduce<LlmUsage | null>((sum, outcome) => addUsage(sum, outcome.usage), null);
  const fatal = outcomes.find((outcome) => outcome.fatal !== null)?.fatal ?? null;
  const finishedAtMicros = nowMicros();
  const failures = outcomes.filter((outcome) => outcome.status === 'failed').length;
  const error =
    failures > 0
      ? `${failures} of ${outcomes.length} parts failed (see the part runs, children of this run)`
      : null;
  // Through the committer, so the window's run finishes after its parts' runs and their files.
  context.committer.add([], () =>
    tracker.finish(run.runId, {
      status,
      rowsOut: posts,
      finishedAtMicros,
      // The window's run sums its parts' requests and tokens; the detail rows stay on the parts.
      ...(usage === null
        ? {}
        : {llmCalls: usage.requests, tokens: usage.promptTokens + usage.completionTokens}),
      ...(error ? {error: `SplitWindowError: ${error}`, errorContext: describeWindow(window)} : {}),
      ...(status === 'cancelled' ? {error: context.signal.reason} : {}),
    }),
  );
  return {window: window.index, stage, runId: run.runId, status, posts, media, error, usage, fatal};
}
