import {describe, expect, it} from 'vitest';
import {WindowSchema} from '../../schemas/window.js';
import {cutWindows} from '../../src/windows/index.js';
import {chat, positions} from './fixtures.js';

const ranges = (count: number, size: number, overlap: number) =>
  cutWindows(chat(count), {unit: 'messages', size, overlap}).map((window) => {
    const covered = positions(window.messages);
    return [covered[0], (covered.at(-1) as number) + 1];
  });

describe('cutWindows by messages', () => {
  it('gives no windows for no messages, whatever the unit', () => {
    expect(cutWindows([], {unit: 'messages', size: 100, overlap: 0})).toEqual([]);
    expect(cutWindows([], {unit: 'hours', size: 1, overlap: 0.5})).toEqual([]);
    expect(cutWindows([], {unit: 'bytes', size: 1024, overlap: 0})).toEqual([]);
  });

  it('cuts consecutive steps of size, the last one shorter', () => {
    expect(ranges(250, 100, 0)).toEqual([
      [0, 100],
      [100, 200],
      [200, 250],
    ]);
    expect(ranges(200, 100, 0)).toEqual([
      [0, 100],
      [100, 200],
    ]);
  });

  it('adds round(size × overlap) messages to the end of each window, clipped at the end', () => {
    expect(ranges(250, 100, 0.1)).toEqual([
      [0, 110],
      [100, 210],
      [200, 250],
    ]);
    expect(ranges(10, 4, 0.5)).toEqual([
      [0, 6],
      [4, 10],
    ]);
  });

  it('drops a last window that would only repeat messages of the previous one', () => {
    expect(ranges(105, 100, 0.1)).toEqual([[0, 105]]);
    expect(ranges(110, 100, 0.1)).toEqual([[0, 110]]);
    expect(ranges(111, 100, 0.1)).toEqual([
      [0, 110],
      [100, 111],
    ]);
  });

  it('rounds half an overlap message up (size 1, overlap 0.5 → windows of 2)', () => {
    expect(ranges(3, 1, 0.5)).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });

  it('numbers windows from 0 and describes their first and last message', () => {
    const messages = chat(25);
    const windows = cutWindows(messages, {unit: 'messages', size: 10, overlap: 0});
    expect(windows.map((window) => window.index)).toEqual([0, 1, 2]);
    const second = windows[1];
    expect(second?.firstDate).toBe(messages[10]?.date);
    expect(second?.lastDate).toBe(messages[19]?.date);
    expect(second?.startMs).toBe(messages[10]?.instantMs);
    expect(second?.endMs).toBe(messages[19]?.instantMs);
    expect(second?.part).toBeUndefined();
    for (const window of windows) expect(() => WindowSchema.parse(window)).not.toThrow();
  });

  it('keeps the message objects themselves (no copies)', () => {
    const messages = chat(3);
    expect(cutWindows(messages, {unit: 'messages', size: 10, overlap: 0})[0]?.messages[1]).toBe(messages[1]);
  });

  it('refuses specs outside the bounds, naming the range', () => {
    expect(() => cutWindows(chat(1), {unit: 'messages', size: 0, overlap: 0})).toThrow(
      /between 1 and 100000/,
    );
    expect(() => cutWindows(chat(1), {unit: 'messages', size: 100_001, overlap: 0})).toThrow(
      /between 1 and 100000/,
    );
    expect(() => cutWindows(chat(1), {unit: 'messages', size: 2.5, overlap: 0})).toThrow();
    expect(() => cutWindows(chat(1), {unit: 'messages', size: 10, overlap: 0.51})).toThrow();
    expect(() => cutWindows(chat(1), {unit: 'messages', size: 10, overlap: -0.1})).toThrow();
    expect(() => cutWindows(chat(1), {unit: 'hours', size: 8_761, overlap: 0})).toThrow(/between 1 and 8760/);
    expect(() => cutWindows(chat(1), {unit: 'bytes', size: 1023, overlap: 0})).toThrow(
      /between 1024 and 67108864/,
    );
  });
});
