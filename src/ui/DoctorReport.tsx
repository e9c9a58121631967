import {Box, Text} from 'ink';
import type {GateStatus} from '../../schemas/doctor.js';
import {renderStatic} from './render.js';

export interface DoctorReportRow {
  readonly name: string;
  readonly status: GateStatus;
  readonly required: boolean;
  readonly detail: string;
}

const LABEL: Readonly<Record<GateStatus, string>> = {pass: 'PASS', fail: 'FAIL', info: 'INFO'};

/** Green for a pass, red for a failure; INFO is dimmed (a fact, not a verdict). */
const LABEL_STYLE: Readonly<Record<GateStatus, {color?: string; dimColor?: boolean}>> = {
  pass: {color: 'green'},
  fail: {color: 'red'},
  info: {dimColor: true},
};

/** Between the label, the gate name and the detail: two spaces read as a column break. */
const GAP = '  ';

/** The closing sentence: what the exit code will say, in words. */
function verdict(rows: readonly DoctorReportRow[]): string {
  const failed = rows.filter((row) => row.required && row.status === 'fail').length;
  if (failed > 0) return `${failed} required check${failed === 1 ? '' : 's'} failed.`;
  if (rows.every((row) => row.status === 'info')) return 'Nothing to check yet.';
  return 'All required checks passed.';
}

/**
 * The lines of `egregora doctor`: `PASS|FAIL|INFO  <gate>  <detail>`, one per gate, names padded to
 * one column so the output stays greppable, then a one-line verdict. Colours only when asked.
 * Receives the rows; never queries.
 */
export function DoctorReport({rows, color}: {rows: readonly DoctorReportRow[]; color: boolean}) {
  // Gate names are ASCII (schemas/doctor.ts), so their length is their width.
  const nameWidth = Math.max(0, ...rows.map((row) => row.name.length));
  return (
    <Box flexDirection="column">
      {rows.map((row) => (
        <Text key={row.name}>
          <Text {...(color ? LABEL_STYLE[row.status] : {})}>{LABEL[row.status]}</Text>
          {`${GAP}${row.name.padEnd(nameWidth)}${GAP}${row.detail}`}
        </Text>
      ))}
      <Text bold={color}>{verdict(rows)}</Text>
    </Box>
  );
}

/**
 * Wide enough that a gate's line is never wrapped (details carry a path or a few ids), so every gate
 * stays on one greppable line whatever the terminal's width.
 */
const REPORT_COLUMNS = 400;

/** The report as text, for commands: they import this lazily and never load React themselves. */
export function renderDoctorReport(rows: readonly DoctorReportRow[], color: boolean): string {
  return renderStatic(<DoctorReport rows={rows} color={color} />, REPORT_COLUMNS);
}
