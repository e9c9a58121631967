import type {RunsExportOutput} from '../../schemas/runs-export.js';
import {formatCount} from '../util/format.js';
import {renderStatic} from './render.js';
import {Table, type TableColumn} from './Table.js';

const COLUMNS: readonly TableColumn[] = [
  {header: 'File'},
  {header: 'Rows', align: 'right'},
  {header: 'Size', align: 'right'},
  {header: 'Path'},
];

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Decimal units (1 kB = 1,000 B), as in the benchmarks: `812 B`, `1.4 MB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** What `runs export` wrote. Receives the report; never queries. */
export function ExportReport({report, color}: {report: RunsExportOutput; color: boolean}) {
  const rows = report.files.map((file) => [
    {text: `${file.kind} (${report.format})`},
    {text: formatCount(file.rows)},
    {text: formatBytes(file.bytes)},
    {text: file.path},
  ]);
  return <Table columns={COLUMNS} rows={rows} color={color} />;
}

/** Paths can be long: lay out wide, as the other tables do, so a row never wraps. */
const REPORT_COLUMNS = 400;

export function renderExportReport(report: RunsExportOutput, color: boolean): string {
  return renderStatic(<ExportReport report={report} color={color} />, REPORT_COLUMNS);
}
