import {describe, expect, it} from 'vitest';
import {canonicalJson, fingerprintOf} from '../../src/util/canonical.js';
import {formatCount, formatDuration, formatLocalTime, shortId} from '../../src/util/format.js';
import {resolveStatePaths} from '../../src/util/paths.js';
import {shouldColor} from '../../src/util/terminal.js';

describe('formatDuration', () => {
  it.each([
    [null, '-'],
    [0, '0.00s'],
    [12.449, '12.45s'],
    [59.994, '59.99s'],
    [60, '1m 00s'],
    [185, '3m 05s'],
    [3599.4, '59m 59s'],
    [3600, '1h 00m 00s'],
    [7385, '2h 03m 05s'],
  ])('%s → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('formatCount and shortId', () => {
  it('groups thousands and shows unknowns as a dash', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(null)).toBe('-');
    expect(formatCount(Number.NaN)).toBe('-');
    expect(formatCount(999_999.5)).toBe('1,000,000');
    expect(formatCount(-1234.5)).toBe('-1,235');
    // The same text as en-US grouping, for every digit count a count can have.
    const reference = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});
    for (
      let value = 1, step = 7;
      value < Number.MAX_SAFE_INTEGER;
      value = value * 10 + step, step = (step + 3) % 10
    ) {
      expect(formatCount(value)).toBe(reference.format(value));
      expect(formatCount(-value)).toBe(reference.format(-value));
    }
    expect(shortId('3f2a9c1e-0000-4000-8000-000000000001')).toBe('3f2a9c1e');
  });

  it('prints instants as local wall-clock time', () => {
    expect(formatLocalTime('2026-11-22T04:00:00Z')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(formatLocalTime(null)).toBe('-');
  });
});

describe('canonical JSON', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({b: 1, a: {d: [1, {z: 1, y: 2}], c: null}})).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(fingerprintOf({a: 1, b: 2})).toBe(fingerprintOf({b: 2, a: 1}));
    expect(fingerprintOf({a: 1})).not.toBe(fingerprintOf({a: 2}));
    expect(fingerprintOf({a: 1})).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('resolveStatePaths', () => {
  it('prefers --dir, then EGREGORA_DIR, then ./.egregora', () => {
    expect(resolveStatePaths('/tmp/x', {EGREGORA_DIR: '/tmp/y'}).runsDb).toBe('/tmp/x/runs.duckdb');
    expect(resolveStatePaths(undefined, {EGREGORA_DIR: '/tmp/y'}).pipelineDb).toBe('/tmp/y/pipeline.duckdb');
    expect(resolveStatePaths(undefined, {}).stateDir).toBe(`${process.cwd()}/.egregora`);
  });
});

describe('shouldColor', () => {
  const tty = {isTTY: true} as NodeJS.WriteStream;
  const pipe = {isTTY: false} as NodeJS.WriteStream;
  it('colours a TTY unless NO_COLOR or TERM=dumb, and FORCE_COLOR forces', () => {
    expect(shouldColor(tty, {})).toBe(true);
    expect(shouldColor(pipe, {})).toBe(false);
    expect(shouldColor(tty, {NO_COLOR: '1'})).toBe(false);
    expect(shouldColor(tty, {TERM: 'dumb'})).toBe(false);
    expect(shouldColor(pipe, {FORCE_COLOR: '1'})).toBe(true);
    expect(shouldColor(pipe, {FORCE_COLOR: '1', NO_COLOR: '1'})).toBe(false);
  });
});
