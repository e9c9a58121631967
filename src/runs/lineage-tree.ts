import type {DuckDBConnection} from '@duckdb/node-api';
import type {RunRecord} from '../../schemas/run.js';
import {
  type LineageAncestor,
  type LineageDescendant,
  type RunsLineageOutput,
  RunsLineageOutputSchema,
} from '../../schemas/runs-lineage.js';
import {LINEAGE_MAX_DEPTH, LINEAGE_MAX_NODES, LINEAGE_MAX_WIDTH} from './lineage-limits.js';
import {matchRunPrefix, normalizeRunIdPrefix, type StoreRead} from './queries.js';
import {readRunRecords, runSelectList, withEffectiveStatus} from './records.js';
import {type SchemaInfo, TABLES} from './schema.js';
import {readRunsStore, SqlParams} from './store-read.js';

/**
 * `runs lineage`: a run's ancestors and descendants as two trees, read level by level through the
 * lineage indexes (one query for the relatives' counts and one for the first of them per level).
 */

export {LINEAGE_MAX_DEPTH, LINEAGE_MAX_NODES, LINEAGE_MAX_WIDTH};

export interface RunLineageOptions {
  readonly dbPath: string;
  readonly prefix: string;
}

export type LineageMatch =
  | {kind: 'found'; output: RunsLineageOutput}
  | {kind: 'none'; prefix: string}
  | {kind: 'ambiguous'; candidates: RunRecord[]; total: number};

/** The run a prefix names (as `runs show` matches it) and its lineage; or why there is no single match. */
export async function runLineage(options: RunLineageOptions): Promise<StoreRead<{match: LineageMatch}>> {
  const normalized = normalizeRunIdPrefix(options.prefix);
  return readRunsStore(options.dbPath, async (connection, schema, dbPath) => {
    const found = await matchRunPrefix(connection, schema, dbPath, normalized);
    if (found.kind === 'none') return {match: {kind: 'none', prefix: options.prefix}};
    if (found.kind === 'ambiguous') return {match: found};
    const [chosen = found.run] = await withEffectiveStatus(connection, schema, [found.run]);
    const reading = new TreeReader(connection, schema, dbPath);
    const ancestors = await reading.walk(chosen, 'up');
    const descendants = await reading.walk(chosen, 'down');
    const output: RunsLineageOutput = {
      db_path: dbPath,
      run: chosen,
      parents: ancestors.nodes.map(toAncestor),
      parents_total: ancestors.total,
      children: descendants.nodes.map(toDescendant),
      children_total: descendants.total,
      limits: {max_depth: LINEAGE_MAX_DEPTH, max_width: LINEAGE_MAX_WIDTH, max_nodes: LINEAGE_MAX_NODES},
      truncated: reading.truncated,
    };
    // Validated here, so `--json` prints exactly what the schema promises.
    return {match: {kind: 'found', output: RunsLineageOutputSchema.parse(output)}};
  });
}

interface Node {
  readonly run: RunRecord;
  readonly relatives: Node[];
  total: number;
  readonly repeated: boolean;
}

type Direction = 'up' | 'down';

/** Which lineage column a level is looked up by, and which one names the relatives. */
const EDGE = {
  up: {from: 'child_run_id', to: 'parent_run_id'},
  down: {from: 'parent_run_id', to: 'child_run_id'},
} as const;

/** Reads both trees of one run within the node budget (shared, ancestors first: they are few). */
class TreeReader {
  private budget = LINEAGE_MAX_NODES - 1;
  truncated = false;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly schema: SchemaInfo,
    private readonly dbPath: string,
  ) {}

  /** The run's relatives in one direction, breadth first: `nodes` are its own, `total` counts them. */
  async walk(root: RunRecord, direction: Direction): Promise<{nodes: Node[]; total: number}> {
    const top: Node = {run: root, relatives: [], total: 0, repeated: false};
    // A run is expanded once per tree; met again (two parents, a cycle) it is marked, not re-read.
    const expanded = new Set([root.run_id]);
    let level: Node[] = [top];
    for (let depth = 0; level.length > 0; depth += 1) {
      const totals = await this.countRelatives(
        level.map((node) => node.run.run_id),
        direction,
      );
      for (const node of level) node.total = totals.get(node.run.run_id) ?? 0;
      const open = level.filter((node) => !node.repeated && node.total > 0);
      if (depth >= LINEAGE_MAX_DEPTH || this.budget <= 0) {
        if (open.length > 0) this.truncated = true;
        break;
      }
      const next: Node[] = [];
      const found = open.length === 0 ? new Map() : await this.firstRelatives(open, direction);
      for (const node of open) {
        for (const run of found.get(node.run.run_id) ?? []) {
          if (this.budget <= 0) break;
          this.budget -= 1;
          const repeated = expanded.has(run.run_id);
          const relative: Node = {run, relatives: [], total: 0, repeated};
          expanded.add(run.run_id);
          node.relatives.push(relative);
          next.push(relative);
        }
        if (node.relatives.length < node.total) this.truncated = true;
      }
      level = next;
    }
    return {nodes: top.relatives, total: top.total};
  }

  /** How many relatives each of these runs has, from the lineage index alone. */
  private async countRelatives(ids: readonly string[], direction: Direction): Promise<Map<string, number>> {
    const {from} = EDGE[direction];
    const params = new SqlParams();
    const list = params.addUuids([...new Set(ids)]);
    const reader = await this.connection.runAndReadAll(
      `SELECT ${from}::VARCHAR AS id, count(*) AS total FROM ${TABLES.lineage} WHERE ${from} IN (${list}) GROUP BY ${from}`,
      params.values,
    );
    return new Map(reader.getRowObjectsJson().map((row) => [String(row.id), Number(row.total)]));
  }

  /** The first LINEAGE_MAX_WIDTH relatives of each run, in start order, with effective statuses. */
  private async firstRelatives(
    nodes: readonly Node[],
    direction: Direction,
  ): Promise<Map<string, RunRecord[]>> {
    const {from, to} = EDGE[direction];
    // First which relatives, from the two columns that order them: a join that carried all 16
    // columns would read every run of the table (~200 ms on 1,000,000 runs, against ~5 ms).
    const params = new SqlParams();
    const list = params.addUuids(nodes.map((node) => node.run.run_id));
    const picked = await this.connection.runAndReadAll(
      `SELECT l.${from}::VARCHAR AS via, r.run_id::VARCHAR AS id
       FROM ${TABLES.lineage} l JOIN ${TABLES.runs} r ON r.run_id = l.${to}
       WHERE l.${from} IN (${list})
       QUALIFY row_number() OVER (PARTITION BY l.${from} ORDER BY r.started_at, r.run_id) <= ${LINEAGE_MAX_WIDTH}
       ORDER BY via, r.started_at, r.run_id`,
      params.values,
    );
    const edges = picked.getRowObjectsJson().map((row) => ({via: String(row.via), id: String(row.id)}));
    if (edges.length === 0) return new Map();
    // Then their rows, each by its key (at most LINEAGE_MAX_NODES of them).
    const ids = [...new Set(edges.map((edge) => edge.id))];
    const byKey = new SqlParams();
    const records = await readRunRecords(
      this.connection,
      this.dbPath,
      `SELECT ${runSelectList('r')} FROM ${TABLES.runs} r WHERE r.run_id IN (${byKey.addUuids(ids)})`,
      byKey.values,
    );
    const runs = new Map(
      (await withEffectiveStatus(this.connection, this.schema, records)).map((run) => [run.run_id, run]),
    );
    const byVia = new Map<string, RunRecord[]>();
    for (const edge of edges) {
      const run = runs.get(edge.id);
      if (run === undefined) continue;
      const relatives = byVia.get(edge.via) ?? [];
      relatives.push(run);
      byVia.set(edge.via, relatives);
    }
    return byVia;
  }
}

function nodeFields(node: Node) {
  return {
    run_id: node.run.run_id,
    stage: node.run.stage,
    status: node.run.status,
    started_at: node.run.started_at,
    duration_seconds: node.run.duration_seconds,
    repeated: node.repeated,
  };
}

function toAncestor(node: Node): LineageAncestor {
  return {...nodeFields(node), parents: node.relatives.map(toAncestor), parents_total: node.total};
}

function toDescendant(node: Node): LineageDescendant {
  return {...nodeFields(node), children: node.relatives.map(toDescendant), children_total: node.total};
}
