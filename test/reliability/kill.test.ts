/**
 * Kill at any moment (issue 5.1). `process` is killed with SIGKILL at seeded random moments, again and
 * again, in one project; after every kill both databases must still open, the killed process's
 * `running` runs must read as `crashed`, and nothing may look alive. One last uninterrupted run must
 * then finish the rest and produce a site byte-identical to an uninterrupted reference run. The same
 * with SIGINT and SIGTERM, where the process must stop gracefully: exit 130, in-flight runs `cancelled`.
 *
 * Replay a failure with the seed from the test name:
 *   EGREGORA_KILL_SEED=<seed> npx vitest run test/reliability/kill.test.ts
 * The SIGKILL loop runs 20 kills by default, in CI too; more (a soak):
 *   EGREGORA_KILL_ITERATIONS=100 npx vitest run test/reliability/kill.test.ts
 */
import {copyFile, mkdir} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {RunsListingOutputSchema} from '../../schemas/runs-output.js';
import {tempDir} from '../helpers/cli.js';
import {writeChatExport} from '../pipeline/export-fixture.js';
import {
  assertBuilt,
  describeDifference,
  listFiles,
  query,
  STACK_TRACE,
  type StartedCli,
  seededRandom,
  snapshot,
  startCli,
  TEST_WRITERS,
  tableNames,
  timedCli,
  waitForLockOwner,
  withReadOnly,
} from './helpers.js';

/**
 * SIGKILLs per run, the issue's N, in CI too: measured on this 2-core machine, 20 kills take 36 s on
 * a quiet machine (50-60 s under load), and the whole CI run stays around 4-5 minutes, far inside its
 * 15. `EGREGORA_KILL_ITERATIONS` changes it (e.g. more for a soak), `EGREGORA_KILL_SEED` replays one.
 */
const KILL_ITERATIONS_DEFAULT = 20;
const KILL_ITERATIONS = Number(process.env.EGREGORA_KILL_ITERATIONS ?? KILL_ITERATIONS_DEFAULT);
const SIGNAL_ITERATIONS = 3;
/** Extra stops allowed when none of the first SIGNAL_ITERATIONS landed on a window in flight. */
const SIGNAL_EXTRA_STOPS = 3;
/** Seed of every random delay in this file; printed in the test names so a failure can be replayed. */
const SEED = Number(process.env.EGREGORA_KILL_SEED ?? 0x5eed_0005);

const MESSAGES = 3_000;
const WINDOW_SIZE = 20; // 150 windows
const WINDOW_DELAY_MS = 20; // the `slow` writer: ~1.5 s of window work at concurrency 2, ~3 s per run
const FLAGS = [
  '--window-size',
  String(WINDOW_SIZE),
  '--writer',
  'slow',
  '--concurrency',
  '2',
  '--json',
] as const;
const ENV = {EGREGORA_WRITER_MODULES: TEST_WRITERS, TEST_WINDOW_DELAY_MS: String(WINDOW_DELAY_MS)};
const WINDOWS = Math.ceil(MESSAGES / WINDOW_SIZE);
/**
 * The runs stopped by SIGINT/SIGTERM use longer windows (the writer's delay is a test knob: it changes
 * no output byte and no config hash). With 20 ms windows the event loop is often busy elsewhere
 * (a write session's synchronous close) when the signal arrives; by the time the handler runs, the
 * windows' timers have fired and they complete, so no run is in flight to cancel. 200 ms windows are
 * in flight nearly all the time. The final, uninterrupted run goes back to 20 ms.
 */
const SIGNAL_ENV = {...ENV, TEST_WINDOW_DELAY_MS: '200'};

interface Reference {
  readonly site: Map<string, string>;
  /** Spawn to exit of an uninterrupted run. */
  readonly totalMs: number;
  /** Spawn to the project lock (node start, oclif, reading and parsing the export). */
  readonly lockMs: number;
  /** Lock to the first window run's start (stores opened, ingest stored). */
  readonly lockToWindowsMs: number;
  /** First window's start to exit (the windows, the last flush, the summary). */
  readonly windowsMs: number;
  readonly secretKey: string;
}

describe.sequential('process survives being killed at any moment', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;
  let reference: Reference;

  beforeAll(async () => {
    assertBuilt();
    ({dir: root, cleanup} = await tempDir('egregora-kill-'));
    zip = await writeChatExport(path.join(root, 'input'), MESSAGES);
    const cwd = path.join(root, 'reference');
    await mkdir(cwd, {recursive: true});
    const spawnedAt = Date.now();
    const started = startCli(['process', zip, ...FLAGS], {cwd, env: ENV});
    await waitForLockOwner(path.join(cwd, '.egregora'), started.pid, 30_000);
    const lockedAt = Date.now();
    const run = await started.done;
    const endedAt = Date.now();
    expect(run.code, run.stderr).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(run.stdout));
    expect(summary.windows).toMatchObject({total: WINDOWS, processed: WINDOWS, failed: 0});
    const [first] = await query(
      path.join(cwd, '.egregora', 'runs.duckdb'),
      "SELECT epoch_ms(min(started_at)) AS at FROM runs WHERE stage LIKE 'window_%'",
    );
    const firstWindowAt = Number(first?.at);
    reference = {
      site: await snapshot(path.join(cwd, 'site')),
      totalMs: endedAt - spawnedAt,
      lockMs: lockedAt - spawnedAt,
      lockToWindowsMs: Math.max(0, firstWindowAt - lockedAt),
      windowsMs: Math.max(0, endedAt - firstWindowAt),
      secretKey: path.join(cwd, '.egregora', 'secret.key'),
    };
    // One post per window, and the HTML site rendered from them.
    expect([...reference.site.keys()].filter((file) => file.endsWith('.md'))).toHaveLength(WINDOWS);
    expect(reference.site.has('index.html')).toBe(true);
  });
  afterAll(async () => cleanup());

  /**
   * A fresh project that shares the reference's anonymization secret: pseudonyms (and so the posts'
   * bytes) depend on the project's secret, and byte-identity is only defined within one project.
   */
  async function freshProject(name: string): Promise<string> {
    const cwd = path.join(root, name);
    await mkdir(path.join(cwd, '.egregora'), {recursive: true});
    await copyFile(reference.secretKey, path.join(cwd, '.egregora', 'secret.key'));
    return cwd;
  }

  /** Both stores open read-only and answer a count; every output row names a run that exists. */
  async function checkStores(cwd: string, label: string): Promise<void> {
    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    const pipelineDb = path.join(cwd, '.egregora', 'pipeline.duckdb');
    let runIds = new Set<string>();
    let finishedWindowRuns: string[] = [];
    if (await exists(runsDb)) {
      ({runIds, finishedWindowRuns} = await withReadOnly(runsDb, async (run) => {
        const tables = await tableNames(run);
        if (!tables.includes('runs')) return {runIds: new Set<string>(), finishedWindowRuns: []};
        const [count] = await run('SELECT count(*) AS n FROM runs');
        expect(Number(count?.n), label).toBeGreaterThanOrEqual(0);
        const rows = await run('SELECT CAST(run_id AS VARCHAR) AS id, stage, status FROM runs');
        return {
          runIds: new Set(rows.map((r) => String(r.id))),
          finishedWindowRuns: rows
            .filter(
              (r) =>
                /^window_\d+$/.test(String(r.stage)) && ['completed', 'degraded'].includes(String(r.status)),
            )
            .map((r) => String(r.id)),
        };
      }));
    }
    if (await exists(pipelineDb)) {
      const {named, withOutputs} = await withReadOnly(pipelineDb, async (run) => {
        const tables = await tableNames(run);
        const ids: string[] = [];
        const outputs = new Set<string>();
        if (tables.includes('messages')) {
          await run('SELECT count(*) AS n FROM messages');
          const rows = await run('SELECT DISTINCT CAST(ingest_run_id AS VARCHAR) AS id FROM messages');
          ids.push(...rows.map((r) => String(r.id)));
        }
        if (tables.includes('outputs')) {
          const rows = await run('SELECT DISTINCT CAST(run_id AS VARCHAR) AS id FROM outputs');
          ids.push(...rows.map((r) => String(r.id)));
          for (const row of rows) outputs.add(String(row.id));
        }
        return {named: ids, withOutputs: outputs};
      });
      // Every output row names a run that exists (no orphans, even across a kill)...
      const orphans = named.filter((id) => !runIds.has(id));
      expect(orphans, `${label}: pipeline rows naming runs that are not in runs.duckdb`).toEqual([]);
      // ...and a window run never reads finished without its files recorded (committer.ts).
      const unrecorded = finishedWindowRuns.filter((id) => !withOutputs.has(id));
      expect(unrecorded, `${label}: finished window runs with no output rows`).toEqual([]);
    } else {
      expect(finishedWindowRuns, `${label}: finished window runs but no pipeline.duckdb`).toEqual([]);
    }
  }

  /** The stored `running` runs the killed process owned (they must read as `crashed` from now on). */
  async function runningRunsOf(cwd: string, pid: number): Promise<{id: string; stage: string}[]> {
    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    if (!(await exists(runsDb))) return [];
    return withReadOnly(runsDb, async (run) => {
      const tables = await tableNames(run);
      if (!tables.includes('runs') || !tables.includes('run_owners')) return [];
      const rows = await run(
        `SELECT CAST(r.run_id AS VARCHAR) AS id, r.stage FROM runs r JOIN run_owners o ON o.run_id = r.run_id
         WHERE r.status = 'running' AND o.pid = ${pid}`,
      );
      return rows.map((row) => ({id: String(row.id), stage: String(row.stage)}));
    });
  }

  /** How many windows have a finished run (what a resumed run skips). */
  async function finishedWindows(cwd: string): Promise<number> {
    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    if (!(await exists(runsDb))) return 0;
    return withReadOnly(runsDb, async (run) => {
      if (!(await tableNames(run)).includes('runs')) return 0;
      const [row] = await run(
        "SELECT count(DISTINCT stage) AS n FROM runs WHERE stage LIKE 'window_%' AND status IN ('completed', 'degraded')",
      );
      return Number(row?.n ?? 0);
    });
  }

  async function tail(cwd: string, label: string) {
    const result = await timedCli(['runs', 'tail', '-n', '1000', '--json'], {cwd});
    expect(result.code, `${label}: runs tail: ${result.stderr}`).toBe(0);
    expect(result.stderr, label).not.toMatch(STACK_TRACE);
    return RunsListingOutputSchema.parse(JSON.parse(result.stdout));
  }

  async function aliveRuns(cwd: string, label: string) {
    const result = await timedCli(['runs', 'list', '--status', 'running', '--json'], {cwd});
    expect(result.code, `${label}: runs list: ${result.stderr}`).toBe(0);
    return RunsListingOutputSchema.parse(JSON.parse(result.stdout)).runs;
  }

  async function finishAndCompare(cwd: string, label: string): Promise<void> {
    const final = await timedCli(['process', zip, ...FLAGS], {cwd, env: ENV});
    expect(final.code, `${label}: the final uninterrupted run: ${final.stderr}\n${final.stdout}`).toBe(0);
    expect(final.stderr).not.toMatch(STACK_TRACE);
    const summary = ProcessSummarySchema.parse(JSON.parse(final.stdout));
    expect(summary.outcome).toBe('completed');
    expect(summary.windows.failed).toBe(0);
    expect(summary.windows.processed + summary.windows.skipped).toBe(WINDOWS);

    const site = path.join(cwd, 'site');
    const files = await listFiles(site);
    expect(
      files.filter((file) => path.basename(file).startsWith('.egregora-tmp-')),
      `${label}: temporary files left in the site`,
    ).toEqual([]);
    const actual = await snapshot(site);
    expect(describeDifference(reference.site, actual), `${label}: final site vs reference`).toBe('identical');
    expect([...actual.keys()]).toEqual([...reference.site.keys()]);
    for (const [file, bytes] of reference.site) expect(actual.get(file), file).toBe(bytes);

    expect(await exists(path.join(cwd, '.egregora', 'process.lock')), 'the project lock is released').toBe(
      false,
    );
    expect(await aliveRuns(cwd, label)).toEqual([]);
    await checkStores(cwd, `${label}: after the final run`);
    // Every window has a finished run that produced its post.
    const done = await query(
      path.join(cwd, '.egregora', 'runs.duckdb'),
      "SELECT count(DISTINCT stage) AS n FROM runs WHERE stage LIKE 'window_%' AND status = 'completed'",
    );
    expect(Number(done[0]?.n)).toBe(WINDOWS);
  }

  it(
    `SIGKILL at ${KILL_ITERATIONS} seeded moments (seed ${SEED}): stores open, killed runs read as crashed, ` +
      'then one run finishes a byte-identical site',
    async () => {
      const cwd = await freshProject('sigkill');
      const random = seededRandom(SEED);
      const state = path.join(cwd, '.egregora');
      const log: string[] = [];
      let killsMidWindow = 0;
      /** Lock to exit of a run that found nothing left to do, once one has been seen. */
      let noWorkAfterLockMs: number | null = null;
      for (let iteration = 0; iteration < KILL_ITERATIONS; iteration += 1) {
        // One kill in five lands while node starts and reads the export (before the project lock).
        // The others land after the lock, anywhere in what this run still has to do: its fixed part
        // (stores, ingest or its reuse, planning, the last flush) plus the window work scaled by the
        // windows not yet finished. So the kills sweep through the export as earlier runs' work is
        // resumed, and once everything is done they land in the phases of a run with nothing to do.
        const remaining = WINDOWS - (await finishedWindows(cwd));
        const early = random() < 0.2;
        const fixedPart = noWorkAfterLockMs ?? reference.lockToWindowsMs;
        const span = early ? reference.lockMs : fixedPart + (reference.windowsMs * remaining) / WINDOWS;
        const delayMs = Math.round(random() * span);
        const label = `seed ${SEED}, kill ${iteration + 1}/${KILL_ITERATIONS} ${delayMs} ms after ${early ? 'spawn' : 'the lock'}`;

        const started = startCli(['process', zip, ...FLAGS], {cwd, env: ENV});
        let lockedAt: number | null = null;
        if (!early) {
          await lockedOrExited(state, started, label);
          lockedAt = performance.now();
        }
        const timer = setTimeout(() => started.child.kill('SIGKILL'), delayMs);
        const result = await started.done;
        clearTimeout(timer);
        if (result.code === 0 && remaining === 0 && lockedAt !== null) {
          noWorkAfterLockMs = performance.now() - lockedAt;
        }
        // Either killed, or it finished before the kill came (nothing left to do).
        if (result.signal !== 'SIGKILL') {
          expect(result.code, `${label}: ${result.stderr}`).toBe(0);
        }

        await checkStores(cwd, label);
        const wasRunning = await runningRunsOf(cwd, started.pid);
        const listing = await tail(cwd, label);
        const byId = new Map(listing.runs.map((run) => [run.run_id, run]));
        for (const run of wasRunning) {
          const shown = byId.get(run.id);
          expect(shown, `${label}: ${run.stage} ${run.id} missing from runs tail`).toBeDefined();
          expect(shown?.status, `${label}: ${run.stage} ${run.id}`).toBe('crashed');
          expect(shown?.error ?? '', label).toContain(`PID ${started.pid}`);
        }
        expect(
          listing.runs.filter((run) => run.status === 'running'),
          `${label}: runs tail shows runs alive`,
        ).toEqual([]);
        expect(await aliveRuns(cwd, label), `${label}: runs list --status running`).toEqual([]);

        const windowsCrashed = wasRunning.filter((run) => run.stage.startsWith('window_')).length;
        if (windowsCrashed > 0) killsMidWindow += 1;
        log.push(
          `${label}: ${result.signal ?? `exit ${result.code}`}, ${wasRunning.length} running → crashed (${windowsCrashed} windows), ${remaining} windows were left`,
        );
      }
      console.info(
        `[kill.test] SIGKILL loop, seed ${SEED} (reference run: ${JSON.stringify({...reference, site: reference.site.size})}):\n  ${log.join('\n  ')}`,
      );
      // The loop must really have killed windows in flight, or it proved nothing about them.
      expect(killsMidWindow, `no kill landed while windows were running:\n${log.join('\n')}`).toBeGreaterThan(
        0,
      );
      await finishAndCompare(cwd, `seed ${SEED}, after ${KILL_ITERATIONS} kills`);
    },
    KILL_ITERATIONS * 6_000 + 60_000,
  );

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const seed = SEED + (signal === 'SIGINT' ? 1 : 2);
    it(
      `${signal} ${SIGNAL_ITERATIONS}× at seeded moments (seed ${seed}): exit 130, in-flight runs cancelled, ` +
        'then a byte-identical site',
      async () => {
        const cwd = await freshProject(signal.toLowerCase());
        const random = seededRandom(seed);
        const lock = path.join(cwd, '.egregora', 'process.lock');
        let cancelledTotal = 0;
        /** Each stopped invocation's own run (stage `process`) is cancelled too. */
        let cancelledInvocations = 0;
        const log: string[] = [];
        // A stop only shows `cancelled` runs if a window is in flight when the signal lands (a window
        // is mostly the writer's sleep, but not only): up to SIGNAL_EXTRA_STOPS more stops are made,
        // the same way, until one has landed on a window in flight.
        for (
          let iteration = 0;
          iteration < SIGNAL_ITERATIONS ||
          (cancelledTotal === 0 && iteration < SIGNAL_ITERATIONS + SIGNAL_EXTRA_STOPS);
          iteration += 1
        ) {
          const delayMs = Math.round(random() * (reference.lockToWindowsMs + reference.windowsMs * 0.5));
          const label = `${signal} seed ${seed}, stop ${iteration + 1}, ${delayMs} ms after the lock`;
          const started = startCli(['process', zip, ...FLAGS], {cwd, env: SIGNAL_ENV});
          // The lock file is taken after the signal handlers are installed: from then on a signal is
          // the user's Ctrl-C to a working `process`, not one that lands while node is still starting.
          await lockedOrExited(path.join(cwd, '.egregora'), started, label);
          setTimeout(() => started.child.kill(signal), delayMs);
          const result = await started.done;
          expect(result.signal, `${label}: killed by the signal instead of stopping`).toBeNull();
          expect(result.code, `${label}: ${result.stderr}`).toBe(130);
          expect(result.stderr, label).not.toMatch(STACK_TRACE);
          const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
          expect(summary.outcome, label).toBe('cancelled');
          expect(summary.exit_code, label).toBe(130);
          cancelledTotal += summary.windows.cancelled;
          if (summary.process_run_id !== null) cancelledInvocations += 1;

          await checkStores(cwd, label);
          // A graceful stop leaves nothing running and nothing crashed, in the file itself.
          const stored = await query(
            path.join(cwd, '.egregora', 'runs.duckdb'),
            'SELECT status, count(*) AS n FROM runs GROUP BY status ORDER BY status',
          );
          const byStatus = Object.fromEntries(stored.map((row) => [String(row.status), Number(row.n)]));
          expect(byStatus.running ?? 0, `${label}: ${JSON.stringify(byStatus)}`).toBe(0);
          expect(byStatus.crashed ?? 0, `${label}: ${JSON.stringify(byStatus)}`).toBe(0);
          expect(byStatus.cancelled ?? 0, `${label}: cancelled runs vs summaries`).toBe(
            cancelledTotal + cancelledInvocations,
          );
          const listed = await timedCli(
            ['runs', 'list', '--status', 'running', '--status', 'crashed', '--json'],
            {cwd},
          );
          expect(listed.code).toBe(0);
          expect(RunsListingOutputSchema.parse(JSON.parse(listed.stdout)).runs).toEqual([]);
          expect(await exists(lock), `${label}: the project lock is released`).toBe(false);
          log.push(
            `${label}: processed ${summary.windows.processed}, cancelled ${summary.windows.cancelled}`,
          );
        }
        console.info(`[kill.test] ${signal} loop, seed ${seed}:\n  ${log.join('\n  ')}`);
        expect(
          cancelledTotal,
          `no ${signal} landed on a window in flight:\n${log.join('\n')}`,
        ).toBeGreaterThan(0);
        await finishAndCompare(cwd, `${signal} seed ${seed}`);
      },
      (SIGNAL_ITERATIONS + SIGNAL_EXTRA_STOPS) * 15_000 + 60_000,
    );
  }
});

/** Waits until `started` holds the project lock; fails at once if it exits before taking it. */
async function lockedOrExited(stateDir: string, started: StartedCli, label: string): Promise<void> {
  const exited = started.done.then((result) => {
    throw new Error(`${label}: exited before taking the project lock: ${JSON.stringify(result)}`);
  });
  exited.catch(() => undefined); // once the lock is taken, the later exit is not an error
  await Promise.race([waitForLockOwner(stateDir, started.pid, 30_000), exited]);
}

async function exists(file: string): Promise<boolean> {
  const {access} = await import('node:fs/promises');
  return access(file).then(
    () => true,
    () => false,
  );
}
