import {PROFILE_NAMES, type ProfileName} from '../generate/profiles.js';
import {bundledChild} from '../lib/children.js';
import {BENCH_SEED, cachedExport} from '../lib/inputs.js';
import {runNodeMeasured, tail} from '../lib/measure.js';
import {formatBytes, formatMs, median} from '../lib/stats.js';

/**
 * Prototype behind INGEST_MEMORY_LIMIT and FLUSH_EVERY_CHUNKS (src/db/pipeline-store.ts): how much
 * storing 1,000,000 messages adds to the peak RSS of a process that already holds them, and how long
 * it takes, for DuckDB memory limits and appender flush intervals. Variants alternate in fresh
 * processes (bench/children/ingest-flush.ts), on the profiles named (default and mixed if none).
 *
 *   node --import tsx bench/prototypes/ingest-flush.ts [profile…]
 */
const MESSAGES = 1_000_000;
const ROUNDS = 2;
/** [memory limit, flush every N chunks of 2,048 rows (0: never)]. */
const VARIANTS: ReadonlyArray<readonly [string, number]> = [
  ['64MB', 0],
  ['64MB', 4],
  ['32MB', 4],
  ['32MB', 2],
  ['16MB', 4],
];
const TIMEOUT_MS = 300_000;

interface Report {
  readonly storeMs: number;
  readonly peakBefore: number;
  readonly peakAfter: number;
  readonly rows: number;
}

const named = process.argv
  .slice(2)
  .filter((name): name is ProfileName => (PROFILE_NAMES as readonly string[]).includes(name));
const profiles: readonly ProfileName[] = named.length > 0 ? named : ['default', 'mixed'];
const child = await bundledChild('ingest-flush');
for (const profile of profiles) {
  const input = await cachedExport('android', MESSAGES, BENCH_SEED, profile);
  const results = new Map<string, {store: number[]; added: number[]}>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [limit, flush] of VARIANTS) {
      const measured = await runNodeMeasured([child, input.zipPath, limit, String(flush)], {
        timeoutMs: TIMEOUT_MS,
      });
      if (measured.exitCode !== 0) throw new Error(`${limit}/${flush} failed: ${tail(measured.stderr)}`);
      const report = JSON.parse(measured.stdout) as Report;
      if (report.rows !== input.stats.messages)
        throw new Error(`${limit}/${flush} stored ${report.rows} rows`);
      const key = `${limit}, flush ${flush === 0 ? 'never' : `every ${flush * 2048} rows`}`;
      const entry = results.get(key) ?? {store: [], added: []};
      entry.store.push(report.storeMs);
      entry.added.push(report.peakAfter - report.peakBefore);
      results.set(key, entry);
    }
  }
  for (const [key, entry] of results) {
    process.stdout.write(
      `${profile.padEnd(8)} ${key.padEnd(30)} store ${formatMs(median(entry.store)).padStart(7)}` +
        `   peak RSS +${formatBytes(median(entry.added))} (${entry.added.map(formatBytes).join(', ')})\n`,
    );
  }
}
