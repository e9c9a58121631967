import {createReadStream, createWriteStream, existsSync} from 'node:fs';
import {mkdir, mkdtemp, rename, rm, stat} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {ParseJsonLineSchema} from '../../schemas/message.js';
import {openChatSource} from '../../src/ingest/source.js';
import {type BenchContext, type Benchmark, runsFor, scaled} from '../lib/bench.js';
import {bundledChild} from '../lib/children.js';
import {cachedExport} from '../lib/inputs.js';
import {loadAverage} from '../lib/machine.js';
import {type Timed, tail, timeCommand} from '../lib/measure.js';
import {CLI_BIN, DATA_DIR, REPO_ROOT} from '../lib/paths.js';
import type {BenchResult} from '../lib/results.js';
import {formatBytes, formatCount, formatMs, formatRatio, median} from '../lib/stats.js';

/** Issue #14: a 1,000,000-message iOS chat. */
const MESSAGES = 1_000_000;
const LAYOUT = 'ios';
/**
 * Timed rounds; each round runs every contender once (issue: ≥ 5). The order rotates by one place a
 * round, so that 8 rounds put each of 4 contenders twice in every place: alternating the order
 * (A B C D, D C B A) kept two of them always first or last and the others always in the middle.
 */
const ROUNDS = 8;
/** `parse --json > /dev/null` within this share of the peer's wall time doing the same (issue #14). */
const TARGET_PEER_RATIO = 0.3;
/** Far above the seconds either side takes; a hung child must not hang the suite. */
const TIMEOUT_MS = 300_000;
/**
 * The zone both sides read dates in. Our JSON lines carry wall-clock dates only, and the peer prints
 * its `Date`s in UTC; a fixed zone keeps either from depending on the machine's.
 */
const ENV = {...process.env, TZ: 'UTC', FORCE_COLOR: '0'};
/**
 * An older build to time beside the current one in the same rounds (A/B): the path of its
 * `bin/run.js`, next to its own `dist/` and `package.json`. Unset: no baseline contender.
 */
const BASELINE_ENV = 'EGREGORA_BENCH_PARSE_JSON_BASELINE';

interface Contender {
  readonly key: string;
  readonly label: string;
  readonly args: readonly string[];
  /** What stdout must hold (checked once, untimed, before the rounds); null when it is right. */
  readonly check: (outputFile: string, run: Timed) => Promise<string | null>;
}

interface Samples {
  readonly wallMs: number[];
  readonly cpuMs: number[];
}

export const parseJson: Benchmark = {
  name: 'parse-json',
  summary: '`egregora parse --json > /dev/null` vs the peer printing JSON, 1,000,000-message iOS chat',
  async run(context) {
    const messages = scaled(context, MESSAGES);
    context.log(`  preparing a ${formatCount(messages)}-message ${LAYOUT} export`);
    const input = await cachedExport(LAYOUT, messages);
    const chatText = await extractedChat(input.zipPath);
    const textBytes = (await stat(chatText)).size;
    const peer = await bundledChild('peer-parse-json');
    const expected = input.stats.messages;
    const ours = (file: string) => checkNdjson(file, expected);
    const contenders: Contender[] = [
      {
        key: 'ours-txt',
        label: 'egregora, chat .txt',
        args: [CLI_BIN, 'parse', chatText, '--json'],
        check: ours,
      },
      {key: 'peer-txt', label: 'peer, chat .txt', args: [peer, chatText], check: checkPeer},
      {
        key: 'ours-zip',
        label: 'egregora, export .zip',
        args: [CLI_BIN, 'parse', input.zipPath, '--json'],
        check: ours,
      },
    ];
    const baseline = process.env[BASELINE_ENV];
    if (baseline) {
      contenders.push({
        key: 'baseline-txt',
        label: `baseline build (${baseline}), chat .txt`,
        args: [baseline, 'parse', chatText, '--json'],
        check: ours,
      });
    }
    // Checked once each before timing (a side that printed nothing would look fast); this first run
    // also brings every file into the page cache, so no timed run reads from the disk.
    const outputBytes: Record<string, number> = {};
    for (const contender of contenders) {
      outputBytes[contender.key] = await checkContender(context, contender);
    }

    const samples = new Map<string, Samples>(contenders.map((c) => [c.key, {wallMs: [], cpuMs: []}]));
    const rounds = runsFor(context, ROUNDS);
    const loads: number[][] = [loadAverage()];
    for (let round = 0; round < rounds; round += 1) {
      // Rotate the order, so that a drift of the shared machine falls on every side alike.
      const shift = round % contenders.length;
      const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
      const line: string[] = [];
      for (const contender of order) {
        const run = toDevNull(contender.args);
        if (run.exitCode !== 0)
          throw new Error(`${contender.label} exited ${run.exitCode}: ${tail(run.stderr)}`);
        const sample = samples.get(contender.key) as Samples;
        sample.wallMs.push(run.wallMs);
        if (run.cpuMs !== null) sample.cpuMs.push(run.cpuMs);
        line.push(
          `${contender.key} ${formatMs(run.wallMs)} (CPU ${run.cpuMs === null ? '?' : formatMs(run.cpuMs)})`,
        );
      }
      loads.push(loadAverage());
      context.log(`  round ${round + 1}/${rounds}: ${line.join(', ')}`);
    }

    const medians = Object.fromEntries(
      [...samples].map(([key, sample]) => [
        key,
        {
          wallMs: median(sample.wallMs),
          cpuMs: sample.cpuMs.length === sample.wallMs.length ? median(sample.cpuMs) : null,
        },
      ]),
    );
    const peerMs = medians['peer-txt']?.wallMs ?? Number.NaN;
    const details = {
      command: 'node bin/run.js parse <chat> --json > /dev/null (fresh processes, TZ=UTC)',
      peerCommand: 'node <bundled bench/children/peer-parse-json.ts> <chat.txt> > /dev/null',
      messages,
      textBytes,
      zipBytes: input.zipBytes,
      rounds,
      outputBytes,
      medians,
      samples: Object.fromEntries(samples),
      loadAverages: loads,
    };
    const inputLabel = `${formatCount(messages)} msgs, ${formatBytes(textBytes)} text`;
    const result = (key: string, label: string, withTarget: boolean, note?: string): BenchResult => {
      const wall = medians[key]?.wallMs ?? Number.NaN;
      const ratio = wall / peerMs;
      return {
        id: `parse-json.${key}`,
        benchmark: `parse --json, ${label}`,
        input: inputLabel,
        median: wall,
        unit: 'ms',
        display: formatMs(wall),
        target: withTarget ? `≤ ${TARGET_PEER_RATIO}× peer` : '-',
        ratio: `${formatRatio(ratio)} peer (${formatMs(peerMs)})`,
        pass: withTarget ? ratio <= TARGET_PEER_RATIO : null,
        samples: samples.get(key)?.wallMs ?? [],
        details,
        ...(note ? {note} : {}),
      };
    };
    const results = [
      result('ours-txt', 'iOS .txt', true),
      result('ours-zip', 'iOS .zip', false, 'the peer reads text only: the zip figure is for reference'),
    ];
    if (baseline) results.push(result('baseline-txt', 'iOS .txt, baseline build', false));
    const cpu = (key: string) => {
      const value = medians[key]?.cpuMs;
      return value === null || value === undefined ? '?' : formatMs(value);
    };
    context.log(
      `  medians: ${contenders.map((c) => `${c.key} ${formatMs(medians[c.key]?.wallMs ?? Number.NaN)} (CPU ${cpu(c.key)})`).join(', ')}`,
    );
    return results;
  },
};

/**
 * `node <args> > /dev/null`, timed: the shell replaces itself with node (`exec`), so the time and the
 * CPU count are node's, with stdout on /dev/null as the issue states it.
 */
function toDevNull(args: readonly string[]): Timed {
  return timeCommand('/bin/sh', ['-c', 'exec "$@" > /dev/null', 'sh', process.execPath, ...args], {
    cwd: REPO_ROOT,
    env: ENV,
    timeoutMs: TIMEOUT_MS,
  });
}

/** One untimed run with stdout in a file, checked; returns the output's size in bytes. */
async function checkContender(context: BenchContext, contender: Contender): Promise<number> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'egregora-bench-parse-json-'));
  try {
    const file = path.join(scratch, 'out');
    const run = timeCommand(
      '/bin/sh',
      ['-c', 'out="$1"; shift; exec "$@" > "$out"', 'sh', file, process.execPath, ...contender.args],
      {cwd: REPO_ROOT, env: ENV, timeoutMs: TIMEOUT_MS},
    );
    const problem =
      run.exitCode === 0
        ? await contender.check(file, run)
        : `exit code ${run.exitCode}: ${tail(run.stderr)}`;
    if (problem !== null) throw new Error(`${contender.label} did not work: ${problem}`);
    const bytes = (await stat(file)).size;
    context.log(`  ${contender.label}: checked, ${formatBytes(bytes)} on stdout in ${formatMs(run.wallMs)}`);
    return bytes;
  } finally {
    await rm(scratch, {recursive: true, force: true});
  }
}

/** One line per message, the first and the last valid against the `parse --json` contract. */
async function checkNdjson(file: string, expected: number): Promise<string | null> {
  let lines = 0;
  let first = '';
  let last = '';
  let partial = '';
  for await (const chunk of createReadStream(file, {encoding: 'utf8'}) as AsyncIterable<string>) {
    const text = partial + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      if (lines === 0) first = text.slice(0, end);
      last = text.slice(start, end);
      lines += 1;
      start = end + 1;
    }
    partial = text.slice(start);
  }
  if (partial !== '') return 'stdout does not end with a line break';
  if (lines !== expected) return `${lines} lines for ${expected} messages`;
  for (const line of [first, last]) {
    const parsed = ParseJsonLineSchema.safeParse(JSON.parse(line));
    if (!parsed.success) return `a line is not a parse --json line: ${line.slice(0, 200)}`;
  }
  return null;
}

/** A JSON array, and the count the peer says it read (it may read a chat differently from ours). */
async function checkPeer(file: string, run: Timed): Promise<string | null> {
  const count = /messages: (\d+)/.exec(run.stderr)?.[1];
  if (count === undefined || Number(count) === 0) return `no message count on stderr: ${tail(run.stderr)}`;
  const size = (await stat(file)).size;
  if (size < Number(count)) return `${size} bytes for ${count} messages`;
  return null;
}

/**
 * The export's chat as a bare .txt, in a folder of its own under bench/.data/ (a text chat's media
 * are the files beside it), extracted once by our own archive reader and named after the zip, whose
 * name carries everything its content depends on.
 */
async function extractedChat(zipPath: string): Promise<string> {
  const folder = path.join(DATA_DIR, `${path.basename(zipPath, '.zip')}-chat`);
  const file = path.join(folder, '_chat.txt');
  if (existsSync(file)) return file;
  await mkdir(folder, {recursive: true});
  const source = await openChatSource(zipPath);
  const partial = `${file}.${process.pid}.partial`;
  try {
    await pipeline(Readable.from(source.openChat()), createWriteStream(partial));
    await rename(partial, file);
  } finally {
    await source.close();
    await rm(partial, {force: true});
  }
  return file;
}
