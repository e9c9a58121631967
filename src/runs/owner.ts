import {readFileSync} from 'node:fs';
import {hostname} from 'node:os';

/**
 * The process that owns a `running` run, as recorded in `run_owners`. `processStart` tells a live
 * process apart from a later one that was given the same PID: it is `<boot id>:<start time in clock
 * ticks since boot>` from /proc (Linux), or null where /proc is unavailable (then only the PID counts).
 */
export interface ProcessOwner {
  readonly pid: number;
  readonly host: string;
  readonly processStart: string | null;
}

export type OwnerState = 'alive' | 'gone' | 'unknown';

let bootIdCache: string | null | undefined;

function bootId(): string | null {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootIdCache = null;
    }
  }
  return bootIdCache;
}

interface ProcStat {
  readonly state: string;
  readonly startTicks: string;
}

function readProcStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself contain spaces and ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After the name: field 3 (state) is index 0, field 22 (starttime) is index 19.
    const state = fields[0];
    const startTicks = fields[19];
    if (state === undefined || startTicks === undefined || !/^\d+$/.test(startTicks)) return null;
    return {state, startTicks};
  } catch {
    return null;
  }
}

/** The start token of a live process, or null where it cannot be read. */
export function processStartToken(pid: number): string | null {
  const boot = bootId();
  const stat = readProcStat(pid);
  if (boot === null || stat === null) return null;
  return `${boot}:${stat.startTicks}`;
}

let currentOwnerCache: ProcessOwner | undefined;

/** This process, as it is recorded as the owner of the runs it starts. */
export function currentOwner(): ProcessOwner {
  currentOwnerCache ??= {pid: process.pid, host: hostname(), processStart: processStartToken(process.pid)};
  return currentOwnerCache;
}

/**
 * Whether the owner of a `running` run still exists. `gone` only when we can prove it: same host, and
 * the PID does not exist (ESRCH; EPERM means it exists but is not ours), or is a zombie, or now belongs
 * to a process that started at another time (PID reuse). Another host's processes cannot be checked:
 * `unknown`, and such runs are left alone.
 */
export function ownerState(owner: ProcessOwner, here: ProcessOwner = currentOwner()): OwnerState {
  if (owner.host !== here.host) return 'unknown';
  // kill(0, …) and negative PIDs address process groups, never one process: such a record is not ours.
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) return 'unknown';
  if (owner.pid === here.pid && (owner.processStart === null || owner.processStart === here.processStart)) {
    return 'alive';
  }
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'gone';
    if (code !== 'EPERM') return 'unknown';
  }
  const stat = readProcStat(owner.pid);
  if (stat?.state === 'Z' || stat?.state === 'X') return 'gone';
  if (owner.processStart !== null) {
    const now = processStartToken(owner.pid);
    if (now !== null && now !== owner.processStart) return 'gone';
  }
  return 'alive';
}

/** Memoizes owner checks within one read or reconciliation: many runs share one owner. */
export function ownerStateCache(): (owner: ProcessOwner) => OwnerState {
  const seen = new Map<string, OwnerState>();
  return (owner) => {
    const key = `${owner.host}\0${owner.pid}\0${owner.processStart ?? ''}`;
    let state = seen.get(key);
    if (state === undefined) {
      state = ownerState(owner);
      seen.set(key, state);
    }
    return state;
  };
}

/** The error text a run gets when its owner is found gone, in readers and in the row reconciliation writes. */
export function crashExplanation(owner: ProcessOwner): string {
  return (
    `ProcessGone: the process that ran this run (PID ${owner.pid} on ${owner.host}) ended without finishing it ` +
    '(killed, crashed or lost power); any output it wrote for this run may be incomplete. ' +
    'Run the same command again to redo it.'
  );
}
