import {spawn} from 'node:child_process';
import {hostname} from 'node:os';
import {withWriteSession} from '../../src/db/session.js';
import {ensureSchema} from '../../src/runs/schema.js';

/**
 * Seeding for the tests of `runs stats | lineage | export`: runs with chosen ids, stages, statuses,
 * times, durations, errors and figures, written with plain SQL into a store made by ensureSchema.
 */

export interface SeedRun {
  readonly id: string;
  readonly stage: string;
  readonly status: string;
  /** Minutes after BASE_TIME. */
  readonly minute: number;
  /** Null for a run that has not finished; default 1.5 s. */
  readonly duration?: number | null;
  readonly error?: string | null;
  readonly rowsIn?: number | null;
  readonly rowsOut?: number | null;
  readonly llmCalls?: number | null;
  readonly tokens?: number | null;
  readonly tenant?: string | null;
  readonly traceId?: string | null;
}

export const BASE_TIME = Date.UTC(2024, 2, 1, 0, 0, 0);

export function startedAt(minute: number): string {
  return new Date(BASE_TIME + minute * 60_000).toISOString();
}

/** A valid v4 UUID whose first eight hex characters are `head` (padded with zeros). */
export function runId(head: string, n: number): string {
  const hex = `${head}${'0'.repeat(8 - head.length)}`;
  return `${hex}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export async function createStore(dbPath: string): Promise<void> {
  await withWriteSession(dbPath, (connection) => ensureSchema(connection, {dbPath, codeRef: 'test'}));
}

export async function insertRuns(dbPath: string, runs: readonly SeedRun[]): Promise<void> {
  await withWriteSession(dbPath, async (connection) => {
    const statement = await connection.prepare(
      `INSERT INTO runs (run_id, tenant_id, stage, status, error, input_fingerprint, code_ref, config_hash,
         started_at, finished_at, duration_seconds, rows_in, rows_out, llm_calls, tokens, trace_id)
       VALUES ($1, $2, $3, $4, $5, $6, 'test', 'sha256:cc', $7::TIMESTAMPTZ,
         CASE WHEN $8::DOUBLE IS NULL THEN NULL ELSE $7::TIMESTAMPTZ + to_microseconds(($8::DOUBLE * 1000000)::BIGINT) END,
         $8::DOUBLE, $9::BIGINT, $10::BIGINT, $11::BIGINT, $12::BIGINT, $13)`,
    );
    for (const run of runs) {
      const duration = run.duration === undefined ? 1.5 : run.duration;
      statement.clearBindings();
      statement.bind([
        run.id,
        run.tenant ?? null,
        run.stage,
        run.status,
        run.error ?? null,
        `sha256:${run.id.replaceAll('-', '')}`,
        startedAt(run.minute),
        duration,
        run.rowsIn === undefined ? 10 : run.rowsIn,
        run.rowsOut === undefined ? 1 : run.rowsOut,
        run.llmCalls === undefined ? 0 : run.llmCalls,
        run.tokens === undefined ? 0 : run.tokens,
        run.traceId ?? null,
      ]);
      await statement.run();
    }
  });
}

/** Lineage edges as [child, parent] pairs. */
export async function insertEdges(
  dbPath: string,
  edges: ReadonlyArray<readonly [string, string]>,
): Promise<void> {
  if (edges.length === 0) return;
  await withWriteSession(dbPath, async (connection) => {
    for (const [child, parent] of edges) {
      await connection.run('INSERT INTO run_lineage VALUES ($1::UUID, $2::UUID)', [child, parent]);
    }
  });
}

/** Records `pid` on this host as the owner of a `running` run. */
export async function insertOwner(dbPath: string, id: string, pid: number): Promise<void> {
  await withWriteSession(dbPath, async (connection) => {
    await connection.run('INSERT INTO run_owners VALUES ($1::UUID, $2, $3, NULL)', [id, pid, hostname()]);
  });
}

/** A PID that belonged to a process of this host which has exited (spawned and waited for). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], {stdio: 'ignore'});
  const pid = child.pid;
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
  if (pid === undefined) throw new Error('the child process got no PID');
  return pid;
}
