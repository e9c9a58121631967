import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readdir, rm, writeFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {captureOutput} from '@oclif/test';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import Parse from '../../commands/parse.js';
import {ParseJsonLineSchema} from '../../schemas/message.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {
  buildChat,
  datesFrom,
  hostileArchive,
  type KindSample,
  kindSamples,
  writeExportZip,
  writeHostileArchive,
} from '../fixtures/index.js';
import {runCli, runNode} from '../helpers/cli.js';
import {PARSE_LOAD_OPTIONS} from './parse-cli-config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNNER = path.join(ROOT, 'test', 'ingest', 'parse-cli.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const samples = kindSamples('android');
const chatText = buildChat({
  layout: 'android-en-us',
  messages: samples.map((sample: KindSample, index) => ({
    date: datesFrom('2024-03-14T09:00', samples.length)[index] ?? '',
    author: sample.author === null ? null : index % 2 === 0 ? 'Ana' : 'Rui Costa',
    text: sample.text,
    lrm: sample.lrm ?? false,
  })),
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawns `parse` as a user runs it, in `cwd`, with no colour and no inherited state dir. */
function spawnParse(args: readonly string[], cwd: string): Promise<Run> {
  return runNode(['--import', TSX, RUNNER, ...args], {cwd});
}

/** Runs the command class in this process and collects what it printed and its exit code. */
async function runParse(args: readonly string[]) {
  const {stdout, stderr, error} = await captureOutput(() => Parse.run([...args], PARSE_LOAD_OPTIONS), {
    stripAnsi: true,
  });
  return {stdout, stderr, code: error ? (error.oclif?.exit ?? 1) : 0, error};
}

let dir: string;
let workdir: string;
let zip: string;
const originalCwd = process.cwd();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'egregora-parse-cmd-'));
  workdir = path.join(dir, 'work');
  zip = await writeExportZip(workdir, {
    platform: 'android',
    chatText,
    media: {'IMG-20240101-WA0001.jpg': 'jpeg'},
  });
  process.chdir(workdir);
});

afterAll(async () => {
  process.chdir(originalCwd);
  await rm(dir, {recursive: true, force: true});
});

describe('egregora parse (in process)', () => {
  it('--json prints exactly one schema-valid object per message, keys in contract order, nothing else', async () => {
    const {stdout, stderr, code} = await runParse([zip, '--json', '--timezone', 'Europe/Lisbon']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(samples.length);
    lines.forEach((line, index) => {
      const object = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(object)).toEqual(['date', 'author', 'text', 'kind', 'edited', 'attachment']);
      const parsed = ParseJsonLineSchema.parse(object);
      const sample = samples[index] as KindSample;
      expect({
        kind: parsed.kind,
        attachment: parsed.attachment,
        edited: parsed.edited,
        text: parsed.text,
      }).toEqual({
        kind: sample.kind,
        attachment: sample.attachment,
        edited: sample.edited,
        text: sample.text,
      });
    });
  });

  it('shows people what it found on stderr, then the transcript on stdout', async () => {
    const {stdout, stderr, code} = await runParse([zip, '--timezone', 'UTC']);
    expect(code).toBe(0);
    expect(stderr).toContain(`Input        ${zip} (zip, 1 other file)`);
    expect(stderr).toContain('Chat         WhatsApp Chat with Book Club.txt');
    expect(stderr).toContain('Format       Android, comma · 12h · month/day/year (from dates past the 12th)');
    expect(stderr).toMatch(new RegExp(`Messages     ${samples.length} in \\d+ lines \\(`));
    expect(stderr).toContain('Authors      2: Ana, Rui Costa');
    expect(stderr).toMatch(
      /Dates {8}2024-03-14 09:00:00 → 2024-03-1\d \d\d:\d\d:\d\d \(wall clock, read in UTC\)/,
    );
    expect(stderr).toMatch(/Media {8}7 referenced: 1 present, 6 missing \(/);
    expect(stderr).toMatch(/Fingerprint {2}sha256:[0-9a-f]{64}/);
    expect(stdout).toContain('2024-03-14 09:00:00  Ana: See you at 10: bring the book');
    expect(stdout).toContain('· Alice added Bob');
    expect(stdout).toContain('Rui Costa: IMG-20240101-WA0001.jpg (file attached)  [media, in the archive]');
    expect(stdout).toContain('\n                     Look at this: sunset\n');
  });

  it('writes no state at all, even with --dir', async () => {
    const stateDir = path.join(dir, 'state-here');
    const before = await readdir(workdir);
    const {code} = await runParse([zip, '--json', '--dir', stateDir]);
    expect(code).toBe(0);
    expect(await readdir(workdir)).toEqual(before);
    expect(existsSync(path.join(workdir, '.egregora'))).toBe(false);
    expect(existsSync(stateDir)).toBe(false);
  });

  it('picks a chat with --chat and refuses several chats without it', async () => {
    const several = await writeHostileArchive(dir, hostileArchive('several-chats'));
    const refused = await runParse([several]);
    expect(refused.code).toBe(ExitCode.chatNotFound);
    expect(refused.stderr).toContain('holds 2 chats');
    expect(refused.stderr).toContain('Pass --chat ENTRY to choose one of them.');
    const picked = await runParse([several, '--chat', 'WhatsApp Chat with Running.txt', '--json']);
    expect(picked.code).toBe(0);
    expect(picked.stdout.trimEnd().split('\n')).toHaveLength(5);
  });

  it('maps --max-size onto the limits, both ways', async () => {
    const lowered = await runParse([zip, '--max-size', '1KiB']);
    expect(lowered.code).toBe(ExitCode.inputUnsafe);
    expect(lowered.stderr).toContain('--max-size');
    const raised = await runParse([zip, '--max-size', '20GiB', '--json']);
    expect(raised.code).toBe(0);
  });

  it.each([
    ['a missing input', () => [path.join(dir, 'nope.zip')], ExitCode.inputNotFound, /does not exist/],
    ['a directory', () => [dir], ExitCode.inputInvalid, /is a directory/],
    [
      'an unknown time zone',
      () => [zip, '--timezone', 'Mars/Base'],
      ExitCode.usage,
      /Unknown time zone "Mars\/Base"/,
    ],
    [
      'a malformed --max-size',
      () => [zip, '--max-size', 'lots'],
      ExitCode.usage,
      /--max-size must be a size/,
    ],
    ['a missing argument', () => [], ExitCode.usage, /Missing 1 required arg/],
  ] as const)('exits with the right code for %s', async (_label, args, exitCode, message) => {
    const {code, stdout, stderr, error} = await runParse(args());
    expect(code).toBe(exitCode);
    expect(stdout).toBe('');
    expect(`${stderr}${error?.message ?? ''}`).toMatch(message);
  });

  it('refuses hostile archives with their exit codes', async () => {
    for (const id of [
      'bomb-ratio',
      'path-traversal',
      'encrypted',
      'truncated',
      'no-chat',
      'damaged-crc',
    ] as const) {
      const archive = hostileArchive(id);
      const file = await writeHostileArchive(dir, archive);
      const {code, stderr} = await runParse([file, '--json']);
      expect({id, code}).toEqual({id, code: archive.exitCode});
      expect(stderr).toMatch(archive.message);
    }
  });
});

describe('egregora parse through bin/run.js (the built CLI; `npm test` builds it first)', () => {
  it('prints schema-valid NDJSON, writes nothing, and exits 0', async () => {
    const cwd = await mkdtemp(path.join(dir, 'bin-'));
    const result = await runCli(['parse', zip, '--json'], {cwd});
    expect({code: result.code, stderr: result.stderr}).toEqual({code: 0, stderr: ''});
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(samples.length);
    for (const line of lines) ParseJsonLineSchema.parse(JSON.parse(line));
    expect(await readdir(cwd)).toEqual([]);
  });

  it('exits with the input codes', async () => {
    const cwd = await mkdtemp(path.join(dir, 'bin-'));
    const several = await writeHostileArchive(cwd, hostileArchive('several-chats'));
    const bomb = await writeHostileArchive(cwd, hostileArchive('bomb-ratio'));
    const cases = [
      [['parse', 'missing.zip'], ExitCode.inputNotFound],
      [['parse', bomb], ExitCode.inputUnsafe],
      [['parse', several], ExitCode.chatNotFound],
      [['parse', zip, '--timezone', 'Nowhere/Land'], ExitCode.usage],
    ] as const;
    for (const [args, code] of cases) {
      const result = await runCli(args, {cwd});
      expect({args, code: result.code, stdout: result.stdout}).toEqual({args, code, stdout: ''});
      expect(result.stderr).toMatch(/^Error: /);
    }
  });
});

describe('egregora parse (spawned from the sources, as a user runs it)', () => {
  it('prints NDJSON and exits 0, writing nothing in the working directory', async () => {
    const cwd = await mkdtemp(path.join(dir, 'cwd-'));
    const {code, stdout, stderr} = await spawnParse([zip, '--json'], cwd);
    expect({code, stderr}).toEqual({code: 0, stderr: ''});
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(samples.length);
    for (const line of lines) ParseJsonLineSchema.parse(JSON.parse(line));
    expect(await readdir(cwd)).toEqual([]);
  });

  it('reads a bare chat .txt and prints the human view', async () => {
    const cwd = await mkdtemp(path.join(dir, 'cwd-'));
    await writeFile(path.join(cwd, 'chat.txt'), chatText);
    const {code, stdout, stderr} = await spawnParse(['chat.txt', '--timezone', 'UTC'], cwd);
    expect(code).toBe(0);
    expect(stderr).toContain('Input        chat.txt (chat text)');
    expect(stdout).toContain('2024-03-14 09:00:00  Ana: See you at 10: bring the book');
    expect(await readdir(cwd)).toEqual(['chat.txt']);
  });

  it('prints one error line (and a hint) on stderr with the exit code, nothing on stdout', async () => {
    const cwd = await mkdtemp(path.join(dir, 'cwd-'));
    const bomb = await writeHostileArchive(cwd, hostileArchive('bomb-ratio'));
    const {code, stdout, stderr} = await spawnParse([bomb, '--json'], cwd);
    expect(code).toBe(ExitCode.inputUnsafe);
    expect(stdout).toBe('');
    const [first, hint, ...rest] = stderr.trimEnd().split('\n');
    expect(first).toMatch(
      /^Error: Refusing ".*bomb-ratio\.zip": the entry "VID-20240314-WA0001\.mp4" expands \d+× \(more than 200×\): a zip bomb\.$/,
    );
    expect(hint).toMatch(/^ {2}\S/);
    expect(rest).toEqual([]);

    const missing = await spawnParse(['nope.zip'], cwd);
    expect(missing.code).toBe(ExitCode.inputNotFound);
  });

  it('stops quietly when the reader closes the pipe early', async () => {
    const cwd = await mkdtemp(path.join(dir, 'cwd-'));
    const big = buildChat({
      layout: 'android-en-gb',
      messages: datesFrom('2024-03-14T09:00', 60_000, 1).map((date, index) => ({
        date,
        author: 'Ana',
        text: `line ${index} ${'x'.repeat(40)}`,
      })),
    });
    await writeFile(path.join(cwd, 'big.txt'), big);
    const result = await new Promise<{code: number | null; stderr: string}>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', TSX, RUNNER, 'big.txt', '--json'], {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('error', reject);
      child.on('close', (code) => resolve({code, stderr}));
    });
    expect(result).toEqual({code: 0, stderr: ''});
  });
});
