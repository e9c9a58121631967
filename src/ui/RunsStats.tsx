import {Box, Text} from 'ink';
import type {RunStatus} from '../../schemas/run.js';
import type {RunsStatsOutput, StageGroupStats} from '../../schemas/runs-stats.js';
import {formatCount, formatDuration, formatLocalTime, shortId, UNKNOWN} from '../util/format.js';
import {renderStatic} from './render.js';
import {Section} from './Section.js';
import {STATUS_COLOR} from './status-style.js';
import {Table, type TableCell, type TableColumn} from './Table.js';

/** Statuses in the outcome table, in the order people read them: success, shortfall, failure, the rest. */
const STATUS_ORDER: readonly RunStatus[] = [
  'completed',
  'degraded',
  'failed',
  'crashed',
  'cancelled',
  'running',
];

const OUTCOME_COLUMNS: readonly TableColumn[] = [
  {header: 'Group'},
  {header: 'Runs', align: 'right'},
  ...STATUS_ORDER.map((status) => ({
    header: status[0]?.toUpperCase() + status.slice(1),
    align: 'right' as const,
  })),
  {header: 'Failure Rate', align: 'right'},
];

const COST_COLUMNS: readonly TableColumn[] = [
  {header: 'Group'},
  {header: 'p50', align: 'right'},
  {header: 'p95', align: 'right'},
  {header: 'Max', align: 'right'},
  {header: 'Rows In', align: 'right'},
  {header: 'Rows Out', align: 'right'},
  {header: 'LLM Calls', align: 'right'},
  {header: 'Tokens', align: 'right'},
];

const ERROR_COLUMNS: readonly TableColumn[] = [
  {header: 'Count', align: 'right'},
  {header: 'Last Run'},
  {header: 'Last Seen'},
  {header: 'Error'},
];

/**
 * An error head is shown up to this many characters (the JSON has it whole, up to 200): with the
 * other columns, a row stays within the table width and never wraps.
 */
const ERROR_SHOWN_CHARS = 120;

/** A share as a percentage with one decimal (`1.0%`); `-` when there is nothing to divide. */
export function formatRate(rate: number | null): string {
  return rate === null ? UNKNOWN : `${(rate * 100).toFixed(1)}%`;
}

function cut(text: string, max: number): string {
  // ASCII on purpose (see RunPanel): any other character costs Ink a segmentation pass.
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** Groups shown: the pipeline's four always (an empty `process` says the store predates it), `other` only when used. */
function shownGroups(groups: readonly StageGroupStats[]): StageGroupStats[] {
  return groups.filter((group) => group.group !== 'other' || group.runs > 0);
}

/** The tables of `runs stats`. Receives the figures; never queries. */
export function RunsStats({stats, color}: {stats: RunsStatsOutput; color: boolean}) {
  const groups = shownGroups(stats.groups);
  const outcomeRows: TableCell[][] = groups.map((group) => [
    {text: group.group},
    {text: formatCount(group.runs)},
    ...STATUS_ORDER.map((status) => ({
      text: formatCount(group.statuses[status]),
      color: group.statuses[status] > 0 ? STATUS_COLOR[status] : undefined,
    })),
    {text: formatRate(group.failure_rate)},
  ]);
  const costRows: TableCell[][] = groups.map((group) => [
    {text: group.group},
    {text: formatDuration(group.duration_seconds.p50)},
    {text: formatDuration(group.duration_seconds.p95)},
    {text: formatDuration(group.duration_seconds.max)},
    {text: formatCount(group.rows_in)},
    {text: formatCount(group.rows_out)},
    {text: formatCount(group.llm_calls)},
    {text: formatCount(group.tokens)},
  ]);
  const errorRows: TableCell[][] = stats.top_errors.map((error) => [
    {text: formatCount(error.count)},
    {text: shortId(error.last_run_id)},
    {text: formatLocalTime(error.last_seen_at)},
    {text: cut(error.error === '' ? '(an empty first line)' : error.error, ERROR_SHOWN_CHARS)},
  ]);
  const moreKinds = stats.error_kinds - stats.top_errors.length;
  const scope = [
    stats.filters.stage === null ? '' : ` of stages ${stats.filters.stage}`,
    stats.filters.since === null ? '' : ` since ${formatLocalTime(stats.filters.since)}`,
    stats.filters.until === null ? '' : ` until ${formatLocalTime(stats.filters.until)}`,
  ].join('');
  return (
    <Box flexDirection="column">
      <Text>
        {formatCount(stats.runs)} run{stats.runs === 1 ? '' : 's'}
        {scope}
      </Text>
      <Section title="Outcomes by stage group" color={color}>
        <Table columns={OUTCOME_COLUMNS} rows={outcomeRows} color={color} />
      </Section>
      <Section title="Durations and volume" color={color}>
        <Table columns={COST_COLUMNS} rows={costRows} color={color} />
      </Section>
      <Section title="Top errors (failed and crashed runs)" color={color}>
        {errorRows.length === 0 ? (
          <Text>none</Text>
        ) : (
          <Table columns={ERROR_COLUMNS} rows={errorRows} color={color} />
        )}
        {moreKinds > 0 ? (
          <Text>
            ...and {formatCount(moreKinds)} more kind{moreKinds === 1 ? '' : 's'} of error
          </Text>
        ) : null}
      </Section>
    </Box>
  );
}

/** Wide enough that no row wraps (see RunsTable): the error column is cut to fit. */
const STATS_COLUMNS = 200;

export function renderRunsStats(stats: RunsStatsOutput, color: boolean): string {
  return renderStatic(<RunsStats stats={stats} color={color} />, STATS_COLUMNS);
}
