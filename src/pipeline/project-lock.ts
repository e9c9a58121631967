import {open, readFile, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {currentOwner, ownerState, type ProcessOwner} from '../runs/owner.js';
import {describeSystemError, ExitCode, isCannotWriteError, UserError} from '../util/errors.js';

export const PROJECT_LOCK_NAME = 'process.lock';

/**
 * How long a second `process` on the same state directory waits for the first to finish before it
 * gives up. Long enough to ride out a run that is just finishing (its last flush and close take well
 * under a second), short enough that a user who started a second run by mistake hears about it now.
 */
export const PROJECT_LOCK_WAIT_MS = 10_000;
/** How often the waiting process looks again: cheap (one small file read), and fast enough to not feel laggy. */
const PROJECT_LOCK_POLL_MS = 200;
/**
 * A lock file without a readable owner is one being written right now (create and write are two
 * steps) or debris of a crash in between; only after this age is it treated as debris.
 */
const UNREADABLE_LOCK_GRACE_MS = 2_000;

interface LockRecord extends ProcessOwner {
  readonly startedAt: string;
}

export interface ProjectLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * One `process` per state directory at a time. The lock is a file created with O_EXCL holding the
 * owner's pid, host and process start; a lock whose owner is provably gone (killed with SIGKILL) is
 * taken over, so a crash never wedges the project.
 */
export async function acquireProjectLock(
  stateDir: string,
  waitMs = PROJECT_LOCK_WAIT_MS,
): Promise<ProjectLock> {
  const lockPath = path.join(stateDir, PROJECT_LOCK_NAME);
  const me: LockRecord = {...currentOwner(), startedAt: new Date().toISOString()};
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return {
        path: lockPath,
        release: async () => {
          await rm(lockPath, {force: true});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UserError(
          `Cannot create ${lockPath}: ${describeSystemError(error)}.`,
          isCannotWriteError(error) ? ExitCode.cannotWrite : ExitCode.unexpected,
          {
            path: lockPath,
            hint: 'Make the state directory writable, or choose another with --dir.',
            cause: error,
          },
        );
      }
    }
    const holder = await readLock(lockPath);
    if (holder === null && !(await olderThan(lockPath, UNREADABLE_LOCK_GRACE_MS))) {
      await new Promise((resolve) => setTimeout(resolve, PROJECT_LOCK_POLL_MS));
      continue;
    }
    if (holder === null || ownerState(holder) === 'gone') {
      // The owner died without releasing it (or the file is unreadable garbage we wrote half of): take over.
      await rm(lockPath, {force: true});
      continue;
    }
    if (Date.now() >= deadline) {
      throw new UserError(
        `Another egregora process (PID ${holder.pid} on ${holder.host}, started ${holder.startedAt}) is processing in ${stateDir}.`,
        ExitCode.projectBusy,
        {
          path: lockPath,
          hint: 'Wait for it to finish (watch it with `egregora runs tail`), or stop it; then run this command again.',
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, PROJECT_LOCK_POLL_MS));
  }
}

async function olderThan(file: string, ageMs: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs > ageMs;
  } catch {
    return true;
  }
}

async function readLock(lockPath: string): Promise<LockRecord | null> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockRecord>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return {
      pid: parsed.pid,
      host: parsed.host,
      processStart: typeof parsed.processStart === 'string' ? parsed.processStart : null,
      startedAt: typeof parsed.startedAt === 'string' ? parsed.startedAt : 'at an unknown time',
    };
  } catch {
    return null;
  }
}
