import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type {RetryOutput} from '../../schemas/runs-retry.js';
import {guardSignals} from '../../src/pipeline/signals.js';
import type {ProgressView} from '../../src/ui/progress-view.js';
import {limitHeapGrowth} from '../../src/util/heap.js';
import {BaseCommand} from '../base-command.js';
import {SETTINGS_FLAGS} from '../process-flags.js';

export default class RunsRetry extends BaseCommand {
  static override summary = 'Re-run the failed, cancelled and crashed windows of a process run.';
  static override description =
    'Without a prefix, retries the newest `process` run; with a process run id prefix, that one; with a window ' +
    'run id prefix, that window. The same export and settings are used; each retried window is a new run linked ' +
    'to the run it re-does ("retry of"), old runs never change, and completed windows are not touched. ' +
    'Exit code 0 when every retried window succeeds, 11 otherwise, 130 when interrupted.';
  static override examples = [
    '<%= config.bin %> runs retry',
    '<%= config.bin %> runs retry 3f2a9c1e --dry-run',
    '<%= config.bin %> runs retry 3f2a9c1e --export ~/Downloads/export.zip',
  ];

  static override args = {
    prefix: Args.string({description: 'A process or window run id, or its first characters (at least 4)'}),
  };

  static override flags = {
    export: Flags.string({description: 'Where the export is now, when it moved (its chat must be the same)'}),
    'dry-run': Flags.boolean({description: 'Show what would be retried; change nothing', default: false}),
    'llm-url': SETTINGS_FLAGS['llm-url'],
    'llm-timeout': SETTINGS_FLAGS['llm-timeout'],
    'llm-cache': SETTINGS_FLAGS['llm-cache'],
    concurrency: SETTINGS_FLAGS.concurrency,
    'max-tokens': SETTINGS_FLAGS['max-tokens'],
    'fail-fast': SETTINGS_FLAGS['fail-fast'],
  };

  async run(): Promise<RetryOutput> {
    limitHeapGrowth();
    const {args, flags} = await this.parse(RunsRetry);
    let view: ProgressView | null = null;
    const guard = guardSignals((signal) =>
      view?.warn(
        `${signal} received: cancelling the windows in flight and stopping (press Ctrl-C again to quit at once)`,
      ),
    );
    let output: RetryOutput;
    try {
      const [{retryRuns}, {resolveApiKey}, {RetryOutputSchema}, {loadWriterModules}] = await Promise.all([
        import('../../src/pipeline/retry.js'),
        import('../../src/config/resolve.js'),
        import('../../schemas/runs-retry.js'),
        import('../../src/writers/plugins.js'),
      ]);
      // The retried process may have used a writer of the user's own.
      await loadWriterModules();
      view = this.jsonEnabled() || flags['dry-run'] ? null : await this.progressView();
      const progress = view;
      const result = await retryRuns({
        state: this.statePaths(flags.dir),
        prefix: args.prefix,
        exportPath: flags.export,
        dryRun: flags['dry-run'],
        overrides: {
          llmUrl: flags['llm-url'],
          llmTimeoutSeconds: flags['llm-timeout'],
          llmCache: flags['llm-cache'],
          concurrency: flags.concurrency,
          maxTokens: flags['max-tokens'],
          failFast: flags['fail-fast'],
        },
        apiKey: resolveApiKey(process.env).value,
        signal: guard.signal,
        onProgress: (update) => progress?.update(update),
        onWarning: (message) => (progress ? progress.warn(message) : this.note(`warning: ${message}`)),
      });
      output = RetryOutputSchema.parse(result.output);
    } finally {
      view?.stop();
      guard.dispose();
    }
    if (this.jsonEnabled()) {
      if (output.exit_code !== 0) {
        this.logJson(output);
        this.exit(output.exit_code);
      }
      return output;
    }
    const {renderRetry} = await import('../../src/ui/RetryView.js');
    process.stdout.write(`${renderRetry(output, this.colorStdout())}\n`);
    if (output.exit_code !== 0) this.exit(output.exit_code);
    return output;
  }
}
