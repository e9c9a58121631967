import {existsSync} from 'node:fs';
import path from 'node:path';
import type {DuckDBConnection} from '@duckdb/node-api';
import {StoreMissingError} from './errors.js';
import {PIPELINE_SCHEMA_VERSION} from './pipeline-store.js';
import {withReadSession} from './session.js';

/**
 * The read side of `egregora doctor` for `.egregora/pipeline.duckdb`: which runs its rows name, and
 * which files it says were written. Read-only (withReadSession), one short session, no judgement:
 * src/doctor/ compares these facts with runs.duckdb and the disk.
 */

/** Every pipeline table and the column that names the run that produced its rows. */
export const RUN_ID_COLUMNS = [
  ['messages', 'ingest_run_id'],
  ['authors', 'ingest_run_id'],
  ['media', 'ingest_run_id'],
  ['outputs', 'run_id'],
] as const;

export type PipelineTable = (typeof RUN_ID_COLUMNS)[number][0];

/** How many rows of one table name one run (null: rows with no run id at all). */
export interface RunReference {
  readonly table: PipelineTable;
  readonly runId: string | null;
  readonly rows: number;
}

/** A file the pipeline recorded as written, once per distinct (output_dir, path). */
export interface RecordedOutput {
  /** As `process` recorded it: absolute, or relative to the directory `process` ran in. */
  readonly outputDir: string;
  /** Relative to `outputDir`, POSIX separators. */
  readonly path: string;
  readonly kind: string;
}

export type PipelineIntegrity =
  | {readonly state: 'missing'; readonly dbPath: string}
  /** Written by a newer egregora: its tables may mean something else, so nothing was read. */
  | {readonly state: 'newer'; readonly dbPath: string; readonly version: number}
  | {
      readonly state: 'ok';
      readonly dbPath: string;
      /** Null when the file has no version table (nothing was ever stored in it). */
      readonly version: number | null;
      readonly references: readonly RunReference[];
      readonly outputs: readonly RecordedOutput[];
    };

export async function readPipelineIntegrity(dbPath: string): Promise<PipelineIntegrity> {
  const resolved = path.resolve(dbPath);
  if (!existsSync(resolved)) return {state: 'missing', dbPath: resolved};
  try {
    return await withReadSession(resolved, async (connection) => {
      const tables = await tableNames(connection);
      const version = tables.has('pipeline_schema_version') ? await schemaVersion(connection) : null;
      if (version !== null && version > PIPELINE_SCHEMA_VERSION) {
        return {state: 'newer', dbPath: resolved, version} as const;
      }
      const references: RunReference[] = [];
      for (const [table, column] of RUN_ID_COLUMNS) {
        if (!tables.has(table)) continue;
        // One row per distinct run id: a handful per ingest, one per window for outputs, never per message.
        const reader = await connection.runAndReadAll(
          `SELECT ${column}::VARCHAR AS run_id, count(*) AS n FROM ${table} GROUP BY ${column}`,
        );
        for (const row of reader.getRowObjectsJson()) {
          references.push({
            table,
            runId: row.run_id === null ? null : String(row.run_id),
            rows: Number(row.n),
          });
        }
      }
      const outputs: RecordedOutput[] = [];
      if (tables.has('outputs')) {
        // Re-processing records a path again under its new run: the file is one, so is its row here.
        const reader = await connection.runAndReadAll(
          'SELECT DISTINCT output_dir, path, kind FROM outputs ORDER BY output_dir, path',
        );
        for (const row of reader.getRowObjectsJson()) {
          outputs.push({outputDir: String(row.output_dir), path: String(row.path), kind: String(row.kind)});
        }
      }
      return {state: 'ok', dbPath: resolved, version, references, outputs} as const;
    });
  } catch (error) {
    // Deleted between the check and the open: as if it had never been there (nothing is created).
    if (error instanceof StoreMissingError) return {state: 'missing', dbPath: resolved};
    throw error;
  }
}

async function tableNames(connection: DuckDBConnection): Promise<Set<string>> {
  const reader = await connection.runAndReadAll(
    `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary`,
  );
  return new Set(reader.getRowObjectsJson().map((row) => String(row.table_name)));
}

async function schemaVersion(connection: DuckDBConnection): Promise<number | null> {
  const reader = await connection.runAndReadAll(
    'SELECT max(version) AS version FROM pipeline_schema_version',
  );
  const version = reader.getRowObjectsJson()[0]?.version;
  return version === null || version === undefined ? null : Number(version);
}
