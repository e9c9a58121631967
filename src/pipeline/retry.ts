import {existsSync} from 'node:fs';
import path from 'node:path';
import type {ProcessSummary} from '../../schemas/process.js';
import type {RetryOutput} from '../../schemas/runs-retry.js';
import type {WindowUnit} from '../../schemas/window-bounds.js';
import type {LlmSettings} from '../config/resolve.js';
import {showRun} from '../runs/queries.js';
import {type RetryTarget, readRetryTarget} from '../runs/retry-target.js';
import {ExitCode, UserError} from '../util/errors.js';
import type {StatePaths} from '../util/paths.js';
import {CONCURRENCY_BOUNDS} from './limits.js';
import {type ProcessProgress, processExport} from './process.js';

/** What `runs retry` may change about the repeated process: how to reach the model, not what it writes. */
export interface RetryOverrides {
  readonly llmUrl?: string | undefined;
  readonly llmTimeoutSeconds?: number | undefined;
  readonly llmCache?: boolean | undefined;
  readonly concurrency?: number | undefined;
  readonly maxTokens?: number | undefined;
  readonly failFast?: boolean | undefined;
}

export interface RetryOptions {
  readonly state: StatePaths;
  /** A process or window run id prefix; undefined: the newest process run. */
  readonly prefix: string | undefined;
  /** Where the export is now, when it moved; its chat must be the same (fingerprint). */
  readonly exportPath: string | undefined;
  readonly dryRun: boolean;
  readonly overrides: RetryOverrides;
  readonly apiKey: string | null;
  readonly signal: AbortSignal;
  readonly onProgress?: (progress: ProcessProgress) => void;
  readonly onWarning?: (message: string) => void;
}

export interface RetryResult {
  readonly output: RetryOutput;
  /** The repeated process's summary; null for a dry run or when there is nothing to retry. */
  readonly summary: ProcessSummary | null;
}

/**
 * `runs retry`: re-runs the failed, cancelled and crashed windows of a process run (the newest, or
 * the one named, or one named window) with the same export and settings, as new runs, each linked to
 * the run it re-does. Old runs never change; completed windows are not touched.
 */
export async function retryRuns(options: RetryOptions): Promise<RetryResult> {
  const runId = options.prefix === undefined ? null : await resolvePrefix(options);
  const read = await readRetryTarget(options.state.runsDb, runId);
  if (read.state === 'missing') {
    throw new UserError(`No runs are recorded yet: ${read.dbPath} does not exist.`, ExitCode.runNotFound, {
      path: read.dbPath,
      hint: 'Run `egregora process <export.zip>` first; `runs retry` re-does what it left failed.',
    });
  }
  if (read.target === null) {
    throw new UserError(
      `Nothing to retry: ${read.problem ?? 'no process run found'}.`,
      ExitCode.runNotFound,
      {
        path: read.dbPath,
        hint: 'Run `egregora process <export.zip>` again instead: it resumes where it stopped.',
      },
    );
  }
  const target = read.target;
  const base = outputOf(target, null);
  if (target.candidates.length === 0) {
    return {
      output: {...base, outcome: target.window ? 'already_completed' : 'nothing_to_retry'},
      summary: null,
    };
  }
  if (options.dryRun) return {output: {...base, outcome: 'planned'}, summary: null};
  const detail = target.detail;
  if (detail === null) {
    throw new UserError(
      `Process run ${target.process.run_id} did not record its export and settings, so it cannot be repeated.`,
      ExitCode.usage,
      {hint: 'Run `egregora process <export.zip>` again instead: it resumes where it stopped.'},
    );
  }
  const exportPath = path.resolve(options.exportPath ?? detail.export_path);
  if (!existsSync(exportPath)) {
    throw new UserError(
      `The export that process read is gone: ${exportPath} does not exist.`,
      ExitCode.inputNotFound,
      {
        path: exportPath,
        hint: 'Pass where it is now with --export PATH (its chat must be the same).',
      },
    );
  }
  if (detail.export_fingerprint === null)
    throw new Error(`process run ${target.process.run_id} has no export fingerprint`);
  const settings = detail.settings;
  const summary = await processExport({
    input: exportPath,
    outputDir: detail.output_dir,
    state: options.state,
    windowUnit: String(settings.windowUnit) as WindowUnit,
    windowSize: Number(settings.windowSize),
    overlap: Number(settings.overlap),
    maxWindowTokens: Number(settings.maxWindowTokens),
    writer: String(settings.writer),
    timezone: String(settings.timezone),
    chat: typeof settings.chat === 'string' ? settings.chat : undefined,
    dateOrder:
      settings.dateOrder === 'DMY' || settings.dateOrder === 'MDY' || settings.dateOrder === 'YMD'
        ? settings.dateOrder
        : undefined,
    maxSize: typeof settings.maxSize === 'number' ? settings.maxSize : undefined,
    force: false,
    dryRun: false,
    failFast: options.overrides.failFast ?? settings.failFast === true,
    concurrency: boundedConcurrency(options.overrides.concurrency ?? Number(settings.concurrency)),
    llm: llmSettingsOf(settings.llm, options.overrides),
    apiKey: options.apiKey,
    maxTokens: options.overrides.maxTokens,
    html: settings.html !== false,
    title: typeof settings.title === 'string' ? settings.title : undefined,
    signal: options.signal,
    retry: {
      processRunId: target.process.run_id,
      exportFingerprint: detail.export_fingerprint,
      windows: new Map(
        target.candidates.map((candidate) => [
          candidate.windowIndex,
          {runId: candidate.runId, fingerprint: candidate.fingerprint},
        ]),
      ),
    },
    ...(options.onProgress ? {onProgress: options.onProgress} : {}),
    ...(options.onWarning ? {onWarning: options.onWarning} : {}),
  });
  const outcome =
    summary.exit_code === 0
      ? summary.windows.processed === 0
        ? 'already_completed'
        : 'retried'
      : summary.outcome === 'cancelled'
        ? 'cancelled'
        : 'failed';
  return {output: {...outputOf(target, summary), outcome, exit_code: summary.exit_code}, summary};
}

async function resolvePrefix(options: RetryOptions): Promise<string> {
  const shown = await showRun({dbPath: options.state.runsDb, prefix: options.prefix ?? '', childLimit: 0});
  if (shown.state === 'missing') {
    throw new UserError(`No runs are recorded yet: ${shown.dbPath} does not exist.`, ExitCode.runNotFound, {
      path: shown.dbPath,
    });
  }
  const {match} = shown;
  if (match.kind === 'none') {
    throw new UserError(
      `No run id starts with "${options.prefix}" in ${shown.dbPath}.`,
      ExitCode.runNotFound,
      {
        path: shown.dbPath,
        hint: 'List process runs with `egregora runs list --stage process`.',
      },
    );
  }
  if (match.kind === 'ambiguous') {
    throw new UserError(
      `The prefix "${options.prefix}" matches ${match.total} runs.`,
      ExitCode.runAmbiguous,
      {
        path: shown.dbPath,
        hint: 'Type more characters of the run id.',
        details: {candidates: match.candidates, total: match.total},
      },
    );
  }
  return match.run.run_id;
}

function boundedConcurrency(value: number): number {
  if (!Number.isInteger(value)) return CONCURRENCY_BOUNDS.min;
  return Math.min(CONCURRENCY_BOUNDS.max, Math.max(CONCURRENCY_BOUNDS.min, value));
}

function llmSettingsOf(recorded: unknown, overrides: RetryOverrides): LlmSettings {
  const llm = (recorded ?? {}) as Partial<Record<keyof LlmSettings, unknown>>;
  return {
    url: overrides.llmUrl ?? (typeof llm.url === 'string' ? llm.url : 'http://127.0.0.1:11434/v1'),
    model: typeof llm.model === 'string' ? llm.model : null,
    instructions: typeof llm.instructions === 'string' ? llm.instructions : '',
    timeoutSeconds:
      overrides.llmTimeoutSeconds ?? (typeof llm.timeoutSeconds === 'number' ? llm.timeoutSeconds : 300),
    cache: overrides.llmCache ?? llm.cache !== false,
  };
}

function outputOf(target: RetryTarget, summary: ProcessSummary | null): RetryOutput {
  return {
    process_run_id: target.process.run_id,
    process_status: target.process.status,
    export_path: target.detail?.export_path ?? null,
    windows: target.candidates.map((candidate) => ({
      stage: candidate.stage,
      window: candidate.windowIndex,
      retry_of: candidate.runId,
      status: candidate.status,
      error: candidate.error,
    })),
    asked_window: target.window
      ? {stage: target.window.stage, run_id: target.window.runId, status: target.window.status}
      : null,
    outcome: 'planned',
    exit_code: 0,
    retry_process_run_id: summary?.process_run_id ?? null,
    summary,
  };
}
