/**
 * Bounds (issue 5.5). Every numeric flag a user can pass is bounded, and every value outside its range
 * (below the minimum, above the maximum, not a number, negative, a fraction for a whole number) is
 * refused with exit 2 and a message that states the range, before anything is written. `runs show`
 * treats whatever prefix it is given as text: SQL wildcards, quotes, spaces and non-hex characters
 * match nothing (exit 3) and never reach SQL.
 */
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {MAX_WINDOW_TOKENS_BOUNDS} from '../../src/pipeline/config.js';
import {tempDir} from '../helpers/cli.js';
import {writeChatExport} from '../pipeline/export-fixture.js';
import {assertBuilt, listEntries, mapLimit, query, STACK_TRACE, timedCli} from './helpers.js';

/** A number as a message may print it: `100000`, `100,000` or `100 000`. */
function numberPattern(value: number): string {
  const digits = String(value);
  if (!/^\d+$/.test(digits)) return digits.replace('.', '\\.');
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return groups.join('[,\\s\\u202f\\u00a0]?');
}

/** "from MIN to MAX", "between MIN and MAX", "MIN–MAX": the range in any wording, both ends present. */
function rangePattern(min: number | string, max: number | string): RegExp {
  const lo = typeof min === 'number' ? numberPattern(min) : min;
  const hi = typeof max === 'number' ? numberPattern(max) : max;
  return new RegExp(`(?<![\\d.])${lo}(?![\\d])[\\s\\S]{0,40}(?<![\\d.])${hi}(?![\\d])`);
}

interface Bounded {
  readonly flag: string;
  /** Arguments before the flag (the command, and a valid input for `process`). */
  readonly command: (zip: string) => string[];
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /** Extra flags that select the range (e.g. `--window-unit hours`). */
  readonly with?: readonly string[];
}

const PROCESS = (zip: string) => ['process', zip];

const FLAGS: readonly Bounded[] = [
  {flag: '-n', command: () => ['runs', 'tail'], min: 1, max: 1000, integer: true},
  {flag: '--limit', command: () => ['runs', 'list'], min: 1, max: 1000, integer: true},
  {
    flag: '--window-size',
    command: PROCESS,
    min: 1,
    max: 100_000,
    integer: true,
    with: ['--window-unit', 'messages'],
  },
  {
    flag: '--window-size',
    command: PROCESS,
    min: 1,
    max: 8760,
    integer: true,
    with: ['--window-unit', 'hours'],
  },
  {
    flag: '--window-size',
    command: PROCESS,
    min: 1024,
    max: 67_108_864,
    integer: true,
    with: ['--window-unit', 'bytes'],
  },
  {flag: '--overlap', command: PROCESS, min: 0, max: 0.5, integer: false},
  {flag: '--concurrency', command: PROCESS, min: 1, max: 32, integer: true},
  {
    flag: '--max-window-tokens',
    command: PROCESS,
    min: MAX_WINDOW_TOKENS_BOUNDS.min,
    max: MAX_WINDOW_TOKENS_BOUNDS.max,
    integer: true,
  },
];

/**
 * The out-of-range values for one flag: below the minimum, above the maximum, far above (past any
 * integer type), negative, not a number, a number with junk after it (parseInt would say 5), and a
 * fraction for a whole number (NaN for a decimal).
 */
function badValues(bounded: Bounded): string[] {
  const step = bounded.integer ? 1 : 0.01;
  return [
    ...new Set([
      String(Number((bounded.min - step).toFixed(2))),
      String(Number((bounded.max + step).toFixed(2))),
      '99999999999999999999999',
      '-1',
      'abc',
      '5x',
      bounded.integer ? String(bounded.min + 0.5) : 'NaN',
    ]),
  ];
}

describe.sequential('numeric flags are bounded; runs show prefixes are text', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;
  let project: string;

  beforeAll(async () => {
    assertBuilt();
    ({dir: root, cleanup} = await tempDir('egregora-bounds-'));
    zip = await writeChatExport(path.join(root, 'input'), 450);
    project = path.join(root, 'project');
    await mkdir(project, {recursive: true});
    const run = await timedCli(['process', zip, '--json'], {cwd: project});
    expect(run.code, run.stderr).toBe(0);
  });
  afterAll(async () => cleanup());

  async function refused(args: string[], range: RegExp) {
    const cwd = await emptyDir();
    const result = await timedCli(args, {cwd});
    const problems: string[] = [];
    if (result.code !== 2) problems.push(`exit ${result.code}, expected 2`);
    if (!range.test(result.stderr)) problems.push(`the message does not state the range ${range}`);
    if (STACK_TRACE.test(result.stderr)) problems.push('a stack trace');
    const written = await listEntries(cwd);
    if (written.length > 0) problems.push(`wrote ${written.join(', ')}`);
    return problems.length === 0
      ? null
      : `${args.slice(args[0] === 'process' ? 2 : 0).join(' ')} → ${problems.join('; ')}; stderr ${JSON.stringify(result.stderr.slice(0, 300))}`;
  }

  let dirCount = 0;
  async function emptyDir(): Promise<string> {
    dirCount += 1;
    const dir = path.join(root, 'cwd', String(dirCount));
    await mkdir(dir, {recursive: true});
    return dir;
  }

  it('every numeric flag refuses values out of its range with exit 2 and a message stating the range', async () => {
    const cases = FLAGS.flatMap((bounded) =>
      badValues(bounded).flatMap((value) => {
        const base = [...bounded.command(zip), ...(bounded.with ?? [])];
        const range = rangePattern(bounded.min, bounded.max);
        // Negative numbers as `--flag=-1` (below, `-n -1` is checked too: oclif could take it for a flag).
        const forms = value.startsWith('-')
          ? [
              [
                ...base,
                bounded.flag.startsWith('--') ? `${bounded.flag}=${value}` : `${bounded.flag}${value}`,
              ],
            ]
          : [[...base, bounded.flag, value]];
        return forms.map((args) => ({args, range}));
      }),
    );
    const problems = (await mapLimit(cases, 2, ({args, range}) => refused(args, range))).filter(
      (problem): problem is string => problem !== null,
    );
    expect(
      problems,
      `${problems.length} of ${cases.length} refusals are wrong:\n${problems.join('\n')}`,
    ).toEqual([]);
  }, 240_000);

  it('every numeric flag accepts both ends of its range', async () => {
    const dry = ['process', zip, '--dry-run'];
    const cases = [
      ['runs', 'tail', '-n', '1'],
      ['runs', 'tail', '-n', '1000'],
      ['runs', 'list', '--limit', '1'],
      ['runs', 'list', '--limit', '1000'],
      [...dry, '--window-size', '1', '--overlap', '0', '--concurrency', '1', '--max-window-tokens', '256'],
      [
        ...dry,
        '--window-size',
        '100000',
        '--overlap',
        '0.5',
        '--concurrency',
        '32',
        '--max-window-tokens',
        '2000000',
      ],
      [...dry, '--window-unit', 'hours', '--window-size', '1'],
      [...dry, '--window-unit', 'hours', '--window-size', '8760'],
      [...dry, '--window-unit', 'bytes', '--window-size', '1024'],
      [...dry, '--window-unit', 'bytes', '--window-size', '67108864'],
    ];
    const problems = (
      await mapLimit(cases, 2, async (args) => {
        const result = await timedCli(args, {cwd: project});
        return result.code === 0
          ? null
          : `${args.join(' ')} → exit ${result.code}: ${result.stderr.slice(0, 300)}`;
      })
    ).filter((problem): problem is string => problem !== null);
    expect(problems, problems.join('\n')).toEqual([]);
  }, 120_000);

  it('whole-number flags accept only decimal digits: 0x10 and 1e2 are refused with the range', async () => {
    const integers = FLAGS.filter((bounded) => bounded.integer && bounded.with === undefined);
    const cases = integers.flatMap((bounded) =>
      ['0x10', '1e2'].map((value) => ({
        args: [...bounded.command(zip), bounded.flag, value],
        range: rangePattern(bounded.min, bounded.max),
      })),
    );
    const problems = (await mapLimit(cases, 2, ({args, range}) => refused(args, range))).filter(
      (problem): problem is string => problem !== null,
    );
    expect(
      problems,
      `${problems.length} of ${cases.length} accepted or unclear:\n${problems.join('\n')}`,
    ).toEqual([]);
  }, 120_000);

  it('--max-size refuses sizes outside 1KiB–1TiB with exit 2 and the range', async () => {
    const cases = ['1000', '0', '-1', '2TiB', 'abc', '1.5.5MB', '10XB'].map((value) => ({
      args: ['process', zip, '--max-size', value],
      range: rangePattern('1\\s?KiB', '1\\s?TiB'),
    }));
    const problems = (await mapLimit(cases, 2, ({args, range}) => refused(args, range))).filter(
      (problem): problem is string => problem !== null,
    );
    expect(problems, problems.join('\n')).toEqual([]);
  }, 60_000);

  it('runs show treats %, _, quotes, spaces, unicode and non-hex prefixes as text: exit 3, no SQL error, the store intact', async () => {
    const runsDb = path.join(project, '.egregora', 'runs.duckdb');
    const [before] = await query(runsDb, 'SELECT count(*) AS n FROM runs');
    const prefixes = [
      '%%%%',
      '____',
      'abc%',
      'a_b_c',
      '%abc',
      "'; DROP TABLE runs; --",
      "' OR '1'='1",
      '"""""',
      'ab cd ef',
      '    abcd    x',
      '日本語のテキスト',
      'ñandú-ñandú',
      '🙂🙂🙂🙂',
      'zzzzzzzz',
      'ghij',
      '\\\\\\\\',
      '0000000g',
      `${'a'.repeat(33)}`,
    ];
    const JSON_TOO = new Set(['%%%%', "'; DROP TABLE runs; --", '日本語のテキスト']);
    const problems = (
      await mapLimit(prefixes, 2, async (prefix) => {
        // The JSON error path too, for a few (each spawn costs ~0.5 s on the CI machine).
        for (const json of JSON_TOO.has(prefix) ? [false, true] : [false]) {
          const args = ['runs', 'show', prefix, ...(json ? ['--json'] : [])];
          const result = await timedCli(args, {cwd: project});
          const output = `${result.stdout}\n${result.stderr}`;
          const issues: string[] = [];
          if (result.code !== 3) issues.push(`exit ${result.code}, expected 3`);
          if (/Parser Error|Binder Error|Catalog Error|Conversion Error|syntax error|SQL/i.test(output))
            issues.push('an SQL error reached the user');
          if (STACK_TRACE.test(result.stderr)) issues.push('a stack trace');
          if (!json && !/No run id starts with/.test(result.stderr))
            issues.push('no "No run id starts with" message');
          if (issues.length > 0)
            return `${JSON.stringify(prefix)}${json ? ' --json' : ''} → ${issues.join('; ')}: ${JSON.stringify(output.slice(0, 300))}`;
        }
        return null;
      })
    ).filter((problem): problem is string => problem !== null);
    expect(problems, problems.join('\n')).toEqual([]);
    expect(await query(runsDb, 'SELECT count(*) AS n FROM runs')).toEqual([before]);
  }, 120_000);
});
