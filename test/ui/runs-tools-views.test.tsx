import {describe, expect, it} from 'vitest';
import type {RunRecord} from '../../schemas/run.js';
import type {RunsExportOutput} from '../../schemas/runs-export.js';
import type {LineageDescendant, RunsLineageOutput} from '../../schemas/runs-lineage.js';
import {type RunsStatsOutput, STAGE_GROUPS} from '../../schemas/runs-stats.js';
import {ExportReport, formatBytes} from '../../src/ui/ExportReport.js';
import {LineageTree} from '../../src/ui/LineageTree.js';
import {formatRate, RunsStats} from '../../src/ui/RunsStats.js';
import {renderStatic} from '../../src/ui/render.js';
import {formatLocalTime} from '../../src/util/format.js';

const RUN: RunRecord = {
  run_id: '3f2a9c1e-0000-4000-8000-000000000001',
  tenant_id: null,
  stage: 'ingest',
  status: 'completed',
  error: null,
  input_fingerprint: null,
  code_ref: null,
  config_hash: null,
  started_at: '2026-11-22T04:00:00.000Z',
  finished_at: '2026-11-22T04:00:02.000Z',
  duration_seconds: 2,
  rows_in: 10,
  rows_out: 9,
  llm_calls: 0,
  tokens: 0,
  trace_id: null,
};

function stats(overrides: Partial<RunsStatsOutput> = {}): RunsStatsOutput {
  return {
    db_path: '/x/runs.duckdb',
    state: 'ok',
    filters: {since: null, until: null, stage: null},
    runs: 103,
    groups: STAGE_GROUPS.map((group) => ({
      group,
      runs: group === 'window' ? 100 : group === 'other' ? 0 : 1,
      statuses: {
        running: 0,
        completed: group === 'window' ? 97 : 1,
        failed: group === 'window' ? 3 : 0,
        degraded: 0,
        cancelled: 0,
        crashed: 0,
      },
      failure_rate: group === 'window' ? 0.03 : 0,
      duration_seconds: {p50: 0.08, p95: 0.15, max: 75},
      rows_in: 12_345,
      rows_out: 100,
      llm_calls: 0,
      tokens: 1_234_567,
    })),
    top_errors: [
      {
        error: `Error: window <n>: EACCES: permission denied ${'x'.repeat(300)}`,
        count: 3,
        last_run_id: 'aaaa1111-0000-4000-8000-000000000001',
        last_seen_at: '2026-11-22T04:00:00.000000Z',
      },
    ],
    error_kinds: 4,
    error_runs: 6,
    ...overrides,
  };
}

describe('RunsStats', () => {
  it('shows the four pipeline groups, not an empty `other`, with rates, durations and counts', () => {
    const out = renderStatic(<RunsStats stats={stats()} color={false} />, 200);
    const lines = out.split('\n');
    expect(lines[0]).toBe('103 runs');
    expect(lines).toContain('== Outcomes by stage group ==');
    const groupRows = lines.filter((line) => /^(process|ingest|window|part|other) /.test(line));
    expect(groupRows.map((line) => line.split(/\s+/)[0])).toEqual([
      'process',
      'ingest',
      'window',
      'part',
      'process',
      'ingest',
      'window',
      'part',
    ]);
    expect(out).toMatch(/window\s+100\s+97\s+0\s+3\s+0\s+0\s+0\s+3\.0%/);
    expect(out).toMatch(/window\s+0\.08s\s+0\.15s\s+1m 15s\s+12,345\s+100\s+0\s+1,234,567/);
    expect(out).toContain('...and 3 more kinds of error');
    // The long error is cut to fit, and no line wraps.
    expect(out).toContain('EACCES: permission denied xxx');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(200);
  });

  it('shows `other` when it has runs, and "none" without errors', () => {
    const base = stats({top_errors: [], error_kinds: 0, error_runs: 0});
    const groups = base.groups.map((group) => (group.group === 'other' ? {...group, runs: 2} : group));
    const filters = {since: '2026-11-01T00:00:00.000Z', until: null, stage: 'window_*'};
    const out = renderStatic(<RunsStats stats={{...base, groups, filters}} color={false} />, 200);
    expect(out.split('\n')[0]).toBe(`103 runs of stages window_* since ${formatLocalTime(filters.since)}`);
    expect(out).toMatch(/^other /m);
    expect(out).toMatch(/== Top errors \(failed and crashed runs\) ==\nnone/);
  });

  it('formats rates', () => {
    expect(formatRate(null)).toBe('-');
    expect(formatRate(0.0103)).toBe('1.0%');
    expect(formatRate(1)).toBe('100.0%');
  });
});

function node(
  id: number,
  stage: string,
  children: LineageDescendant[] = [],
  total = children.length,
): LineageDescendant {
  return {
    run_id: `${String(id).padStart(8, '0')}-0000-4000-8000-000000000000`,
    stage,
    status: 'completed',
    started_at: '2026-11-22T04:00:00.000Z',
    duration_seconds: 0.5,
    repeated: false,
    children,
    children_total: total,
  };
}

describe('LineageTree', () => {
  it('draws both trees in ASCII with status, duration, repeats and "and N more"', () => {
    const lineage: RunsLineageOutput = {
      db_path: '/x',
      run: RUN,
      parents: [
        {
          run_id: '99999999-0000-4000-8000-000000000000',
          stage: 'process',
          status: 'failed',
          started_at: RUN.started_at,
          duration_seconds: 30,
          repeated: false,
          parents: [],
          parents_total: 0,
        },
      ],
      parents_total: 1,
      children: [
        node(1, 'window_0', [node(3, 'window_0.part_1')], 4),
        {...node(2, 'window_1'), repeated: true},
      ],
      children_total: 120,
      limits: {max_depth: 6, max_width: 10, max_nodes: 250},
      truncated: true,
    };
    const out = renderStatic(<LineageTree lineage={lineage} color={false} />, 200);
    expect(out).toBe(
      [
        `3f2a9c1e-0000-4000-8000-000000000001 ingest completed 2.00s started ${formatLocalTime(RUN.started_at)}`,
        '',
        '== Ancestors (under each run, its parents) ==',
        '`-- 99999999 process failed 30.00s',
        '',
        '== Descendants (under each run, its children) ==',
        '|-- 00000001 window_0 completed 0.50s',
        '|   |-- 00000003 window_0.part_1 completed 0.50s',
        '|   `-- ...and 3 more',
        '|-- 00000002 window_1 completed 0.50s (repeated: listed elsewhere in this tree)',
        '`-- ...and 118 more',
      ].join('\n'),
    );
  });

  it('says "none" for a run without relatives', () => {
    const lineage: RunsLineageOutput = {
      db_path: '/x',
      run: RUN,
      parents: [],
      parents_total: 0,
      children: [],
      children_total: 0,
      limits: {max_depth: 6, max_width: 10, max_nodes: 250},
      truncated: false,
    };
    const out = renderStatic(<LineageTree lineage={lineage} color={false} />, 200);
    expect(out.match(/^none$/gm)).toHaveLength(2);
  });
});

describe('ExportReport', () => {
  it('lists each file with its rows, size and path', () => {
    const report: RunsExportOutput = {
      db_path: '/x',
      state: 'ok',
      format: 'parquet',
      files: [
        {kind: 'runs', path: '/out/runs.parquet', rows: 1_000_000, bytes: 100_962_255},
        {kind: 'lineage', path: '/out/runs.lineage.parquet', rows: 990_099, bytes: 812},
      ],
    };
    const out = renderStatic(<ExportReport report={report} color={false} />, 400);
    expect(out).toContain('runs (parquet)     1,000,000  101.0 MB  /out/runs.parquet');
    expect(out).toContain('lineage (parquet)    990,099     812 B  /out/runs.lineage.parquet');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
  });
});
