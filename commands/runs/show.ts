import * as Args from '@oclif/core/args';
import type {RunShowOutput} from '../../schemas/runs-output.js';
import {MAX_LISTED_RELATIVES} from '../../src/ui/run-panel-layout.js';
import {UserError} from '../../src/util/errors.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {BaseCommand} from '../base-command.js';

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
    if (result.state === 'missing') {
      throw new UserError(`No runs are recorded yet: ${runsDb} does not exist.`, ExitCode.runNotFound, {
        path: runsDb,
        hint: 'Run `egregora process <export.zip>` first, or point --dir / EGREGORA_DIR at an existing state directory.',
      });
    }
    const {match} = result;
    if (match.kind === 'none') {
      throw new UserError(`No run id starts with "${args.prefix}" in ${runsDb}.`, ExitCode.runNotFound, {
        path: runsDb,
        hint: 'List recent runs with `egregora runs tail` and copy an id from the first column.',
      });
    }
    if (match.kind === 'ambiguous') {
      const {renderCandidatesTable} = await import('../../src/ui/RunsTable.js');
      const listing = this.jsonEnabled() ? '' : renderCandidatesTable(match.candidates, this.colorStderr());
      const more =
        match.total > match.candidates.length ? `\n…and ${match.total - match.candidates.length} more.` : '';
      // The table is ours (with its colours): it goes under the message, which is printed escaped.
      throw new UserError(
        `The prefix "${args.prefix}" matches ${match.total} runs:${listing ? '' : more}`,
        ExitCode.runAmbiguous,
        {
          path: runsDb,
          hint: 'Type more characters of the run id.',
          details: {candidates: match.candidates, total: match.total},
          listing: listing ? `${listing}${more}` : undefined,
        },
      );
    }
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
