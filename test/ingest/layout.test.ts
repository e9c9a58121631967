import {describe, expect, it} from 'vitest';
import {decideDateOrder} from '../../src/ingest/date-order.js';
import {
  HeaderMatcher,
  layoutName,
  NOT_A_HEADER,
  NOT_THIS_LAYOUT,
  platformOf,
  probeHeader,
} from '../../src/ingest/layout.js';
import {expectedDate, formatHeader, LAYOUT_IDS, LAYOUTS, type LayoutId} from '../fixtures/index.js';

function probed(line: string) {
  const probe = probeHeader(line);
  if (!probe) throw new Error(`"${line}" does not probe as a header`);
  return probe;
}

function matcherFor(id: LayoutId): HeaderMatcher {
  const layout = LAYOUTS[id];
  const probe = probeHeader(`${formatHeader(layout, '2023-12-31T23:59:59')}Alice: hi`);
  if (!probe) throw new Error(`${id} does not probe`);
  return new HeaderMatcher(probe.shape, layout.order);
}

function read(matcher: HeaderMatcher, line: string): {body: string; date: string} | null {
  const body = matcher.match(line, 0, line.length);
  if (body < 0) return null;
  const pad = (value: number) => String(value).padStart(2, '0');
  return {
    body: line.slice(body),
    date: `${matcher.year}-${pad(matcher.month)}-${pad(matcher.day)}T${pad(matcher.hour)}:${pad(matcher.minute)}:${pad(matcher.second)}`,
  };
}

describe('header layouts', () => {
  it.each(LAYOUT_IDS)('%s: probes to its layout and platform', (id) => {
    const layout = LAYOUTS[id];
    const probe = probed(`${formatHeader(layout, '2024-02-29T07:05:09')}Alice: hi`);
    expect(layoutName(probe.shape)).toBe(layout.header);
    expect(platformOf(probe.shape)).toBe(layout.platform);
    expect(probe.shape.twelveHour).toBe(layout.clock === '12h');
    expect(probe.shape.seconds).toBe(layout.seconds);
  });

  it.each(LAYOUT_IDS)('%s: reads every hour of the day, 12 AM as 00 and 12 PM as 12', (id) => {
    const matcher = matcherFor(id);
    for (let hour = 0; hour < 24; hour += 1) {
      const date = `2024-02-29T${String(hour).padStart(2, '0')}:05:09`;
      const line = `${formatHeader(id, date)}Alice: hi`;
      expect(read(matcher, line)).toEqual({body: 'Alice: hi', date: expectedDate(id, date)});
    }
  });

  it.each(LAYOUT_IDS)('%s: an LRM before the timestamp is framing', (id) => {
    const matcher = matcherFor(id);
    const line = `\u200e${formatHeader(id, '2024-01-02T03:04:05')}Alice: \u200eimage omitted`;
    expect(read(matcher, line)?.body).toBe('Alice: \u200eimage omitted');
  });

  it('reads every 12-hour marker form', () => {
    const shapes = [
      '1/2/24, 1:05 PM - A: x',
      '1/2/24, 1:05 pm - A: x',
      '1/2/24, 1:05\u202fPM - A: x',
      '1/2/24, 1:05 p.m. - A: x',
      '1/2/24, 1:05\u202fp.m. - A: x',
      '1/2/24, 1:05 p.\u00a0m. - A: x',
      '1/2/24, 1:05\u202fp.\u00a0m. - A: x',
      '1/2/24, 1:05 p. m. - A: x',
    ];
    for (const line of shapes) {
      const matcher = new HeaderMatcher(probed(line).shape, 'MDY');
      expect(read(matcher, line), line).toEqual({body: 'A: x', date: '2024-01-02T13:05:00'});
    }
  });

  it('accepts the empty body of a 2024 system line, with or without the trailing space', () => {
    const matcher = matcherFor('android-en-gb');
    expect(read(matcher, '31/12/2020, 23:59 - ')?.body).toBe('');
    expect(read(matcher, '31/12/2020, 23:59 -')?.body).toBe('');
    const ios = matcherFor('ios-en-gb');
    expect(read(ios, '[31/12/2020, 23:59:59]')?.body).toBe('');
  });

  it('rejects lines of other layouts and impossible dates', () => {
    const android = matcherFor('android-en-gb');
    for (const line of [
      '10:30 - meeting',
      '31/12/2020 - Alice: no time',
      '[31/12/2020, 23:59:59] Alice: an iOS header',
      '31/12/2020 23:59 - Alice: no comma',
      '31.12.2020, 23:59 - Alice: other separator',
      '31/12/20, 23:59 - Alice: two-digit year',
      '31/12/2020, 11:59 PM - Alice: 12-hour',
      '31/12/2020, 23:59:59 - Alice: seconds',
      '32/12/2020, 23:59 - Alice: day 32',
      '31/13/2020, 23:59 - Alice: month 13',
      '30/02/2020, 23:59 - Alice: February 30',
      '29/02/2021, 23:59 - Alice: not a leap year',
      '31/12/2020, 24:00 - Alice: hour 24',
      '31/12/2020, 23:60 - Alice: minute 60',
      '31/12/2020, 23:59 – Alice: en dash',
      '31/12/2020, 23:59 -Alice: no space',
    ]) {
      expect(read(android, line), line).toBeNull();
    }
    expect(read(android, '29/02/2024, 23:59 - Alice: leap day')?.date).toBe('2024-02-29T23:59:00');
  });

  it('tells a line no header can start from a line that may be a header of another layout', () => {
    // The parser looks again only at the second kind: the first costs it nothing more.
    const android = matcherFor('android-en-gb');
    const ios = matcherFor('ios-en-gb');
    for (const matcher of [android, ios]) {
      for (const line of ['coffee at 10', ' 12/03/2024, 10:00 - A: leading space', '', '-', 'é']) {
        expect(matcher.match(line, 0, line.length), JSON.stringify(line)).toBe(NOT_A_HEADER);
      }
      for (const line of ['10:30 - coffee', '\u200e\u200f4\u200f/2\u200f/2025\u060c 11:23:38 AM - A: x']) {
        expect(matcher.match(line, 0, line.length), JSON.stringify(line)).toBe(NOT_THIS_LAYOUT);
      }
    }
    expect(android.match('[31/12/2020, 23:59:59] A: x', 0, 27)).toBe(NOT_THIS_LAYOUT);
    expect(ios.match('31/12/2020, 23:59 - A: x', 0, 24)).toBe(NOT_THIS_LAYOUT);
    expect(android.match('32/12/2020, 23:59 - A: day 32', 0, 29)).toBe(NOT_THIS_LAYOUT);
  });

  it('reads the same digits by the order decided for the file', () => {
    const probe = probed('03/04/2024, 10:00 - A: x');
    expect(read(new HeaderMatcher(probe.shape, 'DMY'), '03/04/2024, 10:00 - A: x')?.date).toBe(
      '2024-04-03T10:00:00',
    );
    expect(read(new HeaderMatcher(probe.shape, 'MDY'), '03/04/2024, 10:00 - A: x')?.date).toBe(
      '2024-03-04T10:00:00',
    );
  });
});

describe('day/month order', () => {
  const shape = probed('03/04/2024, 10:00 - A: x').shape;
  const usShape = probed('3/4/24, 10:00 AM - A: x').shape;

  it('takes YMD from a year-first layout', () => {
    const ymd = probed('2024-03-04, 10:00 - A: x').shape;
    expect(decideDateOrder(ymd, [[2024, 3, 4]])).toEqual({order: 'YMD', basis: 'year-first'});
  });

  it('takes the order from a part above 12, by majority', () => {
    expect(
      decideDateOrder(shape, [
        [3, 4, 2024],
        [13, 4, 2024],
      ]),
    ).toEqual({order: 'DMY', basis: 'part-over-12'});
    expect(
      decideDateOrder(shape, [
        [3, 4, 2024],
        [4, 13, 2024],
      ]),
    ).toEqual({order: 'MDY', basis: 'part-over-12'});
    expect(
      decideDateOrder(shape, [
        [4, 13, 2024],
        [4, 14, 2024],
        [15, 4, 2024],
      ]).order,
    ).toBe('MDY');
  });

  it('takes the order from how the dates move when every part is ≤ 12', () => {
    const dayByDay = Array.from({length: 12}, (_, index) => [index + 1, 5, 2024] as const);
    expect(decideDateOrder(shape, dayByDay)).toEqual({order: 'DMY', basis: 'movement'});
    const monthDay = Array.from({length: 12}, (_, index) => [5, index + 1, 2024] as const);
    expect(decideDateOrder(usShape, monthDay)).toEqual({order: 'MDY', basis: 'movement'});
  });

  it('is not fooled by timestamps going backwards now and then', () => {
    const samples: [number, number, number][] = [];
    for (let day = 1; day <= 12; day += 1) samples.push([day, 7, 2024], [day, 7, 2024]);
    samples.splice(10, 0, [2, 7, 2024]);
    expect(decideDateOrder(shape, samples).order).toBe('DMY');
  });

  it('falls back to the locale when one date is all there is', () => {
    expect(decideDateOrder(shape, [[3, 4, 2024]])).toEqual({order: 'DMY', basis: 'locale-default'});
    expect(decideDateOrder(usShape, [[3, 4, 24]])).toEqual({order: 'MDY', basis: 'locale-default'});
  });
});
