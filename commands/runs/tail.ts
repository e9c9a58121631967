import * as Flags from '@oclif/core/flags';
import type {RunStatus} from '../../schemas/run.js';
import type {RunsListingOutput} from '../../schemas/runs-output.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {BaseCommand} from '../base-command.js';
import {boundedInteger} from '../flags.js';
import {DEFAULT_TAIL_ROWS, MAX_ROWS} from './limits.js';
import {preloadTable, renderListing} from './render.js';

export default class RunsTail extends BaseCommand {
  static override summary = 'Show the most recent runs, newest first.';
  static override description =
    'With --follow, follows the running `process` (or, when none runs, shows the last one) until it finishes, ' +
    'then exits with its outcome: 0 completed, 11 failed or crashed, 130 cancelled. On a terminal it shows a live ' +
    'view; otherwise one line per run as it finishes (one JSON object per line with --json). It never writes ' +
    'the store and keeps working while `process` writes it.';
  static override examples = [
    '<%= config.bin %> runs tail',
    '<%= config.bin %> runs tail -n 50 --json',
    '<%= config.bin %> runs tail --follow',
  ];

  static override flags = {
    number: boundedInteger('number', {
      char: 'n',
      description: 'How many runs to show',
      min: 1,
      max: MAX_ROWS,
      default: DEFAULT_TAIL_ROWS,
    }),
    follow: Flags.boolean({
      char: 'f',
      description: 'Follow the running process until it finishes',
      default: false,
    }),
  };

  async run(): Promise<RunsListingOutput | undefined> {
    const {flags} = await this.parse(RunsTail);
    const {runsDb} = this.statePaths(flags.dir);
    if (flags.follow) {
      await this.follow(runsDb);
      return undefined;
    }
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

  /** `--follow`: snapshots until the process run ends, drawn live on a terminal, as lines elsewhere. */
  private async follow(runsDb: string): Promise<void> {
    const [{findProcessToFollow, followProcess}, {followLine}, {guardSignals}] = await Promise.all([
      import('../../src/runs/follow.js'),
      import('../../src/ui/FollowView.js'),
      import('../../src/pipeline/signals.js'),
    ]);
    const start = await findProcessToFollow(runsDb);
    if (start.state !== 'ok') {
      this.note(
        start.state === 'missing'
          ? `No runs are recorded yet: ${runsDb} does not exist.`
          : `No process run is recorded yet in ${runsDb}.`,
      );
      this.note(
        'Start one with `egregora process <export.zip>`, then follow it with `egregora runs tail --follow`.',
      );
      return;
    }
    const guard = guardSignals(() => undefined);
    const live =
      !this.jsonEnabled() &&
      process.stdout.isTTY === true &&
      process.env.CI !== 'true' &&
      process.env.TERM !== 'dumb';
    const view = live ? await this.liveView() : null;
    let last: RunStatus | null = null;
    try {
      if (!start.wasRunning && !live)
        this.note(`No process is running; showing the last one, ${start.processRunId}.`);
      for await (const snapshot of followProcess(start.processRunId, {
        dbPath: runsDb,
        signal: guard.signal,
      })) {
        last = snapshot.process.status;
        if (view) view.draw(snapshot);
        else
          for (const run of snapshot.finished)
            process.stdout.write(`${this.jsonEnabled() ? JSON.stringify(run) : followLine(run)}\n`);
        if (snapshot.done && !view) {
          process.stdout.write(
            `${this.jsonEnabled() ? JSON.stringify(snapshot.process) : followLine(snapshot.process)}\n`,
          );
        }
        if (snapshot.done && view) {
          view.stop();
          process.stdout.write(`${followLine(snapshot.process)}\n`);
        }
      }
    } finally {
      view?.stop();
      guard.dispose();
    }
    if (guard.signal.aborted) this.exit(ExitCode.interrupted);
    const code =
      last === 'completed' || last === 'degraded'
        ? ExitCode.ok
        : last === 'cancelled'
          ? ExitCode.interrupted
          : ExitCode.windowsFailed;
    if (code !== ExitCode.ok) this.exit(code);
  }

  private async liveView() {
    const {createFollowLiveView} = await import('../../src/ui/FollowView.js');
    return createFollowLiveView(this.colorStdout());
  }
}
