import {Box, Text} from 'ink';
import type {ProcessSummary} from '../../schemas/process.js';
import {formatCount, formatDuration, shortId} from '../util/format.js';
import {terminalColumns, visibleControls} from '../util/terminal.js';
import {renderStatic} from './render.js';
import {Table} from './Table.js';

/** How many planned windows a dry run lists before summarising the rest. */
const MAX_PLAN_ROWS = 50;

function counted(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

function Line({label, children}: {label: string; children: React.ReactNode}) {
  return (
    <Box>
      <Box width={10} flexShrink={0}>
        <Text>{label}</Text>
      </Box>
      <Text>{children}</Text>
    </Box>
  );
}

/** The end-of-run summary of `process` (and the plan of `--dry-run`). Receives the summary; never queries. */
export function ProcessSummaryView({summary, color}: {summary: ProcessSummary; color: boolean}) {
  const {windows, ingest} = summary;
  const headline =
    summary.outcome === 'planned'
      ? 'Dry run: nothing was written.'
      : summary.outcome === 'completed'
        ? 'Done.'
        : summary.outcome === 'budget_reached'
          ? `Stopped at the token budget: ${counted(summary.budget?.windows_left ?? 0, 'window')} left. Run the same command again to continue.`
          : summary.outcome === 'cancelled'
            ? 'Stopped. Everything finished so far is kept; run the same command to resume.'
            : `Finished with ${windows.failed} failed window${windows.failed === 1 ? '' : 's'}.`;
  const headColor =
    summary.outcome === 'failed'
      ? 'red'
      : summary.outcome === 'cancelled' || summary.outcome === 'budget_reached'
        ? 'yellow'
        : 'green';
  const ingestNote = ingest.run_id
    ? `ingest ${shortId(ingest.run_id)}${ingest.reused ? ', reused' : ''}`
    : 'not ingested yet';
  const plan = summary.plan ?? [];
  const {llm} = summary;
  const estimated = plan.some((window) => window.estimated_prompt_tokens !== undefined);
  return (
    <Box flexDirection="column">
      <Text bold={color} {...(color ? {color: headColor} : {})}>
        {headline}
      </Text>
      <Line label="Chat">
        {`${visibleControls(ingest.chat_entry)}: ${counted(ingest.messages, 'message')}, ${counted(ingest.authors, 'author')} (${ingestNote})`}
      </Line>
      <Line label="Windows">
        {`${formatCount(windows.total)} in all: ${formatCount(windows.processed)} processed, ${formatCount(windows.skipped)} skipped, ` +
          `${formatCount(windows.failed)} failed, ${formatCount(windows.cancelled)} cancelled, ${formatCount(windows.degraded)} degraded, ` +
          `${formatCount(windows.split)} split`}
      </Line>
      {summary.dry_run ? null : (
        <Line label="Posts">{`${formatCount(summary.posts_written)} written, ${formatCount(summary.media_written)} media files, in ${summary.output_dir}`}</Line>
      )}
      {summary.superseded_posts.removed.length + summary.superseded_posts.kept_edited.length > 0 ? (
        <Line label="Replaced">
          {`${counted(summary.superseded_posts.removed.length, 'older post')} of changed windows removed` +
            (summary.superseded_posts.kept_edited.length > 0
              ? `, ${formatCount(summary.superseded_posts.kept_edited.length)} kept because they were edited`
              : '')}
        </Line>
      ) : null}
      {llm.model !== null && !summary.dry_run ? (
        <Line label="LLM">
          {`${llm.model}: ${counted(llm.calls, 'request')} (${formatCount(llm.retries)} retries, ${formatCount(llm.repairs)} repairs), ` +
            `${counted(llm.tokens, 'token')} (${formatCount(llm.prompt_tokens)} prompt + ${formatCount(llm.completion_tokens)} completion), ` +
            `${formatCount(llm.cache_hits)} from cache${llm.fallbacks > 0 ? `, ${formatCount(llm.fallbacks)} written by the digest instead` : ''}`}
        </Line>
      ) : null}
      {llm.estimated_prompt_tokens !== null ? (
        <Line label="LLM">
          {`${llm.model ?? 'the model'}: about ${counted(llm.estimated_prompt_tokens, 'prompt token')} would be sent ` +
            `(${formatCount(plan.filter((window) => window.cached === true && window.action !== 'skip').length)} windows cached, nothing contacted)`}
        </Line>
      ) : null}
      {summary.budget ? (
        <Line label="Budget">
          {`${formatCount(summary.budget.spent)} of ${counted(summary.budget.max_tokens, 'token')} spent` +
            (summary.budget.reached
              ? `; ${counted(summary.budget.windows_left, 'window')} not started (running again continues)`
              : '')}
        </Line>
      ) : null}
      {summary.site ? (
        <Line label="Site">
          {`${formatCount(summary.site.pages)} pages (${formatCount(summary.site.written)} files written, ${formatCount(summary.site.unchanged)} unchanged)` +
            (summary.site.skipped.length > 0
              ? `, ${counted(summary.site.skipped.length, 'post')} left out`
              : '') +
            `: open ${summary.site.index_path}`}
        </Line>
      ) : null}
      <Line label="Time">{formatDuration(summary.duration_seconds)}</Line>
      {summary.dry_run ? null : (
        <Line label="Runs">
          {summary.tracking.recorded
            ? `recorded in ${summary.tracking.db_path}`
            : `NOT recorded: ${visibleControls(summary.tracking.warning ?? 'the runs store could not be written')}`}
        </Line>
      )}
      {summary.failed_windows.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold={color}>Failed windows:</Text>
          <Table
            columns={[{header: 'Stage'}, {header: 'Run ID'}, {header: 'Error'}]}
            rows={summary.failed_windows.map((failure) => [
              {text: failure.stage},
              {text: shortId(failure.run_id)},
              {text: visibleControls(failure.error), color: 'red'},
            ])}
            color={color}
          />
          <Text>{`Read why: egregora runs show ${shortId(summary.failed_windows[0]?.run_id ?? '')}`}</Text>
        </Box>
      ) : null}
      {plan.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Table
            columns={[
              {header: 'Window', align: 'right'},
              {header: 'First'},
              {header: 'Last'},
              {header: 'Messages', align: 'right'},
              ...(estimated ? [{header: 'Prompt tokens', align: 'right' as const}] : []),
              {header: 'Action'},
            ]}
            rows={plan.slice(0, MAX_PLAN_ROWS).map((window) => [
              {text: String(window.window)},
              {text: window.first_date.replace('T', ' ')},
              {text: window.last_date.replace('T', ' ')},
              {text: formatCount(window.messages)},
              ...(estimated ? [{text: `~${formatCount(window.estimated_prompt_tokens ?? 0)}`}] : []),
              {
                text:
                  window.action === 'split'
                    ? `split into ${window.parts}${window.cached ? ', cached' : ''}`
                    : window.action === 'process' && window.cached
                      ? 'process (cached)'
                      : window.action,
              },
            ])}
            color={color}
          />
          {plan.length > MAX_PLAN_ROWS ? (
            <Text>{`…and ${formatCount(plan.length - MAX_PLAN_ROWS)} more windows.`}</Text>
          ) : null}
        </Box>
      ) : null}
    </Box>
  );
}

/** Width the summary is laid out in: the terminal's, but never so narrow that the plan table wraps. */
const MIN_SUMMARY_COLUMNS = 100;

export function renderProcessSummary(summary: ProcessSummary, color: boolean): string {
  return renderStatic(
    <ProcessSummaryView summary={summary} color={color} />,
    Math.max(terminalColumns(process.stdout), MIN_SUMMARY_COLUMNS),
  );
}
