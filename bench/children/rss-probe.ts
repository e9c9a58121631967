import {writeFileSync} from 'node:fs';

/**
 * Loaded with `node --import` into a measured child: when the child exits, writes its peak RSS in
 * bytes (getrusage's ru_maxrss, which Node reports in KiB) to EGREGORA_BENCH_RSS_FILE.
 */
const target = process.env.EGREGORA_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    try {
      writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
    } catch {
      // The parent still has its polled figure.
    }
  });
}
