import {createHash} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CHAT_LAYOUTS, type ChatSpec, generateChat} from '../../bench/generate/chat.js';
import {writeExportZip} from '../../bench/generate/export-zip.js';
import {PROFILE_NAMES, PROFILES, type ProfileName} from '../../bench/generate/profiles.js';
import type {ChatMessage} from '../../schemas/message.js';
import {parseChat, parseChatText} from '../../src/ingest/parser.js';
import {openChatSource} from '../../src/ingest/source.js';

/** Enough messages for every writer of the 60 to appear and for shares to settle within a percent. */
const MESSAGES = 20_000;
const SEED = 6;
const OTHER_PROFILES = PROFILE_NAMES.filter((name) => name !== 'default');

/**
 * sha256 of the default profile's text, taken from the generator before profiles existed: the
 * cached 1,000,000-message exports and every earlier figure were made from this exact text.
 */
const DEFAULT_TEXT_SHA256: ReadonlyArray<readonly [ChatSpec, string]> = [
  [
    {layout: 'android', messages: 20_000, seed: 6},
    '3bf02a997ba8b4732f436a8cfa02d85838e3e7f84b99248c9c77e040d776e7b0',
  ],
  [
    {layout: 'ios', messages: 20_000, seed: 6},
    'fd20b260173b031e89bc957d2dfee2f7e8769c6d79d22e60c87f2101847fb200',
  ],
  [
    {layout: 'android', messages: 5_000, seed: 7, people: 40},
    'c0597fea6457c8f3afda1e06d2f23a6c12c845cf677608afed2230128368bfe6',
  ],
];

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const parsedCache = new Map<ProfileName, ChatMessage[]>();
/** The android export of a profile, read back by the project's parser (once per profile). */
function parsed(profile: ProfileName): ChatMessage[] {
  let messages = parsedCache.get(profile);
  if (messages === undefined) {
    const {text} = generateChat({layout: 'android', messages: MESSAGES, seed: SEED, profile});
    messages = parseChatText(text, {timezone: 'UTC'}).messages;
    parsedCache.set(profile, messages);
  }
  return messages;
}

const MENTION = /@\u2068[^\u2069]*\u2069/gu;
const LINK = /https?:\/\/\S+/gu;
const EDITED = /<This message was edited>/gu;

/** The first line of a text message, without what is not the sentence (mention, link, edit note). */
function firstSentence(message: ChatMessage): string {
  const line = message.text.split('\n')[0] ?? '';
  return line.replace(MENTION, '').replace(LINK, '').replace(EDITED, '').trim();
}

const textMessages = (profile: ProfileName): ChatMessage[] =>
  parsed(profile).filter((message) => message.kind === 'message');

const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Arabic',
  'Hebrew',
  'Devanagari',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Thai',
] as const;
const SCRIPT_PATTERNS = new Map(SCRIPTS.map((script) => [script, new RegExp(`\\p{Script=${script}}`, 'u')]));

/** Letters of each script in some texts (astral characters count once). */
function scriptLetters(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const char of text) {
      if (!/\p{L}/u.test(char)) continue;
      let script = 'other';
      for (const [name, pattern] of SCRIPT_PATTERNS) {
        if (pattern.test(char)) {
          script = name;
          break;
        }
      }
      counts.set(script, (counts.get(script) ?? 0) + 1);
    }
  }
  return counts;
}

function share(counts: Map<string, number>, script: string): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return (counts.get(script) ?? 0) / total;
}

describe('the default content profile', () => {
  it.each(DEFAULT_TEXT_SHA256)('writes the text of the generator before profiles (%o)', (spec, digest) => {
    expect(sha256(generateChat(spec).text)).toBe(digest);
    expect(sha256(generateChat({...spec, profile: 'default'}).text)).toBe(digest);
  });
});

describe.each(OTHER_PROFILES)('the %s content profile', (profile) => {
  const settings = PROFILES[profile];

  it('is a function of its seed, and not the default text', () => {
    const spec = {layout: 'ios', messages: 3_000, seed: SEED, profile} as const;
    const first = generateChat(spec);
    const again = generateChat(spec);
    expect(again.text).toBe(first.text);
    expect(again.stats).toEqual(first.stats);
    expect(generateChat({...spec, seed: SEED + 1}).text).not.toBe(first.text);
    expect(generateChat({...spec, profile: 'default'}).text).not.toBe(first.text);
  });

  it.each(CHAT_LAYOUTS)('is read back by the project parser with the expected messages (%s)', (layout) => {
    const {text, stats} = generateChat({layout, messages: 5_000, seed: SEED, profile});
    const {messages, summary} = parseChatText(text, {timezone: 'UTC'});
    expect(messages).toHaveLength(stats.messages);
    expect(summary.platform).toBe(layout);
    expect(summary.kinds).toEqual(stats.kinds);
    expect(messages.filter((message) => message.edited)).toHaveLength(stats.edited);
  });

  it('has the profile’s number of writers', () => {
    const authors = new Set(
      parsed(profile).flatMap((message) => (message.author === null ? [] : [message.author])),
    );
    // The group's own name credits nothing on Android: the writers are the people.
    expect(authors.size).toBe(settings.defaultPeople);
  });

  it('uses a large vocabulary, drawn with a long tail', () => {
    const spaced = settings.languages.every((language) => language.spaced);
    const vocabulary = settings.languages.reduce((sum, language) => sum + language.words.length, 0);
    expect(vocabulary).toBeGreaterThanOrEqual(300);
    if (!spaced) return;
    const counts = new Map<string, number>();
    for (const message of textMessages(profile)) {
      for (const token of firstSentence(message).split(/[\s,:!?.]+/u)) {
        if (/\p{L}/u.test(token)) counts.set(token, (counts.get(token) ?? 0) + 1);
      }
    }
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    const top = Math.max(...counts.values());
    expect(counts.size).toBeGreaterThan(1_000);
    // Zipf-like: the most common word is a few percent of the text, not a tenth of it.
    expect(top / total).toBeLessThan(0.08);
  });
});

describe('the profiles’ scripts', () => {
  it.each([
    ['hebrew', 'Hebrew'],
    ['chinese', 'Han'],
    ['thai', 'Thai'],
  ] as const)('%s messages are written in %s', (profile, script) => {
    const counts = scriptLetters(textMessages(profile).map((message) => message.text));
    expect(share(counts, script)).toBeGreaterThan(0.9);
  });

  it('writes Hebrew acronyms and loanwords with gershayim, geresh and their ASCII forms', () => {
    const text = textMessages('hebrew')
      .map((message) => message.text)
      .join('\n');
    for (const pattern of [
      /[\u05d0-\u05ea]\u05f4[\u05d0-\u05ea]/u,
      /[\u05d0-\u05ea]"[\u05d0-\u05ea]/u,
      /[\u05d0-\u05ea]\u05f3/u,
      /[\u05d0-\u05ea]'/u,
    ]) {
      expect(text).toMatch(pattern);
    }
  });

  it('mixes 14 languages, many within one message', () => {
    const messages = textMessages('mixed');
    const counts = scriptLetters(messages.map((message) => message.text));
    const present = SCRIPTS.filter((script) => share(counts, script) > 0.01);
    expect(present.length).toBeGreaterThanOrEqual(10);
    expect(share(counts, 'Latin')).toBeLessThan(0.6);
    const multiScript = messages.filter((message) => {
      const scripts = scriptLetters([firstSentence(message)]);
      return [...scripts.keys()].filter((script) => script !== 'other').length >= 2;
    });
    expect(multiScript.length / messages.length).toBeGreaterThan(0.3);
    // Chinese and Thai are written without spaces between their words.
    expect(
      PROFILES.mixed.languages.filter((language) => !language.spaced).map((language) => language.code),
    ).toEqual(expect.arrayContaining(['zh', 'ja', 'th']));
  });
});

describe('the profiles’ message lengths', () => {
  /** Words of a sentence in a spaced script: tokens with a letter. */
  const wordCount = (text: string): number =>
    text.split(/\s+/u).filter((token) => /\p{L}/u.test(token)).length;

  it('hebrew: long messages at the profile’s share, short ones within their range', () => {
    const {lengths} = PROFILES.hebrew;
    const counts = textMessages('hebrew').map((message) => wordCount(firstSentence(message)));
    const long = counts.filter((count) => count > lengths.short[1]).length / counts.length;
    // A long message has more words than any short one except when it draws exactly short[1].
    expect(long).toBeGreaterThan(lengths.longShare * 0.85);
    expect(long).toBeLessThan(lengths.longShare * 1.05);
    expect(Math.max(...counts)).toBeLessThanOrEqual(lengths.long[1]);
  });

  it.each(['chinese', 'thai'] as const)('%s: long messages run past any short one', (profile) => {
    const {lengths, languages} = PROFILES[profile];
    const longestWord = Math.max(...(languages[0]?.words ?? []).map((word) => [...word].length));
    // Past this no short sentence can go: every word the longest, a mark between each, the longest ending.
    const shortLimit = lengths.short[1] * longestWord + lengths.short[1] + 3;
    const sizes = textMessages(profile).map((message) => [...firstSentence(message)].length);
    const long = sizes.filter((size) => size > shortLimit).length / sizes.length;
    expect(long).toBeGreaterThan(lengths.longShare * 0.1);
    expect(long).toBeLessThan(lengths.longShare);
  });

  it('mixed: long messages, several times the default profile’s', () => {
    const mean = (profile: ProfileName): number => {
      const sizes = textMessages(profile).map((message) => [...message.text].length);
      return sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
    };
    expect(mean('mixed')).toBeGreaterThan(2.5 * mean('default'));
    const {lengths} = PROFILES.mixed;
    const counts = textMessages('mixed').map((message) => wordCount(firstSentence(message)));
    const long = counts.filter((count) => count > lengths.short[1]).length / counts.length;
    // Words of unspaced scripts run together, so a long message can count fewer tokens than words.
    expect(long).toBeGreaterThan(lengths.longShare * 0.5);
    expect(long).toBeLessThan(lengths.longShare);
  });
});

describe('the profiles’ export zips', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'egregora-bench-profiles-'));
  });
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true});
  });

  it.each(OTHER_PROFILES)('streams back through the project source and parser (%s)', async (profile) => {
    const zipPath = path.join(dir, `${profile}.zip`);
    const written = await writeExportZip({layout: 'ios', messages: 3_000, seed: SEED, profile}, zipPath, {
      mediaFiles: 3,
    });
    const source = await openChatSource(zipPath);
    try {
      expect(source.chatBytes).toBe(written.stats.bytes);
      const parse = parseChat(source.openChat(), {
        timezone: 'UTC',
        hasMedia: (name) => source.hasMedia(name),
      });
      let count = 0;
      for await (const batch of parse) count += batch.length;
      expect(count).toBe(written.stats.messages);
    } finally {
      await source.close();
    }
  });
});
