import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CHAT_LAYOUTS, type ChatLayout, chatChunks, generateChat} from '../../bench/generate/chat.js';
import {writeExportZip} from '../../bench/generate/export-zip.js';
import {Random} from '../../bench/generate/random.js';
import {parseChat, parseChatText} from '../../src/ingest/parser.js';
import {openChatSource} from '../../src/ingest/source.js';

/** Small enough to keep the suite fast, large enough to hold every kind of message several times. */
const MESSAGES = 3_000;
const SEED = 6;

const ANDROID_HEADER = /^\d{1,2}\/\d{1,2}\/\d{2}, \d{1,2}:\d{2}\u202f[AP]M - /;
const IOS_HEADER = /^\u200e?\[\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2}\] /;

describe('the benchmark export generator', () => {
  it('is a function of its seed', () => {
    const first = generateChat({layout: 'android', messages: MESSAGES, seed: SEED});
    const again = generateChat({layout: 'android', messages: MESSAGES, seed: SEED});
    const other = generateChat({layout: 'android', messages: MESSAGES, seed: SEED + 1});
    expect(again.text).toBe(first.text);
    expect(again.stats).toEqual(first.stats);
    expect(other.text).not.toBe(first.text);
  });

  it('gives the same text in chunks as in one piece', () => {
    const whole = generateChat({layout: 'ios', messages: 5_000, seed: SEED}).text;
    const chunks = [...chatChunks({layout: 'ios', messages: 5_000, seed: SEED})];
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(whole);
  });

  it('writes the Android layout: M/D/YY, h:mm AM - , LF only', () => {
    const {text, stats} = generateChat({layout: 'android', messages: MESSAGES, seed: SEED});
    const lines = text.split('\n');
    expect(lines[0]).toMatch(ANDROID_HEADER);
    expect(text).not.toContain('\r');
    expect(text.endsWith('\n')).toBe(true);
    expect(lines.filter((line) => ANDROID_HEADER.test(line))).toHaveLength(stats.messages);
    expect(Buffer.byteLength(text)).toBe(stats.bytes);
  });

  it('writes the iOS layout: [DD/MM/YYYY, HH:MM:SS], CRLF between messages, LF inside', () => {
    const {text, stats} = generateChat({layout: 'ios', messages: MESSAGES, seed: SEED});
    const records = text.split('\r\n');
    expect(records[0]).toMatch(IOS_HEADER);
    expect(records.filter((record) => IOS_HEADER.test(record))).toHaveLength(stats.messages);
    // Multi-line messages keep bare LF inside (iOS 2024+).
    expect(records.some((record) => record.includes('\n'))).toBe(true);
    expect(text).toContain('\u200e[');
  });

  it('mixes the content a real group chat has', () => {
    const {text, stats} = generateChat({layout: 'android', messages: 20_000, seed: SEED});
    for (const kind of ['system', 'media', 'deleted', 'poll', 'location'] as const) {
      expect(stats.kinds[kind], kind).toBeGreaterThan(0);
    }
    expect(stats.edited).toBeGreaterThan(0);
    expect(stats.lines).toBeGreaterThan(stats.messages);
    // Scripts beyond Latin, astral-plane characters and ZWJ emoji.
    for (const sample of ['привет', 'שלום', 'مرحبا', 'नमस्ते', '会议', '\u200d', '𠮷'])
      expect(text).toContain(sample);
  });

  it.each(CHAT_LAYOUTS)(
    'is read back by the project parser with the expected messages (%s)',
    (layout: ChatLayout) => {
      const {text, stats} = generateChat({layout, messages: MESSAGES, seed: SEED});
      const {messages, summary} = parseChatText(text, {timezone: 'UTC'});
      expect(messages).toHaveLength(stats.messages);
      expect(summary.platform).toBe(layout);
      expect(summary.layout).toBe(layout === 'ios' ? 'ios' : 'android-comma');
      expect(summary.kinds).toEqual(stats.kinds);
      expect(messages.filter((message) => message.edited)).toHaveLength(stats.edited);
    },
  );
});

describe('the benchmark export zip', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'egregora-bench-test-'));
  });
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true});
  });

  it.each(CHAT_LAYOUTS)(
    'streams back through the project source and parser (%s)',
    async (layout: ChatLayout) => {
      const zipPath = path.join(dir, `${layout}.zip`);
      const written = await writeExportZip({layout, messages: MESSAGES, seed: SEED}, zipPath, {
        mediaFiles: 5,
      });
      const source = await openChatSource(zipPath);
      try {
        expect(source.chatEntry).toBe(written.chatEntry);
        expect(source.chatBytes).toBe(written.stats.bytes);
        expect(source.media).toHaveLength(5);
        const parse = parseChat(source.openChat(), {
          timezone: 'UTC',
          hasMedia: (name) => source.hasMedia(name),
        });
        let count = 0;
        for await (const batch of parse) count += batch.length;
        expect(count).toBe(written.stats.messages);
        expect(parse.summary().attachments.present).toBe(5);
      } finally {
        await source.close();
      }
    },
  );
});

describe('the seeded random source', () => {
  it('repeats its stream for a seed and stays in range', () => {
    const a = new Random(42);
    const b = new Random(42);
    const values = Array.from({length: 1_000}, () => a.float());
    expect(values).toEqual(Array.from({length: 1_000}, () => b.float()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(990);
  });
});
