import type {DuckDBType, DuckDBValue} from '@duckdb/node-api';

/**
 * The read side of `runs stats | lineage | export` is the one every runs reader uses (queries.ts):
 * read-only, lock conflicts retried for a bounded time, a missing file reported, not created.
 */
export {readStore as readRunsStore} from './queries.js';

/**
 * Positional SQL parameters (`$1…`) and their types. A type is given where DuckDB must not infer it
 * (lists: see sql-types.ts); values are never spliced into SQL text.
 */
export class SqlParams {
  readonly values: DuckDBValue[] = [];
  private readonly given: (DuckDBType | undefined)[] = [];

  add(value: DuckDBValue, type?: DuckDBType): string {
    this.values.push(value);
    this.given.push(type);
    return `$${this.values.length}`;
  }

  /**
   * The types, position by position, for `run(sql, values, types)`. The binding infers a type where
   * an entry is undefined (DuckDBPreparedStatement.bind); its declared type does not say so.
   */
  get types(): DuckDBType[] {
    return this.given as DuckDBType[];
  }

  /** Ids for an `IN (…)` list, one UUID parameter each, so that DuckDB probes the key for each. */
  addUuids(ids: readonly string[]): string {
    return ids.map((id) => `${this.add(id)}::UUID`).join(', ');
  }
}
