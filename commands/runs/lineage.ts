import * as Args from '@oclif/core/args';
import type {RunsLineageOutput} from '../../schemas/runs-lineage.js';
import {LINEAGE_MAX_DEPTH, LINEAGE_MAX_NODES, LINEAGE_MAX_WIDTH} from '../../src/runs/lineage-limits.js';
import {UserError} from '../../src/util/errors.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {BaseCommand} from '../base-command.js';

export default class RunsLineage extends BaseCommand {
  static override summary = "A run's ancestors and descendants as trees, found by a prefix of its id.";
  static override description =
    'The prefix is matched as by `runs show`: case-insensitive, hyphens optional, at least 4 characters, ' +
    'an exact id always wins. Exit code 3 when no run matches, 4 when several do. Each node shows its ' +
    `stage, status and duration; the trees are cut at ${LINEAGE_MAX_DEPTH} levels, ${LINEAGE_MAX_WIDTH} ` +
    `relatives per run and ${LINEAGE_MAX_NODES} runs in all, and say how many more there are.`;
  static override examples = [
    '<%= config.bin %> runs lineage 3f2a9c1e',
    '<%= config.bin %> runs lineage 3f2a --json',
  ];

  static override args = {
    prefix: Args.string({description: 'The run id or its first characters (at least 4)', required: true}),
  };

  async run(): Promise<RunsLineageOutput> {
    const {args, flags} = await this.parse(RunsLineage);
    const {runsDb} = this.statePaths(flags.dir);
    const {runLineage} = await import('../../src/runs/lineage-tree.js');
    const reading = runLineage({dbPath: runsDb, prefix: args.prefix});
    const view = this.jsonEnabled() ? null : import('../../src/ui/LineageTree.js');
    view?.catch(() => undefined);
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
      throw new UserError(
        `The prefix "${args.prefix}" matches ${match.total} runs:${listing ? `\n${listing}` : ''}${more}`,
        ExitCode.runAmbiguous,
        {
          path: runsDb,
          hint: 'Type more characters of the run id.',
          details: {candidates: match.candidates, total: match.total},
        },
      );
    }
    const {output} = match;
    if (view) {
      const {renderLineageTree} = await view;
      process.stdout.write(`${renderLineageTree(output, this.colorStdout())}\n`);
      if (process.stderr.isTTY) this.note('One run in detail: egregora runs show <run-id-prefix>');
    }
    return output;
  }
}
