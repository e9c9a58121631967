import {type OutputRow, recordOutputs} from '../db/pipeline-store.js';
import type {RunTracker} from '../runs/tracker.js';

/**
 * How often finished windows are committed: run transitions to runs.duckdb, then their output rows
 * to pipeline.duckdb. Each commit is two short write sessions (~20 ms each), so half a second keeps
 * that under 10% of the time while a killed run loses at most half a second of records (its files
 * are on disk, and the next run re-creates identical ones).
 */
export const COMMIT_INTERVAL_MS = 500;

/**
 * Keeps the order that makes "every output row points to an existing run" true even across a kill:
 * output rows are written only after the tracker has flushed the runs they name.
 */
export class Committer {
  private pending: OutputRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private committing: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly tracker: RunTracker,
    private readonly pipelineDb: string,
  ) {}

  add(rows: readonly OutputRow[]): void {
    this.pending.push(...rows);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.commit().catch(() => undefined);
    }, COMMIT_INTERVAL_MS);
  }

  /** Writes everything pending; rethrows the first failure of a background commit. */
  async commit(): Promise<void> {
    const run = async (): Promise<void> => {
      const rows = this.pending;
      this.pending = [];
      await this.tracker.flush();
      try {
        await recordOutputs(this.pipelineDb, rows);
      } catch (error) {
        this.pending = rows.concat(this.pending);
        this.failure ??= error;
        throw error;
      }
    };
    this.committing = this.committing.then(run, run);
    await this.committing;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.commit();
    if (this.failure !== null) throw this.failure;
  }
}
