import {Box, Text} from 'ink';
import type {RunLlmUsage, RunRecord, RunStatus} from '../../schemas/run.js';
import type {RunShowOutput} from '../../schemas/runs-output.js';
import {formatCount, formatDuration, formatLocalTime, shortId, UNKNOWN} from '../util/format.js';
import {visibleControls} from '../util/terminal.js';
import {renderStatic} from './render.js';
import {MAX_LISTED_RELATIVES} from './run-panel-layout.js';
import {Section} from './Section.js';
import {STATUS_COLOR} from './status-style.js';

/** Width of the label column in the panel; fits the longest label ("Input fingerprint"). */
const LABEL_WIDTH = 19;
/** The panel's width: labels plus a full fingerprint (`sha256:` and 64 hex digits) on one line. */
const PANEL_COLUMNS = 100;
const VALUE_WIDTH = PANEL_COLUMNS - LABEL_WIDTH;
const HANGING_INDENT = `\n${' '.repeat(LABEL_WIDTH)}`;

/** A value's lines, wrapped to the value column and indented under it (a rare long value stays aligned). */
function hangingValue(value: string): string {
  const lines: string[] = [];
  for (const line of value.split('\n')) {
    const characters = [...line];
    if (characters.length <= VALUE_WIDTH) lines.push(line);
    else
      for (let at = 0; at < characters.length; at += VALUE_WIDTH)
        lines.push(characters.slice(at, at + VALUE_WIDTH).join(''));
  }
  return lines.join(HANGING_INDENT);
}

/**
 * One label and its value, laid out as padded text in one line rather than as two flex boxes: the
 * panel has some thirty fields, and letting Ink's layout engine place each was ~20 ms of `runs show`.
 */
function Field({label, value, color}: {label: string; value: string; color?: string | undefined}) {
  const padded = label.padEnd(LABEL_WIDTH);
  // An unstyled field is one text node: Ink styles and measures each node it is given.
  if (color === undefined) return <Text>{padded + hangingValue(value)}</Text>;
  return (
    <Text>
      <Text dimColor>{padded}</Text>
      <Text color={color}>{hangingValue(value)}</Text>
    </Text>
  );
}

function relatives(runs: readonly RunRecord[], total: number = runs.length): string {
  if (runs.length === 0) return 'none';
  const listed = runs
    .slice(0, MAX_LISTED_RELATIVES)
    .map((run) => `${shortId(run.run_id)} ${run.stage} (${run.status})`);
  // ASCII on purpose: Ink measures any other character with Unicode segmentation and an emoji
  // pattern it compiles on first use, ~30 ms of every `runs show` of a run with many children.
  if (total > listed.length) listed.push(`...and ${formatCount(total - listed.length)} more`);
  return listed.join('\n');
}

export interface RunPanelProps {
  readonly run: RunRecord;
  readonly parentRuns: readonly RunRecord[];
  readonly childRuns: readonly RunRecord[];
  /** All children, when more exist than `childRuns` holds. */
  readonly childrenTotal?: number;
  /** The model and token detail of a run whose writer called a model. */
  readonly llmUsage?: RunLlmUsage | null;
  /** A `process` run's page. */
  readonly processPage?: RunShowOutput['process'];
  /** A window or part run's span and files. */
  readonly windowSpan?: RunShowOutput['window'];
  readonly files?: RunShowOutput['files'];
  readonly retryOf?: string | null;
  readonly retriedBy?: readonly string[];
  readonly color: boolean;
}

/** Status order on a process page: the problems first, then what went well. */
const PAGE_STATUS_ORDER: readonly RunStatus[] = [
  'failed',
  'crashed',
  'cancelled',
  'running',
  'degraded',
  'completed',
];

function firstLine(text: string | null): string {
  return (text ?? '').split('\n')[0] ?? '';
}

function ProcessSections({
  page,
  run,
  color,
}: {
  page: NonNullable<RunShowOutput['process']>;
  run: RunRecord;
  color: boolean;
}) {
  const counts = PAGE_STATUS_ORDER.filter((status) => (page.windows[status] ?? 0) > 0)
    .map((status) => `${formatCount(page.windows[status] ?? 0)} ${status}`)
    .join(', ');
  const problems = page.problems.map(
    (problem) =>
      `${shortId(problem.run_id)} ${problem.stage} (${problem.status}): ${firstLine(problem.error) || 'no error recorded'}`,
  );
  if (page.problems_total > page.problems.length)
    problems.push(`...and ${formatCount(page.problems_total - page.problems.length)} more`);
  const settings = page.detail?.settings ?? {};
  const llm = settings.llm as {model?: unknown} | null | undefined;
  const writer = `${String(settings.writer ?? UNKNOWN)}${llm && typeof llm.model === 'string' ? ` (${llm.model})` : ''}`;
  const next =
    page.problems_total > 0
      ? `egregora runs retry ${shortId(run.run_id)}   (re-runs the ${formatCount(page.problems_total)} failed, cancelled or crashed windows)`
      : `egregora runs lineage ${shortId(run.run_id)}`;
  return (
    <>
      <Section title="Invocation" color={color}>
        <Field label="Export" value={page.detail?.export_path ?? UNKNOWN} />
        <Field label="Output" value={page.detail?.output_dir ?? UNKNOWN} />
        <Field label="Writer" value={writer} />
      </Section>
      <Section title="Windows" color={color}>
        <Field label="In all" value={`${formatCount(page.windows_total)}${counts ? `: ${counts}` : ''}`} />
        <Field label="Problems" value={problems.length > 0 ? problems.join('\n') : 'none'} />
        <Field
          label="Slowest"
          value={
            page.slowest.length > 0
              ? page.slowest
                  .map((slow) => `${slow.stage} ${formatDuration(slow.duration_seconds)}`)
                  .join('\n')
              : 'none'
          }
        />
        <Field
          label="Tokens spent"
          value={`${formatCount(run.tokens)} in ${formatCount(run.llm_calls)} LLM calls`}
        />
      </Section>
      <Section title="Next" color={color}>
        <Text>{next}</Text>
      </Section>
    </>
  );
}

function WindowSections({
  span,
  files,
  parents,
  retryOf,
  retriedBy,
  color,
}: {
  span: NonNullable<RunShowOutput['window']>;
  files: RunShowOutput['files'] | undefined;
  parents: readonly RunRecord[];
  retryOf: string | null;
  retriedBy: readonly string[];
  color: boolean;
}) {
  const invocation = parents.find((parent) => parent.stage === 'process');
  const listed = files?.paths ?? [];
  const fileText =
    listed.length === 0
      ? 'none recorded'
      : [
          ...listed,
          ...((files?.total ?? 0) > listed.length
            ? [`...and ${formatCount((files?.total ?? 0) - listed.length)} more`]
            : []),
        ].join('\n');
  return (
    <Section title="Window" color={color}>
      <Field
        label="Window"
        value={`${span.window_index}${span.part_index === null ? '' : `, part ${span.part_index + 1}`}: ${formatCount(span.messages)} messages`}
      />
      <Field
        label="Span"
        value={`${span.first_date.replace('T', ' ')} to ${span.last_date.replace('T', ' ')}`}
      />
      <Field label="Files" value={fileText} />
      <Field
        label="Process run"
        value={invocation ? `${shortId(invocation.run_id)} (${invocation.status})` : UNKNOWN}
      />
      <Field label="Retry of" value={retryOf ? shortId(retryOf) : 'none'} />
      <Field label="Retried by" value={retriedBy.length > 0 ? retriedBy.map(shortId).join(', ') : 'none'} />
    </Section>
  );
}

/** The detail panel of `runs show`. Receives the run and its relatives; never queries. */
export function RunPanel({
  run,
  parentRuns,
  childRuns,
  childrenTotal,
  llmUsage,
  processPage,
  windowSpan,
  files,
  retryOf,
  retriedBy,
  color,
}: RunPanelProps) {
  const statusColor = color ? STATUS_COLOR[run.status] : undefined;
  const dim = color ? 'gray' : undefined;
  return (
    <Box flexDirection="column">
      <Section title="Identity" color={color}>
        <Field label="Run ID" value={run.run_id} />
        <Field label="Tenant" value={run.tenant_id ?? UNKNOWN} />
        <Field label="Stage" value={run.stage} />
        <Field label="Status" value={run.status} color={statusColor} />
      </Section>
      <Section title="Timestamps" color={color}>
        <Field label="Started" value={formatLocalTime(run.started_at)} />
        <Field label="Finished" value={formatLocalTime(run.finished_at)} />
        <Field label="Duration" value={formatDuration(run.duration_seconds)} />
      </Section>
      <Section title="Metrics" color={color}>
        <Field label="Rows in" value={formatCount(run.rows_in)} />
        <Field label="Rows out" value={formatCount(run.rows_out)} />
        <Field label="LLM calls" value={formatCount(run.llm_calls)} />
        <Field label="Tokens" value={formatCount(run.tokens)} />
      </Section>
      {llmUsage ? (
        <Section title="LLM" color={color}>
          <Field label="Model" value={llmUsage.model} />
          <Field
            label="Requests"
            value={`${formatCount(llmUsage.requests)} (${formatCount(llmUsage.retries)} retries, ${formatCount(llmUsage.repairs)} repairs)`}
          />
          <Field
            label="Tokens"
            value={`${formatCount(llmUsage.prompt_tokens)} prompt + ${formatCount(llmUsage.completion_tokens)} completion`}
          />
          <Field label="Cache hits" value={formatCount(llmUsage.cache_hits)} />
          {llmUsage.fallback ? <Field label="Fallback" value="the digest writer wrote the post" /> : null}
        </Section>
      ) : null}
      <Section title="Fingerprints" color={color}>
        <Field label="Input" value={run.input_fingerprint ?? UNKNOWN} />
        <Field label="Code" value={run.code_ref ?? UNKNOWN} />
        <Field label="Config" value={run.config_hash ?? UNKNOWN} />
      </Section>
      {windowSpan ? (
        <WindowSections
          span={windowSpan}
          files={files}
          parents={parentRuns}
          retryOf={retryOf ?? null}
          retriedBy={retriedBy ?? []}
          color={color}
        />
      ) : null}
      {processPage ? <ProcessSections page={processPage} run={run} color={color} /> : null}
      <Section title="Lineage" color={color}>
        <Field label="Parents" value={relatives(parentRuns)} />
        <Field label="Children" value={relatives(childRuns, childrenTotal)} />
      </Section>
      <Section title="Error" color={color}>
        {run.error ? (
          // A stored error may quote a chat (an attachment's name): its lines stay, its controls show.
          <Text color={color ? 'red' : undefined}>{visibleControls(run.error, 'keep')}</Text>
        ) : (
          <Text color={dim}>none</Text>
        )}
      </Section>
      <Section title="Observability" color={color}>
        <Field label="Trace ID" value={run.trace_id ?? UNKNOWN} />
      </Section>
    </Box>
  );
}

export function renderRunPanel(props: RunPanelProps): string {
  return renderStatic(<RunPanel {...props} />, PANEL_COLUMNS).replace(/^\n+/, '');
}
