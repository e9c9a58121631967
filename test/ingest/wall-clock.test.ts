import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {daysFromCivil, resolveTimeZone, systemTimeZone, WallClock} from '../../src/ingest/wall-clock.js';
import {ExitCode} from '../../src/util/exit-codes.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('WallClock', () => {
  it('computes day numbers like Date.UTC', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1600, max: 2400}),
        fc.integer({min: 1, max: 12}),
        fc.integer({min: 1, max: 28}),
        (y, m, d) => {
          expect(daysFromCivil(y, m, d) * 86_400_000).toBe(Date.UTC(y, m - 1, d));
        },
      ),
    );
  });

  it('reads UTC as is', () => {
    expect(iso(new WallClock('UTC').toInstant(2024, 3, 31, 1, 30, 0))).toBe('2024-03-31T01:30:00.000Z');
  });

  it('applies summer and winter offsets', () => {
    const lisbon = new WallClock('Europe/Lisbon');
    expect(iso(lisbon.toInstant(2024, 1, 15, 12, 0, 0))).toBe('2024-01-15T12:00:00.000Z');
    expect(iso(lisbon.toInstant(2024, 7, 15, 12, 0, 0))).toBe('2024-07-15T11:00:00.000Z');
    const saoPaulo = new WallClock('America/Sao_Paulo');
    expect(iso(saoPaulo.toInstant(2024, 7, 15, 12, 0, 0))).toBe('2024-07-15T15:00:00.000Z');
    const kolkata = new WallClock('Asia/Kolkata');
    expect(iso(kolkata.toInstant(2024, 7, 15, 12, 0, 0))).toBe('2024-07-15T06:30:00.000Z');
  });

  it('moves a time skipped by spring-forward past the gap', () => {
    const newYork = new WallClock('America/New_York');
    // 2024-03-10 02:30 does not exist in New York; read with the offset before the gap (-5h).
    expect(iso(newYork.toInstant(2024, 3, 10, 2, 30, 0))).toBe('2024-03-10T07:30:00.000Z');
    expect(iso(newYork.toInstant(2024, 3, 10, 1, 59, 59))).toBe('2024-03-10T06:59:59.000Z');
    expect(iso(newYork.toInstant(2024, 3, 10, 3, 0, 0))).toBe('2024-03-10T07:00:00.000Z');
  });

  it('takes the earlier instant of a time repeated by fall-back', () => {
    const newYork = new WallClock('America/New_York');
    expect(iso(newYork.toInstant(2024, 11, 3, 1, 30, 0))).toBe('2024-11-03T05:30:00.000Z');
    expect(iso(newYork.toInstant(2024, 11, 3, 0, 30, 0))).toBe('2024-11-03T04:30:00.000Z');
    expect(iso(newYork.toInstant(2024, 11, 3, 2, 30, 0))).toBe('2024-11-03T07:30:00.000Z');
  });

  it('handles half-hour changes (Lord Howe)', () => {
    const lordHowe = new WallClock('Australia/Lord_Howe');
    // DST starts 2024-10-06 at 02:00, clocks go to 02:30 (+10:30 → +11).
    expect(iso(lordHowe.toInstant(2024, 10, 6, 1, 59, 0))).toBe('2024-10-05T15:29:00.000Z');
    expect(iso(lordHowe.toInstant(2024, 10, 6, 2, 45, 0))).toBe('2024-10-05T15:45:00.000Z');
  });

  it('agrees with Intl for any instant that shows the wall time (round trip)', () => {
    const zones = [
      'Europe/Lisbon',
      'America/New_York',
      'Australia/Sydney',
      'Asia/Tehran',
      'America/Sao_Paulo',
      'Pacific/Chatham',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({min: Date.UTC(2015, 0, 1), max: Date.UTC(2030, 0, 1)}),
        (zone, instant) => {
          const whole = Math.floor(instant / 1000) * 1000;
          const parts: Record<string, number> = Object.fromEntries(
            new Intl.DateTimeFormat('en-US', {
              timeZone: zone,
              hourCycle: 'h23',
              year: 'numeric',
              month: 'numeric',
              day: 'numeric',
              hour: 'numeric',
              minute: 'numeric',
              second: 'numeric',
            })
              .formatToParts(whole)
              .map((part) => [part.type, Number(part.value)]),
          );
          const clock = new WallClock(zone);
          const part = (type: string) => parts[type] ?? Number.NaN;
          const back = clock.toInstant(
            part('year'),
            part('month'),
            part('day'),
            part('hour'),
            part('minute'),
            part('second'),
          );
          // The same wall time maps back to this instant, or (in an overlap) to the earlier one.
          expect(back === whole || (back < whole && whole - back <= 3_600_000)).toBe(true);
        },
      ),
      {numRuns: 400},
    );
  });

  it('refuses an unknown zone as a usage error', () => {
    expect(() => resolveTimeZone('Mars/Olympus_Mons')).toThrowError(
      expect.objectContaining({exitCode: ExitCode.usage}),
    );
    expect(resolveTimeZone(undefined)).toBe(resolveTimeZone(systemTimeZone()));
    expect(resolveTimeZone('europe/lisbon')).toBe('Europe/Lisbon');
  });
});
