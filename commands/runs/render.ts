import type {RunsListingOutput} from '../../schemas/runs-output.js';

type TableModule = typeof import('../../src/ui/RunsTable.js');

/**
 * Starts loading the table view (Ink and React, the slowest imports) so that it evaluates while
 * DuckDB runs the query on its own threads: call it once the query has started, as loading Ink
 * first would hold the query back by its compile time. Null for `--json`, which never pays for it.
 */
export function preloadTable(json: boolean): Promise<TableModule> | null {
  if (json) return null;
  const loading = import('../../src/ui/RunsTable.js');
  loading.catch(() => undefined);
  return loading;
}

/**
 * Shared rendering of `runs tail` and `runs list`: the friendly empty states on stderr,
 * the table on stdout. Ink is imported here, lazily, so `--json` never pays for it.
 */
export async function renderListing(
  command: {note: (message: string) => void; colorStdout: () => boolean; colorStderr: () => boolean},
  output: RunsListingOutput,
  emptyMessage: string,
  view: Promise<TableModule>,
): Promise<void> {
  if (output.state === 'missing') {
    command.note(
      `No runs are recorded yet: ${output.db_path} does not exist.\n` +
        'Run `egregora process <export.zip>` in this directory first (or point --dir / EGREGORA_DIR at an existing state directory).',
    );
    return;
  }
  if (output.runs.length === 0) {
    command.note(emptyMessage);
    return;
  }
  const {renderRunsTable} = await view;
  const table = renderRunsTable(output.runs, command.colorStdout());
  process.stdout.write(`${table}\n`);
  if (process.stderr.isTTY) command.note('Details of one run: egregora runs show <run-id-prefix>');
}
