import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type {ProcessSummary} from '../schemas/process.js';
import {WINDOW_SIZE_BOUNDS, WINDOW_UNITS, type WindowUnit} from '../schemas/window-bounds.js';
import {
  CONCURRENCY_BOUNDS,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_WINDOW_TOKENS,
  MAX_WINDOW_TOKENS_BOUNDS,
} from '../src/pipeline/limits.js';
import {guardSignals} from '../src/pipeline/signals.js';
import type {ProgressView} from '../src/ui/progress-view.js';
import {visibleControls} from '../src/util/terminal.js';
import {BaseCommand} from './base-command.js';
import {boundedInteger, boundedNumber, windowSizeFlag} from './flags.js';
import {resolveTimezone} from './timezone.js';

export default class Process extends BaseCommand {
  static override summary = 'Turn a WhatsApp export into Markdown posts, one tracked run per window.';
  static override description =
    'Ingests the export (names become pseudonyms, phone numbers and e-mail addresses are redacted), cuts the ' +
    'conversation into windows and writes one post per window into the output folder. Every window is a run in ' +
    '.egregora/runs.duckdb: a window already done with the same content and settings is skipped, so running the ' +
    'same command again resumes where it stopped. Exit code 11 when some windows failed, 130 when interrupted.';
  static override examples = [
    '<%= config.bin %> process "WhatsApp Chat with Book Club.zip"',
    '<%= config.bin %> process export.zip --output blog --window-unit hours --window-size 24',
    '<%= config.bin %> process export.zip --dry-run',
  ];

  static override args = {
    export: Args.string({description: 'The export .zip (or the chat .txt)', required: true}),
  };

  static override flags = {
    output: Flags.string({char: 'o', description: 'Folder the posts are written to', default: 'site'}),
    'window-unit': Flags.string({
      description: 'What a window counts',
      options: [...WINDOW_UNITS],
      default: 'messages',
    }),
    'window-size': windowSizeFlag(
      'Window size in the unit [default: 100 messages, 24 hours, 65536 bytes]',
      `messages ${WINDOW_SIZE_BOUNDS.messages.min}–${WINDOW_SIZE_BOUNDS.messages.max}, hours ${WINDOW_SIZE_BOUNDS.hours.min}–${WINDOW_SIZE_BOUNDS.hours.max}, bytes ${WINDOW_SIZE_BOUNDS.bytes.min}–${WINDOW_SIZE_BOUNDS.bytes.max}`,
    ),
    overlap: boundedNumber('overlap', {
      description: 'Fraction of a window repeated in the next one',
      min: 0,
      max: 0.5,
      default: 0,
    }),
    'max-window-tokens': boundedInteger('max-window-tokens', {
      description: 'Split windows estimated above this many tokens into parts',
      min: MAX_WINDOW_TOKENS_BOUNDS.min,
      max: MAX_WINDOW_TOKENS_BOUNDS.max,
      default: DEFAULT_MAX_WINDOW_TOKENS,
    }),
    writer: Flags.string({description: 'Writer that turns a window into a post', default: 'digest'}),
    timezone: Flags.string({description: "IANA time zone the chat's times are in [default: this machine's]"}),
    chat: Flags.string({description: 'The chat entry to read when the archive holds several'}),
    'max-size': Flags.string({description: 'Largest uncompressed export accepted, e.g. 4GiB (1KiB–1TiB)'}),
    force: Flags.boolean({
      description: 'Process every window again as new runs (old runs and files stay)',
      default: false,
    }),
    'dry-run': Flags.boolean({
      description: 'Show the windows and what would be skipped; write nothing',
      default: false,
    }),
    'fail-fast': Flags.boolean({description: 'Stop at the first failed window', default: false}),
    concurrency: boundedInteger('concurrency', {
      description: 'Windows processed at once',
      min: CONCURRENCY_BOUNDS.min,
      max: CONCURRENCY_BOUNDS.max,
      default: DEFAULT_CONCURRENCY,
    }),
  };

  async run(): Promise<ProcessSummary> {
    const {args, flags} = await this.parse(Process);
    // Signals are guarded before anything slow happens, so an early Ctrl-C also stops cleanly.
    let view: ProgressView | null = null;
    const guard = guardSignals((signal) =>
      view?.warn(
        `${signal} received: cancelling the windows in flight and stopping (press Ctrl-C again to quit at once)`,
      ),
    );
    let summary: ProcessSummary;
    let validate: (value: unknown) => unknown;
    try {
      const [{processExport}, {parseByteSize}, {loadWriterModules}, {ProcessSummarySchema}] =
        await Promise.all([
          import('../src/pipeline/process.js'),
          import('../src/ingest/limits.js'),
          import('../src/writers/plugins.js'),
          import('../schemas/process.js'),
        ]);
      validate = (value) => ProcessSummarySchema.parse(value);
      await loadWriterModules();
      view = this.jsonEnabled() ? null : await this.progressView();
      const progress = view;
      summary = await processExport({
        input: args.export,
        outputDir: flags.output,
        state: this.statePaths(flags.dir),
        windowUnit: flags['window-unit'] as WindowUnit,
        windowSize: flags['window-size'],
        overlap: flags.overlap,
        maxWindowTokens: flags['max-window-tokens'],
        writer: flags.writer,
        timezone: resolveTimezone(flags.timezone),
        chat: flags.chat,
        maxSize: flags['max-size'] === undefined ? undefined : parseByteSize(flags['max-size']),
        force: flags.force,
        dryRun: flags['dry-run'],
        failFast: flags['fail-fast'],
        concurrency: flags.concurrency,
        signal: guard.signal,
        onProgress: (update) => progress?.update(update),
        onWarning: (message) =>
          progress ? progress.warn(message) : this.note(`warning: ${visibleControls(message)}`),
      });
    } finally {
      view?.stop();
      guard.dispose();
    }
    validate(summary);
    if (this.jsonEnabled()) {
      if (summary.exit_code !== 0) {
        this.logJson(summary);
        this.exit(summary.exit_code);
      }
      return summary;
    }
    await this.renderSummary(summary);
    if (summary.exit_code !== 0) this.exit(summary.exit_code);
    return summary;
  }

  private async progressView() {
    const {createProgressView} = await import('../src/ui/progress-view.js');
    // A terminal that reports no width (a bare pty) cannot lay out a live view: use plain lines there.
    const live =
      process.stderr.isTTY === true &&
      (process.stderr.columns ?? 0) > 0 &&
      process.env.CI !== 'true' &&
      process.env.TERM !== 'dumb';
    return createProgressView({stream: process.stderr, live, color: this.colorStderr()});
  }

  private async renderSummary(summary: ProcessSummary): Promise<void> {
    const {renderProcessSummary} = await import('../src/ui/ProcessSummaryView.js');
    const text = renderProcessSummary(summary, this.colorStdout());
    process.stdout.write(`${text}\n`);
    if (summary.outcome === 'completed' && process.stdout.isTTY) {
      this.note('See the runs: egregora runs tail');
    }
  }
}
