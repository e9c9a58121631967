import {existsSync} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DoctorOutputSchema} from '../../schemas/doctor.js';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {buildChat, markerSpellingChat, writeExportZip} from '../fixtures/index.js';
import {runCli, tempDir} from '../helpers/cli.js';
import {query} from '../runs/helpers.js';

/**
 * Issue 16 through `process` and `doctor`, spawned as a user runs them: a chat that changes layout
 * is ingested whole, the ingest run says so and doctor shows it; --date-order changes what an
 * ingest stores, so it is part of the ingest's settings.
 */

let root: string;
let cleanup: () => Promise<void>;
let mixedZip: string;
let ambiguousZip: string;

beforeAll(async () => {
  ({dir: root, cleanup} = await tempDir('egregora-process-variants-'));
  mixedZip = await writeExportZip(path.join(root, 'mixed'), {
    platform: 'android',
    chatText: markerSpellingChat().text,
    chatName: 'Ladder',
  });
  // Every day ≤ 12 and one date only: the order is a guess unless --date-order says it.
  ambiguousZip = await writeExportZip(path.join(root, 'ambiguous'), {
    platform: 'android',
    chatName: 'Garden',
    chatText: buildChat({
      layout: 'android-en-gb',
      messages: Array.from({length: 6}, (_, index) => ({
        date: `2024-03-04T10:0${index}`,
        author: index % 2 === 0 ? 'Ana' : 'Rui',
        text: `note ${index}`,
      })),
    }),
  });
});
afterAll(async () => cleanup());

async function workdir(name: string): Promise<string> {
  const cwd = path.join(root, name);
  await mkdir(cwd, {recursive: true});
  return cwd;
}

describe('process on a chat that changes layout part-way', () => {
  it('ingests every message, warns naming the line, records it in the ingest run, and doctor shows it', async () => {
    const cwd = await workdir('layout-change');
    const result = await runCli(['process', mixedZip, '--json'], {cwd});
    expect(result.code).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
    expect(summary.ingest.messages).toBe(8);
    // The chat is named as every message about it names it: the archive, then the entry.
    const note = `4 header lines of ${mixedZip}: WhatsApp Chat with Ladder.txt are in 3 layouts other than the file's own (a phone that changed its clock or language?): each was read as a message; the first is line 3: "21/06/2024, 1:55 p.m. -"`;
    expect(result.stderr).toBe(`warning: ${note}\n`);

    const runsDb = path.join(cwd, '.egregora', 'runs.duckdb');
    const [ingest] = await query(
      runsDb,
      "SELECT CAST(run_id AS VARCHAR) AS id, status, error, rows_out FROM runs WHERE stage = 'ingest'",
    );
    expect(ingest).toMatchObject({status: 'degraded', error: `Parse: ${note}`, rows_out: '8'});

    const doctor = await runCli(['doctor', '--json'], {cwd});
    expect(doctor.code).toBe(0);
    const gate = DoctorOutputSchema.parse(JSON.parse(doctor.stdout)).gates.find(
      (candidate) => candidate.name === 'last-ingest',
    );
    expect(gate).toEqual({
      name: 'last-ingest',
      status: 'info',
      required: false,
      detail: `newest ingest ${String(ingest?.id).slice(0, 8)}… (degraded): ${note}`,
      examples: [ingest?.id],
    });

    // Run again: the ingest is reused (its rows are there), and the warning is said again.
    const again = await runCli(['process', mixedZip, '--json'], {cwd});
    expect(again.code).toBe(0);
    expect(ProcessSummarySchema.parse(JSON.parse(again.stdout)).ingest.reused).toBe(true);
    expect(again.stderr).toBe(`warning: ${note}\n`);
  });
});

describe('process --date-order', () => {
  async function ingests(cwd: string) {
    return query(
      path.join(cwd, '.egregora', 'runs.duckdb'),
      "SELECT config_hash FROM runs WHERE stage = 'ingest' ORDER BY started_at",
    );
  }

  async function firstDate(cwd: string, runId: string | null) {
    const [row] = await query(
      path.join(cwd, '.egregora', 'pipeline.duckdb'),
      `SELECT date FROM messages WHERE ingest_run_id = '${runId}' ORDER BY position LIMIT 1`,
    );
    return row?.date;
  }

  it('reads the dates in the order asked for, as a new ingest; the same order again reuses it', async () => {
    const cwd = await workdir('date-order');
    const guessed = ProcessSummarySchema.parse(
      JSON.parse((await runCli(['process', ambiguousZip, '--json'], {cwd})).stdout),
    );
    expect(await firstDate(cwd, guessed.ingest.run_id)).toBe('2024-03-04T10:00:00');

    const asked = await runCli(['process', ambiguousZip, '--date-order', 'mdy', '--json'], {cwd});
    expect({code: asked.code, stderr: asked.stderr}).toEqual({code: 0, stderr: ''});
    const monthFirst = ProcessSummarySchema.parse(JSON.parse(asked.stdout));
    expect(monthFirst.ingest.reused).toBe(false);
    expect(await firstDate(cwd, monthFirst.ingest.run_id)).toBe('2024-04-03T10:00:00');

    const repeated = ProcessSummarySchema.parse(
      JSON.parse((await runCli(['process', ambiguousZip, '--date-order', 'mdy', '--json'], {cwd})).stdout),
    );
    expect(repeated.ingest).toMatchObject({reused: true, run_id: monthFirst.ingest.run_id});
    const hashes = (await ingests(cwd)).map((row) => row.config_hash);
    expect(hashes).toHaveLength(2);
    expect(new Set(hashes).size).toBe(2);
  });

  it('refuses a bad value or an order that does not fit, before writing anything (exit 2)', async () => {
    const cwd = await workdir('date-order-bad');
    const unknown = await runCli(['process', ambiguousZip, '--date-order', 'yy'], {cwd});
    expect(unknown.code).toBe(ExitCode.usage);
    expect(unknown.stderr).toContain('--date-order must be dmy, mdy or ymd; got "yy".');
    const misfit = await runCli(['process', ambiguousZip, '--date-order', 'ymd'], {cwd});
    expect(misfit.code).toBe(ExitCode.usage);
    expect(misfit.stderr).toContain(
      `--date-order ymd does not fit "${ambiguousZip}: WhatsApp Chat with Garden.txt": its dates end with the year`,
    );
    expect(existsSync(path.join(cwd, '.egregora'))).toBe(false);
  });
});
