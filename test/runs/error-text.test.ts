import {describe, expect, it} from 'vitest';
import {
  ERROR_CAUSE_MAX_DEPTH,
  ERROR_TEXT_MAX_CHARS,
  formatErrorText,
  truncateText,
} from '../../src/runs/error-text.js';

class WriterBudgetError extends Error {}

describe('formatErrorText', () => {
  it('starts with Type: message and never includes a stack', () => {
    const error = new TypeError('cannot read the window');
    expect(error.stack).toContain('at ');
    expect(formatErrorText(error)).toBe('TypeError: cannot read the window');
  });

  it('uses the class name when a subclass did not set name', () => {
    expect(formatErrorText(new WriterBudgetError('prompt too long'))).toBe(
      'WriterBudgetError: prompt too long',
    );
  });

  it('adds the context, system error details and the cause chain', () => {
    const system = Object.assign(new Error("ENOENT: no such file or directory, open 'posts/a.md'"), {
      code: 'ENOENT',
      syscall: 'open',
      path: 'posts/a.md',
    });
    const error = new Error('could not write the post', {cause: system});
    expect(formatErrorText(error, {context: 'window 3'})).toBe(
      [
        'Error: could not write the post',
        'context: window 3',
        "caused by: Error: ENOENT: no such file or directory, open 'posts/a.md'",
        '  (code ENOENT, syscall open, path posts/a.md)',
      ].join('\n'),
    );
  });

  it('bounds deep and cyclic cause chains', () => {
    let error: Error = new Error('root');
    for (let depth = 1; depth <= ERROR_CAUSE_MAX_DEPTH + 3; depth += 1)
      error = new Error(`level ${depth}`, {cause: error});
    const text = formatErrorText(error);
    expect(text.split('\n').filter((line) => line.startsWith('caused by: Error'))).toHaveLength(
      ERROR_CAUSE_MAX_DEPTH,
    );
    // 8 wrappers around a root: the head, ERROR_CAUSE_MAX_DEPTH causes, and the remaining 3 counted.
    expect(text).toContain('caused by: … (3 more)');

    const a = new Error('a');
    const b = new Error('b', {cause: a});
    (a as {cause?: unknown}).cause = b;
    expect(formatErrorText(a)).toBe(
      'Error: a\ncaused by: Error: b\ncaused by: (a cycle back to an earlier error)',
    );
  });

  it('describes values that are not errors', () => {
    expect(formatErrorText('fallback writer used')).toBe('fallback writer used');
    expect(formatErrorText(42)).toBe('NonError: number 42');
    expect(formatErrorText(undefined)).toBe('NonError: undefined was thrown');
    expect(formatErrorText({reason: 'x'})).toBe('NonError: {"reason":"x"}');
    expect(formatErrorText(new Error(''))).toBe('Error');
  });

  it('lists the first members of an AggregateError', () => {
    const error = new AggregateError(
      [new Error('one'), new RangeError('two'), 'three', new Error('four')],
      'several failed',
    );
    expect(formatErrorText(error)).toBe(
      [
        'AggregateError: several failed',
        '  - Error: one',
        '  - RangeError: two',
        '  - three',
        '  - … and 1 more',
      ].join('\n'),
    );
  });

  it('truncates to the maximum with a visible marker that says how much was cut', () => {
    const text = formatErrorText(new Error('x'.repeat(10_000)));
    expect(text.length).toBeLessThanOrEqual(ERROR_TEXT_MAX_CHARS);
    const marker = /… \[truncated (\d+) characters\]$/.exec(text);
    expect(marker).not.toBeNull();
    expect(text.length - (marker?.[0].length ?? 0) + Number(marker?.[1])).toBe('Error: '.length + 10_000);
    expect(text.startsWith('Error: xxx')).toBe(true);
    expect(truncateText('short', 100)).toBe('short');
    const cut = truncateText('y'.repeat(200), 60);
    const marker200 = '… [truncated 168 characters]';
    expect(cut).toBe(`${'y'.repeat(60 - marker200.length)}${marker200}`);
    expect(cut).toHaveLength(60);
  });
});
