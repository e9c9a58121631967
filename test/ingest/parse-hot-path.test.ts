import {describe, expect, it} from 'vitest';
import {AuthorResolver} from '../../src/ingest/author.js';
import {parseChatText} from '../../src/ingest/parser.js';
import {WallClock} from '../../src/ingest/wall-clock.js';
import {buildChat, type FixtureMessage} from '../fixtures/index.js';

/** The hot path's shortcuts (known-author match, per-hour date prefix, per-day instant) against the full rules. */

describe('AuthorResolver.knownAt', () => {
  function resolverWith(...names: string[]): AuthorResolver {
    const resolver = new AuthorResolver();
    for (const name of names) expect(resolver.resolve(name)).toBe(name);
    return resolver;
  }

  it('finds an accepted author followed by ": " and nothing else', () => {
    const resolver = resolverWith('Ana', 'Ana Lima', 'Bob:');
    const line = 'Ana Lima: hello';
    expect(resolver.knownAt(line, 0, line.length)).toBe('Ana Lima');
    expect(resolver.knownAt('Ana: hi', 0, 7)).toBe('Ana');
    expect(resolver.knownAt('Bob:: hi', 0, 8)).toBe('Bob:');
    // Not followed by ": ", or the ": " beyond the line's end: the full rule decides.
    expect(resolver.knownAt('Anabel: hi', 0, 10)).toBeNull();
    expect(resolver.knownAt('Ana:x', 0, 5)).toBeNull();
    expect(resolver.knownAt('Ana: hi', 0, 4)).toBeNull();
    expect(resolver.knownAt('Rui: hi', 0, 7)).toBeNull();
  });

  it('tells apart names whose first code units share a bucket', () => {
    // U+0141 and "A" fall in the same bucket (their low bytes are equal).
    const resolver = resolverWith('A', '\u0141ukasz');
    expect(resolver.knownAt('\u0141ukasz: cze\u015b\u0107', 0, 14)).toBe('\u0141ukasz');
    expect(resolver.knownAt('A: hi', 0, 5)).toBe('A');
  });

  it('reads at an offset of a larger buffer', () => {
    const resolver = resolverWith('Ana');
    const buffer = '[01/02/2024, 10:00:00] Ana: hi\nnext line';
    expect(resolver.knownAt(buffer, 23, 30)).toBe('Ana');
  });

  it('never answers with a name that contains ": " (its first ": " is inside it)', () => {
    const resolver = resolverWith('Dr: Who');
    expect(resolver.knownAt('Dr: Who: hi', 0, 11)).toBeNull();
  });
});

describe('WallClock.uniformDayStart', () => {
  it('is the instant of midnight on days with one offset, NaN on days the offset changes', () => {
    const lisbon = new WallClock('Europe/Lisbon');
    expect(lisbon.uniformDayStart(2024, 7, 15)).toBe(lisbon.toInstant(2024, 7, 15, 0, 0, 0));
    expect(lisbon.uniformDayStart(2024, 3, 31)).toBeNaN();
    expect(lisbon.uniformDayStart(2024, 10, 27)).toBeNaN();
    expect(new WallClock('UTC').uniformDayStart(2024, 3, 31)).toBe(Date.UTC(2024, 2, 31));
  });

  it('plus the time of day gives what toInstant gives, over a year of days', () => {
    for (const zone of ['America/Sao_Paulo', 'Europe/Lisbon', 'Asia/Kolkata', 'UTC']) {
      const clock = new WallClock(zone);
      for (let day = 0; day < 366; day += 1) {
        const date = new Date(Date.UTC(2023, 0, 1 + day));
        const [year, month, dayOfMonth] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
        const start = clock.uniformDayStart(year, month, dayOfMonth);
        if (Number.isNaN(start)) continue;
        for (const [hour, minute, second] of [
          [0, 0, 0],
          [9, 26, 53],
          [23, 59, 59],
        ] as const) {
          expect(start + ((hour * 60 + minute) * 60 + second) * 1000).toBe(
            clock.toInstant(year, month, dayOfMonth, hour, minute, second),
          );
        }
      }
    }
  });
});

describe('parser dates and instants', () => {
  const times = [
    '2024-03-30T23:59:59',
    '2024-03-31T00:00:00',
    '2024-03-31T00:59:07',
    '2024-03-31T01:00:01',
    '2024-03-31T01:30:00',
    '2024-03-31T02:30:15',
    '2024-03-31T02:30:15',
    '2024-03-31T02:31:00',
    '2024-03-31T10:00:01',
    '2024-04-01T09:05:09',
  ];
  const messages: FixtureMessage[] = times.map((date, index) => ({date, author: 'Ana', text: `m${index}`}));

  it('prints every date with its seconds across hour, day and offset changes', () => {
    for (const timezone of ['UTC', 'Europe/Lisbon', 'Europe/Berlin']) {
      const text = buildChat({layout: 'ios-en-gb', messages});
      const {messages: parsed, summary} = parseChatText(text, {timezone});
      expect(parsed.map((message) => message.date)).toEqual(times);
      const clock = new WallClock(timezone);
      expect(parsed.map((message) => message.instantMs)).toEqual(
        times.map((time) => {
          const [year, month, day, hour, minute, second] = time.split(/[-T:]/).map(Number) as [
            number,
            number,
            number,
            number,
            number,
            number,
          ];
          return clock.toInstant(year, month, day, hour, minute, second);
        }),
      );
      expect(summary.firstDate).toBe(times[0]);
      expect(summary.lastDate).toBe(times.at(-1));
    }
  });

  it('gives the same result when a parse follows another one in the same process', () => {
    const text = buildChat({layout: 'ios-en-gb', messages});
    const first = parseChatText(text, {timezone: 'Europe/Lisbon'});
    const other = parseChatText(buildChat({layout: 'android-en-us', messages}), {timezone: 'UTC'});
    expect(other.messages).toHaveLength(messages.length);
    const second = parseChatText(text, {timezone: 'Europe/Lisbon'});
    expect(second.messages).toEqual(first.messages);
    expect({...second.summary}).toEqual({...first.summary});
  });
});
