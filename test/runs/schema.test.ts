import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {StoreNewerSchemaError} from '../../src/db/errors.js';
import {withWriteSession} from '../../src/db/session.js';
import {tailRuns} from '../../src/runs/queries.js';
import {CURRENT_SCHEMA_VERSION, ensureSchema, inspectSchema} from '../../src/runs/schema.js';
import {RunTracker} from '../../src/runs/tracker.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {execute, query, tempDbPath} from './helpers.js';

async function createStore(dbPath: string): Promise<void> {
  await withWriteSession(dbPath, (connection) => ensureSchema(connection, {dbPath, codeRef: 'test'}));
}

/** The original design's DDL, written out here (not taken from src) so the migration is tested against it. */
const V1_DDL = [
  `CREATE TABLE runs (
     run_id UUID PRIMARY KEY, tenant_id VARCHAR, stage VARCHAR NOT NULL,
     status VARCHAR NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'degraded')),
     error VARCHAR, input_fingerprint VARCHAR, code_ref VARCHAR, config_hash VARCHAR,
     started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ, duration_seconds DOUBLE,
     rows_in BIGINT, rows_out BIGINT, llm_calls BIGINT, tokens BIGINT, trace_id VARCHAR)`,
  'CREATE INDEX idx_runs_started ON runs (started_at)',
  'CREATE INDEX idx_runs_status ON runs (status)',
  `CREATE TABLE run_lineage (child_run_id UUID, parent_run_id UUID, PRIMARY KEY (child_run_id, parent_run_id))`,
];

const V1_ROWS = [
  `INSERT INTO runs VALUES
    ('11111111-1111-4111-8111-111111111111', 'acme', 'ingest', 'completed', NULL, 'sha256:aa', 'egregora@0.0.9', 'sha256:cc',
     '2024-01-02 03:04:05.123456+00', '2024-01-02 03:04:06.123456+00', 1.0, 10, 9, 0, 0, '4bf92f3577b34da6a3ce929d0e0e4736'),
    ('22222222-2222-4222-8222-222222222222', NULL, 'window_0', 'failed', 'ValueError: bad line', 'sha256:bb', 'egregora@0.0.9', 'sha256:cc',
     '2024-01-02 03:05:00+00', '2024-01-02 03:05:02.5+00', 2.5, 100, 0, 3, 1234, NULL),
    ('33333333-3333-4333-8333-333333333333', NULL, 'window_1', 'running', NULL, NULL, NULL, NULL,
     '2024-01-02 03:06:00+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
  `INSERT INTO run_lineage VALUES
    ('22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111'),
    ('33333333-3333-4333-8333-333333333333', '11111111-1111-4111-8111-111111111111')`,
];

const ALL_COLUMNS = `SELECT run_id::VARCHAR AS run_id, tenant_id, stage, status, error, input_fingerprint, code_ref, config_hash,
  epoch_us(started_at) AS started, epoch_us(finished_at) AS finished, duration_seconds, rows_in, rows_out, llm_calls, tokens, trace_id
  FROM runs ORDER BY run_id`;

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('runs schema', () => {
  it('creates the 16 columns of the design, in order, with their types and nullability', async () => {
    const dbPath = tempDbPath();
    await createStore(dbPath);
    const columns = await query(
      dbPath,
      `SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = 'runs' ORDER BY column_index`,
    );
    expect(columns).toEqual([
      {column_name: 'run_id', data_type: 'UUID', is_nullable: false},
      {column_name: 'tenant_id', data_type: 'VARCHAR', is_nullable: true},
      {column_name: 'stage', data_type: 'VARCHAR', is_nullable: false},
      {column_name: 'status', data_type: 'VARCHAR', is_nullable: false},
      {column_name: 'error', data_type: 'VARCHAR', is_nullable: true},
      {column_name: 'input_fingerprint', data_type: 'VARCHAR', is_nullable: true},
      {column_name: 'code_ref', data_type: 'VARCHAR', is_nullable: true},
      {column_name: 'config_hash', data_type: 'VARCHAR', is_nullable: true},
      {column_name: 'started_at', data_type: 'TIMESTAMP WITH TIME ZONE', is_nullable: false},
      {column_name: 'finished_at', data_type: 'TIMESTAMP WITH TIME ZONE', is_nullable: true},
      {column_name: 'duration_seconds', data_type: 'DOUBLE', is_nullable: true},
      {column_name: 'rows_in', data_type: 'BIGINT', is_nullable: true},
      {column_name: 'rows_out', data_type: 'BIGINT', is_nullable: true},
      {column_name: 'llm_calls', data_type: 'BIGINT', is_nullable: true},
      {column_name: 'tokens', data_type: 'BIGINT', is_nullable: true},
      {column_name: 'trace_id', data_type: 'VARCHAR', is_nullable: true},
    ]);
  });

  it('has the primary key, the six-status CHECK and the five indexes', async () => {
    const dbPath = tempDbPath();
    await createStore(dbPath);
    const constraints = await query(
      dbPath,
      `SELECT constraint_type, constraint_column_names::VARCHAR AS cols FROM duckdb_constraints()
       WHERE table_name = 'runs' AND constraint_type IN ('PRIMARY KEY', 'CHECK') ORDER BY constraint_type`,
    );
    expect(constraints).toEqual([
      {constraint_type: 'CHECK', cols: '[status]'},
      {constraint_type: 'PRIMARY KEY', cols: '[run_id]'},
    ]);
    const indexes = await query(
      dbPath,
      `SELECT index_name, expressions::VARCHAR AS expr FROM duckdb_indexes() WHERE table_name = 'runs' ORDER BY index_name`,
    );
    expect(indexes).toEqual([
      {index_name: 'runs_input_fingerprint_idx', expr: '[input_fingerprint]'},
      {index_name: 'runs_stage_idx', expr: '[stage]'},
      {index_name: 'runs_started_at_idx', expr: '[started_at]'},
      {index_name: 'runs_status_idx', expr: '[status]'},
      {index_name: 'runs_tenant_id_idx', expr: '[tenant_id]'},
    ]);
    const lineageIndexes = await query(
      dbPath,
      `SELECT index_name, expressions::VARCHAR AS expr FROM duckdb_indexes() WHERE table_name = 'run_lineage' ORDER BY index_name`,
    );
    expect(lineageIndexes).toEqual([
      {index_name: 'run_lineage_child_idx', expr: '[child_run_id]'},
      {index_name: 'run_lineage_parent_idx', expr: '[parent_run_id]'},
    ]);
    const insert = (id: string, status: string) =>
      execute(
        dbPath,
        `INSERT INTO runs (run_id, stage, status, started_at) VALUES ('${id}', 's', '${status}', now())`,
      );
    const statuses = ['running', 'completed', 'failed', 'degraded', 'cancelled', 'crashed'];
    for (const [index, status] of statuses.entries())
      await insert(`00000000-0000-4000-8000-00000000000${index}`, status);
    await expect(insert('00000000-0000-4000-8000-000000000009', 'finished')).rejects.toThrow(
      /CHECK constraint/,
    );
    await expect(insert('00000000-0000-4000-8000-000000000000', 'completed')).rejects.toThrow(
      /(PRIMARY KEY|Duplicate key)/i,
    );
    await expect(
      execute(
        dbPath,
        `INSERT INTO runs (run_id, stage, status, started_at) VALUES (gen_random_uuid(), NULL, 'running', now())`,
      ),
    ).rejects.toThrow(/NOT NULL/);
  });

  it('creates run_lineage with its pair key, the owners and version tables, and the side tables', async () => {
    const dbPath = tempDbPath();
    await createStore(dbPath);
    const tables = await query(
      dbPath,
      `SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      'process_runs',
      'run_lineage',
      'run_llm_usage',
      'run_owners',
      'run_retries',
      'run_windows',
      'runs',
      'schema_version',
    ]);
    const lineageKey = await query(
      dbPath,
      `SELECT constraint_column_names::VARCHAR AS cols FROM duckdb_constraints()
       WHERE table_name = 'run_lineage' AND constraint_type = 'PRIMARY KEY'`,
    );
    expect(lineageKey).toEqual([{cols: '[child_run_id, parent_run_id]'}]);
    expect(await query(dbPath, 'SELECT version, code_ref FROM schema_version')).toEqual([
      {version: CURRENT_SCHEMA_VERSION, code_ref: 'test'},
    ]);
    const pair = `('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002')`;
    await execute(dbPath, `INSERT INTO run_lineage VALUES ${pair}`);
    await expect(execute(dbPath, `INSERT INTO run_lineage VALUES ${pair}`)).rejects.toThrow(
      /(PRIMARY KEY|Duplicate key)/i,
    );
  });

  it('is idempotent: ensuring the schema again changes nothing', async () => {
    const dbPath = tempDbPath();
    await createStore(dbPath);
    await execute(
      dbPath,
      `INSERT INTO runs (run_id, stage, status, started_at) VALUES (gen_random_uuid(), 's', 'running', now())`,
    );
    const change = await withWriteSession(dbPath, (connection) =>
      ensureSchema(connection, {dbPath, codeRef: 'x'}),
    );
    expect(change).toEqual({from: CURRENT_SCHEMA_VERSION, to: CURRENT_SCHEMA_VERSION});
    expect(await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM runs')).toEqual([{n: 1}]);
    expect(await query(dbPath, 'SELECT count(*)::INTEGER AS n FROM schema_version')).toEqual([{n: 1}]);
    expect(
      await query(dbPath, `SELECT count(*)::INTEGER AS n FROM duckdb_indexes() WHERE table_name = 'runs'`),
    ).toEqual([{n: 5}]);
  });
});

describe('a version-2 store', () => {
  /** A v2 file as egregora 0.1 wrote it: today's tables without run_llm_usage, at version 2. */
  async function createV2(dbPath: string): Promise<void> {
    await createStore(dbPath);
    await execute(
      dbPath,
      'DROP TABLE run_llm_usage',
      'DELETE FROM schema_version',
      `INSERT INTO schema_version VALUES (2, now(), 'egregora@0.1.0')`,
      `INSERT INTO runs (run_id, stage, status, started_at, llm_calls, tokens)
       VALUES ('44444444-4444-4444-8444-444444444444', 'window_0', 'completed', now(), 0, 0)`,
    );
  }

  it('gains run_llm_usage at its next write session, every run kept, version 3 recorded', async () => {
    const dbPath = tempDbPath();
    await createV2(dbPath);
    const change = await withWriteSession(dbPath, (connection) =>
      ensureSchema(connection, {dbPath, codeRef: 'test'}),
    );
    expect(change).toEqual({from: 2, to: CURRENT_SCHEMA_VERSION});
    expect(CURRENT_SCHEMA_VERSION).toBe(3);
    expect(
      await query(
        dbPath,
        `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'run_llm_usage'`,
      ),
    ).toEqual([{n: 1}]);
    expect(await query(dbPath, 'SELECT version FROM schema_version ORDER BY version')).toEqual([
      {version: 2},
      {version: 3},
    ]);
    expect(await query(dbPath, `SELECT run_id::VARCHAR AS id, status FROM runs`)).toEqual([
      {id: '44444444-4444-4444-8444-444444444444', status: 'completed'},
    ]);
  });
});

describe('a version-1 store', () => {
  async function createV1(dbPath: string): Promise<void> {
    await execute(dbPath, ...V1_DDL, ...V1_ROWS);
  }

  it('can be read without being migrated', async () => {
    const dbPath = tempDbPath();
    await createV1(dbPath);
    const before = sha256(dbPath);
    const result = await tailRuns({dbPath, limit: 10});
    expect(result.state).toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.runs.map((run) => [run.stage, run.status])).toEqual([
      ['window_1', 'running'],
      ['window_0', 'failed'],
      ['ingest', 'completed'],
    ]);
    expect(result.runs[2]).toMatchObject({
      started_at: '2024-01-02T03:04:05.123456Z',
      rows_in: 10,
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    // Reading wrote nothing: still version 1, no new tables, same bytes.
    expect(sha256(dbPath)).toBe(before);
    const info = await withWriteSession(dbPath, (connection) => inspectSchema(connection));
    expect(info.version).toBe(1);
    expect([...info.tables].sort()).toEqual(['run_lineage', 'runs']);
  });

  it('is migrated by the next write session: every row kept, the new statuses accepted, indexes rebuilt', async () => {
    const dbPath = tempDbPath();
    await createV1(dbPath);
    const rowsBefore = await query(dbPath, ALL_COLUMNS);
    const lineageBefore = await query(
      dbPath,
      'SELECT child_run_id::VARCHAR AS c, parent_run_id::VARCHAR AS p FROM run_lineage ORDER BY c',
    );
    await expect(
      execute(dbPath, `UPDATE runs SET status = 'crashed' WHERE stage = 'window_1'`),
    ).rejects.toThrow(/CHECK constraint/);

    const tracker = await RunTracker.open({dbPath});
    const report = await tracker.close();
    expect(report.recorded).toBe(true);

    expect(await query(dbPath, ALL_COLUMNS)).toEqual(rowsBefore);
    expect(
      await query(
        dbPath,
        'SELECT child_run_id::VARCHAR AS c, parent_run_id::VARCHAR AS p FROM run_lineage ORDER BY c',
      ),
    ).toEqual(lineageBefore);
    expect(await query(dbPath, 'SELECT max(version) AS v FROM schema_version')).toEqual([
      {v: CURRENT_SCHEMA_VERSION},
    ]);
    const indexes = await query(
      dbPath,
      `SELECT index_name FROM duckdb_indexes() WHERE table_name = 'runs' ORDER BY 1`,
    );
    expect(indexes.map((row) => row.index_name)).toEqual([
      'runs_input_fingerprint_idx',
      'runs_stage_idx',
      'runs_started_at_idx',
      'runs_status_idx',
      'runs_tenant_id_idx',
    ]);
    await execute(dbPath, `UPDATE runs SET status = 'crashed' WHERE stage = 'window_1'`);
    await execute(
      dbPath,
      `INSERT INTO runs (run_id, stage, status, started_at) VALUES ('44444444-4444-4444-8444-444444444444', 'w', 'cancelled', now())`,
    );
    await expect(
      execute(
        dbPath,
        `INSERT INTO runs (run_id, stage, status, started_at) VALUES (gen_random_uuid(), 'w', 'bogus', now())`,
      ),
    ).rejects.toThrow(/CHECK constraint/);
    // The PRIMARY KEY survived the rebuild.
    await expect(
      execute(
        dbPath,
        `INSERT INTO runs (run_id, stage, status, started_at) VALUES ('44444444-4444-4444-8444-444444444444', 'w', 'failed', now())`,
      ),
    ).rejects.toThrow(/(PRIMARY KEY|Duplicate key)/i);
  });

  it('leaves its running runs alone: without an owner record nothing proves they crashed', async () => {
    const dbPath = tempDbPath();
    await createV1(dbPath);
    await (await RunTracker.open({dbPath})).close();
    expect(await query(dbPath, `SELECT status FROM runs WHERE stage = 'window_1'`)).toEqual([
      {status: 'running'},
    ]);
  });
});

describe('a store from a newer egregora', () => {
  it('is refused by writers (nothing changed) but still read when its columns are compatible', async () => {
    const dbPath = tempDbPath();
    await createStore(dbPath);
    await execute(
      dbPath,
      `INSERT INTO schema_version VALUES (${CURRENT_SCHEMA_VERSION + 1}, now(), 'egregora@9.9.9')`,
      `INSERT INTO runs (run_id, stage, status, started_at) VALUES ('55555555-5555-4555-8555-555555555555', 'ingest', 'completed', now())`,
    );
    const before = sha256(dbPath);
    const warnings: string[] = [];
    const tracker = await RunTracker.open({dbPath, onWarning: (message) => warnings.push(message)});
    tracker.finish(tracker.start({stage: 'ingest'}).runId, {status: 'completed'});
    const report = await tracker.close();
    expect(report.recorded).toBe(false);
    expect(report.reason).toContain('newer egregora');
    expect(warnings).toHaveLength(1);
    expect(sha256(dbPath)).toBe(before);

    const read = await tailRuns({dbPath, limit: 5});
    expect(read.state === 'ok' && read.runs.map((run) => run.run_id)).toEqual([
      '55555555-5555-4555-8555-555555555555',
    ]);
  });

  it('gives readers a storeDamaged error naming the newer version when its columns changed', async () => {
    const dbPath = tempDbPath();
    await execute(
      dbPath,
      'CREATE TABLE runs (run_id UUID PRIMARY KEY, stage VARCHAR, status VARCHAR, started_at TIMESTAMPTZ)',
      'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ, code_ref VARCHAR)',
      `INSERT INTO schema_version VALUES (${CURRENT_SCHEMA_VERSION + 5}, now(), NULL)`,
    );
    const error = await tailRuns({dbPath, limit: 5}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreNewerSchemaError);
    expect((error as StoreNewerSchemaError).exitCode).toBe(ExitCode.storeDamaged);
    expect((error as StoreNewerSchemaError).message).toContain(
      `schema version ${CURRENT_SCHEMA_VERSION + 5}`,
    );
  });

  it('refuses a runs table that is not ours (unknown columns, no version) without touching it', async () => {
    const dbPath = tempDbPath();
    await execute(
      dbPath,
      'CREATE TABLE runs (id INTEGER, note VARCHAR)',
      `INSERT INTO runs VALUES (1, 'mine')`,
    );
    const before = sha256(dbPath);
    const tracker = await RunTracker.open({dbPath});
    const report = await tracker.close();
    expect(report.recorded).toBe(false);
    expect(report.reason).toContain('does not recognise');
    expect(sha256(dbPath)).toBe(before);
  });
});
