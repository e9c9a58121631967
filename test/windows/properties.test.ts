import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../schemas/message.js';
import type {WindowSpec} from '../../schemas/window.js';
import {cutWindows} from '../../src/windows/index.js';
import {BASE_MS, MINUTE_MS, message, positions} from './fixtures.js';

/** Chats with realistic gaps (seconds to days), occasional backwards clocks and texts of any size. */
const chatArbitrary = fc
  .array(
    fc.record({
      gapMinutes: fc.oneof(fc.integer({min: 0, max: 30}), fc.integer({min: -120, max: 3 * 24 * 60})),
      textLength: fc.oneof(fc.integer({min: 0, max: 200}), fc.integer({min: 0, max: 5000})),
    }),
    {maxLength: 300},
  )
  .map((steps) => {
    let instantMs = BASE_MS;
    return steps.map((step, position): ChatMessage => {
      instantMs += step.gapMinutes * MINUTE_MS;
      return message(position, {instantMs, text: 'é'.repeat(step.textLength)});
    });
  });

const specArbitrary: fc.Arbitrary<WindowSpec> = fc.oneof(
  fc.record({
    unit: fc.constant('messages' as const),
    size: fc.integer({min: 1, max: 120}),
    overlap: fc.double({min: 0, max: 0.5, noNaN: true}),
  }),
  fc.record({
    unit: fc.constant('hours' as const),
    size: fc.integer({min: 1, max: 72}),
    overlap: fc.double({min: 0, max: 0.5, noNaN: true}),
  }),
  fc.record({
    unit: fc.constant('bytes' as const),
    size: fc.integer({min: 1024, max: 20_000}),
    overlap: fc.double({min: 0, max: 0.5, noNaN: true}),
  }),
);

describe('cutWindows invariants (property)', () => {
  it('covers every message, in order, with contiguous runs and indices, never repeating a window', () => {
    fc.assert(
      fc.property(chatArbitrary, specArbitrary, (messages, spec) => {
        const windows = cutWindows(messages, spec);
        expect(windows.length === 0).toBe(messages.length === 0);
        expect(windows.map((window) => window.index)).toEqual(windows.map((_, i) => i));
        const seen = new Set<number>();
        let previousFirst = -1;
        let previousLast = -1;
        for (const window of windows) {
          const covered = positions(window.messages);
          expect(covered.length).toBeGreaterThan(0);
          covered.forEach((position, i) => {
            if (i > 0) expect(position).toBe((covered[i - 1] as number) + 1);
            seen.add(position);
          });
          expect(covered[0] as number).toBeGreaterThan(previousFirst);
          expect(covered[0] as number).toBeLessThanOrEqual(previousLast + 1);
          expect(covered.at(-1) as number).toBeGreaterThan(previousLast);
          previousFirst = covered[0] as number;
          previousLast = covered.at(-1) as number;
        }
        expect(seen.size).toBe(messages.length);
      }),
      {numRuns: 300},
    );
  });

  it('with overlap 0, puts each message in exactly one window', () => {
    fc.assert(
      fc.property(chatArbitrary, specArbitrary, (messages, spec) => {
        const windows = cutWindows(messages, {...spec, overlap: 0});
        expect(windows.flatMap((window) => window.messages)).toEqual(messages);
      }),
      {numRuns: 300},
    );
  });

  it('keeps byte windows within the budget unless a single message is larger', () => {
    fc.assert(
      fc.property(chatArbitrary, fc.integer({min: 1024, max: 8192}), (messages, size) => {
        for (const window of cutWindows(messages, {unit: 'bytes', size, overlap: 0})) {
          const bytes = window.messages.reduce((sum, each) => sum + Buffer.byteLength(each.text), 0);
          if (window.messages.length > 1) expect(bytes).toBeLessThanOrEqual(size);
        }
      }),
      {numRuns: 200},
    );
  });

  it('is deterministic: the same chat and spec give the same fingerprints', () => {
    fc.assert(
      fc.property(chatArbitrary, specArbitrary, (messages, spec) => {
        const once = cutWindows(messages, spec).map((window) => window.fingerprint);
        const twice = cutWindows(structuredClone(messages), spec).map((window) => window.fingerprint);
        expect(twice).toEqual(once);
      }),
      {numRuns: 100},
    );
  });
});
