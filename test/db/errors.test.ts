import {describe, expect, it} from 'vitest';
import {storeRole, toStoreError} from '../../src/db/errors.js';
import {resolveStatePaths} from '../../src/util/paths.js';

describe('store errors name each store by its role', () => {
  const paths = resolveStatePaths('/tmp/project/.egregora');
  const diskFull = new Error('IO Error: Could not write file: No space left on device');

  it('says "the pipeline store" for pipeline.duckdb and "the runs store" for runs.duckdb', () => {
    expect(storeRole(paths.runsDb)).toBe('the runs store');
    expect(storeRole(paths.pipelineDb)).toBe('the pipeline store');
    expect(storeRole('/elsewhere/other.duckdb')).toBe('the database');
    expect((toStoreError(diskFull, paths.pipelineDb, 'write') as Error).message).toBe(
      `Cannot write the pipeline store ${paths.pipelineDb}: the disk is full.`,
    );
    expect((toStoreError(diskFull, paths.runsDb, 'write') as Error).message).toBe(
      `Cannot write the runs store ${paths.runsDb}: the disk is full.`,
    );
  });
});
