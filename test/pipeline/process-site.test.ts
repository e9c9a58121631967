import {existsSync} from 'node:fs';
import {mkdir, readdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {runCli, tempDir} from '../helpers/cli.js';
import {queryStore} from '../helpers/db.js';
import {writeChatExport} from './export-fixture.js';

describe('process renders the HTML site as its own run', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let zip: string;

  beforeAll(async () => {
    ({dir: root, cleanup} = await tempDir('egregora-process-site-'));
    zip = await writeChatExport(path.join(root, 'input'), 300);
  });
  afterAll(async () => cleanup());

  async function workspace(name: string): Promise<string> {
    const cwd = path.join(root, name);
    await mkdir(cwd, {recursive: true});
    return cwd;
  }

  it('writes index.html beside the posts; the site run is a child of the process run, posts in, pages out', async () => {
    const cwd = await workspace('default');
    const result = await runCli(['process', zip, '--title', 'Neighbourhood archive', '--json'], {cwd});
    expect(result.code).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
    expect(summary.site?.index_path).toBe(path.join(cwd, 'site', 'index.html'));
    expect(existsSync(path.join(cwd, 'site', 'index.html'))).toBe(true);
    const [site] = await queryStore(
      path.join(cwd, '.egregora', 'runs.duckdb'),
      `SELECT r.run_id::VARCHAR AS id, r.status, r.rows_in, r.rows_out, p.stage AS parent
       FROM runs r JOIN run_lineage l ON l.child_run_id = r.run_id JOIN runs p ON p.run_id = l.parent_run_id
       WHERE r.stage = 'site'`,
    );
    expect(site).toMatchObject({status: 'completed', rows_in: '3', parent: 'process'});
    expect(Number(site?.rows_out)).toBe(summary.site?.pages);
    expect(summary.site?.run_id).toBe(site?.id);
    const human = await runCli(['process', zip, '--title', 'Neighbourhood archive'], {cwd});
    expect(human.stdout).toMatch(/Site\s+\d+ pages \(0 files written, \d+ unchanged\): open .*index\.html/);
  });

  it('writes Markdown only with --no-html, and records no site run', async () => {
    const cwd = await workspace('markdown-only');
    const result = await runCli(['process', zip, '--no-html', '--json'], {cwd});
    expect(result.code).toBe(0);
    expect(ProcessSummarySchema.parse(JSON.parse(result.stdout)).site).toBeNull();
    expect(existsSync(path.join(cwd, 'site', 'index.html'))).toBe(false);
    const sites = await queryStore(
      path.join(cwd, '.egregora', 'runs.duckdb'),
      `SELECT count(*)::INTEGER AS n FROM runs WHERE stage = 'site'`,
    );
    expect(sites).toEqual([{n: 0}]);
  });

  it('leaves out a post whose front matter was broken by hand: the site run is degraded and names it', async () => {
    const cwd = await workspace('broken');
    expect((await runCli(['process', zip], {cwd})).code).toBe(0);
    const posts = (await readdir(path.join(cwd, 'site', 'posts')))
      .filter((file) => file.endsWith('.md'))
      .sort();
    await writeFile(path.join(cwd, 'site', 'posts', posts[1] ?? ''), '---\ntitle: [unclosed\n---\nBody\n');
    const result = await runCli(['process', zip, '--json'], {cwd});
    expect(result.code).toBe(0);
    const summary = ProcessSummarySchema.parse(JSON.parse(result.stdout));
    expect(summary.site?.skipped.map((skip) => skip.file)).toEqual([`posts/${posts[1]}`]);
    const [site] = await queryStore(
      path.join(cwd, '.egregora', 'runs.duckdb'),
      `SELECT status, error FROM runs WHERE stage = 'site' ORDER BY started_at DESC LIMIT 1`,
    );
    expect(site?.status).toBe('degraded');
    expect(String(site?.error)).toContain(String(posts[1]));
  });
});
