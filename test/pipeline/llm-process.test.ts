import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {copyFile, mkdir, readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {RunShowOutputSchema} from '../../schemas/runs-output.js';
import {MANIFEST_NAME} from '../../src/site/manifest.js';
import {MAX_ATTEMPTS} from '../../src/writers/llm/retry-policy.js';
import {BIN, cliEnv, REPO_ROOT, runCli, tempDir} from '../helpers/cli.js';
import {queryStore} from '../helpers/db.js';
import {
  echoPostResponder,
  type FakeLlmServer,
  postReply,
  type RecordedRequest,
  startFakeLlmServer,
} from '../helpers/fake-llm-server.js';
import {
  CONTACT_CARD,
  PRIVATE_EMAIL,
  PRIVATE_NAMES,
  PRIVATE_PHONE,
  writeChatExport,
} from './export-fixture.js';

const SAMPLE = path.join(REPO_ROOT, 'docs', 'sample', 'export.zip');

const query = queryStore;

async function filesUnder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const entry of await readdir(dir, {withFileTypes: true, recursive: true})) {
    // The renderer's manifest records the posts' times, which two equal sites need not share.
    if (!entry.isFile() || entry.name === MANIFEST_NAME) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), (await readFile(full)).toString('base64'));
  }
  return files;
}

/** The last user message of a recorded request: the window's transcript (or a repair request). */
function transcriptOf(request: RecordedRequest): string {
  const messages = (request.json as {messages?: Array<{role: string; content: string}>}).messages ?? [];
  return messages.filter((message) => message.role === 'user').at(0)?.content ?? '';
}

function llmArgs(server: FakeLlmServer): string[] {
  return ['--writer', 'llm', '--llm-url', server.url, '--llm-model', 'fake-model'];
}

interface WindowRunRow {
  readonly stage: string;
  readonly status: string;
  readonly llm_calls: number;
  readonly tokens: number;
}

async function windowRuns(cwd: string): Promise<WindowRunRow[]> {
  const rows = await query(
    path.join(cwd, '.egregora', 'runs.duckdb'),
    `SELECT stage, status, llm_calls, tokens FROM runs WHERE stage LIKE 'window%' ORDER BY started_at`,
  );
  return rows.map((row) => ({
    stage: String(row.stage),
    status: String(row.status),
    llm_calls: Number(row.llm_calls),
    tokens: Number(row.tokens),
  }));
}

const sum = (rows: readonly WindowRunRow[], key: 'llm_calls' | 'tokens') =>
  rows.reduce((total, row) => total + row[key], 0);

describe('process --writer llm against a fake OpenAI-compatible server', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;
  let server: FakeLlmServer;
  let counter = 0;

  beforeAll(async () => {
    ({dir: root, cleanup} = await tempDir('egregora-llm-'));
    // 450 messages: five windows of the default 100, with names, a phone, an e-mail and a contact card.
    zip = await writeChatExport(path.join(root, 'input'), 450);
  });
  afterAll(async () => cleanup());
  afterEach(async () => server?.close());

  async function workspace(): Promise<string> {
    counter += 1;
    const cwd = path.join(root, `case-${counter}`);
    await mkdir(cwd, {recursive: true});
    return cwd;
  }

  it('writes the sample export: every window completed, calls and tokens equal to what the server counted', async () => {
    server = await startFakeLlmServer();
    const cwd = await workspace();
    const result = await runCli(['process', SAMPLE, ...llmArgs(server), '--json'], {cwd});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
    expect(summary.outcome).toBe('completed');
    const runs = await windowRuns(cwd);
    expect(runs).toHaveLength(summary.windows.total);
    for (const run of runs) {
      expect(run.status).toBe('completed');
      expect(run.llm_calls).toBeGreaterThan(0);
      expect(run.tokens).toBeGreaterThan(0);
    }
    expect(sum(runs, 'llm_calls')).toBe(server.chatRequests.length);
    expect(sum(runs, 'tokens')).toBe(server.tokensReported.total);
    expect(summary.llm).toMatchObject({
      model: 'fake-model',
      calls: server.chatRequests.length,
      tokens: server.tokensReported.total,
      prompt_tokens: server.tokensReported.prompt,
      completion_tokens: server.tokensReported.completion,
      cache_hits: 0,
    });
    // The side table splits the tokens, and `runs show` prints it.
    const usage = await query(
      path.join(cwd, '.egregora', 'runs.duckdb'),
      'SELECT sum(prompt_tokens)::BIGINT AS p, sum(completion_tokens)::BIGINT AS c, min(model) AS m FROM run_llm_usage',
    );
    expect(usage).toEqual([
      {p: String(server.tokensReported.prompt), c: String(server.tokensReported.completion), m: 'fake-model'},
    ]);
    const [first] = await query(
      path.join(cwd, '.egregora', 'runs.duckdb'),
      `SELECT run_id::VARCHAR AS id FROM runs WHERE stage = 'window_0'`,
    );
    const shown = await runCli(['runs', 'show', String(first?.id), '--json'], {cwd});
    expect(shown.code).toBe(0);
    const output = RunShowOutputSchema.parse(JSON.parse(shown.stdout));
    expect(output.llm_usage).toMatchObject({model: 'fake-model', requests: 1, retries: 0, cache_hits: 0});
    const panel = await runCli(['runs', 'show', String(first?.id)], {cwd});
    expect(panel.stdout).toMatch(/Model\s+fake-model/);
    expect(panel.stdout).toMatch(/prompt \+ [\d,]+ completion/);
  });

  it('sends no real name, phone number, e-mail address or scrubbed attachment name, and refuses a reply that names a person', async () => {
    let refused = false;
    server = await startFakeLlmServer({
      responder: (request, index) => {
        // The first reply names a real person: it must be refused and repaired, never published.
        if (index === 0) {
          refused = true;
          return postReply({title: `A day with ${PRIVATE_NAMES[0]}`, summary: 'x', tags: ['x'], body: 'x'});
        }
        return echoPostResponder(request, index);
      },
    });
    const cwd = await workspace();
    const result = await runCli(['process', zip, ...llmArgs(server), '--concurrency', '1', '--json'], {cwd});
    expect(result.code).toBe(0);
    expect(refused).toBe(true);
    expect(server.chatRequests.length).toBeGreaterThanOrEqual(6);
    const secrets = [...PRIVATE_NAMES, PRIVATE_PHONE, PRIVATE_EMAIL, CONTACT_CARD, 'Neighbours'];
    for (const request of server.requests) {
      for (const secret of secrets) expect(request.body).not.toContain(secret);
      // The given names alone, too (the anonymizer scrubs them where they are unique).
      for (const name of PRIVATE_NAMES) expect(request.body).not.toContain(name.split(' ')[0]);
    }
    const site = await filesUnder(path.join(cwd, 'site'));
    for (const [file, content] of site) {
      if (!file.endsWith('.md')) continue;
      const text = Buffer.from(content, 'base64').toString('utf8');
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    const runs = await windowRuns(cwd);
    expect(runs.every((run) => run.status === 'completed')).toBe(true);
    // The refused reply and its repair are both counted on the first window's run.
    expect(runs[0]?.llm_calls).toBe(2);
    expect(sum(runs, 'llm_calls')).toBe(server.chatRequests.length);
  });

  it('retries a 429 after the wait the server asks for, and counts every request on its run', async () => {
    server = await startFakeLlmServer({
      responder: (request, index) => {
        const asked = server.chatRequests.filter(
          (each) => transcriptOf(each) === transcriptOf(request),
        ).length;
        if (asked === 1) return {kind: 'status', status: 429, headers: {'retry-after-ms': '20'}};
        return echoPostResponder(request, index);
      },
    });
    const cwd = await workspace();
    const result = await runCli(['process', zip, ...llmArgs(server), '--json'], {cwd});
    expect(result.code).toBe(0);
    const runs = await windowRuns(cwd);
    expect(runs.map((run) => run.llm_calls)).toEqual([2, 2, 2, 2, 2]);
    expect(sum(runs, 'llm_calls')).toBe(server.chatRequests.length);
    expect(sum(runs, 'tokens')).toBe(server.tokensReported.total);
    const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
    expect(summary.llm.retries).toBe(5);
  });

  it('fails one window after the retries run out, goes on with the others, and exits 11', async () => {
    server = await startFakeLlmServer({
      responder: (request, index) =>
        transcriptOf(request).startsWith('Window 3 of')
          ? {kind: 'status', status: 500, headers: {'retry-after-ms': '5'}}
          : echoPostResponder(request, index),
    });
    const cwd = await workspace();
    const result = await runCli(['process', zip, ...llmArgs(server)], {cwd});
    expect(result.code).toBe(11);
    const runs = await windowRuns(cwd);
    const failed = runs.filter((run) => run.status === 'failed');
    expect(failed.map((run) => run.stage)).toEqual(['window_2']);
    expect(failed[0]?.llm_calls).toBe(MAX_ATTEMPTS);
    expect(runs.filter((run) => run.status === 'completed')).toHaveLength(4);
    expect(sum(runs, 'llm_calls')).toBe(server.chatRequests.length);
    const [row] = await query(
      path.join(cwd, '.egregora', 'runs.duckdb'),
      `SELECT error FROM runs WHERE stage = 'window_2'`,
    );
    expect(String(row?.error)).toContain('HTTP 500');
    expect(String(row?.error)).toContain(`after ${MAX_ATTEMPTS} attempts`);
  });

  it('stops the whole process at a 401 with exit 15, having sent no more than concurrency + 1 requests', async () => {
    server = await startFakeLlmServer({
      responder: () => ({
        kind: 'status',
        status: 401,
        body: {error: {message: 'Invalid API key sk-live-abcdef123456'}},
      }),
    });
    const cwd = await workspace();
    const key = 'sk-live-abcdef1234567890';
    const result = await runCli(['process', zip, ...llmArgs(server), '--concurrency', '3'], {
      cwd,
      env: {EGREGORA_LLM_API_KEY: key},
    });
    expect(result.code).toBe(15);
    expect(result.stderr).toContain('HTTP 401');
    expect(result.stderr).toContain('EGREGORA_LLM_API_KEY');
    expect(server.chatRequests.length).toBeLessThanOrEqual(3 + 1);
    expect(result.stderr + result.stdout).not.toContain(key);
    expect(result.stderr).not.toContain('sk-live-abcdef123456');
    // The key travelled only in the Authorization header, and nothing of it is in the store.
    expect(server.chatRequests[0]?.headers.authorization).toBe(`Bearer ${key}`);
    const runsFile = await readFile(path.join(cwd, '.egregora', 'runs.duckdb'));
    expect(runsFile.includes(key)).toBe(false);
    const runs = await windowRuns(cwd);
    expect(runs.length).toBeLessThanOrEqual(4);
    expect(runs.every((run) => run.status === 'failed')).toBe(true);
  });

  it('says how to get a model the server does not have (exit 15)', async () => {
    server = await startFakeLlmServer({
      responder: () => ({
        kind: 'status',
        status: 404,
        body: {error: {message: "model 'fake-model' not found"}},
      }),
    });
    const cwd = await workspace();
    const result = await runCli(['process', zip, ...llmArgs(server), '--concurrency', '1'], {cwd});
    expect(result.code).toBe(15);
    expect(result.stderr).toContain('ollama pull fake-model');
    expect(server.chatRequests).toHaveLength(1);
  });

  it('answers a re-run from the cache: a deleted post and a --force run cost zero requests', async () => {
    server = await startFakeLlmServer();
    const cwd = await workspace();
    expect((await runCli(['process', zip, ...llmArgs(server)], {cwd})).code).toBe(0);
    const sent = server.chatRequests.length;
    const site = await filesUnder(path.join(cwd, 'site'));
    const forced = await runCli(['process', zip, ...llmArgs(server), '--force', '--json'], {cwd});
    expect(forced.code).toBe(0);
    expect(server.chatRequests.length).toBe(sent);
    const summary = ProcessSummarySchema.parse(JSON.parse(forced.stdout));
    expect(summary.windows.processed).toBe(5);
    expect(summary.llm).toMatchObject({calls: 0, tokens: 0, cache_hits: 5});
    expect(await filesUnder(path.join(cwd, 'site'))).toEqual(site);
    // --no-llm-cache asks again.
    const uncached = await runCli(['process', zip, ...llmArgs(server), '--force', '--no-llm-cache'], {cwd});
    expect(uncached.code).toBe(0);
    expect(server.chatRequests.length).toBe(sent + 5);
  });

  it('stops starting windows at --max-tokens, says how many are left, and the next run continues', async () => {
    server = await startFakeLlmServer();
    const cwd = await workspace();
    const first = await runCli(
      ['process', zip, ...llmArgs(server), '--concurrency', '1', '--max-tokens', '1000', '--json'],
      {
        cwd,
      },
    );
    expect(first.code).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(first.stdout));
    expect(summary.outcome).toBe('budget_reached');
    expect(server.chatRequests).toHaveLength(1);
    expect(summary.budget).toMatchObject({max_tokens: 1000, reached: true, windows_left: 4});
    expect(summary.budget?.spent).toBe(server.tokensReported.total);
    const human = await runCli(
      ['process', zip, ...llmArgs(server), '--concurrency', '1', '--max-tokens', '1000'],
      {cwd},
    );
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Run the same command again to continue');
    const rest = await runCli(['process', zip, ...llmArgs(server), '--json'], {cwd});
    expect(rest.code).toBe(0);
    const done = ProcessSummarySchema.parse(JSON.parse(rest.stdout));
    expect(done.windows).toMatchObject({skipped: 2, processed: 3});
    expect((await windowRuns(cwd)).every((run) => run.status === 'completed')).toBe(true);
  });

  it('plans a --dry-run in tokens without contacting the server', async () => {
    server = await startFakeLlmServer();
    const cwd = await workspace();
    const result = await runCli(['process', zip, ...llmArgs(server), '--dry-run', '--json'], {cwd});
    expect(result.code).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
    expect(server.requests).toHaveLength(0);
    expect(summary.plan).toHaveLength(5);
    for (const window of summary.plan ?? []) {
      expect(window.estimated_prompt_tokens).toBeGreaterThan(500);
      expect(window.cached).toBe(false);
    }
    expect(summary.llm.estimated_prompt_tokens).toBe(
      (summary.plan ?? []).reduce((total, window) => total + (window.estimated_prompt_tokens ?? 0), 0),
    );
    const human = await runCli(['process', zip, ...llmArgs(server), '--dry-run'], {cwd});
    expect(human.stdout).toMatch(/about [\d,]+ prompt tokens would be sent/);
    expect(human.stdout).toContain('Prompt tokens');
    expect(existsSync(path.join(cwd, '.egregora'))).toBe(false);
  });

  it('marks the windows in flight cancelled on Ctrl-C and exits 130', async () => {
    server = await startFakeLlmServer({responder: () => ({kind: 'hang'})});
    const cwd = await workspace();
    const child = spawn(process.execPath, [BIN, 'process', zip, ...llmArgs(server), '--concurrency', '2'], {
      cwd,
      env: cliEnv(undefined),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await waitFor(() => server.inFlight >= 2);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const runs = await windowRuns(cwd);
    expect(runs.map((run) => run.status)).toEqual(['cancelled', 'cancelled']);
    expect(runs.map((run) => run.llm_calls)).toEqual([1, 1]);
    expect(stderr).toContain('SIGINT');
    // Nothing is left in flight at the server once the process is gone.
    await waitFor(() => server.inFlight === 0);
  });

  it('resumes after a SIGKILL while requests are in flight: no duplicate posts, the same site as an uninterrupted run', async () => {
    server = await startFakeLlmServer({
      responder: async (request, index) => {
        const plan = await echoPostResponder(request, index);
        return plan.kind === 'reply' ? {...plan, delayMs: 150} : plan;
      },
    });
    const whole = await workspace();
    expect(
      (await runCli(['process', zip, ...llmArgs(server), '--concurrency', '2'], {cwd: whole})).code,
    ).toBe(0);
    const expected = await filesUnder(path.join(whole, 'site'));

    const killed = await workspace();
    // The same project secret, so that pseudonyms (and so prompts and replies) are the same.
    await mkdir(path.join(killed, '.egregora'), {recursive: true});
    await copyFile(path.join(whole, '.egregora', 'secret.key'), path.join(killed, '.egregora', 'secret.key'));
    const before = server.chatRequests.length;
    const child = spawn(process.execPath, [BIN, 'process', zip, ...llmArgs(server), '--concurrency', '2'], {
      cwd: killed,
      env: cliEnv(undefined),
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    await waitFor(() => server.chatRequests.length >= before + 3 && server.inFlight > 0);
    child.kill('SIGKILL');
    await exited;
    const resumed = await runCli(['process', zip, ...llmArgs(server), '--concurrency', '2', '--json'], {
      cwd: killed,
    });
    expect(resumed.code).toBe(0);
    const site = await filesUnder(path.join(killed, 'site'));
    expect([...site.keys()].filter((file) => file.startsWith('posts/') && file.endsWith('.md'))).toHaveLength(
      5,
    );
    expect(site).toEqual(expected);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
