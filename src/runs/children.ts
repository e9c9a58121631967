import type {DuckDBConnection} from '@duckdb/node-api';
import type {RunRecord} from '../../schemas/run.js';
import {runSelectList, toRunRecord} from './records.js';
import {TABLES} from './schema.js';

/**
 * A run's children, read from the lineage index and joined to `runs` with the scan pruned to runs
 * that started no earlier than the parent. A child is created after its parent and the store is
 * appended in start order, so DuckDB's zone maps skip nearly all of a large store: listing the first
 * children of a 10,000-window process run in the 1,000,000-run benchmark store took ~100 ms cold
 * without the prune and ~15 ms with it.
 *
 * The prune rests on the clock: a child stamped earlier than its parent (a clock stepped back
 * between the two) would be missed. So every read through here says how many children it found,
 * and a read that found fewer than the lineage counts is done again without the prune.
 */
export interface ChildrenRead {
  /** Children the join found (before any LIMIT). */
  readonly found: number;
}

/** `FROM` text for the children of the run `$parent` (a UUID parameter), pruned when `$startedFrom` is given. */
export function childRunsFrom(parentParam: string, startedFromParam: string | null): string {
  const pruned = startedFromParam === null ? '' : ` AND r.started_at >= ${startedFromParam}::TIMESTAMPTZ`;
  return `(SELECT l.child_run_id AS child FROM ${TABLES.lineage} l WHERE l.parent_run_id = ${parentParam}::UUID) c
       JOIN ${TABLES.runs} r ON r.run_id = c.child${pruned}`;
}

/**
 * Runs `read` pruned, then unpruned if the pruned read found fewer than the `expected` children the
 * lineage counts. A dangling edge (a child row missing from `runs`) costs the second read, nothing else.
 */
export async function readChildren<T extends ChildrenRead>(
  expected: number,
  read: (pruned: boolean) => Promise<T>,
): Promise<T> {
  const first = await read(true);
  return first.found >= expected ? first : read(false);
}

/**
 * The first `limit` children of `parent` in start order, as validated records. The first few are
 * picked from the narrow join, then only their rows are read in full, from the same pruned range:
 * a full row read through an id list scans every id in the store (~30 ms cold for 10 ids here).
 */
export async function firstChildren(
  connection: DuckDBConnection,
  dbPath: string,
  parent: {readonly run_id: string; readonly started_at: string},
  expected: number,
  limit: number,
): Promise<RunRecord[]> {
  if (limit <= 0 || expected <= 0) return [];
  const read = await readChildren(expected, async (pruned) => {
    const startedFrom = pruned ? '$2' : null;
    const reader = await connection.runAndReadAll(
      `WITH firsts AS (
         SELECT r.run_id, count(*) OVER () AS found FROM ${childRunsFrom('$1', startedFrom)}
         ORDER BY r.started_at, r.run_id LIMIT ${Math.floor(limit)})
       SELECT ${runSelectList('r')}, f.found FROM firsts f
       JOIN ${TABLES.runs} r ON r.run_id = f.run_id${pruned ? ' AND r.started_at >= $2::TIMESTAMPTZ' : ''}
       ORDER BY r.started_at, r.run_id`,
      pruned ? [parent.run_id, parent.started_at] : [parent.run_id],
    );
    const rows = reader.getRowObjectsJson();
    return {
      found: rows.length === 0 ? 0 : Number(rows[0]?.found),
      runs: rows.map((row) => toRunRecord(row, dbPath)),
    };
  });
  return read.runs;
}
