import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type {ProcessSummary} from '../schemas/process.js';
import {guardSignals} from '../src/pipeline/signals.js';
import type {ProgressView} from '../src/ui/progress-view.js';
import {limitHeapGrowth} from '../src/util/heap.js';
import {visibleControls} from '../src/util/terminal.js';
import {BaseCommand} from './base-command.js';
import {SETTINGS_FLAGS, settingFlags} from './process-flags.js';
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
    '<%= config.bin %> process export.zip --writer llm --llm-model llama3.2',
    '<%= config.bin %> process export.zip --writer llm --llm-url http://127.0.0.1:8080/v1 --llm-model any',
  ];

  static override args = {
    export: Args.string({description: 'The export .zip (or the chat .txt)', required: true}),
  };

  static override flags = {
    ...SETTINGS_FLAGS,
    force: Flags.boolean({
      description: 'Process every window again as new runs (old runs and files stay)',
      default: false,
    }),
    'dry-run': Flags.boolean({
      description:
        'Show the windows, what would be skipped and (with --writer llm) the tokens it would send; write nothing',
      default: false,
    }),
  };

  async run(): Promise<ProcessSummary> {
    limitHeapGrowth();
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
      const [
        {processExport},
        {parseByteSize},
        {loadWriterModules},
        {ProcessSummarySchema},
        {resolveSettings},
      ] = await Promise.all([
        import('../src/pipeline/process.js'),
        import('../src/ingest/limits.js'),
        import('../src/writers/plugins.js'),
        import('../schemas/process.js'),
        import('../src/config/resolve.js'),
      ]);
      validate = (value) => ProcessSummarySchema.parse(value);
      const {settings, apiKey} = await resolveSettings({
        flags: settingFlags(flags),
        configPath: flags.config,
        cwd: process.cwd(),
        env: process.env,
      });
      await loadWriterModules();
      view = this.jsonEnabled() ? null : await this.progressView();
      const progress = view;
      summary = await processExport({
        input: args.export,
        outputDir: settings.output,
        state: this.statePaths(flags.dir),
        windowUnit: settings.windowUnit,
        windowSize: settings.windowSize,
        overlap: settings.overlap,
        maxWindowTokens: settings.maxWindowTokens,
        writer: settings.writer,
        timezone: resolveTimezone(settings.timezone),
        chat: settings.chat,
        maxSize: settings.maxSize === undefined ? undefined : parseByteSize(settings.maxSize),
        dateOrder: settings.dateOrder,
        force: flags.force,
        dryRun: flags['dry-run'],
        failFast: settings.failFast,
        concurrency: settings.concurrency,
        llm: settings.llm,
        apiKey: apiKey.value,
        maxTokens: settings.maxTokens,
        html: settings.html,
        title: settings.title,
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

  private async renderSummary(summary: ProcessSummary): Promise<void> {
    const {renderProcessSummary} = await import('../src/ui/ProcessSummaryView.js');
    const text = renderProcessSummary(summary, this.colorStdout());
    process.stdout.write(`${text}\n`);
    if (summary.outcome === 'completed' && process.stdout.isTTY) {
      this.note('See the runs: egregora runs tail');
    }
  }
}
