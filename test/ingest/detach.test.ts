import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {detached} from '../../src/ingest/detach.js';
import {REPO_ROOT} from '../helpers/cli.js';

const run = promisify(execFile);

/** Text of every kind a chat holds: ASCII, Latin-1, other scripts, emoji, and broken UTF-16. */
const SAMPLES = [
  '',
  'ok',
  'twelve chars',
  'thirteen char',
  'See you at the café, Zoë — 8 o’clock?',
  'Ça va? Très bien, merci. ÀÉÎÕÜ ñ ß ÿ',
  'שלום לכולם, מה שלומכם היום?',
  '我们今天去公园散步，天气很好',
  'วันนี้อากาศดีมาก เราไปเที่ยวทะเลกัน',
  'party 🎉🎉 tonight 👍🏽 see you',
  `lone high ${'\uD83D'} surrogate in the middle of a long text`,
  `lone low ${'\uDE00'} surrogate, then a pair 😀 and the end`,
  `latin-1 edge ${'\u00FF'} and just past it ${'\u0100'} here`,
];

describe('detached', () => {
  it('returns the same characters, code unit for code unit', () => {
    for (const text of SAMPLES) {
      expect(detached(text)).toBe(text);
      const inside = `header line ${text} trailer`.slice(12, 12 + text.length);
      expect(detached(inside)).toBe(text);
    }
  });

  // Retention is the point of `detached` and only the heap shows it: a child process with a GC to
  // call keeps 2,000 slices of a 16 MB text, either as they are or detached, and drops the text.
  it('lets the text it was sliced from be collected, where a plain slice keeps it alive', async () => {
    const script = `
      import {detached} from ${JSON.stringify(path.join(REPO_ROOT, 'src/ingest/detach.ts'))};
      const live = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
      function keep(copy) {
        let parent = 'ā'.repeat(8) + 'x'.repeat(8 * 1024 * 1024);
        parent = parent + parent.slice(1);
        const kept = [];
        for (let i = 0; i < 2000; i++) kept.push(copy(parent.slice(i * 4000, i * 4000 + 40)));
        // A regular expression's last match keeps its subject (RegExp.input): match something else.
        /./.test('reset');
        return kept;
      }
      const base = live();
      const raw = keep((s) => s);
      const rawRetained = live() - base;
      raw.length = 0;
      const base2 = live();
      const copies = keep(detached);
      const detachedRetained = live() - base2;
      console.log(JSON.stringify({rawRetained, detachedRetained, kept: copies.length}));
    `;
    const {stdout} = await run(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--input-type=module', '--eval', script],
      {cwd: REPO_ROOT},
    );
    const {rawRetained, detachedRetained} = JSON.parse(stdout) as Record<string, number>;
    const MB = 1024 * 1024;
    // A plain slice keeps the whole 32 MB two-byte parent; detached copies keep ~2,000 × 100 bytes.
    expect(rawRetained).toBeGreaterThan(24 * MB);
    expect(detachedRetained).toBeLessThan(2 * MB);
  });
});
