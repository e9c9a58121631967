import {DuckDBInstance} from '@duckdb/node-api';

/**
 * Rows of one query against a store opened read-only, as DuckDB's JSON conversion gives them (BIGINT
 * as text): how tests look into the files a spawned CLI wrote, without ever writing them.
 */
export async function queryStore(dbPath: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(dbPath, {access_mode: 'READ_ONLY'});
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
