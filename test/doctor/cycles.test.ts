import {describe, expect, it} from 'vitest';
import {findCycles} from '../../src/doctor/cycles.js';

const edge = (from: string, to: string) => ({from, to});

describe('findCycles', () => {
  it('finds none in a forest (ingest → windows → parts)', () => {
    expect(findCycles([edge('w0', 'i'), edge('w1', 'i'), edge('p0', 'w1'), edge('p1', 'w1')])).toEqual([]);
    expect(findCycles([])).toEqual([]);
  });

  it('finds none in a diamond: two paths to one ancestor are not a cycle', () => {
    expect(findCycles([edge('c', 'a'), edge('c', 'b'), edge('a', 'r'), edge('b', 'r')])).toEqual([]);
  });

  it('finds a self-loop, a two-cycle and a longer cycle, each once, with their members only', () => {
    const cycles = findCycles([
      edge('s', 's'),
      edge('a', 'b'),
      edge('b', 'a'),
      edge('x', 'y'),
      edge('y', 'z'),
      edge('z', 'x'),
      // Hanging off a cycle, but not on it:
      edge('tail', 'x'),
      edge('z', 'root'),
    ]);
    expect(cycles).toEqual([['a', 'b'], ['s'], ['x', 'y', 'z']]);
  });

  it('handles a chain far longer than the call stack allows recursion for', () => {
    const length = 50_000;
    const edges = Array.from({length}, (_, index) => edge(`n${index + 1}`, `n${index}`));
    expect(findCycles(edges)).toEqual([]);
    edges.push(edge('n0', `n${length}`));
    const cycles = findCycles(edges);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(length + 1);
  });
});
