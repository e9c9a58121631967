import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import type {ExportFormat} from '../../schemas/export-formats.js';
import {RunsExportOutputSchema} from '../../schemas/runs-export.js';
import {
  type ExportRunsOptions,
  exportRuns,
  formatFromPath,
  lineagePathFor,
  MAX_EXPORT_ROWS,
} from '../../src/runs/export.js';
import {RUNS_COLUMNS} from '../../src/runs/schema.js';
import {UserError} from '../../src/util/errors.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {query, runningAsRoot, suiteTempDir, tempDir} from './helpers.js';
import {
  createStore,
  deadPid,
  insertEdges,
  insertOwner,
  insertRuns,
  runId,
  type SeedRun,
} from './tools-seed.js';

const INGEST = runId('a0000001', 1);
const WINDOWS = [0, 1, 2, 3].map((index) => runId('b0000000', 10 + index));
const STALE = runId('c0000001', 20);

const RUNS: SeedRun[] = [
  {id: INGEST, stage: 'ingest', status: 'completed', minute: 0, rowsIn: 1000, rowsOut: 900, tenant: 't1'},
  ...WINDOWS.map(
    (id, index): SeedRun => ({
      id,
      stage: `window_${index}`,
      status: index === 2 ? 'failed' : 'completed',
      minute: 1 + index,
      duration: 0.125 * (index + 1),
      // Text that CSV and JSON must quote: commas, quotes, a newline, non-ASCII.
      error: index === 2 ? 'Error: "quoted", with, commas\nsecond line – ünïcode' : null,
      llmCalls: index,
      tokens: index * 1000,
      traceId: index === 0 ? '0af7651916cd43dd8448eb211c80319c' : null,
    }),
  ),
  {id: STALE, stage: 'window_4', status: 'running', minute: 9, duration: null, rowsOut: null},
];

let dbPath: string;

beforeAll(async () => {
  dbPath = path.join(suiteTempDir(), '.egregora', 'runs.duckdb');
  mkdirSync(path.dirname(dbPath));
  await createStore(dbPath);
  await insertRuns(dbPath, RUNS);
  await insertEdges(dbPath, [...WINDOWS.map((id) => [id, INGEST] as const), [STALE, INGEST]]);
  await insertOwner(dbPath, STALE, await deadPid());
});

function options(overrides: Partial<ExportRunsOptions> & {output: string}): ExportRunsOptions {
  return {dbPath, cwd: process.cwd(), filters: {}, lineage: false, force: false, ...overrides};
}

/** How each format is read back: DuckDB's own readers, with their own type detection. */
const READERS: Readonly<Record<ExportFormat, string>> = {
  parquet: 'read_parquet',
  csv: 'read_csv',
  json: 'read_json',
};

/** The 16 columns of a file, cast to the store's types, so rows compare exactly with `runs`. */
function typedColumns(): string {
  return RUNS_COLUMNS.map(([name, type]) => `CAST("${name}" AS ${type.split(' ')[0]}) AS "${name}"`).join(
    ', ',
  );
}

async function differences(file: string, format: ExportFormat, from = 'runs'): Promise<number> {
  const sqlFile = `'${file.replaceAll("'", "''")}'`;
  const rows = await query(
    dbPath,
    `SELECT (SELECT count(*) FROM (SELECT ${typedColumns()} FROM ${READERS[format]}(${sqlFile}) EXCEPT ALL SELECT * FROM ${from}))
          + (SELECT count(*) FROM (SELECT * FROM ${from} EXCEPT ALL SELECT ${typedColumns()} FROM ${READERS[format]}(${sqlFile})))
       AS n`,
  );
  return Number(rows[0]?.n);
}

/**
 * The store as every reader reports it: the stale run as crashed, with the explanation (which names
 * this host and a PID) taken from the file.
 */
function effective(file: string, format: ExportFormat): string {
  const explanation = `(SELECT error FROM ${READERS[format]}('${file}') WHERE CAST(run_id AS VARCHAR) = '${STALE}')`;
  return `(SELECT * REPLACE (
    CASE WHEN run_id = '${STALE}'::UUID THEN 'crashed' ELSE status END AS status,
    CASE WHEN run_id = '${STALE}'::UUID THEN ${explanation} ELSE error END AS error) FROM runs)`;
}

function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('runs export: the files read back in DuckDB with the same rows', () => {
  for (const format of ['parquet', 'csv', 'json'] as const) {
    it(`${format}: every run, all 16 columns, oldest first, and the lineage next to it`, async () => {
      const dir = tempDir();
      const output = path.join(dir, `runs.${format}`);
      const storeBefore = fileHash(dbPath);
      const report = await exportRuns(options({output, format, lineage: true}));
      expect(RunsExportOutputSchema.parse(report)).toEqual(report);
      const lineage = path.join(dir, `runs.lineage.${format}`);
      expect(report.files).toEqual([
        {kind: 'runs', path: output, rows: RUNS.length, bytes: expect.any(Number)},
        {kind: 'lineage', path: lineage, rows: WINDOWS.length + 1, bytes: expect.any(Number)},
      ]);
      // The stale run is exported as every reader shows it: crashed, with the explanation.
      const stale = await query(
        dbPath,
        `SELECT status, error FROM ${READERS[format]}('${output}') WHERE CAST(run_id AS VARCHAR) = $1`,
        [STALE],
      );
      expect(stale[0]?.status).toBe('crashed');
      expect(String(stale[0]?.error)).toMatch(/^ProcessGone: /);
      expect(await differences(output, format, effective(output, format))).toBe(0);
      // The comparison sees a difference: against the stored rows, the stale run differs both ways.
      expect(await differences(output, format)).toBe(2);
      const first = await query(
        dbPath,
        `SELECT CAST(run_id AS VARCHAR) AS id FROM ${READERS[format]}('${output}') LIMIT 1`,
      );
      // Oldest first: the order the runs were recorded.
      expect(first[0]?.id).toBe(INGEST);
      const edges = await query(
        dbPath,
        `SELECT count(*)::INTEGER AS n FROM (SELECT CAST(child_run_id AS UUID), CAST(parent_run_id AS UUID) FROM ${READERS[format]}('${lineage}')
           EXCEPT ALL SELECT * FROM run_lineage)`,
      );
      expect(edges[0]?.n).toBe(0);
      // Reads never write: the store is byte for byte what it was, and the folder holds only the two files.
      expect(fileHash(dbPath)).toBe(storeBefore);
      expect(readdirSync(dir).sort()).toEqual([`runs.${format}`, `runs.lineage.${format}`].sort());
    });
  }

  it('filters like `runs list`, keeps the newest with --limit, and exports the lineage that touches them', async () => {
    const dir = tempDir();
    const output = path.join(dir, 'some.csv');
    const report = await exportRuns(
      options({
        output,
        filters: {statuses: ['completed'], stageGlob: 'window_*'},
        limit: 2,
        lineage: true,
      }),
    );
    expect(report.format).toBe('csv');
    expect(report.files.map((file) => file.rows)).toEqual([2, 2]);
    const rows = await query(dbPath, `SELECT CAST(run_id AS VARCHAR) AS id FROM read_csv('${output}')`);
    // The newest two, in start order.
    expect(rows.map((row) => row.id)).toEqual([WINDOWS[1], WINDOWS[3]]);
  });

  it('filters by effective status: the stale run is crashed, not running', async () => {
    const dir = tempDir();
    const crashed = await exportRuns(
      options({output: path.join(dir, 'a.json'), filters: {statuses: ['crashed']}}),
    );
    expect(crashed.files[0]?.rows).toBe(1);
    const running = await exportRuns(
      options({output: path.join(dir, 'b.json'), filters: {statuses: ['running']}}),
    );
    expect(running.files[0]?.rows).toBe(0);
  });

  it('writes an empty file with the columns when nothing matches', async () => {
    const output = path.join(tempDir(), 'none.parquet');
    const report = await exportRuns(options({output, filters: {stageGlob: 'nothing'}}));
    expect(report.files[0]?.rows).toBe(0);
    const columns = await query(dbPath, `DESCRIBE SELECT * FROM read_parquet('${output}')`);
    expect(columns.map((column) => column.column_name)).toEqual(RUNS_COLUMNS.map(([name]) => name));
  });

  it('compresses csv and json by the extension, as DuckDB does', async () => {
    const output = path.join(tempDir(), 'runs.csv.gz');
    const report = await exportRuns(options({output, lineage: true}));
    expect(report.format).toBe('csv');
    expect(report.files[1]?.path).toBe(output.replace('runs.csv.gz', 'runs.lineage.csv.gz'));
    expect(readFileSync(output).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(await differences(output, 'csv', effective(output, 'csv'))).toBe(0);
  });

  it('takes any file name, quotes included, as a plain path', async () => {
    const dir = path.join(tempDir(), 'it\'s a "folder"; DROP TABLE runs; --');
    mkdirSync(dir);
    const output = path.join(dir, "o'neil's runs.parquet");
    const report = await exportRuns(options({output}));
    expect(report.files[0]).toMatchObject({path: output, rows: RUNS.length});
    expect(existsSync(output)).toBe(true);
  });
});

describe('runs export: what it refuses', () => {
  async function refusal(overrides: Partial<ExportRunsOptions> & {output: string}): Promise<UserError> {
    const error = await exportRuns(options(overrides)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }

  it('never overwrites a file without --force (exit 2), and replaces it with --force', async () => {
    const dir = tempDir();
    const output = path.join(dir, 'runs.parquet');
    writeFileSync(output, 'keep me');
    const error = await refusal({output});
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toBe(`${output} already exists; egregora did not overwrite it.`);
    expect(error.hint).toContain('--force');
    expect(readFileSync(output, 'utf8')).toBe('keep me');
    const report = await exportRuns(options({output, force: true}));
    expect(report.files[0]?.rows).toBe(RUNS.length);
    expect(readFileSync(output).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('checks the lineage file too, before writing anything', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'runs.lineage.csv'), 'keep me');
    const error = await refusal({output: path.join(dir, 'runs.csv'), lineage: true});
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.path).toBe(path.join(dir, 'runs.lineage.csv'));
    expect(readdirSync(dir)).toEqual(['runs.lineage.csv']);
  });

  it('needs a folder that exists (exit 2), and a file name that is not a folder', async () => {
    const missing = await refusal({output: path.join(tempDir(), 'no', 'such', 'runs.csv')});
    expect(missing.exitCode).toBe(ExitCode.usage);
    expect(missing.message).toMatch(/^The folder .* does not exist\.$/);
    const folder = tempDir();
    const isFolder = await refusal({output: folder, format: 'csv', force: true});
    expect(isFolder.exitCode).toBe(ExitCode.usage);
    expect(isFolder.message).toContain('is a folder');
  });

  it('says when the folder cannot be written (exit 12)', async () => {
    // Root writes through any mode bits; sysfs refuses a new file to root too (EACCES).
    if (runningAsRoot) {
      const error = await refusal({output: path.join('/sys', 'runs.csv')});
      expect(error.exitCode).toBe(ExitCode.cannotWrite);
      return;
    }
    const {chmodSync} = await import('node:fs');
    const dir = tempDir();
    chmodSync(dir, 0o500);
    try {
      const error = await refusal({output: path.join(dir, 'runs.csv')});
      expect(error.exitCode).toBe(ExitCode.cannotWrite);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('needs a format it can tell, and never writes over the store itself', async () => {
    const unknown = await refusal({output: path.join(tempDir(), 'runs.txt')});
    expect(unknown.exitCode).toBe(ExitCode.usage);
    expect(unknown.hint).toContain('--format');
    const store = await refusal({output: dbPath, format: 'csv', force: true});
    expect(store.exitCode).toBe(ExitCode.usage);
    expect(store.message).toContain('is the runs store itself');
  });

  it(`bounds --limit to 1–${MAX_EXPORT_ROWS}`, async () => {
    for (const limit of [0, MAX_EXPORT_ROWS + 1, 1.5]) {
      const error = await refusal({output: path.join(tempDir(), 'runs.csv'), limit});
      expect(error.exitCode).toBe(ExitCode.usage);
    }
  });

  it('writes nothing for a missing store', async () => {
    const dir = tempDir();
    const report = await exportRuns(
      options({dbPath: path.join(dir, '.egregora', 'runs.duckdb'), output: path.join(dir, 'runs.csv')}),
    );
    expect(report).toMatchObject({state: 'missing', files: []});
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('runs export: file names', () => {
  it('puts `.lineage` before the extension', () => {
    expect(lineagePathFor('/a/runs.parquet')).toBe('/a/runs.lineage.parquet');
    expect(lineagePathFor('/a/runs.csv.gz')).toBe('/a/runs.lineage.csv.gz');
    expect(lineagePathFor('/a/runs')).toBe('/a/runs.lineage');
    expect(lineagePathFor('/a/.hidden')).toBe('/a/.hidden.lineage');
    expect(lineagePathFor('/a.b/runs')).toBe('/a.b/runs.lineage');
  });

  it('tells the format from the extension', () => {
    expect(formatFromPath('x.PARQUET')).toBe('parquet');
    expect(formatFromPath('x.csv.gz')).toBe('csv');
    expect(formatFromPath('x.jsonl')).toBe('json');
    expect(formatFromPath('x.ndjson.zst')).toBe('json');
    expect(formatFromPath('x.txt')).toBeNull();
    expect(formatFromPath('x')).toBeNull();
  });
});
