import type {RunsStatsOutput} from '../../schemas/runs-stats.js';
import {BaseCommand} from '../base-command.js';
import {TIME_AND_STAGE_FLAGS} from './filter-flags.js';
import {parseWhen} from './when.js';

export default class RunsStats extends BaseCommand {
  static override summary = 'Figures per stage group: outcomes, durations, volume, and the top errors.';
  static override description =
    'Groups: process, ingest, window (window_N), part (window_N.part_M), and other stages when there are any. ' +
    'Per group: runs, runs by status, failure rate ((failed + crashed) / runs that ended), p50 / p95 / max ' +
    'duration, rows in and out, LLM calls and tokens. Then the ten most frequent errors of failed and ' +
    'crashed runs, grouped by their first line with ids and numbers replaced.';
  static override examples = [
    '<%= config.bin %> runs stats',
    '<%= config.bin %> runs stats --since 7d',
    "<%= config.bin %> runs stats --stage 'window_*' --since 2026-11-01 --until 2026-12-01 --json",
  ];

  static override flags = {
    ...TIME_AND_STAGE_FLAGS,
  };

  async run(): Promise<RunsStatsOutput> {
    const {flags} = await this.parse(RunsStats);
    const {runsDb} = this.statePaths(flags.dir);
    const now = new Date();
    const since = flags.since === undefined ? undefined : parseWhen('since', flags.since, now);
    const until = flags.until === undefined ? undefined : parseWhen('until', flags.until, now);
    const {runsStats} = await import('../../src/runs/stats.js');
    const reading = runsStats({dbPath: runsDb, stageGlob: flags.stage, since, until});
    // The view (Ink, the slowest import) loads while DuckDB reads on its own threads.
    const view = this.jsonEnabled() ? null : import('../../src/ui/RunsStats.js');
    view?.catch(() => undefined);
    const output = await reading;
    if (view === null) return output;
    if (output.state === 'missing') {
      this.note(
        `No runs are recorded yet: ${output.db_path} does not exist.\n` +
          'Run `egregora process <export.zip>` in this directory first (or point --dir / EGREGORA_DIR at an existing state directory).',
      );
      return output;
    }
    if (output.runs === 0) {
      const filtered = flags.stage !== undefined || since !== undefined || until !== undefined;
      this.note(filtered ? 'No runs match these filters.' : `No runs recorded yet in ${output.db_path}.`);
      return output;
    }
    const {renderRunsStats} = await view;
    process.stdout.write(`${renderRunsStats(output, this.colorStdout())}\n`);
    if (process.stderr.isTTY) {
      const newest = output.top_errors[0];
      this.note(
        newest
          ? `Why a run failed: egregora runs show ${newest.last_run_id.slice(0, 8)}   All failures: egregora runs list --status failed`
          : 'The runs themselves: egregora runs list',
      );
    }
    return output;
  }
}
