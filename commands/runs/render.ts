import type {RunsListingOutput} from '../../schemas/runs-output.js';

/**
 * Shared rendering of `runs tail` and `runs list`: the friendly empty states on stderr,
 * the table on stdout. Ink is imported here, lazily, so `--json` never pays for it.
 */
export async function renderListing(
  command: {note: (message: string) => void; colorStdout: () => boolean; colorStderr: () => boolean},
  output: RunsListingOutput,
  emptyMessage: string,
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
  const [{createElement}, {RunsTable}, {renderStatic}, {terminalColumns}] = await Promise.all([
    import('react'),
    import('../../src/ui/RunsTable.js'),
    import('../../src/ui/render.js'),
    import('../../src/util/terminal.js'),
  ]);
  const table = renderStatic(
    createElement(RunsTable, {runs: output.runs, color: command.colorStdout()}),
    Math.max(terminalColumns(process.stdout), 200),
  );
  process.stdout.write(`${table}\n`);
  if (process.stderr.isTTY) command.note('Details of one run: egregora runs show <run-id-prefix>');
}
