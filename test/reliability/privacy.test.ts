/**
 * Privacy under every path (issue 5.6). The export fixture carries real-looking names, a phone number
 * and an e-mail address. `process` runs through the ordinary path, a failing window (writer
 * `failing`) and split windows (`--max-window-tokens 600`), then the runs commands show what happened.
 * None of the private strings may appear in any file of the site, in runs.duckdb (its bytes and every
 * text value read back with SQL, the error column above all), in pipeline.duckdb, or in anything the
 * CLI printed. The one place the names live is `.egregora/author-map.json`.
 */
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {RunsListingOutputSchema} from '../../schemas/runs-output.js';
import {tempDir} from '../helpers/cli.js';
import {PRIVATE_EMAIL, PRIVATE_NAMES, PRIVATE_PHONE, writeChatExport} from '../pipeline/export-fixture.js';
import {allTextValues, assertBuilt, listFiles, query, TEST_WRITERS, timedCli} from './helpers.js';

/** Every spelling of the private data a leak could take (matched case-insensitively). */
const SECRETS: readonly string[] = [
  ...PRIVATE_NAMES,
  ...PRIVATE_NAMES.map((name) => name.split(' ')[0] ?? name),
  ...PRIVATE_NAMES.map((name) => name.split(' ')[1] ?? name),
  PRIVATE_PHONE,
  PRIVATE_PHONE.replace(/\D/g, ''),
  PRIVATE_PHONE.replace(/^\+44 /, '0'),
  '7700 900123',
  '7700900123',
  PRIVATE_EMAIL,
  PRIVATE_EMAIL.split('@')[0] ?? PRIVATE_EMAIL,
];

/** The secrets found in `text` (case-insensitive). */
function leaks(text: string): string[] {
  const lower = text.toLowerCase();
  return SECRETS.filter((secret) => lower.includes(secret.toLowerCase()));
}

/** Leaks in raw bytes, read as UTF-8 and as Latin-1 (so a string split by a binary format still shows). */
function byteLeaks(bytes: Buffer): string[] {
  return [...new Set([...leaks(bytes.toString('utf8')), ...leaks(bytes.toString('latin1'))])];
}

/** The folders of the failing writer's runs; the digest writes into the default `site`. */
const SPLIT_SITE = 'site-split';
const WHOLE_SITE = 'site-whole';

describe.sequential('names, phone numbers and e-mail addresses never leave .egregora/author-map.json', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let cwd: string;
  /** Everything the CLI printed in this file, labelled by command. */
  const printed: {label: string; text: string}[] = [];

  beforeAll(async () => {
    assertBuilt();
    ({dir: root, cleanup} = await tempDir('egregora-privacy-'));
    const zip = await writeChatExport(path.join(root, 'input'), 450);
    cwd = path.join(root, 'project');
    const {mkdir} = await import('node:fs/promises');
    await mkdir(cwd, {recursive: true});
    const env = {EGREGORA_WRITER_MODULES: TEST_WRITERS, TEST_FAIL_WINDOWS: '1,3'};
    const record = (label: string, result: {stdout: string; stderr: string}) => {
      printed.push(
        {label: `${label} (stdout)`, text: result.stdout},
        {label: `${label} (stderr)`, text: result.stderr},
      );
    };

    // Each writing below has a folder of its own: a later run into the same folder replaces the
    // posts of windows that changed, and every kind of post must be there to be searched.
    // Split windows, two of them failing (each part of a failing window fails), human output.
    const split = await timedCli(
      ['process', zip, '--writer', 'failing', '--max-window-tokens', '600', '--output', SPLIT_SITE],
      {cwd, env},
    );
    record('process --max-window-tokens 600', split);
    expect(split.code, split.stderr).toBe(11);
    // The same again as JSON: the finished parts are skipped, the failing ones fail again.
    const again = await timedCli(
      ['process', zip, '--writer', 'failing', '--max-window-tokens', '600', '--output', SPLIT_SITE, '--json'],
      {
        cwd,
        env,
      },
    );
    record('process --max-window-tokens 600 --json', again);
    expect(again.code, again.stderr).toBe(11);
    const againSummary = ProcessSummarySchema.parse(JSON.parse(again.stdout));
    expect(againSummary.windows.split).toBeGreaterThan(0);
    expect(againSummary.failed_windows.length).toBeGreaterThan(0);
    // Whole windows (no split), window 1 and 3 failing.
    const whole = await timedCli(['process', zip, '--writer', 'failing', '--output', WHOLE_SITE, '--json'], {
      cwd,
      env,
    });
    record('process (no split) --json', whole);
    expect(whole.code, whole.stderr).toBe(11);
    // And the ordinary writer, so the default site has every window's post.
    const digest = await timedCli(['process', zip], {cwd});
    record('process (digest)', digest);
    expect(digest.code, digest.stderr).toBe(0);

    const tail = await timedCli(['runs', 'tail', '-n', '1000'], {cwd});
    record('runs tail', tail);
    const tailJson = await timedCli(['runs', 'tail', '-n', '1000', '--json'], {cwd});
    record('runs tail --json', tailJson);
    const failed = await timedCli(['runs', 'list', '--status', 'failed', '--json'], {cwd});
    record('runs list --status failed --json', failed);
    const failedRuns = RunsListingOutputSchema.parse(JSON.parse(failed.stdout)).runs;
    expect(failedRuns.length).toBeGreaterThan(0);
    record('runs list --status failed', await timedCli(['runs', 'list', '--status', 'failed'], {cwd}));
    const runs = RunsListingOutputSchema.parse(JSON.parse(tailJson.stdout)).runs;
    const shown = [
      failedRuns.find((run) => run.stage.includes('.part_')),
      failedRuns.find((run) => !run.stage.includes('.part_')),
      runs.find((run) => run.stage === 'ingest'),
    ];
    for (const run of shown) {
      if (!run) continue;
      const prefix = run.run_id.slice(0, 8);
      record(`runs show ${run.stage}`, await timedCli(['runs', 'show', prefix], {cwd}));
      record(`runs show ${run.stage} --json`, await timedCli(['runs', 'show', prefix, '--json'], {cwd}));
    }
  }, 180_000);
  afterAll(async () => cleanup());

  it('the fixture really exercised a failed window and split windows', async () => {
    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    const [counts] = await query(
      runsDb,
      `SELECT count(*) FILTER (WHERE status = 'failed') AS failed,
              count(*) FILTER (WHERE stage LIKE '%.part_%') AS parts,
              count(*) FILTER (WHERE error IS NOT NULL) AS with_error
       FROM runs`,
    );
    expect(Number(counts?.failed)).toBeGreaterThan(0);
    expect(Number(counts?.parts)).toBeGreaterThan(0);
    expect(Number(counts?.with_error)).toBeGreaterThan(0);
  });

  it('nothing the CLI printed contains a name, phone number or e-mail address', () => {
    const found = printed
      .map(({label, text}) => ({label, leaks: leaks(text)}))
      .filter((entry) => entry.leaks.length > 0);
    expect(found).toEqual([]);
  });

  it('no file of the sites contains one', async () => {
    const found: string[] = [];
    let posts = 0;
    for (const folder of [SPLIT_SITE, WHOLE_SITE, 'site']) {
      const site = path.join(cwd, folder);
      const files = await listFiles(site);
      const markdown = files.filter((file) => file.endsWith('.md'));
      // 450 messages are 5 windows; the split run writes parts, and windows 1 and 3 fail where they fail.
      expect(markdown.length, folder).toBeGreaterThanOrEqual(3);
      posts += markdown.length;
      for (const file of files) {
        const hits = [...byteLeaks(await readFile(path.join(site, file))), ...leaks(file)];
        if (hits.length > 0) found.push(`${folder}/${file}: ${hits.join(', ')}`);
      }
    }
    expect(posts).toBeGreaterThan(10);
    expect(found).toEqual([]);
  });

  it('runs.duckdb: not in its bytes, and not in any text value read back with SQL (the error column above all)', async () => {
    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    expect(byteLeaks(await readFile(runsDb))).toEqual([]);
    const values = await allTextValues(runsDb);
    const errors = values.filter((value) => value.table === 'runs' && value.column === 'error');
    expect(errors.length, 'error texts were read back').toBeGreaterThan(0);
    expect(
      values
        .filter((value) => leaks(value.value).length > 0)
        .map((value) => `${value.table}.${value.column}`),
    ).toEqual([]);
  });

  it('pipeline.duckdb: not in its bytes, and not in any text value read back with SQL', async () => {
    const pipelineDb = path.join(cwd, '.egregora', 'pipeline.duckdb');
    expect(byteLeaks(await readFile(pipelineDb))).toEqual([]);
    const values = await allTextValues(pipelineDb);
    expect(values.some((value) => value.table === 'messages' && value.column === 'author')).toBe(true);
    const found = values
      .filter((value) => leaks(value.value).length > 0)
      .map((value) => `${value.table}.${value.column}: ${leaks(value.value).join(', ')}`);
    expect([...new Set(found)]).toEqual([]);
  });

  it('the names live in .egregora/author-map.json and in no other file of .egregora', async () => {
    const state = path.join(cwd, '.egregora');
    const map = await readFile(path.join(state, 'author-map.json'), 'utf8');
    for (const name of PRIVATE_NAMES) expect(map, name).toContain(name);
    const found: string[] = [];
    for (const entry of await readdir(state, {withFileTypes: true})) {
      if (!entry.isFile() || entry.name === 'author-map.json') continue;
      const hits = byteLeaks(await readFile(path.join(state, entry.name)));
      if (hits.length > 0) found.push(`${entry.name}: ${hits.join(', ')}`);
    }
    expect(found).toEqual([]);
  });
});
