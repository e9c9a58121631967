import * as Args from '@oclif/core/args';
import type {RunShowOutput} from '../../schemas/runs-output.js';
import {MAX_LISTED_RELATIVES} from '../../src/ui/run-panel-layout.js';
import {BaseCommand} from '../base-command.js';
import {foundOrThrow, missingStoreError} from './prefix-errors.js';

export default class RunsShow extends BaseCommand {
  static override summary = 'Show one run in detail, found by a prefix of its id.';
  static override description =
    'The prefix is case-insensitive, hyphens are optional, and it needs at least 4 characters. ' +
    'An exact id always wins. Exit code 3 when no run matches, 4 when several do.';
  static override examples = [
    '<%= config.bin %> runs show 3f2a9c1e',
    '<%= config.bin %> runs show 3f2a --json',
  ];

  static override args = {
    prefix: Args.string({description: 'The run id or its first characters (at least 4)', required: true}),
  };

  async run(): Promise<RunShowOutput> {
    const {args, flags} = await this.parse(RunsShow);
    const {runsDb, pipelineDb} = this.statePaths(flags.dir);
    const {showRun} = await import('../../src/runs/queries.js');
    // People see the first children in the panel; --json lists up to SHOW_MAX_CHILDREN of them.
    const childLimit = this.jsonEnabled() ? undefined : MAX_LISTED_RELATIVES;
    const reading = showRun({dbPath: runsDb, pipelineDb, prefix: args.prefix, childLimit});
    // The panel view (Ink, the slowest import) loads while DuckDB reads on its own threads.
    const panelView = this.jsonEnabled() ? null : import('../../src/ui/RunPanel.js');
    panelView?.catch(() => undefined);
    const result = await reading;
    if (result.state === 'missing') throw missingStoreError(runsDb);
    const match = await foundOrThrow(result.match, {
      runsDb,
      prefix: args.prefix,
      ...(this.jsonEnabled() ? {} : {renderCandidates: (candidates) => this.candidatesTable(candidates)}),
    });
    const output: RunShowOutput = {
      db_path: runsDb,
      run: match.run,
      parents: match.parents,
      children: match.children,
      children_total: match.childrenTotal,
      llm_usage: match.llmUsage,
      process: match.processPage,
      window: match.windowSpan,
      files: match.files,
      retry_of: match.retries.retry_of,
      retried_by: match.retries.retried_by,
    };
    if (panelView) {
      const {renderRunPanel} = await panelView;
      const panel = renderRunPanel({
        run: output.run,
        parentRuns: output.parents,
        childRuns: output.children,
        childrenTotal: output.children_total,
        llmUsage: output.llm_usage,
        processPage: output.process,
        windowSpan: output.window,
        files: output.files,
        retryOf: output.retry_of,
        retriedBy: output.retried_by,
        color: this.colorStdout(),
      });
      process.stdout.write(`${panel.replace(/^\n+/, '')}\n`);
    }
    return output;
  }
}
