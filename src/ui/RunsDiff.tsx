import {Box, Text} from 'ink';
import type {RunStatus} from '../../schemas/run.js';
import type {
  FieldDiff,
  RunsDiffOutput,
  SettingDiff,
  WindowChange,
  WindowDiff,
  WindowSide,
} from '../../schemas/runs-diff.js';
import {formatCount, formatDuration, formatLocalTime, shortId, UNKNOWN} from '../util/format.js';
import {renderStatic} from './render.js';
import {Section} from './Section.js';
import {STATUS_COLOR} from './status-style.js';
import {Table, type TableCell, type TableColumn} from './Table.js';

/** Longest cell text: an error line or a setting's value beyond this is cut (`--json` has it whole). */
const MAX_CELL_CHARS = 60;

/** Hex digits of a `sha256:` value shown: enough to tell two apart at a glance, short enough for two columns. */
const HASH_HEX_SHOWN = 12;

/** Post paths named per listed window; the rest are counted. */
const POSTS_NAMED = 2;

/** As wide as the runs tables: a row must never wrap (see RunsTable). */
const TABLE_COLUMNS = 200;

/**
 * Fields that differ between any two runs (when and for how long they ran, their trace): shown,
 * but they do not make two runs "different" in the summary line.
 */
const INCIDENTAL_FIELDS: ReadonlySet<string> = new Set(['started_at', 'duration_seconds', 'trace_id']);

const FIELD_LABELS: Readonly<Record<string, string>> = {
  stage: 'Stage',
  status: 'Status',
  error: 'Error',
  input_fingerprint: 'Input fingerprint',
  code_ref: 'Code ref',
  config_hash: 'Config hash',
  started_at: 'Started',
  duration_seconds: 'Duration',
  rows_in: 'Rows in',
  rows_out: 'Rows out',
  llm_calls: 'LLM calls',
  tokens: 'Tokens',
  trace_id: 'Trace ID',
  'llm.model': 'Model',
  'llm.prompt_tokens': 'Prompt tokens',
  'llm.completion_tokens': 'Completion tokens',
};

const CHANGE_LABELS: Readonly<Record<WindowChange, string>> = {
  status_changed: 'status changed',
  changed_input: 'changed input',
  changed_content: 'changed content',
  added: 'added',
  removed: 'removed',
  not_run_in_a: 'not run in a',
  not_run_in_b: 'not run in b',
  unchanged: 'unchanged',
};

/** ASCII only: Ink measures other characters with Unicode segmentation, ~30 ms on first use (see RunPanel). */
function cut(text: string): string {
  const line = text.replaceAll('\n', ' ');
  return line.length > MAX_CELL_CHARS ? `${line.slice(0, MAX_CELL_CHARS - 3)}...` : line;
}

function shortHash(value: string): string {
  const match = /^sha256:([0-9a-f]+)$/.exec(value);
  if (match?.[1] === undefined || match[1].length <= HASH_HEX_SHOWN) return cut(value);
  return `sha256:${match[1].slice(0, HASH_HEX_SHOWN)}...`;
}

function signed(value: number, format: (magnitude: number) => string): string {
  return `${value < 0 ? '-' : '+'}${format(Math.abs(value))}`;
}

function fieldText(field: string, value: string | number | null): string {
  if (value === null) return UNKNOWN;
  if (typeof value === 'number')
    return field === 'duration_seconds' ? formatDuration(value) : formatCount(value);
  if (field === 'started_at') return formatLocalTime(value);
  if (field === 'input_fingerprint' || field === 'config_hash') return shortHash(value);
  return cut(value);
}

/** B's cell: its value, then how it moved from A (`+3.20s, x2.00` for a duration, `+1,234` for counts). */
function fieldCells(diff: FieldDiff, color: boolean): [TableCell, TableCell] {
  const statusColor = (value: FieldDiff['a']) =>
    diff.field === 'status' && color && typeof value === 'string'
      ? STATUS_COLOR[value as RunStatus]
      : undefined;
  let b = fieldText(diff.field, diff.b);
  if (diff.delta !== null) {
    if (diff.field === 'duration_seconds') {
      b += ` (${signed(diff.delta, formatDuration)}${diff.ratio === null ? '' : `, x${diff.ratio.toFixed(2)}`})`;
    } else if (diff.field === 'started_at') {
      b += ` (${formatDuration(Math.abs(diff.delta))} ${diff.delta < 0 ? 'before' : 'after'} a)`;
    } else {
      b += ` (${signed(diff.delta, formatCount)})`;
    }
  }
  return [
    {text: fieldText(diff.field, diff.a), color: statusColor(diff.a)},
    {text: b, color: statusColor(diff.b)},
  ];
}

function settingText(setting: SettingDiff, side: 'a' | 'b'): string {
  if (setting.only !== null && setting.only !== side) return '(not set)';
  const value = setting[side];
  return cut(typeof value === 'string' ? value : JSON.stringify(value ?? null));
}

function sideCell(side: WindowSide | null): string {
  if (side === null) return UNKNOWN;
  if (side.run_id === null) return 'not run';
  return side.ran ? shortId(side.run_id) : `reused ${shortId(side.run_id)}`;
}

function changeText(window: WindowDiff): string {
  const label = CHANGE_LABELS[window.change];
  const {a, b} = window;
  const what: string[] = [];
  if (a?.status && b?.status && a.status !== b.status) what.push(`${a.status} -> ${b.status}`);
  const notRun = window.change === 'not_run_in_a' || window.change === 'not_run_in_b';
  // A not-run side is its reused run: say what differs from it (a changed_input says so itself).
  if (notRun && a?.input_fingerprint && b?.input_fingerprint && a.input_fingerprint !== b.input_fingerprint)
    what.push('input');
  if (window.posts_differ) what.push('posts');
  if (window.media_differ) what.push('media');
  if (notRun && (window.change === 'not_run_in_a' ? a : b)?.run_id === null)
    what.push('its earlier run not found');
  return what.length > 0 ? `${label} (${what.join(', ')})` : label;
}

function postsText(window: WindowDiff): string {
  const paths = [
    ...new Set([...(window.b?.posts ?? []), ...(window.a?.posts ?? [])].map((post) => post.path)),
  ];
  if (paths.length === 0) return 'none';
  const total = Math.max(paths.length, window.a?.posts_total ?? 0, window.b?.posts_total ?? 0);
  const named = paths.slice(0, POSTS_NAMED).join(', ');
  return total > POSTS_NAMED ? `${named} +${formatCount(total - POSTS_NAMED)}` : named;
}

const WINDOW_COLUMNS: readonly TableColumn[] = [
  {header: 'Window', align: 'right'},
  {header: 'Change'},
  {header: 'A'},
  {header: 'B'},
  {header: 'Posts'},
];

const CHANGE_COLOR: Readonly<Partial<Record<WindowChange, string>>> = {
  status_changed: 'red',
  changed_input: 'yellow',
  changed_content: 'yellow',
  added: 'green',
  removed: 'red',
};

function windowRows(windows: readonly WindowDiff[]): TableCell[][] {
  return windows.map((window) => [
    {text: String(window.window_index)},
    {text: changeText(window), color: CHANGE_COLOR[window.change]},
    {text: sideCell(window.a)},
    {text: sideCell(window.b)},
    {text: postsText(window)},
  ]);
}

/** `3 changed content, 2 added, 4 unchanged`: the non-zero counts, most telling first. */
function countsText(counts: NonNullable<RunsDiffOutput['windows']>['counts']): string {
  const parts = (Object.keys(CHANGE_LABELS) as WindowChange[])
    .filter((change) => counts[change] > 0)
    .map((change) => `${formatCount(counts[change])} ${CHANGE_LABELS[change]}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** The command to read next: the first differing window's run (b's side first), else run b. */
export function nextStep(output: RunsDiffOutput): string | null {
  if (output.same_run) return null;
  const first = output.windows?.changed[0] ?? output.window ?? null;
  if (first !== null && first.change !== 'unchanged') {
    const target = [first.b, first.a].find((side) => side?.ran === true && side.run_id !== null);
    if (target?.run_id)
      return `egregora runs show ${shortId(target.run_id)}   (window ${first.window_index}: ${changeText(first)})`;
  }
  if (output.fields.some((field) => !INCIDENTAL_FIELDS.has(field.field)))
    return `egregora runs show ${shortId(output.b.run_id)}`;
  return null;
}

/** Whether anything but the incidental fields differs. */
export function anythingDiffers(output: RunsDiffOutput): boolean {
  if (output.fields.some((field) => !INCIDENTAL_FIELDS.has(field.field))) return true;
  if ((output.settings?.length ?? 0) > 0) return true;
  if ((output.windows?.total_changed ?? 0) > 0) return true;
  return output.window !== null && output.window.change !== 'unchanged';
}

function summaryLine(output: RunsDiffOutput): string {
  if (output.same_run) return `a and b are the same run (${output.a.run_id}): nothing differs.`;
  if (!anythingDiffers(output)) {
    return 'No differences in status, input, code, settings, counts or files: only when and how long they ran.';
  }
  return `a ${shortId(output.a.run_id)} (${output.a.stage}) against b ${shortId(output.b.run_id)} (${output.b.stage}):`;
}

function missingSettings(output: RunsDiffOutput): string {
  const sides = (['a', 'b'] as const).filter((side) => output.settings_from[side] === null);
  const who = sides.length === 2 ? 'neither run has' : sides.length === 1 ? `${sides[0]} has no` : 'no';
  return `${who} recorded settings (not a run of a process, or a store from an older egregora)`;
}

/** The view of `runs diff`. Receives the comparison; never queries. */
export function RunsDiff({output, color}: {output: RunsDiffOutput; color: boolean}) {
  const {a, b} = output;
  const identity: TableCell[][] = [
    [{text: 'Run'}, {text: a.run_id}, {text: b.run_id}],
    [{text: 'Stage'}, {text: a.stage}, {text: b.stage}],
  ];
  const started = output.fields.find((field) => field.field === 'started_at');
  const startedCells = started
    ? fieldCells(started, color)
    : [{text: formatLocalTime(a.started_at)}, {text: formatLocalTime(b.started_at)}];
  identity.push([{text: 'Started'}, ...startedCells]);
  const rows = output.fields
    .filter((field) => field.field !== 'stage' && field.field !== 'started_at')
    .map((field) => [{text: FIELD_LABELS[field.field] ?? field.field}, ...fieldCells(field, color)]);
  const windows = output.windows;
  // The command decides how many changed windows are listed; the rest are counted.
  const listed = windows?.changed ?? [];
  const more = (windows?.total_changed ?? 0) - listed.length;
  const next = nextStep(output);
  const settingsFrom = [output.settings_from.a, output.settings_from.b].map((id) =>
    id === null ? UNKNOWN : shortId(id),
  );
  return (
    <Box flexDirection="column">
      <Text>{summaryLine(output)}</Text>
      <Box marginTop={1}>
        <Table
          columns={[{header: 'Field'}, {header: 'A'}, {header: 'B'}]}
          rows={[...identity, ...rows]}
          color={color}
        />
      </Box>
      <Section title="Settings that differ" color={color}>
        {output.settings === null ? (
          <Text>not compared: {missingSettings(output)}</Text>
        ) : output.settings.length === 0 ? (
          <Text>
            none (from process {settingsFrom[0]} and {settingsFrom[1]})
          </Text>
        ) : (
          <Table
            columns={[{header: 'Key'}, {header: 'A'}, {header: 'B'}]}
            rows={output.settings.map((setting) => [
              {text: setting.key},
              {text: settingText(setting, 'a')},
              {text: settingText(setting, 'b')},
            ])}
            color={color}
          />
        )}
      </Section>
      {windows ? (
        <Section title="Windows" color={color}>
          <Text>
            {formatCount(windows.runs_in_a)} run in a, {formatCount(windows.runs_in_b)} run in b:{' '}
            {countsText(windows.counts)}
          </Text>
          {windows.files_compared ? null : (
            <Text>Posts and media not compared: pipeline.duckdb is not in the state directory.</Text>
          )}
          {windows.not_run_same > 0 ? (
            <Text>
              {formatCount(windows.not_run_same)} of the windows not run reused files identical to the other
              side's, so they are not listed.
            </Text>
          ) : null}
          {listed.length > 0 ? (
            <Table columns={WINDOW_COLUMNS} rows={windowRows(listed)} color={color} />
          ) : null}
          {more > 0 ? <Text>...and {formatCount(more)} more (--json lists them)</Text> : null}
        </Section>
      ) : null}
      {output.window ? (
        <Section title="Files" color={color}>
          <Table columns={WINDOW_COLUMNS} rows={windowRows([output.window])} color={color} />
        </Section>
      ) : null}
      {next ? (
        <Section title="Next" color={color}>
          <Text>{next}</Text>
        </Section>
      ) : null}
    </Box>
  );
}

export function renderRunsDiff(output: RunsDiffOutput, color: boolean): string {
  return renderStatic(<RunsDiff output={output} color={color} />, TABLE_COLUMNS).replace(/^\n+/, '');
}
