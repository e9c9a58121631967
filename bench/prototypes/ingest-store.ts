import {bundledChild} from '../lib/children.js';
import {cachedExport} from '../lib/inputs.js';
import {runNodeMeasured, tail} from '../lib/measure.js';
import {formatBytes, formatMs, median} from '../lib/stats.js';

/**
 * Prototype behind a proposal for `process` (docs/BENCHMARKS.md): storing the 1,000,000 ingested
 * messages with the DuckDB Appender one value at a time costs seconds and most of the command's
 * peak RSS; appending DataChunks of 2,048 rows does the same work faster and in less memory.
 * Each variant runs in fresh processes (bench/children/ingest-store.ts), alternately.
 *
 *   node --import tsx bench/prototypes/ingest-store.ts
 */
const MESSAGES = 1_000_000;
const RUNS = 3;
const VARIANTS = ['current', 'chunks'] as const;
const TIMEOUT_MS = 300_000;

interface Report {
  readonly storeMs: number;
  readonly rssBefore: number;
  readonly rows: number;
}

const input = await cachedExport('android', MESSAGES);
const child = await bundledChild('ingest-store');
const results = new Map<string, {store: number[]; peak: number[]; before: number[]}>();
for (let run = 0; run < RUNS; run += 1) {
  for (const variant of VARIANTS) {
    const measured = await runNodeMeasured([child, input.zipPath, variant], {timeoutMs: TIMEOUT_MS});
    if (measured.exitCode !== 0 || measured.peakRssBytes === null) {
      throw new Error(`${variant} failed (exit ${measured.exitCode}): ${tail(measured.stderr)}`);
    }
    const report = JSON.parse(measured.stdout) as Report;
    if (report.rows !== input.stats.messages) throw new Error(`${variant} stored ${report.rows} rows`);
    const entry = results.get(variant) ?? {store: [], peak: [], before: []};
    entry.store.push(report.storeMs);
    entry.peak.push(measured.peakRssBytes);
    entry.before.push(report.rssBefore);
    results.set(variant, entry);
  }
}
for (const [variant, entry] of results) {
  process.stdout.write(
    `${variant.padEnd(8)} store ${formatMs(median(entry.store)).padStart(7)}   peak RSS ${formatBytes(median(entry.peak))}` +
      ` (${formatBytes(median(entry.before))} before the store)\n`,
  );
}
