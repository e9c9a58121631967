import type {RunsListingOutput} from '../../schemas/runs-output.js';
import {BaseCommand} from '../base-command.js';
import {boundedInteger} from '../flags.js';
import {STATUS_FLAG, TIME_AND_STAGE_FLAGS} from './filter-flags.js';
import {DEFAULT_LIST_ROWS, MAX_ROWS} from './limits.js';
import {preloadTable, renderListing} from './render.js';
import {parseWhen} from './when.js';

export default class RunsList extends BaseCommand {
  static override summary = 'List runs, filtered by status, stage and time.';
  static override examples = [
    '<%= config.bin %> runs list --status failed',
    "<%= config.bin %> runs list --stage 'window_*' --since 2026-11-01 --limit 100",
    '<%= config.bin %> runs list --status failed --status crashed --since 24h --json',
  ];

  static override flags = {
    ...STATUS_FLAG,
    ...TIME_AND_STAGE_FLAGS,
    limit: boundedInteger('limit', {
      description: 'How many runs at most',
      min: 1,
      max: MAX_ROWS,
      default: DEFAULT_LIST_ROWS,
    }),
  };

  async run(): Promise<RunsListingOutput> {
    const {flags} = await this.parse(RunsList);
    const {runsDb} = this.statePaths(flags.dir);
    const now = new Date();
    const since = flags.since === undefined ? undefined : parseWhen('since', flags.since, now);
    const until = flags.until === undefined ? undefined : parseWhen('until', flags.until, now);
    const {listRuns} = await import('../../src/runs/queries.js');
    const reading = listRuns({
      dbPath: runsDb,
      statuses: flags.status as RunsListingOutput['runs'][number]['status'][] | undefined,
      stageGlob: flags.stage,
      since,
      until,
      limit: flags.limit,
    });
    const table = preloadTable(this.jsonEnabled());
    const result = await reading;
    const output: RunsListingOutput = {
      db_path: runsDb,
      state: result.state,
      runs: result.state === 'ok' ? result.runs : [],
    };
    if (table) {
      await renderListing(this, output, 'No runs match these filters.', table);
    }
    return output;
  }
}
