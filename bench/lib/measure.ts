import {spawn, spawnSync} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {bundledChild} from './children.js';

/**
 * How often a child's VmHWM (its peak resident set, kept by the kernel) is read. The kernel keeps the
 * peak itself, so polling only has to catch the value before the process is gone; the exit probe
 * (children/rss-probe.ts) reports the final figure from inside the process.
 */
const RSS_POLL_MS = 20;
/** Output kept per stream: enough for a summary and an error, bounded for a chatty child. */
const MAX_OUTPUT_CHARS = 1_000_000;

export interface Measured {
  readonly wallMs: number;
  /** Peak RSS in bytes (the larger of the polled VmHWM and the exit probe), or null if unknown. */
  readonly peakRssBytes: number | null;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export interface MeasureOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /**
   * Send the child's stdout to /dev/null (as `> /dev/null` does) instead of reading it: a command
   * timed with its output discarded must not pay for a pipe the shell would not have.
   */
  readonly discardStdout?: boolean;
}

/**
 * Runs `node [--import rss-probe] <args>` and measures its wall time and peak RSS. The probe is
 * loaded with `--import`, so it adds a module load (about a millisecond) and no measurable memory.
 */
export async function runNodeMeasured(args: readonly string[], options: MeasureOptions): Promise<Measured> {
  const probe = await bundledChild('rss-probe');
  const rssFile = path.join(os.tmpdir(), `egregora-bench-rss-${process.pid}-${Date.now()}.txt`);
  try {
    const measured = await runMeasured(process.execPath, ['--import', probe, ...args], {
      ...options,
      env: {...(options.env ?? process.env), EGREGORA_BENCH_RSS_FILE: rssFile},
    });
    const reported = readNumber(rssFile);
    const peak = Math.max(measured.peakRssBytes ?? 0, reported ?? 0);
    return {...measured, peakRssBytes: peak > 0 ? peak : null};
  } finally {
    rmSync(rssFile, {force: true});
  }
}

/** Runs a command, measuring its wall time and (on Linux) its peak RSS by polling /proc. */
export function runMeasured(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', options.discardStdout === true ? 'ignore' : 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      if (stdout.length < MAX_OUTPUT_CHARS) stdout += text;
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      if (stderr.length < MAX_OUTPUT_CHARS) stderr += text;
    });
    let peak: number | null = null;
    const poll = () => {
      if (child.pid === undefined) return;
      const value = vmHwmBytes(child.pid);
      if (value !== null && (peak === null || value > peak)) peak = value;
    };
    const poller = setInterval(poll, RSS_POLL_MS);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    let wallMs = 0;
    child.on('exit', () => {
      wallMs = performance.now() - started;
    });
    child.on('error', (error) => {
      clearInterval(poller);
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearInterval(poller);
      clearTimeout(timer);
      resolve({wallMs, peakRssBytes: peak, exitCode, signal, timedOut, stdout, stderr});
    });
  });
}

export interface Timed {
  readonly wallMs: number;
  /**
   * The child's CPU time (user + system, all its threads) in ms, from the kernel's count of waited-for
   * children (Linux; 10 ms resolution), or null elsewhere. Unlike the wall time it does not count
   * time spent waiting for a core, so it stays meaningful on a machine shared with other work.
   */
  readonly cpuMs: number | null;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a short command synchronously and times it: the least overhead for start-up timings. */
export function timeCommand(command: string, args: readonly string[], options: MeasureOptions): Timed {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    timeout: options.timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  const cpuAfter = childrenCpuMs();
  if (result.error) throw result.error;
  const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  return {wallMs, cpuMs, exitCode: result.status, stdout: result.stdout, stderr: result.stderr};
}

/** Linux's USER_HZ, the unit of /proc's CPU times; 100 on every mainstream kernel. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time of this process's waited-for children so far (cutime + cstime of /proc/self/stat), in ms;
 * null where /proc is unavailable. Taken before and after one child that runs alone, the difference
 * is that child's CPU time.
 */
export function childrenCpuMs(): number | null {
  try {
    const text = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (in parentheses, which may contain spaces): index 0 is field 3.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const cutime = Number(fields[13]);
    const cstime = Number(fields[14]);
    if (!Number.isFinite(cutime) || !Number.isFinite(cstime)) return null;
    return ((cutime + cstime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The kernel's peak RSS of a live process, from /proc/<pid>/status (null elsewhere or once it is gone). */
export function vmHwmBytes(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function readNumber(file: string): number | null {
  try {
    const value = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

/** The last lines of a child's output, for a failure note. */
export function tail(text: string, lines = 5): string {
  return text.trimEnd().split('\n').slice(-lines).join(' ⏎ ');
}
