import {randomBytes} from 'node:crypto';
import {accessSync, constants, linkSync, renameSync, rmSync, statSync} from 'node:fs';
import path from 'node:path';
import type {DuckDBConnection} from '@duckdb/node-api';
import type {ExportFormat} from '../../schemas/export-formats.js';
import {type ExportedFile, type RunsExportOutput, RunsExportOutputSchema} from '../../schemas/runs-export.js';
import {classifyDuckDBError, errorMessage} from '../db/errors.js';
import {describeSystemError, ExitCode, UserError} from '../util/errors.js';
import {MAX_EXPORT_ROWS} from './export-limits.js';
import {
  effectiveRunsRelation,
  filterConditions,
  type RunFilters,
  readStaleRuns,
  whereClause,
} from './run-filters.js';
import {RUNS_COLUMN_NAMES, type SchemaInfo, TABLES} from './schema.js';
import {readRunsStore, SqlParams} from './store-read.js';

/**
 * `runs export`: the runs (all 16 columns, effective statuses, oldest first) and optionally their lineage edges,
 * written by DuckDB's own `COPY (SELECT …) TO` from a read-only session — nothing serialized here.
 * Each file is written under a temporary name in the target folder and moved into place when
 * complete, so a failed or interrupted export never leaves a half-written file under the name asked for.
 */

export {MAX_EXPORT_ROWS};

/** What DuckDB's COPY is told for each format; json is one object per line (NDJSON), which DuckDB and jq stream. */
const COPY_OPTIONS: Readonly<Record<ExportFormat, string>> = {
  parquet: 'FORMAT parquet',
  csv: 'FORMAT csv, HEADER true',
  json: 'FORMAT json',
};

/** Extensions that name a compression (DuckDB compresses csv and json by them); the format's extension comes before. */
const COMPRESSION_EXTENSIONS = new Set(['.gz', '.zst']);

/** Extensions from which `--format` may be left out. */
const FORMAT_BY_EXTENSION: Readonly<Record<string, ExportFormat>> = {
  '.parquet': 'parquet',
  '.csv': 'csv',
  '.json': 'json',
  '.ndjson': 'json',
  '.jsonl': 'json',
};

export interface ExportRunsOptions {
  readonly dbPath: string;
  /** The runs file, as the user typed it (resolved against `cwd`). */
  readonly output: string;
  readonly cwd: string;
  /** Absent: taken from the output's extension. */
  readonly format?: ExportFormat;
  readonly filters: RunFilters;
  /** The newest `limit` matching runs (at most MAX_EXPORT_ROWS); absent: all of them. */
  readonly limit?: number;
  /** Also write the lineage edges that touch an exported run, next to the runs file. */
  readonly lineage: boolean;
  /** Replace existing files instead of refusing. */
  readonly force: boolean;
  /** Aborted by Ctrl-C: the COPY in progress is interrupted and nothing is placed. */
  readonly signal?: AbortSignal;
}

/**
 * `runs.parquet` → `runs.lineage.parquet`, `runs.csv.gz` → `runs.lineage.csv.gz`, `runs` → `runs.lineage`:
 * the lineage file sits next to the runs file and sorts with it.
 */
export function lineagePathFor(runsPath: string): string {
  const dir = path.dirname(runsPath);
  const base = path.basename(runsPath);
  let extension = path.extname(base);
  if (COMPRESSION_EXTENSIONS.has(extension.toLowerCase())) {
    extension = path.extname(base.slice(0, -extension.length)) + extension;
  }
  const stem = base.slice(0, base.length - extension.length);
  return path.join(dir, `${stem}.lineage${extension}`);
}

/** The format named by the output's extension (a compression extension looked through), or null. */
export function formatFromPath(file: string): ExportFormat | null {
  let name = path.basename(file).toLowerCase();
  const last = path.extname(name);
  if (COMPRESSION_EXTENSIONS.has(last)) name = name.slice(0, -last.length);
  return FORMAT_BY_EXTENSION[path.extname(name)] ?? null;
}

export interface ExportPlan {
  readonly format: ExportFormat;
  readonly runsPath: string;
  readonly lineagePath: string | null;
}

/**
 * Checks the request before anything is read or written: a format, a folder that exists and can be
 * written, no file in the way (unless `force`), and never the runs store itself.
 */
export function planExport(options: ExportRunsOptions): ExportPlan {
  if (options.output.trim() === '') {
    throw new UserError('--output needs a file name.', ExitCode.usage, {
      hint: 'For example: --output runs.parquet',
    });
  }
  const runsPath = path.resolve(options.cwd, options.output);
  const format = options.format ?? formatFromPath(runsPath);
  if (format === null) {
    throw new UserError(`Cannot tell the format of ${runsPath} from its name.`, ExitCode.usage, {
      path: runsPath,
      hint: 'Pass --format parquet, csv or json (or name the file .parquet, .csv or .json).',
    });
  }
  const {limit} = options;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1 && limit <= MAX_EXPORT_ROWS)) {
    throw new UserError(
      `The limit must be a whole number from 1 to ${MAX_EXPORT_ROWS}; got ${limit}.`,
      ExitCode.usage,
    );
  }
  // The filters are checked (stage pattern, time range) before anything is read.
  hasFilters(options.filters);
  const lineagePath = options.lineage ? lineagePathFor(runsPath) : null;
  const folder = path.dirname(runsPath);
  checkFolder(folder);
  const store = path.resolve(options.dbPath);
  for (const target of [runsPath, lineagePath]) {
    if (target === null) continue;
    if (target === store || target === `${store}.wal`) {
      throw new UserError(
        `${target} is the runs store itself; egregora will not export over it.`,
        ExitCode.usage,
        {
          path: target,
          hint: 'Choose another --output.',
        },
      );
    }
    checkTarget(target, options.force);
  }
  return {format, runsPath, lineagePath};
}

function checkFolder(folder: string): void {
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) {
    throw new UserError(`The folder ${folder} does not exist.`, ExitCode.usage, {
      path: folder,
      hint: `Create it first (mkdir -p "${folder}") or choose another --output.`,
    });
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new UserError(`Cannot write into ${folder}: ${describeSystemError(error)}.`, ExitCode.cannotWrite, {
      path: folder,
      hint: 'Choose a folder you can write to for --output.',
    });
  }
}

function checkTarget(target: string, force: boolean): void {
  let stats: ReturnType<typeof statSync> | undefined;
  try {
    stats = statSync(target);
  } catch {
    return;
  }
  if (stats.isDirectory()) {
    throw new UserError(`${target} is a folder, not a file.`, ExitCode.usage, {
      path: target,
      hint: 'Give --output a file name inside that folder, e.g. --output runs.parquet.',
    });
  }
  if (!force) {
    throw new UserError(`${target} already exists; egregora did not overwrite it.`, ExitCode.usage, {
      path: target,
      hint: 'Pass --force to replace it, or choose another --output.',
    });
  }
}

/** Ctrl-C during the COPY: the temporaries are removed (below) and no file takes the name. */
function exportStopped(target: string): UserError {
  return new UserError(
    `Stopped: nothing was exported, and ${target} was not written or changed.`,
    ExitCode.interrupted,
    {
      path: target,
      hint: 'Run the same command again to export.',
    },
  );
}

/** Plans, reads and writes; returns the files written with their row counts. Never prints. */
export async function exportRuns(options: ExportRunsOptions): Promise<RunsExportOutput> {
  const plan = planExport(options);
  const temporaries: string[] = [];
  try {
    const writeTemporaries = async (connection: DuckDBConnection, schema: SchemaInfo) => {
      // CSV and JSON write instants as text in the session's zone: UTC makes the files the same on every machine.
      await connection.run(`SET SESSION TimeZone = 'UTC'`);
      const stale = await readStaleRuns(connection, schema);
      // Oldest first. Without a limit, in the table's own order (the order runs were recorded, which
      // is their start order): DuckDB then streams the rows into the file, where sorting 1,000,000
      // runs first took twice the time and twice the memory (~1 GB). With a limit, the newest
      // `limit` runs are picked (a top-N, bounded by the limit) and put in start order.
      const selection = (columns: string, params: SqlParams) => {
        const relation = effectiveRunsRelation(stale, params);
        const where = whereClause(filterConditions(options.filters, params, 'r'));
        if (options.limit === undefined) return `SELECT ${columns} FROM ${relation} r ${where}`;
        return `SELECT ${columns} FROM (
            SELECT r.* FROM ${relation} r ${where} ORDER BY r.started_at DESC, r.run_id DESC LIMIT ${options.limit}
          ) r ORDER BY r.started_at, r.run_id`;
      };
      const files: {kind: ExportedFile['kind']; temporary: string; final: string; rows: number}[] = [];
      const runsTemp = temporaryPath(plan.runsPath);
      temporaries.push(runsTemp);
      const runsParams = new SqlParams();
      const runsSql = selection(RUNS_COLUMN_NAMES.map((name) => `r.${name}`).join(', '), runsParams);
      const runsRows = await copyTo(connection, runsSql, runsParams, {
        temporary: runsTemp,
        final: plan.runsPath,
        format: plan.format,
      });
      files.push({kind: 'runs', temporary: runsTemp, final: plan.runsPath, rows: runsRows});
      if (plan.lineagePath !== null) {
        const lineageTemp = temporaryPath(plan.lineagePath);
        temporaries.push(lineageTemp);
        const params = new SqlParams();
        const everything = options.limit === undefined && !hasFilters(options.filters);
        // The edges that touch an exported run (its parents and its children), in the table's order.
        const lineageSql = everything
          ? `SELECT child_run_id, parent_run_id FROM ${TABLES.lineage}`
          : `WITH selected AS (${selection('r.run_id', params)})
             SELECT l.child_run_id, l.parent_run_id FROM ${TABLES.lineage} l
             WHERE l.child_run_id IN (SELECT run_id FROM selected) OR l.parent_run_id IN (SELECT run_id FROM selected)`;
        const rows = await copyTo(connection, lineageSql, params, {
          temporary: lineageTemp,
          final: plan.lineagePath,
          format: plan.format,
        });
        files.push({kind: 'lineage', temporary: lineageTemp, final: plan.lineagePath, rows});
      }
      return {files};
    };
    const result = await readRunsStore(options.dbPath, async (connection, schema) => {
      if (schema.version === null) return {files: null};
      const interrupt = () => connection.interrupt();
      options.signal?.addEventListener('abort', interrupt, {once: true});
      try {
        return await writeTemporaries(connection, schema);
      } finally {
        options.signal?.removeEventListener('abort', interrupt);
      }
    }).catch((error: unknown) => {
      throw options.signal?.aborted ? exportStopped(plan.runsPath) : error;
    });
    if (options.signal?.aborted) throw exportStopped(plan.runsPath);
    if (result.state === 'missing' || result.files === null) {
      return RunsExportOutputSchema.parse({
        db_path: result.dbPath,
        state: 'missing',
        format: plan.format,
        files: [],
      });
    }
    const placed: string[] = [];
    try {
      for (const file of result.files) {
        place(file.temporary, file.final, options.force);
        placed.push(file.final);
      }
    } catch (error) {
      // Files are placed as a set: a lineage file that cannot be placed takes back the runs file it belongs with.
      if (!options.force) for (const file of placed) rmSync(file, {force: true});
      throw error;
    }
    return RunsExportOutputSchema.parse({
      db_path: result.dbPath,
      state: 'ok',
      format: plan.format,
      files: result.files.map((file) => ({
        kind: file.kind,
        path: file.final,
        rows: file.rows,
        bytes: statSync(file.final).size,
      })),
    });
  } finally {
    for (const file of temporaries) rmSync(file, {force: true});
  }
}

/**
 * A hidden name in the target's folder (a rename within one folder is atomic), ending in the target's
 * own name so DuckDB picks the same compression from the extension (`.csv.gz`) as it would for it.
 */
function temporaryPath(target: string): string {
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
  return path.join(path.dirname(target), `.egregora-export-${token}-${path.basename(target)}`);
}

function hasFilters(filters: RunFilters): boolean {
  return filterConditions(filters, new SqlParams(), 'r').length > 0;
}

/**
 * Runs one COPY into `file.temporary`; the file name is a parameter, never spliced into the SQL
 * (quotes and backslashes in a path are plain characters). Returns the rows written.
 */
async function copyTo(
  connection: DuckDBConnection,
  select: string,
  params: SqlParams,
  file: {readonly temporary: string; readonly final: string; readonly format: ExportFormat},
): Promise<number> {
  const target = params.add(file.temporary);
  try {
    const result = await connection.run(
      `COPY (${select}) TO ${target} (${COPY_OPTIONS[file.format]})`,
      params.values,
      params.types,
    );
    return Number(result.rowsChanged);
  } catch (error) {
    const kind = classifyDuckDBError(error);
    const shown = file.final;
    if (kind.kind === 'cannot-access') {
      throw new UserError(`Cannot write ${shown}: ${kind.reason}.`, ExitCode.cannotWrite, {
        path: shown,
        hint: 'Check the permissions and free space of that folder, or choose another --output.',
        cause: error,
      });
    }
    throw new UserError(`DuckDB could not write ${shown}: ${errorMessage(error)}`, ExitCode.cannotWrite, {
      path: shown,
      cause: error,
    });
  }
}

/**
 * Moves a finished temporary file to its name. Without `force` a hard link claims the name only if
 * it is still free (a file that appeared since the check is never replaced); with `force`, a rename
 * replaces it in one step.
 */
function place(temporary: string, final: string, force: boolean): void {
  try {
    if (force) {
      renameSync(temporary, final);
      return;
    }
    try {
      linkSync(temporary, final);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // File systems without hard links: check once more and rename.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      checkTarget(final, false);
      renameSync(temporary, final);
      return;
    }
    rmSync(temporary, {force: true});
  } catch (error) {
    if (error instanceof UserError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UserError(`${final} already exists; egregora did not overwrite it.`, ExitCode.usage, {
        path: final,
        hint: 'Pass --force to replace it, or choose another --output.',
      });
    }
    throw new UserError(`Cannot write ${final}: ${describeSystemError(error)}.`, ExitCode.cannotWrite, {
      path: final,
      hint: 'Check the permissions and free space of that folder, or choose another --output.',
      cause: error,
    });
  }
}
