import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ParseJsonLineSchema} from '../../schemas/message.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {buildChat, markerSpellingChat, newLayoutChats} from '../fixtures/index.js';
import {runCli, tempDir} from '../helpers/cli.js';

/** Issue 16 through the built CLI (`npm test` builds it first): what `parse` tells people. */

let cwd: string;
let cleanup: () => Promise<void>;

/** Two messages on one day, every part ≤ 12: nothing in the file decides the day/month order. */
const AMBIGUOUS = buildChat({
  layout: 'android-en-gb',
  messages: [
    {date: '2024-03-04T10:00', author: 'Ana', text: 'one'},
    {date: '2024-03-04T10:05', author: 'Rui', text: 'two'},
  ],
});

beforeAll(async () => {
  ({dir: cwd, cleanup} = await tempDir('egregora-parse-variants-'));
  await writeFile(path.join(cwd, 'mixed.txt'), markerSpellingChat().text);
  await writeFile(path.join(cwd, 'ambiguous.txt'), AMBIGUOUS);
  await writeFile(path.join(cwd, 'arabic.txt'), newLayoutChats().arabic.text);
  await writeFile(
    path.join(cwd, 'year-first.txt'),
    buildChat({layout: 'android-en-ca', messages: [{date: '2024-03-04T10:00', author: 'Ana', text: 'one'}]}),
  );
});
afterAll(async () => cleanup());

function jsonLines(stdout: string) {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => ParseJsonLineSchema.parse(JSON.parse(line)));
}

describe('egregora parse on a chat that changes layout', () => {
  const note =
    '4 header lines of mixed.txt are in 3 layouts other than the file\'s own (a phone that changed its clock or language?): each was read as a message; the first is line 3: "21/06/2024, 1:55 p.m. -"';

  it('shows every message and says in the summary how many lines changed layout and where', async () => {
    const result = await runCli(['parse', 'mixed.txt', '--timezone', 'UTC'], {cwd});
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'Format       Android, comma · 24h · day/month/year (from dates past the 12th)',
    );
    expect(result.stderr).toContain('Messages     8 in 8 lines');
    expect(result.stderr).toContain(`Warning      ${note}`);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(8);
    expect(result.stdout).toContain('2024-06-21 13:57:00  Ines: three-ish');
  });

  it('--json keeps stdout to the messages and says it on stderr as a warning', async () => {
    const result = await runCli(['parse', 'mixed.txt', '--json'], {cwd});
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toHaveLength(8);
    expect(result.stderr).toBe(`warning: ${note}\n`);
  });

  it('reads an Arabic export (marks in the date, the Arabic comma)', async () => {
    const result = await runCli(['parse', 'arabic.txt', '--json'], {cwd});
    expect({code: result.code, stderr: result.stderr}).toEqual({code: 0, stderr: ''});
    const lines = jsonLines(result.stdout);
    expect(lines.map((line) => line.author)).toEqual(['Camille', 'Yasmine', 'Camille', 'Yasmine', null]);
    expect(lines[2]).toMatchObject({kind: 'media', attachment: 'IMG-20170713-WA0003.jpg'});
  });
});

describe('egregora parse --date-order', () => {
  it('says when the order was only guessed, and that the flag sets it', async () => {
    const result = await runCli(['parse', 'ambiguous.txt'], {cwd});
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'Format       Android, comma · 24h · day/month/year (no day past the 12th: guessed from the locale; --date-order sets it)',
    );
  });

  it('reads the dates in the order asked for, and says so', async () => {
    const result = await runCli(['parse', 'ambiguous.txt', '--date-order', 'mdy'], {cwd});
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'Format       Android, comma · 24h · month/day/year (set by --date-order)',
    );
    const json = await runCli(['parse', 'ambiguous.txt', '--date-order', 'MDY', '--json'], {cwd});
    expect(jsonLines(json.stdout).map((line) => line.date)).toEqual([
      '2024-04-03T10:00:00',
      '2024-04-03T10:05:00',
    ]);
  });

  it('refuses a value it does not know, and an order that does not fit the dates (exit 2)', async () => {
    const unknown = await runCli(['parse', 'ambiguous.txt', '--date-order', 'dym'], {cwd});
    expect({code: unknown.code, stdout: unknown.stdout}).toEqual({code: ExitCode.usage, stdout: ''});
    expect(unknown.stderr).toContain('--date-order must be dmy, mdy or ymd; got "dym".');
    const misfit = await runCli(['parse', 'year-first.txt', '--date-order', 'dmy'], {cwd});
    expect({code: misfit.code, stdout: misfit.stdout}).toEqual({code: ExitCode.usage, stdout: ''});
    expect(misfit.stderr).toMatch(
      /^Error: --date-order dmy does not fit ".*year-first\.txt": its dates start with the year \(line 1: "2024-03-04, 10:00\u202fa\.m\. -"\)\.\n {2}Dates that start with the year/,
    );
  });
});
