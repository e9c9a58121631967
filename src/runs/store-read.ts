import {existsSync} from 'node:fs';
import path from 'node:path';
import type {DuckDBConnection, DuckDBType, DuckDBValue} from '@duckdb/node-api';
import {StoreMissingError, StoreNewerSchemaError} from '../db/errors.js';
import {withReadSession} from '../db/session.js';
import {UserError} from '../util/errors.js';
import type {StoreRead} from './queries.js';
import {CURRENT_SCHEMA_VERSION, inspectSchema, type SchemaInfo} from './schema.js';

/**
 * The read side shared by `runs stats | lineage | export`: the store opened read-only through the
 * session layer (one instance per file, lock conflicts retried for a bounded time), a missing file
 * reported rather than created, and a file from a newer egregora read anyway, its schema named as
 * the reason only if the read fails.
 */
export async function readRunsStore<T extends object>(
  dbPath: string,
  read: (connection: DuckDBConnection, schema: SchemaInfo, dbPath: string) => Promise<T>,
): Promise<StoreRead<T>> {
  const resolved = path.resolve(dbPath);
  if (!existsSync(resolved)) return {state: 'missing', dbPath: resolved};
  try {
    const value = await withReadSession(resolved, async (connection) => {
      const schema = await inspectSchema(connection);
      try {
        return await read(connection, schema, resolved);
      } catch (error) {
        const newer = schema.version !== null && schema.version > CURRENT_SCHEMA_VERSION;
        if (newer && !(error instanceof UserError)) {
          throw new StoreNewerSchemaError(resolved, schema.version ?? 0, CURRENT_SCHEMA_VERSION, error);
        }
        throw error;
      }
    });
    return {state: 'ok', dbPath: resolved, ...value};
  } catch (error) {
    if (error instanceof StoreMissingError) return {state: 'missing', dbPath: resolved};
    throw error;
  }
}

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
