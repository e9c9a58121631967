import {describe, expect, it} from 'vitest';
import * as z from 'zod';
import {RunsExportOutputSchema} from '../../schemas/runs-export.js';
import {RunsLineageOutputSchema} from '../../schemas/runs-lineage.js';
import {RunsStatsOutputSchema} from '../../schemas/runs-stats.js';

/**
 * The `--json` contracts of `runs stats | lineage | export`, as JSON Schema: a change to an output
 * shows up as a change to a committed file, reviewed like any other (run vitest with `-u` to accept it).
 */
const SCHEMAS = {
  'runs-stats': RunsStatsOutputSchema,
  'runs-lineage': RunsLineageOutputSchema,
  'runs-export': RunsExportOutputSchema,
} as const;

describe('the --json schemas of the runs tools', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`${name} matches its snapshot`, async () => {
      const json = z.toJSONSchema(schema, {target: 'draft-2020-12'});
      await expect(`${JSON.stringify(json, null, 2)}\n`).toMatchFileSnapshot(
        `./__snapshots__/${name}.schema.json`,
      );
    });
  }
});
