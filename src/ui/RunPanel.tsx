import {Box, Text} from 'ink';
import type {RunRecord} from '../../schemas/run.js';
import {formatCount, formatDuration, formatLocalTime, shortId, UNKNOWN} from '../util/format.js';
import {visibleControls} from '../util/terminal.js';
import {renderStatic} from './render.js';
import {MAX_LISTED_RELATIVES} from './run-panel-layout.js';
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
  return (
    <Text>
      <Text dimColor={color !== undefined}>{label.padEnd(LABEL_WIDTH)}</Text>
      <Text {...(color ? {color} : {})}>{hangingValue(value)}</Text>
    </Text>
  );
}

function Section({title, color, children}: {title: string; color: boolean; children: React.ReactNode}) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold={color} underline={color}>
        {color ? title : `== ${title} ==`}
      </Text>
      {children}
    </Box>
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
  readonly color: boolean;
}

/** The detail panel of `runs show`. Receives the run and its relatives; never queries. */
export function RunPanel({run, parentRuns, childRuns, childrenTotal, color}: RunPanelProps) {
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
      <Section title="Fingerprints" color={color}>
        <Field label="Input" value={run.input_fingerprint ?? UNKNOWN} />
        <Field label="Code" value={run.code_ref ?? UNKNOWN} />
        <Field label="Config" value={run.config_hash ?? UNKNOWN} />
      </Section>
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
