import {describe, expect, it} from 'vitest';
import type {RunRecord} from '../../schemas/run.js';
import {RunPanel} from '../../src/ui/RunPanel.js';
import {CandidatesTable, RunsTable} from '../../src/ui/RunsTable.js';
import {renderStatic} from '../../src/ui/render.js';

function run(overrides: Partial<RunRecord>): RunRecord {
  return {
    run_id: '3f2a9c1e-0000-4000-8000-000000000001',
    tenant_id: null,
    stage: 'window_0',
    status: 'completed',
    error: null,
    input_fingerprint: 'sha256:abc',
    code_ref: 'egregora@0.1.0',
    config_hash: 'sha256:def',
    started_at: '2026-11-22T04:00:00.000Z',
    finished_at: '2026-11-22T04:00:12.450Z',
    duration_seconds: 12.45,
    rows_in: 100,
    rows_out: 1,
    llm_calls: 0,
    tokens: 0,
    trace_id: null,
    ...overrides,
  };
}

describe('RunsTable', () => {
  it('shows the seven columns with short ids, dashes for unknowns and formatted durations', () => {
    const out = renderStatic(
      <RunsTable
        runs={[
          run({}),
          run({
            run_id: 'aaaaaaaa-0000-4000-8000-000000000002',
            stage: 'ingest',
            status: 'running',
            rows_out: null,
            finished_at: null,
            duration_seconds: null,
            rows_in: 1234567,
          }),
          run({run_id: 'bbbbbbbb-0000-4000-8000-000000000003', status: 'failed', duration_seconds: 185}),
        ]}
        color={false}
      />,
      200,
    );
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Run ID\s+Stage\s+Status\s+Started At\s+Rows In\s+Rows Out\s+Duration$/);
    expect(lines[1]).toMatch(
      /^3f2a9c1e\s+window_0\s+completed\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s+100\s+1\s+12\.45s$/,
    );
    expect(lines[2]).toMatch(/^aaaaaaaa\s+ingest\s+running\s+.*1,234,567\s+-\s+-$/);
    expect(lines[3]).toMatch(/3m 05s$/);
    expect(out).not.toContain('\u001b[');
  });

  it('aligns every column at the same offset on every line', () => {
    const out = renderStatic(
      <RunsTable runs={[run({stage: 'ingest'}), run({stage: 'window_123', rows_in: 5})]} color={false} />,
      200,
    );
    const [header = '', first = '', second = ''] = out.split('\n');
    const statusAt = header.indexOf('Status');
    expect(first.indexOf('completed')).toBe(statusAt);
    expect(second.indexOf('completed')).toBe(statusAt);
  });

  it('colours statuses only when asked to', () => {
    const coloured = renderStatic(<RunsTable runs={[run({status: 'failed'})]} color={true} />, 200);
    const plain = renderStatic(<RunsTable runs={[run({status: 'failed'})]} color={false} />, 200);
    expect(plain).not.toContain('\u001b[');
    // Whether ANSI codes appear also depends on the colour support chalk detects; when it does
    // emit them, the failed status must be red (31).
    if (coloured.includes('\u001b[')) expect(coloured).toContain('\u001b[31mfailed');
  });
});

describe('CandidatesTable', () => {
  it('lists full ids with stage, status and start', () => {
    const out = renderStatic(
      <CandidatesTable
        runs={[run({}), run({run_id: '3f2a9c1e-1111-4000-8000-000000000009'})]}
        color={false}
      />,
      120,
    );
    expect(out).toContain('3f2a9c1e-0000-4000-8000-000000000001');
    expect(out).toContain('3f2a9c1e-1111-4000-8000-000000000009');
    expect(out.split('\n')[0]).toMatch(/^Run ID\s+Stage\s+Status\s+Started At$/);
  });
});

describe('RunPanel', () => {
  it('has every section and formats metrics with thousands separators', () => {
    const out = renderStatic(
      <RunPanel
        run={run({
          status: 'failed',
          error: 'WriterError: boom\n  in window 3',
          tokens: 1234567,
          trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        })}
        parentRuns={[run({run_id: 'cccccccc-0000-4000-8000-000000000004', stage: 'ingest'})]}
        childRuns={[]}
        color={false}
      />,
      120,
    );
    for (const section of [
      'Identity',
      'Timestamps',
      'Metrics',
      'Fingerprints',
      'Lineage',
      'Error',
      'Observability',
    ]) {
      expect(out).toContain(`== ${section} ==`);
    }
    expect(out).toContain('3f2a9c1e-0000-4000-8000-000000000001');
    expect(out).toContain('1,234,567');
    expect(out).toContain('WriterError: boom');
    expect(out).toContain('in window 3');
    expect(out).toContain('cccccccc ingest (completed)');
    expect(out).toMatch(/Children\s+none/);
    expect(out).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(out).toContain('12.45s');
  });

  it('lists the first ten children and counts the rest, in plain ASCII', () => {
    const children = Array.from({length: 12}, (_, index) =>
      run({
        run_id: `dddddd${String(index).padStart(2, '0')}-0000-4000-8000-000000000000`,
        stage: `window_${index}`,
      }),
    );
    const out = renderStatic(
      <RunPanel
        run={run({stage: 'ingest'})}
        parentRuns={[]}
        childRuns={children}
        childrenTotal={1500}
        color={false}
      />,
      120,
    );
    expect(out).toContain('dddddd00 window_0 (completed)');
    expect(out).toContain('dddddd09 window_9 (completed)');
    expect(out).not.toContain('dddddd10');
    expect(out).toContain('...and 1,490 more');
    expect([...out].every((character) => (character.codePointAt(0) ?? 0) < 0x80)).toBe(true);
  });
});
