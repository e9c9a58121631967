import {type ChildProcess, spawn} from 'node:child_process';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {RunRecordSchema} from '../../schemas/run.js';
import {BIN, cliEnv, REPO_ROOT, runCli, tempDir} from '../helpers/cli.js';
import {echoPostResponder, type FakeLlmServer, startFakeLlmServer} from '../helpers/fake-llm-server.js';
import {writeChatExport} from '../pipeline/export-fixture.js';

const TEST_WRITERS = path.join(REPO_ROOT, 'test', 'pipeline', 'fixtures', 'test-writers.mjs');

interface Spawned {
  readonly child: ChildProcess;
  readonly done: Promise<{code: number | null; stdout: string; stderr: string}>;
}

function spawnCli(args: readonly string[], cwd: string): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: cliEnv(undefined),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<{code: number | null; stdout: string; stderr: string}>((resolve) =>
    child.on('close', (code) => resolve({code, stdout, stderr})),
  );
  return {child, done};
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('runs tail --follow, spawned beside a running process', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;
  let server: FakeLlmServer | null = null;
  let counter = 0;

  beforeAll(async () => {
    ({dir: root, cleanup} = await tempDir('egregora-follow-'));
    zip = await writeChatExport(path.join(root, 'input'), 500);
  });
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  afterAll(async () => cleanup());

  async function workspace(): Promise<string> {
    counter += 1;
    const cwd = path.join(root, `case-${counter}`);
    await mkdir(cwd, {recursive: true});
    return cwd;
  }

  /** A process whose windows each take `delayMs` at the fake model, so that there is time to follow it. */
  async function slowProcess(cwd: string, delayMs: number): Promise<Spawned> {
    server = await startFakeLlmServer({
      responder: async (request, index) => {
        const plan = await echoPostResponder(request, index);
        return plan.kind === 'reply' ? {...plan, delayMs} : plan;
      },
    });
    const processing = spawnCli(
      [
        'process',
        zip,
        '--writer',
        'llm',
        '--llm-url',
        server.url,
        '--llm-model',
        'fake-model',
        '--concurrency',
        '1',
      ],
      cwd,
    );
    // Follow once the process run is recorded as running.
    await waitFor(async () => {
      const listed = await runCli(['runs', 'list', '--stage', 'process', '--status', 'running', '--json'], {
        cwd,
      });
      return listed.code === 0 && JSON.parse(listed.stdout).runs.length === 1;
    });
    return processing;
  }

  it('prints one line per run as it finishes, then exits 0 with the process', async () => {
    const cwd = await workspace();
    const processing = await slowProcess(cwd, 250);
    const follow = await runCli(['runs', 'tail', '--follow'], {cwd, timeoutMs: 60_000});
    const processed = await processing.done;
    expect(processed.code).toBe(0);
    expect(follow.code).toBe(0);
    const lines = follow.stdout.trim().split('\n');
    const stages = lines.map((line) => line.split(/\s+/)[2]);
    for (let index = 0; index < 5; index += 1)
      expect(stages.filter((stage) => stage === `window_${index}`)).toHaveLength(1);
    expect(stages.at(-1)).toBe('process');
    expect(lines.at(-1)).toContain('completed');
  });

  it('prints one JSON run per line with --json', async () => {
    const cwd = await workspace();
    const processing = await slowProcess(cwd, 150);
    const follow = await runCli(['runs', 'tail', '--follow', '--json'], {cwd, timeoutMs: 60_000});
    await processing.done;
    expect(follow.code).toBe(0);
    const runs = follow.stdout
      .trim()
      .split('\n')
      .map((line) => RunRecordSchema.parse(JSON.parse(line)));
    expect(runs.filter((run) => run.stage.startsWith('window_'))).toHaveLength(5);
    expect(runs.at(-1)).toMatchObject({stage: 'process', status: 'completed'});
  });

  it('exits 130 when the process it follows is cancelled', async () => {
    const cwd = await workspace();
    const processing = await slowProcess(cwd, 400);
    const follow = spawnCli(['runs', 'tail', '--follow'], cwd);
    await waitFor(() => (server?.chatRequests.length ?? 0) >= 2);
    processing.child.kill('SIGINT');
    expect((await processing.done).code).toBe(130);
    const followed = await follow.done;
    expect(followed.code).toBe(130);
    expect(followed.stdout).toMatch(/process\s+cancelled/);
  });

  it('shows the last process when none runs, and exits 11 when it failed', async () => {
    const cwd = await workspace();
    const failed = await runCli(['process', zip, '--writer', 'failing'], {
      cwd,
      env: {EGREGORA_WRITER_MODULES: TEST_WRITERS, TEST_FAIL_WINDOWS: '2'},
    });
    expect(failed.code).toBe(11);
    const follow = await runCli(['runs', 'tail', '--follow'], {cwd});
    expect(follow.code).toBe(11);
    expect(follow.stderr).toContain('No process is running; showing the last one');
    expect(follow.stdout).toMatch(/window_2\s+failed/);
    expect(follow.stdout.trim().split('\n').at(-1)).toMatch(/process\s+failed/);
  });

  it('says how to start when nothing is recorded', async () => {
    const cwd = await workspace();
    const follow = await runCli(['runs', 'tail', '--follow'], {cwd});
    expect(follow.code).toBe(0);
    expect(follow.stderr).toContain('No runs are recorded yet');
    expect(follow.stdout).toBe('');
  });
});
