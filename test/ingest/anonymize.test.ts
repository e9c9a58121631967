import {randomBytes} from 'node:crypto';
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../schemas/message.js';
import {authorKey, createAnonymizer, loadAnonymizer} from '../../src/ingest/anonymize.js';
import {AUTHOR_MAP_FILE, AuthorMapFileSchema, SECRET_FILE} from '../../src/ingest/anonymizer-store.js';
import {namesInEvent} from '../../src/ingest/event-names.js';
import {parseChatText} from '../../src/ingest/parser.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {buildChat} from '../fixtures/index.js';

const SECRET = Buffer.alloc(32, 7);
const PSEUDONYM = /^[a-z]+-[a-z]+(?:-\d+)?$/;

function message(
  author: string | null,
  text: string,
  kind: ChatMessage['kind'] = author === null ? 'system' : 'message',
): ChatMessage {
  return {
    position: 0,
    date: '2024-03-14T09:00:00',
    instantMs: 0,
    author,
    text,
    kind,
    edited: false,
    attachment: null,
    attachmentPresent: false,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'egregora-anon-'));
});
afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

describe('pseudonyms', () => {
  it('are short, readable, stable for one secret and different for another', () => {
    const first = createAnonymizer({secret: SECRET});
    const again = createAnonymizer({secret: SECRET});
    const other = createAnonymizer({secret: Buffer.alloc(32, 8)});
    const names = ['Ana', 'Rui Costa', 'שרה', '\u202a+1 555 123 4567\u202c', '👩‍👩‍👧 Family'];
    const pseudonyms = names.map((name) => first.pseudonymFor(name));
    for (const pseudonym of pseudonyms) expect(pseudonym).toMatch(PSEUDONYM);
    expect(new Set(pseudonyms).size).toBe(names.length);
    expect(
      [...names]
        .reverse()
        .map((name) => again.pseudonymFor(name))
        .reverse(),
    ).toEqual(pseudonyms);
    expect(names.map((name) => other.pseudonymFor(name))).not.toEqual(pseudonyms);
  });

  it('give one person one pseudonym however the name is printed', () => {
    const anonymizer = createAnonymizer({secret: SECRET});
    expect(anonymizer.pseudonymFor('José')).toBe(anonymizer.pseudonymFor('Jose\u0301'));
    expect(anonymizer.pseudonymFor('~\u202fMaria')).toBe(anonymizer.pseudonymFor('Maria'));
    expect(anonymizer.pseudonymFor('\u202a+1\u00a0555\u00a0123\u00a04567\u202c')).toBe(
      anonymizer.pseudonymFor('+1 (555) 123-4567'),
    );
    expect(authorKey('\u202a+1 555 123 4567\u202c')).toBe('tel:15551234567');
  });

  it('stay distinct for many people (deterministic disambiguation on collision)', () => {
    const anonymizer = createAnonymizer({secret: SECRET});
    const pseudonyms = Array.from({length: 3000}, (_, index) => anonymizer.pseudonymFor(`Person ${index}`));
    expect(new Set(pseudonyms).size).toBe(3000);
    const replay = createAnonymizer({secret: SECRET});
    expect(Array.from({length: 3000}, (_, index) => replay.pseudonymFor(`Person ${index}`))).toEqual(
      pseudonyms,
    );
  });

  it('keep pseudonyms already given, even if the derivation would say otherwise', () => {
    const anonymizer = createAnonymizer({secret: SECRET, known: {'quiet-otter': 'Ana'}});
    expect(anonymizer.pseudonymFor('Ana')).toBe('quiet-otter');
  });

  it('refuse a short secret', () => {
    expect(() => createAnonymizer({secret: Buffer.alloc(8)})).toThrow(RangeError);
  });
});

describe('scrubbing text', () => {
  const anonymizer = () => createAnonymizer({secret: SECRET});

  it('replaces mentions, of names and of numbers, by @pseudonym', () => {
    const anon = anonymizer();
    const [out] = anon.anonymize([
      message('Ana', 'hi @\u2068Rui Costa\u2069 and @\u2068+1 555 123 4567\u2069 and @15551234567'),
    ]);
    const rui = anon.pseudonymFor('Rui Costa');
    const phone = anon.pseudonymFor('+1 555 123 4567');
    expect(out?.text).toBe(`hi @${rui} and @${phone} and @${phone}`);
  });

  it('replaces authors and names from system events in every text, system text included', () => {
    const anon = anonymizer();
    const out = anon.anonymize([
      message(null, 'Ana added Rui Costa, Dora and Eve'),
      message(null, 'Rui Costa changed the subject from "Club: 2024" to "Club: 2025"'),
      message('Ana', 'Welcome Dora! Eve, Rui Costa and Ana say hi'),
      message('Zé', 'thanks Ana'),
      message(null, "\u202a+44 7700 900123\u202c joined using this group's invite link"),
    ]);
    const p = (name: string) => anon.pseudonymFor(name);
    expect(out.map((item) => [item.author, item.text])).toEqual([
      [null, `${p('Ana')} added ${p('Rui Costa')}, ${p('Dora')} and ${p('Eve')}`],
      [null, `${p('Rui Costa')} changed the subject from "Club: 2024" to "Club: 2025"`],
      [p('Ana'), `Welcome ${p('Dora')}! ${p('Eve')}, ${p('Rui Costa')} and ${p('Ana')} say hi`],
      [p('Zé'), `thanks ${p('Ana')}`],
      [null, `${p('+44 7700 900123')} joined using this group's invite link`],
    ]);
  });

  it('replaces a unique given name alone, but not inside other words', () => {
    const anon = anonymizer();
    const out = anon.anonymize([
      message('Rui Costa', 'hello'),
      message('Ana', 'Rui, see you. Ruins are old. Anastasia and Banana stay.'),
    ]);
    const rui = anon.pseudonymFor('Rui Costa');
    const ana = anon.pseudonymFor('Ana');
    expect(out[1]?.text).toBe(`${rui}, see you. Ruins are old. Anastasia and Banana stay.`);
    expect(out[1]?.author).toBe(ana);
  });

  it('does not hunt one- and two-letter names through text, but still pseudonymizes them as authors', () => {
    const anon = anonymizer();
    const out = anon.anonymize([message('A', 'A plan: Jo will do it'), message('Jo', 'ok')]);
    expect(out.map((item) => [item.author, item.text])).toEqual([
      [anon.pseudonymFor('A'), 'A plan: Jo will do it'],
      [anon.pseudonymFor('Jo'), 'ok'],
    ]);
  });

  it('leaves a shared given name alone (it would be ambiguous)', () => {
    const anon = anonymizer();
    const out = anon.anonymize([
      message('Ana Lima', 'a'),
      message('Ana Costa', 'b'),
      message('Rui', 'Ana said so'),
    ]);
    expect(out[2]?.text).toBe('Ana said so');
  });

  it('redacts phone numbers and e-mail addresses, and keeps dates, times and amounts', () => {
    const anon = anonymizer();
    const [out] = anon.anonymize([
      message(
        'Ana',
        'Call +351 912 345 678 or (555) 123-4567, mail ana@example.com. Meet 2024-03-14 at 10:30, bring €1.234,56 and 12 chairs; since 1998.',
      ),
    ]);
    expect(out?.text).toBe(
      'Call [phone] or [phone], mail [email]. Meet 2024-03-14 at 10:30, bring €1.234,56 and 12 chairs; since 1998.',
    );
  });

  it('handles names full of regular-expression syntax', () => {
    const names = [
      'Rafael - Trabalho',
      'Ana-Maria',
      'Dr. Who?',
      'R2-D2 (work)',
      'a+b',
      '[Club]',
      'Ana | Rui',
      'C:\\Users',
      '$money$',
      '^hat^',
      'x{2}',
    ];
    const anon = anonymizer();
    const out = anon.anonymize(names.map((name) => message(name, `hi ${name}!`)));
    out.forEach((item, index) => {
      const pseudonym = anon.pseudonymFor(names[index] ?? '');
      expect(item.author).toBe(pseudonym);
      expect(item.text).toBe(`hi ${pseudonym}!`);
    });
  });

  it('leaves the messages it was given untouched', () => {
    const original = [message('Ana', 'mail ana@example.com')];
    createAnonymizer({secret: SECRET}).anonymize(original);
    expect(original[0]?.text).toBe('mail ana@example.com');
    expect(original[0]?.author).toBe('Ana');
  });

  it('anonymizes a parsed chat end to end', () => {
    const text = buildChat({
      layout: 'android-en-gb',
      messages: [
        {date: '2024-03-14T09:00', author: null, text: 'Ana added \u202a+44 7700 900123\u202c'},
        {
          date: '2024-03-14T09:01',
          author: '\u202a+44 7700 900123\u202c',
          text: 'hi @\u2068Ana\u2069, my mail is x@y.org',
        },
      ],
    });
    const anon = createAnonymizer({secret: SECRET});
    const out = anon.anonymize(parseChatText(text, {timezone: 'UTC'}).messages);
    const joined = JSON.stringify(out);
    for (const secret of ['Ana', '7700', 'x@y.org']) expect(joined).not.toContain(secret);
    expect(out[1]?.author).toBe(anon.pseudonymFor('+44 7700 900123'));
  });
});

describe('names in system events', () => {
  it.each([
    ['Ana added Rui', ['Ana', 'Rui']],
    ['Ana added Rui, Dora and Eve', ['Ana', 'Rui', 'Dora', 'Eve']],
    ['You added Rui', ['Rui']],
    ['Ana removed Rui', ['Ana', 'Rui']],
    ['Rui left', ['Rui']],
    ["Rui joined using this group's invite link", ['Rui']],
    ['Ana created group "Book club"', ['Ana']],
    ['Ana changed the subject from "A" to "B"', ['Ana']],
    ["Ana changed this group's icon", ['Ana']],
    ['+1 555 123 4567 changed to +1 555 765 4321', ['+1 555 123 4567', '+1 555 765 4321']],
    ['Ana adicionou Rui', ['Ana', 'Rui']],
    ['Ana hat Rui hinzugefügt', ['Ana', 'Rui']],
    ['Messages and calls are end-to-end encrypted.', []],
  ])('%s', (text, names) => {
    expect(namesInEvent(text)).toEqual(names);
  });
});

describe('the project store', () => {
  it('creates the secret once (0600), keeps pseudonyms across loads, and saves the map (0600)', async () => {
    const stateDir = path.join(dir, 'project', '.egregora');
    const first = await loadAnonymizer(stateDir);
    const ana = first.pseudonymFor('Ana');
    first.anonymize([message('Rui', 'hi Ana')]);
    await first.save();

    const secretFile = path.join(stateDir, SECRET_FILE);
    const mapFile = path.join(stateDir, AUTHOR_MAP_FILE);
    expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
    expect((await stat(mapFile)).mode & 0o777).toBe(0o600);
    const secretText = (await readFile(secretFile, 'utf8')).trim();
    expect(secretText).toMatch(/^[0-9a-f]{64}$/);

    const map = AuthorMapFileSchema.parse(JSON.parse(await readFile(mapFile, 'utf8')));
    expect(map.authors).toEqual({[ana]: 'Ana', [first.pseudonymFor('Rui')]: 'Rui'});
    expect(JSON.stringify(map)).not.toContain(secretText);

    const second = await loadAnonymizer(stateDir);
    expect(second.pseudonymFor('Ana')).toBe(ana);
    expect(second.pseudonymFor('Rui')).toBe(first.pseudonymFor('Rui'));
    expect((await readFile(secretFile, 'utf8')).trim()).toBe(secretText);

    const elsewhere = await loadAnonymizer(path.join(dir, 'other', '.egregora'));
    expect(elsewhere.pseudonymFor('Ana')).not.toBe(ana);
  });

  it('keeps pseudonyms stable even when the map was lost (same secret)', async () => {
    const stateDir = path.join(dir, 'lost-map');
    const before = (await loadAnonymizer(stateDir)).pseudonymFor('Dora');
    const after = (await loadAnonymizer(stateDir)).pseudonymFor('Dora');
    expect(after).toBe(before);
  });

  it('refuses a damaged secret or map without printing their content', async () => {
    const stateDir = path.join(dir, 'damaged');
    await loadAnonymizer(stateDir);
    await writeFile(path.join(stateDir, SECRET_FILE), 'not-a-secret-value-XYZ');
    const error = await loadAnonymizer(stateDir).then(
      () => null,
      (caught: unknown) => caught as Error & {exitCode: number},
    );
    expect(error).toMatchObject({exitCode: ExitCode.inputInvalid});
    expect(error?.message).not.toContain('XYZ');

    const other = path.join(dir, 'damaged-map');
    await loadAnonymizer(other);
    await writeFile(path.join(other, AUTHOR_MAP_FILE), '{"version": 2}');
    await expect(loadAnonymizer(other)).rejects.toMatchObject({exitCode: ExitCode.inputInvalid});
  });

  it('never reveals the secret through pseudonyms of guessed names', () => {
    const anonymizer = createAnonymizer({secret: randomBytes(32)});
    const guessed = createAnonymizer({secret: Buffer.alloc(32)});
    const names = ['Ana', 'Rui', 'Maria', 'João', 'Pedro', 'Sofia'];
    const hits = names.filter((name) => anonymizer.pseudonymFor(name) === guessed.pseudonymFor(name));
    expect(hits.length).toBeLessThan(2);
  });
});
