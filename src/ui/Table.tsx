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
          {row.map((cell, index) => {
            const column = columns[index];
            const last = index === row.length - 1;
            const text = pad(
              cell.text,
              last && column?.align !== 'right' ? 0 : (widths[index] ?? 0),
              column?.align ?? 'left',
            );
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed
              <Text key={index} {...(color && cell.color ? {color: cell.color} : {})}>
                {index > 0 ? gap : ''}
                {text}
              </Text>
            );
          })}
        </Text>
      ))}
    </Box>
  );
}
