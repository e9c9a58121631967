import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly memoryTotal: string;
  /** `free -h` as printed, when the command exists. */
  readonly freeH: string | null;
  readonly node: string;
  readonly platform: string;
  readonly kernel: string;
  /** 1, 5 and 15-minute load averages when the run started: other work on the machine skews timings. */
  readonly loadAverage: readonly number[];
}

/** What the results were measured on: the figures mean little without it. */
export function machineInfo(): MachineInfo {
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpuModel(),
    memoryTotal: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    freeH: commandOutput('free', ['-h']),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    kernel: os.release(),
    loadAverage: loadAverage(),
  };
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) return match[1].trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function commandOutput(command: string, args: readonly string[]): string | null {
  try {
    return execFileSync(command, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trimEnd();
  } catch {
    return null;
  }
}

/** The load averages, rounded for reading. */
export function loadAverage(): number[] {
  return os.loadavg().map((value) => Math.round(value * 100) / 100);
}
