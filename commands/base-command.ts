import {Command} from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import type {InferredFlags} from '@oclif/core/interfaces';
import type {ErrorOutput} from '../schemas/runs-output.js';
import {isUserError} from '../src/util/errors.js';
import {ExitCode} from '../src/util/exit-codes.js';
import {resolveStatePaths, type StatePaths} from '../src/util/paths.js';
import {shouldColor, visibleControls} from '../src/util/terminal.js';

export type BaseFlags<T extends typeof Command> = InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;

/**
 * What every egregora command shares: the `--dir` state-directory flag, `--json`, and one way of
 * turning errors into a message on stderr (or a JSON error object on stdout) plus a deliberate exit code.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    dir: Flags.string({
      description: 'State directory holding runs.duckdb and pipeline.duckdb [default: ./.egregora]',
      env: 'EGREGORA_DIR',
      helpGroup: 'GLOBAL',
    }),
  };

  protected statePaths(dir: string | undefined): StatePaths {
    return resolveStatePaths(dir);
  }

  colorStdout(): boolean {
    return shouldColor(process.stdout);
  }

  colorStderr(): boolean {
    return shouldColor(process.stderr);
  }

  /**
   * The progress view of a long command on stderr: live on a terminal, plain lines elsewhere. A
   * terminal that reports no width (a bare pty) cannot lay out a live view: it gets plain lines too.
   */
  protected async progressView() {
    const {createProgressView} = await import('../src/ui/progress-view.js');
    const live =
      process.stderr.isTTY === true &&
      (process.stderr.columns ?? 0) > 0 &&
      process.env.CI !== 'true' &&
      process.env.TERM !== 'dumb';
    return createProgressView({stream: process.stderr, live, color: this.colorStderr()});
  }

  /** The table of runs an ambiguous prefix matched, for the error on stderr. */
  protected async candidatesTable(
    candidates: readonly import('../schemas/run.js').RunRecord[],
  ): Promise<string> {
    const {renderCandidatesTable} = await import('../src/ui/RunsTable.js');
    return renderCandidatesTable([...candidates], this.colorStderr());
  }

  /** A message for people, on stderr, kept out of stdout so that data can be piped. */
  note(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  protected override async catch(
    error: Error & {exitCode?: number; oclif?: {exit?: number}},
  ): Promise<unknown> {
    // oclif wraps errors thrown while parsing a flag in "Parsing --flag … See more help": keep our sentence.
    error.message = error.message
      .replace(/^Parsing --\S+\s*\n\s*/, '')
      .replace(/\nSee more help with --help$/, '');
    if (isUserError(error)) {
      if (this.jsonEnabled()) {
        this.logJson({
          error: {
            message: error.message,
            path: error.path ?? null,
            hint: error.hint ?? null,
            exitCode: error.exitCode,
            ...(error.details === undefined ? {} : {details: error.details}),
          },
        } satisfies ErrorOutput);
      } else {
        // Messages quote entry names, file names and chat lines: never let one drive the terminal.
        const lines = [`Error: ${visibleControls(error.message)}`];
        if (error.listing) lines.push(error.listing);
        if (error.hint) lines.push(`  ${visibleControls(error.hint)}`);
        this.note(lines.join('\n'));
      }
      return this.exit(error.exitCode);
    }
    // `this.exit()` works by throwing; let it through untouched.
    if ((error as {code?: string}).code === 'EEXIT') throw error;
    // oclif's own errors (unknown flags, bad values, missing arguments) are usage errors.
    if (error.oclif !== undefined) {
      const message = error.message;
      const shown = visibleControls(message, 'keep');
      if (this.jsonEnabled()) {
        this.logJson({
          error: {message, path: null, hint: null, exitCode: ExitCode.usage},
        } satisfies ErrorOutput);
      } else {
        this.note(
          `Error: ${shown}\n  See \`${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''} --help\` for the flags.`,
        );
      }
      return this.exit(error.oclif.exit ?? ExitCode.usage);
    }
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    this.note(
      `Error: ${name}${visibleControls(error.message, 'keep')}\n  This is a bug in egregora. Please report it with the command you ran${
        process.env.DEBUG ? '' : ' (set DEBUG=1 for the stack trace)'
      }.`,
    );
    if (process.env.DEBUG && error.stack) this.note(error.stack);
    return this.exit(ExitCode.unexpected);
  }
}
