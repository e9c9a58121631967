/**
 * Generates `docs/sample/export.zip`: an iOS-style export of a fictional community garden group,
 * with synthetic people only, used by the README's quick start. Deterministic (seeded, fixed zip
 * times), so `npm run sample:make` rewrites the very same bytes and a test can check that.
 *
 *   node --import tsx test/sample/make-sample.ts [output.zip]
 */

import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {deflateSync} from 'node:zlib';
import {writeZip} from '../fixtures/zip-builder.js';
import {seededRandom} from '../helpers/random.js';

export const SAMPLE_ZIP = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../docs/sample/export.zip',
);

/** Enough messages for a handful of default (100-message) windows, small enough to read in a minute. */
const MESSAGE_COUNT = 640;
const SEED = 20240301;
const START = Date.UTC(2024, 2, 1, 8, 0, 0);

const PEOPLE = [
  'Ana Ribeiro',
  'Tomás Okafor',
  'Mei Lin',
  'Jonas Berg',
  'Priya Nair',
  'Lucas Moreau',
  '\u202a+1 555 0100\u202c',
];

const LINES: Readonly<Record<string, readonly string[]>> = {
  tomatoes: [
    'The cherry tomatoes by the fence are finally turning red',
    'Should we stake the tomatoes before the wind on Thursday?',
    'I pinched the side shoots on the tomatoes, they look much happier',
    'Tomato blight check: leaves on bed 3 look fine to me',
  ],
  compost: [
    'Compost bin two is ready to turn, anyone free Saturday morning?',
    'Please no citrus peels in the compost, the worms hate it',
    'Turned the compost today, it is steaming nicely',
    'We need more brown material for the compost, dry leaves or cardboard',
  ],
  watering: [
    'Who is on watering duty this week?',
    'I can water on Tuesday and Friday evenings',
    'The hose by the shed is leaking again, I taped it for now',
    'Rain tomorrow, so nobody needs to water tonight',
  ],
  seeds: [
    'Seed swap at the library on the 14th, bring envelopes and labels',
    'I have spare basil and coriander seeds if anyone wants them',
    'Does anyone have runner bean seeds to share?',
    'Saved some marigold seeds from last year, they sprout well',
  ],
  shed: [
    'The shed key is back under the blue pot',
    'Someone left the shed open last night, please lock it',
    'New padlock code for the shed will be shared at the meeting',
  ],
  meeting: [
    'Monthly meeting moved to Sunday at 11, same place',
    'Agenda: new beds, the rain barrel, and the summer open day',
    'Thanks everyone for coming today, notes to follow',
  ],
};

const REPLIES = [
  'Sounds good!',
  'Count me in',
  'Thanks 🙏',
  'Great idea 🌱',
  'I can help with that',
  'See you there 👍',
  'Obrigada!',
];
const LINKS = [
  'https://example.org/companion-planting-guide',
  'https://example.org/compost-basics',
  'https://example.com/rain-barrel-diy',
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** iOS header time: `[01/03/2024, 08:00:00]` (day first, as an en-GB phone prints it). */
function header(ms: number): string {
  const d = new Date(ms);
  return `[${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}]`;
}

function photoName(index: number, ms: number): string {
  const d = new Date(ms);
  return `${String(index).padStart(8, '0')}-PHOTO-${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}.jpg`;
}

/** A tiny valid PNG of one coloured pixel: real image bytes without shipping a photo. */
function pixelPng(red: number, green: number, blue: number): Buffer {
  const crcTable = Array.from({length: 256}, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const pixel = deflateSync(Buffer.from([0, red, green, blue]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', pixel),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface SampleExport {
  readonly chat: string;
  readonly media: ReadonlyMap<string, Buffer>;
}

export function buildSampleExport(): SampleExport {
  const next = seededRandom(SEED);
  const lines: string[] = [
    `${header(START)} Rua das Flores Garden: \u200eMessages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them.`,
    `${header(START + 60_000)} Rua das Flores Garden: \u200eAna Ribeiro created this group`,
  ];
  const media = new Map<string, Buffer>();
  let clock = START + 3_600_000;
  let photos = 0;
  for (let index = 0; index < MESSAGE_COUNT; index += 1) {
    // Conversations come in bursts: minutes apart, with a quiet gap of hours now and then.
    clock += next() < 0.1 ? Math.floor(next() * 36) * 3_600_000 : Math.floor(next() * 20 + 1) * 60_000;
    const person = pick(next, PEOPLE);
    const roll = next();
    let body: string;
    if (roll < 0.5) body = pick(next, LINES[pick(next, Object.keys(LINES))] ?? []);
    else if (roll < 0.75) body = pick(next, REPLIES);
    else if (roll < 0.8) body = `Useful read: ${pick(next, LINKS)}`;
    else if (roll < 0.84) {
      photos += 1;
      const name = photoName(photos, clock);
      // Every fourth photo was never downloaded on the phone: referenced, but not in the export.
      if (photos % 4 !== 0) media.set(name, pixelPng(40 + photos * 7, 120 + (photos % 5) * 20, 60));
      body = `\u200e<attached: ${name}>`;
    } else if (roll < 0.87)
      body = `Reminder for the week:\nMonday: weeding\nWednesday: compost\nSaturday: harvest 🍅`;
    else if (roll < 0.89) body = '\u200eThis message was deleted.';
    else if (roll < 0.91) body = `${pick(next, REPLIES)} \u200e<This message was edited>`;
    else if (roll < 0.93)
      body = `@\u2068${pick(next, PEOPLE.slice(0, 6))}\u2069 can you bring the spare gloves?`;
    else if (roll < 0.95)
      body = 'Call me on +1 555 0199 or write to garden.club@example.org if the gate is locked';
    else body = pick(next, LINES.meeting ?? []);
    lines.push(`${header(clock)} ${person}: ${body}`);
    if (index === MESSAGE_COUNT / 2) {
      lines.push(
        `${header(clock + 1000)} \u200eMei Lin changed the group name to "Rua das Flores Garden: Summer"`,
      );
    }
  }
  return {chat: `${lines.join('\r\n')}\r\n`, media};
}

export async function writeSampleExport(file: string = SAMPLE_ZIP): Promise<string> {
  const {chat, media} = buildSampleExport();
  const entries = [
    {name: '_chat.txt', data: chat},
    ...[...media].map(([name, data]) => ({name, data, compress: false})),
  ];
  return writeZip(file, entries);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await writeSampleExport(process.argv[2] ? path.resolve(process.argv[2]) : SAMPLE_ZIP);
  process.stdout.write(`wrote ${written}\n`);
}
