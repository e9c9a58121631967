import type {DuckDBInstance} from '@duckdb/node-api';

export type AccessMode = 'read' | 'write';

interface OpenInstance {
  readonly mode: AccessMode;
  readonly instance: DuckDBInstance;
  users: number;
  /** Settles when the instance has been closed, i.e. the file lock is released. */
  readonly closed: Promise<void>;
  readonly markClosed: () => void;
}

export interface Lease {
  readonly instance: DuckDBInstance;
  readonly mode: AccessMode;
  /** Gives the lease back; the last one out closes the instance, which releases the file lock. */
  release(): void;
}

/**
 * One DuckDBInstance per file per process. Two `DuckDBInstance.create()` calls on one file in one
 * process both succeed, and closing either silently releases the lock the other relies on, so every
 * open goes through here. A read may borrow an open read-write instance; a write waits for this
 * process's read-only instance to close (it cannot be upgraded) and then opens read-write.
 * Instances are closed as soon as nobody uses them: holding the file blocks other processes.
 */
const open = new Map<string, OpenInstance>();
const opening = new Map<string, Promise<unknown>>();

export async function acquireInstance(
  key: string,
  mode: AccessMode,
  create: () => Promise<DuckDBInstance>,
): Promise<Lease> {
  for (;;) {
    const current = open.get(key);
    if (current) {
      if (current.mode === 'write' || mode === 'read') {
        current.users += 1;
        return leaseOf(key, current);
      }
      await current.closed;
      continue;
    }
    const pending = opening.get(key);
    if (pending) {
      // Whatever the other opener gets, look again: it may be usable, or we may have to open ourselves.
      await pending.then(
        () => undefined,
        () => undefined,
      );
      continue;
    }
    const creating = create();
    opening.set(key, creating);
    try {
      const instance = await creating;
      let markClosed: () => void = () => undefined;
      const closed = new Promise<void>((resolve) => {
        markClosed = resolve;
      });
      const entry: OpenInstance = {mode, instance, users: 1, closed, markClosed};
      open.set(key, entry);
      return leaseOf(key, entry);
    } finally {
      opening.delete(key);
    }
  }
}

function leaseOf(key: string, entry: OpenInstance): Lease {
  let released = false;
  return {
    instance: entry.instance,
    mode: entry.mode,
    release() {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users > 0) return;
      open.delete(key);
      try {
        entry.instance.closeSync();
      } finally {
        entry.markClosed();
      }
    },
  };
}

/** How many instances this process holds open right now (tests use it to prove locks are released). */
export function openInstanceCount(): number {
  return open.size;
}
