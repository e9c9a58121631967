import {type OutputRow, recordOutputs} from '../db/pipeline-store.js';
import type {RunTracker} from '../runs/tracker.js';
import {syncFiles} from './atomic-write.js';

/**
 * How often finished windows are committed: run transitions to runs.duckdb, then their output rows
 * to pipeline.duckdb. Each commit is two short write sessions (~20 ms each), so half a second keeps
 * that under 10% of the time while a killed run loses at most half a second of records (its files
 * are on disk, and the next run re-creates identical ones).
 */
export const COMMIT_INTERVAL_MS = 500;

/**
 * Keeps the order that makes the stores agree even across a kill at any moment:
 * 1. the tracker flushes the runs' starts, so output rows never name a run that does not exist;
 * 2. the files are flushed to disk, then their output rows are written;
 * 3. only then are the runs finished: a run never reads `completed` without its files recorded.
 * A kill between 2 and 3 leaves the runs `running` (read as `crashed`), and their windows are redone.
 */
export class Committer {
  private pending: OutputRow[] = [];
  private finishes: Array<() => void> = [];
  private files: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private committing: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly tracker: RunTracker,
    private readonly pipelineDb: string,
  ) {}

  /** Queues output rows, and the finish of the run that wrote them, applied once the rows are written. */
  add(rows: readonly OutputRow[], finish: () => void, files: readonly string[] = []): void {
    this.pending.push(...rows);
    this.files.push(...files);
    this.finishes.push(finish);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.commit().catch(() => undefined);
    }, COMMIT_INTERVAL_MS);
  }

  /** Writes everything pending; rethrows the first failure of a background commit. */
  async commit(): Promise<void> {
    const run = async (): Promise<void> => {
      const rows = this.pending;
      const finishes = this.finishes;
      const files = this.files;
      this.pending = [];
      this.finishes = [];
      this.files = [];
      await this.tracker.flush();
      try {
        await syncFiles(files);
        await recordOutputs(this.pipelineDb, rows);
        // Everything pending so far is written, including rows an earlier failed commit kept back.
        this.failure = null;
      } catch (error) {
        this.pending = rows.concat(this.pending);
        this.finishes = finishes.concat(this.finishes);
        this.files = files.concat(this.files);
        this.failure ??= error;
        throw error;
      }
      for (const finish of finishes) finish();
    };
    this.committing = this.committing.then(run, run);
    await this.committing;
  }

  /** Commits what is pending and flushes the finishes that commit applied. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.commit();
    await this.tracker.flush();
    if (this.failure !== null) throw this.failure;
  }
}
