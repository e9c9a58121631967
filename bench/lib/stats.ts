/** The median of some samples (the mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

export function minimum(samples: readonly number[]): number {
  return Math.min(...samples);
}

export function maximum(samples: readonly number[]): number {
  return Math.max(...samples);
}

/** Decimal units throughout: 1 MB = 10^6 bytes, 1 GB = 10^9 bytes (the stricter reading of "1 GB"). */
export const MB = 1e6;
export const GB = 1e9;

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(2)} GB`;
  return `${(bytes / MB).toFixed(1)} MB`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / MB).toFixed(1)} MB/s`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

export function formatRatio(value: number): string {
  return `${value.toFixed(value >= 10 ? 1 : 2)}×`;
}
