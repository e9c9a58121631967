import {Box, Text} from 'ink';

export interface TableColumn {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

export interface TableCell {
  readonly text: string;
  /** An Ink colour name; omitted when colours are off. */
  readonly color?: string | undefined;
}

/** Gap between columns, in spaces: two reads as a column break without wasting width. */
const COLUMN_GAP = 2;

function widthOf(text: string): number {
  return [...text].length;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - widthOf(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * A row as runs of text of one colour: the padded cells and gaps, adjacent ones merged when they share
 * a colour (or have none), so that Ink lays out and styles a few text nodes per row instead of one
 * per cell (a 50-row table of 7 columns: ~100 nodes instead of ~400).
 */
function runsOfColor(
  row: readonly TableCell[],
  columns: readonly TableColumn[],
  widths: readonly number[],
  color: boolean,
): {text: string; color?: string}[] {
  const gap = ' '.repeat(COLUMN_GAP);
  const runs: {text: string; color?: string}[] = [];
  const push = (text: string, cellColor: string | undefined) => {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.color === cellColor) last.text += text;
    else runs.push(cellColor === undefined ? {text} : {text, color: cellColor});
  };
  row.forEach((cell, index) => {
    const column = columns[index];
    const last = index === row.length - 1;
    if (index > 0) push(gap, undefined);
    const width = last && column?.align !== 'right' ? 0 : (widths[index] ?? 0);
    push(pad(cell.text, width, column?.align ?? 'left'), color && cell.color ? cell.color : undefined);
  });
  return runs;
}

/**
 * A plain text table: bold headers, columns sized to their widest cell, numbers right-aligned.
 * Cells are padded as text (not flex boxes) so that piped output stays aligned and greppable.
 */
export function Table({
  columns,
  rows,
  color,
}: {
  columns: readonly TableColumn[];
  rows: readonly (readonly TableCell[])[];
  color: boolean;
}) {
  const widths = columns.map((column, index) =>
    Math.max(widthOf(column.header), ...rows.map((row) => widthOf(row[index]?.text ?? ''))),
  );
  const gap = ' '.repeat(COLUMN_GAP);
  return (
    <Box flexDirection="column">
      <Text bold={color}>
        {columns
          .map((column, index) => pad(column.header, widths[index] ?? 0, column.align ?? 'left'))
          .join(gap)
          .trimEnd()}
      </Text>
      {rows.map((row, rowIndex) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are a static snapshot, never reordered
        <Text key={rowIndex}>
          {runsOfColor(row, columns, widths, color).map((run, index) =>
            run.color === undefined ? (
              run.text
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: a row's runs are fixed
              <Text key={index} color={run.color}>
                {run.text}
              </Text>
            ),
          )}
        </Text>
      ))}
    </Box>
  );
}
