import * as Args from '@oclif/core/args';
import type {RunsLineageOutput} from '../../schemas/runs-lineage.js';
import {LINEAGE_MAX_DEPTH, LINEAGE_MAX_NODES, LINEAGE_MAX_WIDTH} from '../../src/runs/lineage-limits.js';
import {BaseCommand} from '../base-command.js';
import {foundOrThrow, missingStoreError} from './prefix-errors.js';

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
    if (result.state === 'missing') throw missingStoreError(runsDb);
    const match = await foundOrThrow(result.match, {
      runsDb,
      prefix: args.prefix,
      ...(this.jsonEnabled() ? {} : {renderCandidates: (candidates) => this.candidatesTable(candidates)}),
    });
    const {output} = match;
    if (view) {
      const {renderLineageTree} = await view;
      process.stdout.write(`${renderLineageTree(output, this.colorStdout())}\n`);
      if (process.stderr.isTTY) this.note('One run in detail: egregora runs show <run-id-prefix>');
    }
    return output;
  }
}
