/**
 * Chat text hygiene (issue 15), through the built CLI as a user runs it: terminal control sequences
 * are removed whole at ingest (the post has no `31mred` topic) and shown escaped wherever chat-derived
 * text reaches a terminal; a window whose text messages share no word still quotes one; WhatsApp's
 * notice under a group name makes no author. The three reported inputs are the export's first lines.
 */
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {RunTracker} from '../../src/runs/tracker.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {buildZip} from '../fixtures/index.js';
import {runCli, tempDir} from '../helpers/cli.js';
import {query} from '../runs/helpers.js';

const ESC = '\u001b';
const BEL = '\u0007';
/** Any C0 control but LF, DEL, or C1: what must never reach a terminal raw (colours are off in tests). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const ENCRYPTED =
  'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.';
const DIRTY_TEXT = `hello ${ESC}[31mRED${ESC}[0m and ${ESC}]0;pwned${BEL} title`;
/** An exported photo whose name carries a colour code: the file is found under its raw name. */
const DIRTY_PHOTO = `IMG-20160415-WA${ESC}[1m0001.jpg`;
const CLEAN_PHOTO = 'IMG-20160415-WA0001.jpg';
const PHOTO_BYTES = Buffer.from('not really a jpeg, but bytes to copy');

/** The reported lines (older Android, `DD.MM.YYYY, HH:MM - `), then a photo in the same window. */
const CHAT = [
  `15.04.2016, 15:04 - Pokemon Chat: ${ENCRYPTED}`,
  `15.04.2016, 15:05 - Alice: ${DIRTY_TEXT}`,
  '15.04.2016, 15:06 - Bob: clear screen name',
  `15.04.2016, 15:07 - Bob: \u200e${DIRTY_PHOTO} (file attached)`,
  '',
].join('\n');

function expectNoRawControls(output: string): void {
  expect(RAW_CONTROL.exec(output)?.[0]).toBeUndefined();
}

describe('chat text hygiene, spawned as a user runs it', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;

  beforeAll(async () => {
    ({dir: root, cleanup} = await tempDir('egregora-hygiene-'));
    zip = path.join(root, 'WhatsApp Chat with Pokemon Chat.zip');
    await writeFile(
      zip,
      await buildZip([
        {name: 'WhatsApp Chat with Pokemon Chat.txt', data: CHAT},
        {name: DIRTY_PHOTO, data: PHOTO_BYTES, compress: false},
      ]),
    );
  });
  afterAll(async () => cleanup());

  it('process: no control sequence in the post or the store, a quote, and no "Pokemon Chat" author', async () => {
    const cwd = path.join(root, 'process');
    await mkdir(cwd, {recursive: true});
    const result = await runCli(['process', zip, '--timezone', 'UTC', '--json'], {cwd});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
    // Alice and Bob; the notice's group name is nobody.
    expect(summary.ingest).toMatchObject({messages: 4, authors: 2});

    const postsDir = path.join(cwd, 'site', 'posts');
    const [postName, ...others] = (await readdir(postsDir)).filter((file) => file.endsWith('.md'));
    expect(others).toEqual([]);
    const post = await readFile(path.join(postsDir, postName as string), 'utf8');
    expectNoRawControls(post);
    for (const residue of ['31m', '0m ', '0m"', 'pwned', '\ufffd']) expect(post).not.toContain(residue);
    expect(post).toContain('  - "red"');
    expect(post).toContain('> hello RED and  title');
    expect(post).not.toContain('No text messages to quote');
    // The photo was found under its raw name, and is listed under its clean one.
    expect(post).toContain(`[${CLEAN_PHOTO}](`);
    const media = await readdir(path.join(cwd, 'site', 'media'));
    expect(media).toHaveLength(1);
    expect(await readFile(path.join(cwd, 'site', 'media', media[0] as string))).toEqual(PHOTO_BYTES);

    const rows = await query(
      path.join(cwd, '.egregora', 'pipeline.duckdb'),
      'SELECT author, text, kind, attachment, attachment_present FROM messages ORDER BY position',
    );
    for (const row of rows)
      for (const value of Object.values(row)) if (typeof value === 'string') expectNoRawControls(value);
    expect(rows[0]).toMatchObject({author: null, kind: 'system', text: ENCRYPTED});
    expect(rows[1]).toMatchObject({text: 'hello RED and  title', kind: 'message'});
    expect(rows[3]).toMatchObject({attachment: CLEAN_PHOTO, attachment_present: true, kind: 'media'});
    const authorMap = JSON.parse(await readFile(path.join(cwd, '.egregora', 'author-map.json'), 'utf8')) as {
      authors: Record<string, string>;
    };
    expect(Object.values(authorMap.authors).sort()).toEqual(['Alice', 'Bob']);
  });

  it('parse --json keeps the raw text; parse shows it with the controls written out, never raw', async () => {
    const json = await runCli(['parse', zip, '--timezone', 'UTC', '--json'], {cwd: root});
    expect(json.code).toBe(0);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as {author: string | null; text: string; kind: string});
    expect(lines[0]).toMatchObject({author: null, kind: 'system', text: ENCRYPTED});
    expect(lines[1]?.text).toBe(DIRTY_TEXT);

    const shown = await runCli(['parse', zip, '--timezone', 'UTC'], {cwd: root});
    expect(shown.code).toBe(0);
    expectNoRawControls(shown.stdout);
    expectNoRawControls(shown.stderr);
    expect(shown.stdout).toContain('hello \\u001b[31mRED\\u001b[0m and \\u001b]0;pwned\\u0007 title');
    expect(shown.stdout).toContain(`\\u001b[1m0001.jpg`);
    expect(shown.stderr).toMatch(/Authors\s+2: Alice, Bob\n/);
  });
});

describe('chat-derived text in error messages and panels is escaped', () => {
  let root: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({dir: root, cleanup} = await tempDir('egregora-hygiene-errors-'));
  });
  afterAll(async () => cleanup());

  it('an archive without a chat lists its entry names escaped', async () => {
    const zip = path.join(root, 'no-chat.zip');
    await writeFile(zip, await buildZip([{name: `${ESC}]0;pwned${BEL}${ESC}[2J.png`, data: 'x'}]));
    for (const command of ['parse', 'process']) {
      const result = await runCli([command, zip], {cwd: root});
      expect(result.code).toBe(ExitCode.chatNotFound);
      expectNoRawControls(result.stderr);
      expect(result.stderr).toContain('\\u001b]0;pwned\\u0007\\u001b[2J.png');
    }
  });

  it('a chat in no known layout shows its first lines escaped', async () => {
    const chat = path.join(root, 'not-a-chat.txt');
    await writeFile(chat, `${ESC}[31mnot a chat${ESC}[0m\n\u009b2Jsecond line\n`);
    const result = await runCli(['parse', chat], {cwd: root});
    expect(result.code).toBe(ExitCode.chatNotFound);
    expectNoRawControls(result.stderr);
    expect(result.stderr).toContain('\\u001b[31mnot a chat');
    expect(result.stderr).toContain('\\u009b2Jsecond line');
  });

  it('process names a chat entry with control characters escaped in its summary', async () => {
    const zip = path.join(root, 'dirty-entry.zip');
    const name = `WhatsApp Chat with ${ESC}[5mBlink.txt`;
    await writeFile(zip, await buildZip([{name, data: '01/02/2024, 10:00 - Ana: hello there\n'}]));
    const cwd = path.join(root, 'dirty-entry');
    await mkdir(cwd, {recursive: true});
    const result = await runCli(['process', zip], {cwd});
    expect(result.code).toBe(0);
    expectNoRawControls(result.stdout);
    expectNoRawControls(result.stderr);
    expect(result.stdout).toContain('WhatsApp Chat with \\u001b[5mBlink.txt: 1 message');
  });

  it('runs show prints a stored error with its controls written out and its lines kept', async () => {
    const cwd = path.join(root, 'show');
    const dbPath = path.join(cwd, '.egregora', 'runs.duckdb');
    await mkdir(path.dirname(dbPath), {recursive: true});
    const tracker = await RunTracker.open({dbPath});
    const run = tracker.start({stage: 'window_0', rowsIn: 1});
    tracker.finish(run.runId, {
      status: 'failed',
      error: new Error(`cannot read ${ESC}]0;pwned${BEL}IMG${ESC}[2J.jpg`, {cause: new Error('second line')}),
    });
    expect((await tracker.close()).recorded).toBe(true);
    const result = await runCli(['runs', 'show', run.runId.slice(0, 8)], {cwd});
    expect(result.code).toBe(0);
    expectNoRawControls(result.stdout);
    expect(result.stdout).toContain(
      'Error: cannot read \\u001b]0;pwned\\u0007IMG\\u001b[2J.jpg\ncaused by: Error: second line',
    );
    // --json is data: the error as stored.
    const json = await runCli(['runs', 'show', run.runId.slice(0, 8), '--json'], {cwd});
    expect((JSON.parse(json.stdout) as {run: {error: string}}).run.error).toContain(`${ESC}[2J`);
  });
});
