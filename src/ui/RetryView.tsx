import {Box, Text} from 'ink';
import type {RetryOutput} from '../../schemas/runs-retry.js';
import {formatCount, shortId} from '../util/format.js';
import {terminalColumns} from '../util/terminal.js';
import {ProcessSummaryView} from './ProcessSummaryView.js';
import {renderStatic} from './render.js';
import {Table} from './Table.js';

function headline(output: RetryOutput): string {
  const process = shortId(output.process_run_id);
  const count = formatCount(output.windows.length);
  switch (output.outcome) {
    case 'nothing_to_retry':
      return `Nothing to retry: every window of process ${process} (${output.process_status}) completed.`;
    case 'already_completed':
      return output.asked_window && output.windows.length === 0
        ? `Window run ${shortId(output.asked_window.run_id)} (${output.asked_window.stage}) is already ${output.asked_window.status}: nothing to do.`
        : `The windows of process ${process} were already completed by a later run: nothing to do.`;
    case 'planned':
      return `Would retry ${count} window${output.windows.length === 1 ? '' : 's'} of process ${process}:`;
    case 'retried':
      return `Retried ${count} window${output.windows.length === 1 ? '' : 's'} of process ${process}: all succeeded.`;
    case 'cancelled':
      return `Retry of process ${process} stopped; run \`egregora runs retry\` again to go on.`;
    case 'failed':
      return `Retried ${count} windows of process ${process}; some failed again.`;
  }
}

/** `runs retry`: what was (or would be) re-done, then the repeated process's summary. Receives rows only. */
export function RetryView({output, color}: {output: RetryOutput; color: boolean}) {
  return (
    <Box flexDirection="column">
      <Text bold={color}>{headline(output)}</Text>
      {output.windows.length > 0 ? (
        <Table
          columns={[{header: 'Stage'}, {header: 'Retry of'}, {header: 'Was'}, {header: 'Error'}]}
          rows={output.windows.map((window) => [
            {text: window.stage},
            {text: shortId(window.retry_of)},
            {text: window.status, color: 'red'},
            {text: (window.error ?? '').split('\n')[0] ?? ''},
          ])}
          color={color}
        />
      ) : null}
      {output.outcome === 'planned' ? (
        <Text>{`Run it: egregora runs retry ${shortId(output.process_run_id)}`}</Text>
      ) : null}
      {output.summary ? (
        <Box marginTop={1}>
          <ProcessSummaryView summary={output.summary} color={color} />
        </Box>
      ) : null}
      {output.retry_process_run_id ? (
        <Text>{`See the retry: egregora runs show ${shortId(output.retry_process_run_id)}`}</Text>
      ) : null}
    </Box>
  );
}

export function renderRetry(output: RetryOutput, color: boolean): string {
  return renderStatic(
    <RetryView output={output} color={color} />,
    Math.max(terminalColumns(process.stdout), 100),
  );
}
