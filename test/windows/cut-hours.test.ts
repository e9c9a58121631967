import {describe, expect, it} from 'vitest';
import {cutWindows} from '../../src/windows/index.js';
import {BASE_MS, chatAtMinutes, MINUTE_MS, message, positions} from './fixtures.js';

const cut = (minutes: readonly number[], size: number, overlap = 0) =>
  cutWindows(chatAtMinutes(minutes), {unit: 'hours', size, overlap}).map((window) =>
    positions(window.messages),
  );

describe('cutWindows by hours', () => {
  it('cuts fixed spans from the first message instant, not from the clock hour', () => {
    // The grid starts at minute 50: spans [50, 110), [110, 170)…
    expect(cut([50, 100, 109, 110, 169, 170], 1)).toEqual([[0, 1, 2], [3, 4], [5]]);
  });

  it('skips spans without messages and keeps indices contiguous', () => {
    const windows = cutWindows(chatAtMinutes([0, 30, 5 * 60, 5 * 60 + 1, 48 * 60]), {
      unit: 'hours',
      size: 1,
      overlap: 0,
    });
    expect(windows.map((window) => positions(window.messages))).toEqual([[0, 1], [2, 3], [4]]);
    expect(windows.map((window) => window.index)).toEqual([0, 1, 2]);
  });

  it('spans several hours per window', () => {
    expect(cut([0, 60, 119, 120, 239, 240], 2)).toEqual([[0, 1, 2], [3, 4], [5]]);
  });

  it('extends each span forward by overlap × size hours', () => {
    // size 2 h, overlap 0.5: window k covers [2k h, 2k h + 3 h). The third span (minute 250) is
    // entirely inside window 1's overlap, so it adds nothing and is not emitted.
    expect(cut([0, 100, 130, 170, 190, 250], 2, 0.5)).toEqual([
      [0, 1, 2, 3],
      [2, 3, 4, 5],
    ]);
    expect(cut([0, 100, 130, 170, 190, 250, 330], 2, 0.5)).toEqual([
      [0, 1, 2, 3],
      [2, 3, 4, 5],
      [5, 6],
    ]);
  });

  it('drops a span whose messages are all in the previous window overlap', () => {
    // Span 1 ([60, 120)) only has minute 61, which window 0's overlap (up to 90) already holds.
    expect(cut([0, 61], 1, 0.5)).toEqual([[0, 1]]);
  });

  it('keeps a message whose clock went backwards with its neighbours, in file order', () => {
    const messages = [
      message(0, {instantMs: BASE_MS}),
      message(1, {instantMs: BASE_MS + 70 * MINUTE_MS}),
      message(2, {instantMs: BASE_MS - 600 * MINUTE_MS}),
      message(3, {instantMs: BASE_MS + 80 * MINUTE_MS}),
      message(4, {instantMs: BASE_MS + 130 * MINUTE_MS}),
    ];
    const windows = cutWindows(messages, {unit: 'hours', size: 1, overlap: 0});
    expect(windows.map((window) => positions(window.messages))).toEqual([[0], [1, 2, 3], [4]]);
    expect(windows[1]?.startMs).toBe(BASE_MS + 70 * MINUTE_MS);
    expect(windows[1]?.endMs).toBe(BASE_MS + 80 * MINUTE_MS);
  });

  it('puts a whole chat within one span into one window', () => {
    expect(cut([0, 1, 2, 3], 24)).toEqual([[0, 1, 2, 3]]);
  });
});
