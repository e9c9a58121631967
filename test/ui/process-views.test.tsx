import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import type {ProcessSummary} from '../../schemas/process.js';
import {ProcessProgress, type ProgressSnapshot, progressLine} from '../../src/ui/ProcessProgress.js';
import {ProcessSummaryView} from '../../src/ui/ProcessSummaryView.js';
import {createProgressView} from '../../src/ui/progress-view.js';
import {renderStatic} from '../../src/ui/render.js';

const snapshot: ProgressSnapshot = {
  phase: 'processing',
  messages: 12345,
  windowsTotal: 124,
  windowsDone: 62,
  windowsSkipped: 2,
  windowsFailed: 1,
  current: ['window 62', 'window 63'],
  elapsedSeconds: 30,
  warnings: ['runs are not being recorded: disk full'],
};

function summary(overrides: Partial<ProcessSummary> = {}): ProcessSummary {
  return {
    input: '/tmp/export.zip',
    output_dir: '/tmp/site',
    state_dir: '/tmp/.egregora',
    dry_run: false,
    outcome: 'failed',
    exit_code: 11,
    config_hash: 'sha256:00',
    process_run_id: '3f2a9c1e-0000-4000-8000-0000000000ff',
    retry_of: null,
    ingest: {
      run_id: '3f2a9c1e-0000-4000-8000-000000000001',
      reused: false,
      chat_entry: '_chat.txt',
      messages: 1234,
      authors: 5,
    },
    windows: {total: 13, processed: 12, skipped: 1, failed: 1, cancelled: 0, degraded: 0, split: 2},
    llm: {
      model: null,
      calls: 0,
      tokens: 0,
      prompt_tokens: 0,
      completion_tokens: 0,
      retries: 0,
      repairs: 0,
      cache_hits: 0,
      fallbacks: 0,
      estimated_prompt_tokens: null,
    },
    budget: null,
    site: null,
    posts_written: 11,
    superseded_posts: {removed: [], kept_edited: []},
    media_written: 4,
    failed_windows: [
      {
        window: 3,
        stage: 'window_3',
        run_id: 'aaaaaaaa-0000-4000-8000-000000000002',
        error: 'RangeError: boom',
      },
    ],
    duration_seconds: 2.5,
    tracking: {recorded: true, db_path: '/tmp/.egregora/runs.duckdb', warning: null},
    ...overrides,
  };
}

describe('ProcessProgress', () => {
  it('shows the phase, windows done of total, skipped, failed, current windows, rate and ETA', () => {
    const out = renderStatic(<ProcessProgress snapshot={snapshot} color={false} />, 100);
    expect(out).toContain('processing');
    expect(out).toContain('12,345 messages');
    expect(out).toContain('62/124 windows');
    expect(out).toContain('skipped 2');
    expect(out).toContain('failed 1');
    expect(out).toContain('2.0 windows/s');
    expect(out).toContain('ETA 31.00s');
    expect(out).toContain('now: window 62, window 63');
    expect(out).toContain('warning: runs are not being recorded');
  });

  it('has a one-line form for logs', () => {
    expect(progressLine(snapshot)).toBe(
      '[processing] 62/124 windows, 2 skipped, 1 failed, 2.0/s, ETA 31.00s',
    );
    expect(progressLine({...snapshot, windowsTotal: 0, phase: 'ingesting'})).toBe(
      '[ingesting] 12,345 messages',
    );
  });
});

describe('ProcessSummaryView', () => {
  it('names the failed windows and the runs show command to read them', () => {
    const out = renderStatic(<ProcessSummaryView summary={summary()} color={false} />, 120);
    expect(out).toContain('Finished with 1 failed window.');
    expect(out).toContain('13 in all: 12 processed, 1 skipped, 1 failed');
    expect(out).toMatch(/window_3\s+aaaaaaaa\s+RangeError: boom/);
    expect(out).toContain('egregora runs show aaaaaaaa');
  });

  it('says plainly when runs were not recorded', () => {
    const out = renderStatic(
      <ProcessSummaryView
        summary={summary({
          outcome: 'completed',
          exit_code: 0,
          failed_windows: [],
          tracking: {recorded: false, db_path: '/x/runs.duckdb', warning: 'permission denied'},
        })}
        color={false}
      />,
      120,
    );
    expect(out).toContain('Done.');
    expect(out).toContain('NOT recorded: permission denied');
  });

  it('lists the plan of a dry run', () => {
    const out = renderStatic(
      <ProcessSummaryView
        summary={summary({
          dry_run: true,
          outcome: 'planned',
          exit_code: 0,
          failed_windows: [],
          plan: [
            {
              window: 0,
              first_date: '2024-01-01T10:00:00',
              last_date: '2024-01-02T10:00:00',
              messages: 100,
              fingerprint: 'sha256:1',
              action: 'skip',
              parts: 1,
            },
            {
              window: 1,
              first_date: '2024-01-02T10:05:00',
              last_date: '2024-01-03T10:00:00',
              messages: 100,
              fingerprint: 'sha256:2',
              action: 'split',
              parts: 3,
            },
          ],
        })}
        color={false}
      />,
      120,
    );
    expect(out).toContain('Dry run: nothing was written.');
    expect(out).toMatch(/0\s+2024-01-01 10:00:00\s+2024-01-02 10:00:00\s+100\s+skip/);
    expect(out).toMatch(/1\s+.*\s+split into 3/);
    expect(out).not.toContain('Posts');
  });
});

describe('the progress view', () => {
  it('prints warnings with their control characters escaped', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let written = '';
    (stream as unknown as PassThrough).on('data', (chunk: Buffer) => {
      written += chunk.toString('utf8');
    });
    const view = createProgressView({stream, live: false, color: false});
    view.warn(`Cannot write \u001b]0;pwned\u0007/runs.duckdb`);
    view.stop();
    expect(written).toBe('warning: Cannot write \\u001b]0;pwned\\u0007/runs.duckdb\n');
  });
});
