/**
 * Measures the parser's throughput on a generated chat (not a unit test, not run by vitest):
 *
 *   node --import tsx test/ingest/measure-throughput.ts [messages=200000] [layout=android-en-us-2023] [text|stream|both]
 *
 * Prints MB/s for the in-memory parse that keeps every message (cold first run, then the median of
 * warm runs) and for the streaming parse of the same bytes in 64 KiB chunks, whose messages are
 * dropped batch by batch. Run `text` and `stream` in separate processes for numbers that do not
 * share a heap.
 */
import {parseChat, parseChatText} from '../../src/ingest/parser.js';
import {buildChat, type FixtureMessage, LAYOUTS, type LayoutId} from '../fixtures/index.js';

const count = Number(process.argv[2] ?? 200_000);
const layout = (process.argv[3] ?? 'android-en-us-2023') as LayoutId;
const mode = process.argv[4] ?? 'both';
if (!(layout in LAYOUTS)) throw new Error(`unknown layout ${layout}`);

/** A deterministic pseudo-random sequence, so runs are comparable. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const AUTHORS = [
  'Ana Lima',
  'Rui Costa',
  '\u202a+351 912 345 678\u202c',
  'Dora 🌸',
  'Eve',
  'João Pedro',
  '~\u202fMaria',
  'Sam',
];
const WORDS =
  'ok sure thanks see you tomorrow at the meeting lol haha great idea who is coming bring snacks traffic late sorry 👍 😂 café ação 周末 read chapter five'.split(
    ' ',
  );

export function generateMessages(total: number, seed = 42): FixtureMessage[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  let at = Date.UTC(2021, 0, 1, 8);
  const messages: FixtureMessage[] = [];
  for (let index = 0; index < total; index += 1) {
    at += Math.floor(next() * next() * 1_800_000);
    const date = new Date(at).toISOString().slice(0, 19);
    const roll = next();
    if (roll < 0.01) {
      messages.push({date, author: null, text: `${pick(AUTHORS)} added ${pick(AUTHORS)}`});
    } else if (roll < 0.05) {
      messages.push({date, author: pick(AUTHORS), text: '<Media omitted>'});
    } else if (roll < 0.07) {
      messages.push({
        date,
        author: pick(AUTHORS),
        lrm: true,
        text: `IMG-20210101-WA${String(index % 10_000).padStart(4, '0')}.jpg (file attached)`,
      });
    } else {
      const words = Array.from({length: 2 + Math.floor(next() * 14)}, () => pick(WORDS)).join(' ');
      const text = next() < 0.06 ? `${words}\n${pick(WORDS)} ${pick(WORDS)}` : words;
      messages.push({date, author: pick(AUTHORS), text});
    }
  }
  return messages;
}

async function main(): Promise<void> {
  const text = buildChat({layout, messages: generateMessages(count)});
  const bytes = Buffer.from(text, 'utf8');
  const megabytes = bytes.length / 1e6;
  const rate = (ms: number) => `${(megabytes / (ms / 1000)).toFixed(0)} MB/s`;
  console.log(`${count} messages, ${layout}, ${megabytes.toFixed(1)} MB of chat text`);

  if (mode !== 'stream') measureText(text, count, rate);
  if (mode !== 'text') await measureStream(bytes, count, rate);
}

function measureText(text: string, count: number, rate: (ms: number) => string): void {
  const runs: number[] = [];
  for (let run = 0; run < 7; run += 1) {
    const started = performance.now();
    const {messages} = parseChatText(text, {timezone: 'Europe/Lisbon'});
    runs.push(performance.now() - started);
    if (messages.length !== count) throw new Error(`parsed ${messages.length} messages, expected ${count}`);
  }
  const cold = runs[0] ?? 0;
  const warm = [...runs.slice(1)].sort((a, b) => a - b)[Math.floor((runs.length - 1) / 2)] ?? 0;
  console.log(
    `parseChatText  cold ${cold.toFixed(0)} ms (${rate(cold)}), warm median ${warm.toFixed(0)} ms (${rate(warm)})`,
  );
}

async function measureStream(bytes: Buffer, count: number, rate: (ms: number) => string): Promise<void> {
  const streamRuns: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    async function* chunks() {
      for (let offset = 0; offset < bytes.length; offset += 65_536)
        yield bytes.subarray(offset, offset + 65_536);
    }
    let seen = 0;
    for await (const batch of parseChat(chunks(), {timezone: 'Europe/Lisbon'})) seen += batch.length;
    streamRuns.push(performance.now() - started);
    if (seen !== count) throw new Error(`streamed ${seen} messages, expected ${count}`);
  }
  const streamCold = streamRuns[0] ?? 0;
  const streamWarm =
    [...streamRuns.slice(1)].sort((a, b) => a - b)[Math.floor((streamRuns.length - 1) / 2)] ?? 0;
  console.log(
    `parseChat (64 KiB chunks, sha256 on the way)  cold ${streamCold.toFixed(0)} ms (${rate(streamCold)}), warm median ${streamWarm.toFixed(0)} ms (${rate(streamWarm)})`,
  );
}

if (process.argv[1]?.endsWith('measure-throughput.ts')) await main();
