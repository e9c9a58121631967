/**
 * The posts of the bundled sample export, byte for byte. The hashes below were taken from the posts
 * written at commit df07397 (before issue 15) by `process docs/sample/export.zip --timezone UTC` with
 * the secret below; a change of the digest, the parser or the anonymizer that changes a post must
 * say here which post and why.
 *
 * Issue 15 and the sample: its chat holds no control character (case 1), and every window has
 * central messages to quote (case 2), so neither changes a post. It does hold case 3: its first two
 * lines are notices credited to the group (`Rua das Flores Garden: ‎Messages and calls are end-to-end
 * encrypted. …`, `… ‎Ana Ribeiro created this group`). They were already system events, which a post
 * never quotes or counts as a participant; what changed is that the group's name is no longer taken
 * for a person (7 authors, not 8), which no post shows. So every post is unchanged.
 */
import {createHash} from 'node:crypto';
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {parseChatText} from '../../src/ingest/parser.js';
import {runCli, tempDir} from '../helpers/cli.js';
import {buildSampleExport, SAMPLE_ZIP} from './make-sample.js';

/** A fixed anonymization secret (64 hex digits), so that pseudonyms, and so posts, are reproducible. */
const SECRET = 'e'.repeat(64);

/** sha256 of each post at df07397; see the file's comment for what issue 15 changed (nothing here). */
const POSTS_AT_DF07397: Readonly<Record<string, string>> = {
  'posts/2024-03-01-w0000-new-meeting-shed.md':
    '7a912ba1719bed05d1faf3a21f6c5295e3fec5b0542eacbd7acc41049313dfd6',
  'posts/2024-03-12-w0001-compost-tomatoes-useful.md':
    'e3fa922972aa394dd3fce82795dd136c3c2d8f46a19b70f254ecb3dc3da7ef4a',
  'posts/2024-03-19-w0002-shed-compost-new.md':
    'b1efdd01adacd0608731afaa466877a1d95ff7dc9bfd845500cbc2b88226d606',
  'posts/2024-03-28-w0003-shed-last-open.md':
    '4dd9fe18c7958b907fd4a9d2562c0c1773efa2cb59cc798df498a597d2ca2fd9',
  'posts/2024-04-02-w0004-new-open-rain.md':
    '3fab8b648565f1af0330b622ee0e0521b2aec8ccb03f2cd6a8d1ff2b8502ff41',
  'posts/2024-04-14-w0005-shed-compost-open.md':
    'e5629bd892ee4171feb5b348285cb52244c5d7503a3ff44af337667dddfad6c0',
  'posts/2024-04-23-w0006-compost-week-saturday.md':
    'fa8c77881af0aaca40958a889281eda772f0524556a90d59e8d7e8790d962169',
};

describe('the sample export’s posts', () => {
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({dir, cleanup} = await tempDir('egregora-sample-posts-'));
  });
  afterAll(async () => cleanup());

  it('are byte-identical to those of df07397', async () => {
    await mkdir(path.join(dir, '.egregora'), {recursive: true, mode: 0o700});
    await writeFile(path.join(dir, '.egregora', 'secret.key'), `${SECRET}\n`, {mode: 0o600});
    const result = await runCli(['process', SAMPLE_ZIP, '--timezone', 'UTC', '--json'], {cwd: dir});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // 7, not the 8 of df07397: the group's name, which heads two notices, is no author any more.
    expect(ProcessSummarySchema.parse(JSON.parse(result.stdout)).ingest.authors).toBe(7);

    const postsDir = path.join(dir, 'site', 'posts');
    const hashes: Record<string, string> = {};
    // The Markdown posts (the HTML pages beside them are the site's, tested in test/site/).
    for (const name of (await readdir(postsDir)).filter((file) => file.endsWith('.md')).sort()) {
      hashes[`posts/${name}`] = createHash('sha256')
        .update(await readFile(path.join(postsDir, name)))
        .digest('hex');
    }
    expect(hashes).toEqual(POSTS_AT_DF07397);
  });

  it('hold case 3 of issue 15: two notices credited to the group, now system events without author', () => {
    const {chat} = buildSampleExport();
    const {messages, summary} = parseChatText(chat, {timezone: 'UTC'});
    expect(messages.slice(0, 2).map(({author, kind}) => ({author, kind}))).toEqual([
      {author: null, kind: 'system'},
      {author: null, kind: 'system'},
    ]);
    expect(summary.authors).not.toContain('Rua das Flores Garden');
    expect(summary.authors).toHaveLength(7);
    // Cases 1 and 2 do not occur: no control character anywhere in the chat.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(chat.replaceAll('\r\n', '\n'))).toBe(false);
  });
});
