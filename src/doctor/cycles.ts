/** A directed edge of the lineage graph, child → parent. */
export interface Edge {
  readonly from: string;
  readonly to: string;
}

/**
 * The cycles of a directed graph, as the node sets of its strongly connected components that contain
 * a cycle (more than one node, or one node with an edge to itself). Tarjan's algorithm, iterative so
 * that a long chain cannot overflow the call stack; O(nodes + edges). Each cycle's nodes and the list
 * of cycles are sorted, so the result is stable whatever order the edges came in.
 */
export function findCycles(edges: readonly Edge[]): string[][] {
  const successors = new Map<string, string[]>();
  const selfLoops = new Set<string>();
  for (const {from, to} of edges) {
    if (from === to) selfLoops.add(from);
    const list = successors.get(from);
    if (list) list.push(to);
    else successors.set(from, [to]);
    if (!successors.has(to)) successors.set(to, []);
  }

  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  for (const root of successors.keys()) {
    if (index.has(root)) continue;
    // Each frame is a node and how many of its successors have been looked at.
    const frames: Array<{node: string; next: number}> = [{node: root, next: 0}];
    visit(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) break;
      const next = successors.get(frame.node)?.[frame.next];
      if (next !== undefined) {
        frame.next += 1;
        if (!index.has(next)) {
          visit(next);
          frames.push({node: next, next: 0});
        } else if (onStack.has(next)) {
          lowLink.set(frame.node, Math.min(low(frame.node), index.get(next) ?? 0));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) lowLink.set(parent.node, Math.min(low(parent.node), low(frame.node)));
      if (low(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        for (;;) {
          const member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
          if (member === frame.node) break;
        }
        const first = component[0];
        if (component.length > 1 || (first !== undefined && selfLoops.has(first))) {
          cycles.push(component.sort());
        }
      }
    }
  }
  return cycles.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));

  function visit(node: string): void {
    index.set(node, counter);
    lowLink.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
  }

  function low(node: string): number {
    return lowLink.get(node) ?? 0;
  }
}
