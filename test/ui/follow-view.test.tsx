import {describe, expect, it} from 'vitest';
import type {RunRecord} from '../../schemas/run.js';
import {FollowView, followLine} from '../../src/ui/FollowView.js';
import {renderStatic} from '../../src/ui/render.js';

function run(overrides: Partial<RunRecord>): RunRecord {
  return {
    run_id: '3f2a9c1e-0000-4000-8000-000000000001',
    tenant_id: null,
    stage: 'window_0',
    status: 'running',
    error: null,
    input_fingerprint: null,
    code_ref: null,
    config_hash: null,
    started_at: '2026-12-03T10:00:00.000000Z',
    finished_at: null,
    duration_seconds: null,
    rows_in: 100,
    rows_out: null,
    llm_calls: null,
    tokens: null,
    trace_id: null,
    ...overrides,
  };
}

describe('FollowView', () => {
  const now = Date.parse('2026-12-03T10:00:12Z');
  const processRun = run({stage: 'process', run_id: 'aaaaaaaa-0000-4000-8000-000000000000'});

  it('shows the process, its children by status, and the windows in flight with how long they have run', () => {
    const inFlight = Array.from({length: 14}, (_, index) =>
      run({stage: `window_${index}`, run_id: `bbbbbbbb-0000-4000-8000-${String(index).padStart(12, '0')}`}),
    );
    const out = renderStatic(
      <FollowView
        snapshot={{
          process: processRun,
          counts: {running: 14, completed: 3, failed: 1},
          inFlight,
          finished: [],
          done: false,
        }}
        color={false}
        now={now}
      />,
      100,
    );
    expect(out).toContain('Process aaaaaaaa running');
    expect(out).toContain('12.00s so far');
    expect(out).toMatch(/14 running\s+3 completed\s+1 failed/);
    expect(out).toContain('window_11');
    expect(out).not.toContain('window_12');
    expect(out).toContain('...and 2 more in flight');
  });

  it('prints a finished run as one line with its error', () => {
    const line = followLine(
      run({
        status: 'failed',
        finished_at: '2026-12-03T10:00:02.000000Z',
        duration_seconds: 2,
        error: 'RangeError: boom\nmore',
      }),
    );
    expect(line).toMatch(/window_0\s+failed\s+2\.00s\s+3f2a9c1e {2}RangeError: boom$/);
  });
});
