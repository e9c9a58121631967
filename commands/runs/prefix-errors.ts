import type {RunRecord} from '../../schemas/run.js';
import {UserError} from '../../src/util/errors.js';
import {ExitCode} from '../../src/util/exit-codes.js';

/** How a prefix lookup ended, as the runs services report it. */
export type PrefixMatch =
  | {readonly kind: 'none'}
  | {readonly kind: 'ambiguous'; readonly candidates: readonly RunRecord[]; readonly total: number}
  | {readonly kind: 'found'};

export interface PrefixErrorContext {
  readonly runsDb: string;
  readonly prefix: string;
  /** Which argument it was, for commands that take two (`runs diff`): `b` gives ` (run b)`. */
  readonly side?: 'a' | 'b';
  /** The candidates' table for people; omitted with --json. */
  readonly renderCandidates?: (candidates: readonly RunRecord[]) => Promise<string>;
}

/** The store is missing: the same words in every runs command that needs a run. */
export function missingStoreError(runsDb: string): UserError {
  return new UserError(`No runs are recorded yet: ${runsDb} does not exist.`, ExitCode.runNotFound, {
    path: runsDb,
    hint: 'Run `egregora process <export.zip>` first, or point --dir / EGREGORA_DIR at an existing state directory.',
  });
}

/**
 * The match when the prefix named one run; else the error of a prefix that matched none (exit 3)
 * or several (exit 4, with their table). One wording for `runs show`, `runs lineage` and `runs diff`.
 */
export async function foundOrThrow<M extends PrefixMatch>(
  match: M,
  context: PrefixErrorContext,
): Promise<Extract<M, {kind: 'found'}>> {
  const which = context.side === undefined ? '' : ` (run ${context.side})`;
  const side = context.side === undefined ? {} : {side: context.side};
  if (match.kind === 'none') {
    throw new UserError(
      `No run id starts with "${context.prefix}"${which} in ${context.runsDb}.`,
      ExitCode.runNotFound,
      {
        path: context.runsDb,
        hint: 'List recent runs with `egregora runs tail` and copy an id from the first column.',
      },
    );
  }
  if (match.kind === 'found') return match as Extract<M, {kind: 'found'}>;
  const listing = context.renderCandidates ? await context.renderCandidates(match.candidates) : '';
  const more =
    match.total > match.candidates.length ? `\n…and ${match.total - match.candidates.length} more.` : '';
  // The table is ours (with its colours): it goes under the message, which is printed escaped.
  throw new UserError(
    `The prefix "${context.prefix}"${which} matches ${match.total} runs:${listing ? '' : more}`,
    ExitCode.runAmbiguous,
    {
      path: context.runsDb,
      hint:
        context.side === undefined
          ? 'Type more characters of the run id.'
          : `Type more characters of run ${context.side}'s id.`,
      details: {...side, candidates: match.candidates, total: match.total},
      listing: listing ? `${listing}${more}` : undefined,
    },
  );
}
