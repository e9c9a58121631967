import {Box, Text} from 'ink';
import type {RunRecord} from '../../schemas/run.js';
import type {LineageAncestor, LineageDescendant, RunsLineageOutput} from '../../schemas/runs-lineage.js';
import {formatCount, formatDuration, formatLocalTime, shortId} from '../util/format.js';
import {renderStatic} from './render.js';
import {Section} from './Section.js';
import {STATUS_COLOR} from './status-style.js';

/** A node of either tree, with its relatives in the tree's direction. */
interface TreeNode {
  readonly run_id: string;
  readonly stage: string;
  readonly status: RunRecord['status'];
  readonly duration_seconds: number | null;
  readonly repeated: boolean;
  readonly relatives: readonly TreeNode[];
  readonly total: number;
}

function fromAncestor(node: LineageAncestor): TreeNode {
  return {...node, relatives: node.parents.map(fromAncestor), total: node.parents_total};
}

function fromDescendant(node: LineageDescendant): TreeNode {
  return {...node, relatives: node.children.map(fromDescendant), total: node.children_total};
}

interface Line {
  readonly prefix: string;
  readonly node?: TreeNode;
  /** A "...and N more" line instead of a node. */
  readonly more?: number;
}

/**
 * The tree as lines, drawn with ASCII (`|--`, `` `-- ``): Ink measures other characters with Unicode
 * segmentation, which costs ~30 ms the first time (see RunPanel).
 */
function treeLines(nodes: readonly TreeNode[], total: number, indent: string): Line[] {
  const lines: Line[] = [];
  const more = total - nodes.length;
  nodes.forEach((node, index) => {
    const last = index === nodes.length - 1 && more <= 0;
    lines.push({prefix: `${indent}${last ? '`-- ' : '|-- '}`, node});
    if (!node.repeated)
      lines.push(...treeLines(node.relatives, node.total, `${indent}${last ? '    ' : '|   '}`));
  });
  if (more > 0) lines.push({prefix: `${indent}\`-- `, more});
  return lines;
}

function NodeText({node, color}: {node: TreeNode; color: boolean}) {
  const statusColor = color ? STATUS_COLOR[node.status] : undefined;
  return (
    <Text>
      {shortId(node.run_id)} {node.stage}{' '}
      <Text {...(statusColor ? {color: statusColor} : {})}>{node.status}</Text>{' '}
      {formatDuration(node.duration_seconds)}
      {node.repeated ? <Text dimColor={color}> (repeated: listed elsewhere in this tree)</Text> : null}
    </Text>
  );
}

function TreeSection({
  title,
  nodes,
  total,
  color,
}: {
  title: string;
  nodes: readonly TreeNode[];
  total: number;
  color: boolean;
}) {
  const lines = treeLines(nodes, total, '');
  return (
    <Section title={title} color={color}>
      {lines.length === 0 ? <Text>none</Text> : null}
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a static snapshot, never reordered
        <Text key={index}>
          {line.prefix}
          {line.node ? (
            <NodeText node={line.node} color={color} />
          ) : (
            `...and ${formatCount(line.more ?? 0)} more`
          )}
        </Text>
      ))}
    </Section>
  );
}

/** `runs lineage`: the run, then its ancestors and descendants as trees. Receives the tree; never queries. */
export function LineageTree({lineage, color}: {lineage: RunsLineageOutput; color: boolean}) {
  const {run} = lineage;
  const statusColor = color ? STATUS_COLOR[run.status] : undefined;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold={color}>{run.run_id}</Text> {run.stage}{' '}
        <Text {...(statusColor ? {color: statusColor} : {})}>{run.status}</Text>{' '}
        {formatDuration(run.duration_seconds)} started {formatLocalTime(run.started_at)}
      </Text>
      <TreeSection
        title="Ancestors (under each run, its parents)"
        nodes={lineage.parents.map(fromAncestor)}
        total={lineage.parents_total}
        color={color}
      />
      <TreeSection
        title="Descendants (under each run, its children)"
        nodes={lineage.children.map(fromDescendant)}
        total={lineage.children_total}
        color={color}
      />
    </Box>
  );
}

/** Wide enough for the deepest tree's indent and a long stage name on one line. */
const TREE_COLUMNS = 200;

export function renderLineageTree(lineage: RunsLineageOutput, color: boolean): string {
  return renderStatic(<LineageTree lineage={lineage} color={color} />, TREE_COLUMNS);
}
