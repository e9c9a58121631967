import * as Args from '@oclif/core/args';
import type {RunsDiffOutput} from '../../schemas/runs-diff.js';
import {BaseCommand} from '../base-command.js';
import {foundOrThrow, missingStoreError} from './prefix-errors.js';

/**
 * Changed windows a person sees in the list; the rest are counted ("...and N more"), and `--json`
 * lists up to DIFF_MAX_CHANGED_WINDOWS. Ten rows fit a screen under the fields and settings.
 */
const LISTED_WINDOWS = 10;

export default class RunsDiff extends BaseCommand {
  static override summary =
    'Compare two runs side by side: what differs, and for two process runs, which windows changed.';
  static override description =
    'Each run is found by a prefix of its id as by `runs show` (case-insensitive, hyphens optional, at least ' +
    '4 characters, an exact id wins); exit code 3 when a prefix matches no run, 4 when it matches several, ' +
    'naming which argument. A run diffed with itself has no differences.\n\n' +
    'Fields: the ones that differ (status, error, input fingerprint, code ref, config hash, start, duration ' +
    'with its change, rows, LLM calls, tokens, trace id; model and token split for runs that called a model). ' +
    'Settings: the recorded settings of the process runs, key by key (nested keys dotted, as llm.model), plus ' +
    'the export and output folder; a window or part run is compared with the settings of its process run.\n\n' +
    'Windows (two process runs): every window either process ran, matched by index, compared by status, ' +
    'input fingerprint and the content hashes of the posts and media it (and its parts) wrote. A window only ' +
    'one process ran is "added" or "removed" when the other process did not have it (other window settings, ' +
    'another export); it is "not run in a" (or b) when that process had it but skipped it because an earlier ' +
    "run's files were reused (resume): the earlier run is named, and the window is listed only if its files " +
    "differ from the other side's, so a resumed process reads as the blog it produced, not as lost windows. " +
    'Windows neither process ran are not compared. Two window runs are compared as one window.';

  static override examples = [
    '<%= config.bin %> runs diff 3f2a9c1e 7b01d4aa',
    '<%= config.bin %> runs diff 3f2a 7b01 --json',
  ];

  static override args = {
    a: Args.string({description: 'The first run: its id or first characters (at least 4)', required: true}),
    b: Args.string({description: 'The second run: its id or first characters (at least 4)', required: true}),
  };

  async run(): Promise<RunsDiffOutput> {
    const {args, flags} = await this.parse(RunsDiff);
    const {runsDb, pipelineDb} = this.statePaths(flags.dir);
    const {diffRuns} = await import('../../src/runs/diff.js');
    const reading = diffRuns({
      dbPath: runsDb,
      pipelineDb,
      a: args.a,
      b: args.b,
      ...(this.jsonEnabled() ? {} : {changedLimit: LISTED_WINDOWS}),
    });
    // The view (Ink, the slowest import) loads while DuckDB reads on its own threads.
    const view = this.jsonEnabled() ? null : import('../../src/ui/RunsDiff.js');
    view?.catch(() => undefined);
    const result = await reading;
    if (result.state === 'missing') throw missingStoreError(runsDb);
    const {match: lookup} = result;
    const match = await foundOrThrow(lookup, {
      runsDb,
      prefix: lookup.kind === 'found' ? '' : lookup.prefix,
      ...(lookup.kind === 'found' ? {} : {side: lookup.side}),
      ...(this.jsonEnabled() ? {} : {renderCandidates: (candidates) => this.candidatesTable(candidates)}),
    });
    const output: RunsDiffOutput = {db_path: runsDb, ...match.output};
    if (view) {
      const {renderRunsDiff} = await view;
      process.stdout.write(`${renderRunsDiff(output, this.colorStdout())}\n`);
    }
    return output;
  }
}
