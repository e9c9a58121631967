import type {RunsListingOutput} from '../../schemas/runs-output.js';
import {BaseCommand} from '../base-command.js';
import {boundedInteger} from '../flags.js';
import {DEFAULT_TAIL_ROWS, MAX_ROWS} from './limits.js';
import {preloadTable, renderListing} from './render.js';

export default class RunsTail extends BaseCommand {
  static override summary = 'Show the most recent runs, newest first.';
  static override examples = ['<%= config.bin %> runs tail', '<%= config.bin %> runs tail -n 50 --json'];

  static override flags = {
    number: boundedInteger('number', {
      char: 'n',
      description: 'How many runs to show',
      min: 1,
      max: MAX_ROWS,
      default: DEFAULT_TAIL_ROWS,
    }),
  };

  async run(): Promise<RunsListingOutput> {
    const {flags} = await this.parse(RunsTail);
    const {runsDb} = this.statePaths(flags.dir);
    const {tailRuns} = await import('../../src/runs/queries.js');
    const reading = tailRuns({dbPath: runsDb, limit: flags.number});
    const table = preloadTable(this.jsonEnabled());
    const result = await reading;
    const output: RunsListingOutput = {
      db_path: runsDb,
      state: result.state,
      runs: result.state === 'ok' ? result.runs : [],
    };
    if (table) {
      await renderListing(this, output, `No runs recorded yet in ${runsDb}.`, table);
    }
    return output;
  }
}
