import type {RunRecord} from '../../schemas/run.js';
import {formatCount, formatDuration, formatLocalTime, shortId} from '../util/format.js';
import {renderStatic} from './render.js';
import {STATUS_COLOR} from './status-style.js';
import {Table, type TableColumn} from './Table.js';

const RUN_COLUMNS: readonly TableColumn[] = [
  {header: 'Run ID'},
  {header: 'Stage'},
  {header: 'Status'},
  {header: 'Started At'},
  {header: 'Rows In', align: 'right'},
  {header: 'Rows Out', align: 'right'},
  {header: 'Duration', align: 'right'},
];

/** The runs table of `runs tail` and `runs list`. Receives rows; never queries. */
export function RunsTable({runs, color}: {runs: readonly RunRecord[]; color: boolean}) {
  const rows = runs.map((run) => [
    {text: shortId(run.run_id)},
    {text: run.stage},
    {text: run.status, color: STATUS_COLOR[run.status]},
    {text: formatLocalTime(run.started_at)},
    {text: formatCount(run.rows_in)},
    {text: formatCount(run.rows_out)},
    {text: formatDuration(run.duration_seconds)},
  ]);
  return <Table columns={RUN_COLUMNS} rows={rows} color={color} />;
}

const CANDIDATE_COLUMNS: readonly TableColumn[] = [
  {header: 'Run ID'},
  {header: 'Stage'},
  {header: 'Status'},
  {header: 'Started At'},
];

/** The candidates of an ambiguous prefix: full ids, so the user can copy a longer prefix. */
export function CandidatesTable({runs, color}: {runs: readonly RunRecord[]; color: boolean}) {
  const rows = runs.map((run) => [
    {text: run.run_id},
    {text: run.stage},
    {text: run.status, color: STATUS_COLOR[run.status]},
    {text: formatLocalTime(run.started_at)},
  ]);
  return <Table columns={CANDIDATE_COLUMNS} rows={rows} color={color} />;
}

/**
 * Tables are laid out wider than most terminals: a row must never wrap (it would break `grep` and
 * column-wise reading); a terminal too narrow for it soft-wraps the line instead.
 */
const TABLE_COLUMNS = 200;

export function renderRunsTable(runs: readonly RunRecord[], color: boolean): string {
  return renderStatic(<RunsTable runs={runs} color={color} />, TABLE_COLUMNS);
}

export function renderCandidatesTable(runs: readonly RunRecord[], color: boolean): string {
  return renderStatic(<CandidatesTable runs={runs} color={color} />, TABLE_COLUMNS);
}
