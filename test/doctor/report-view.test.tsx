import {describe, expect, it} from 'vitest';
import {DoctorReport, type DoctorReportRow} from '../../src/ui/DoctorReport.js';
import {renderStatic} from '../../src/ui/render.js';

const rows: DoctorReportRow[] = [
  {
    name: 'outputs-have-runs',
    status: 'fail',
    required: true,
    detail: '2 rows name runs that do not exist (e.g. 3f2a9c1e…)',
  },
  {name: 'terminal-times', status: 'pass', required: true, detail: '5 finished runs: consistent'},
  {name: 'last-run', status: 'info', required: false, detail: 'newest run 3f2a9c1e…'},
];

describe('DoctorReport', () => {
  it('prints one greppable line per gate, names in one column, then the verdict, without colour codes', () => {
    const out = renderStatic(<DoctorReport rows={rows} color={false} />, 200);
    expect(out.split('\n')).toEqual([
      'FAIL  outputs-have-runs  2 rows name runs that do not exist (e.g. 3f2a9c1e…)',
      'PASS  terminal-times     5 finished runs: consistent',
      'INFO  last-run           newest run 3f2a9c1e…',
      '1 required check failed.',
    ]);
    expect(out).not.toContain('\u001b[');
  });

  it('says when all required checks passed, and when there was nothing to check', () => {
    const passing = rows.map((row) => (row.status === 'fail' ? {...row, status: 'pass' as const} : row));
    expect(renderStatic(<DoctorReport rows={passing} color={false} />, 200)).toMatch(
      /All required checks passed\.$/,
    );
    const nothing = rows.map((row) => ({...row, status: 'info' as const}));
    expect(renderStatic(<DoctorReport rows={nothing} color={false} />, 200)).toMatch(
      /Nothing to check yet\.$/,
    );
  });

  it('colours PASS green, FAIL red and dims INFO only when asked', async () => {
    const {default: chalk} = await import('chalk');
    const previous = chalk.level;
    chalk.level = 1;
    try {
      const out = renderStatic(<DoctorReport rows={rows} color={true} />, 200);
      expect(out).toContain('\u001b[31mFAIL\u001b[39m');
      expect(out).toContain('\u001b[32mPASS\u001b[39m');
      expect(out).toContain('\u001b[2mINFO\u001b[22m');
    } finally {
      chalk.level = previous;
    }
  });
});
