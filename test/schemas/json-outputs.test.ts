import {describe, expect, it} from 'vitest';
import * as z from 'zod';
import {ConfigOutputSchema} from '../../schemas/config.js';
import {ParseJsonLineSchema} from '../../schemas/message.js';
import {ProcessSummarySchema} from '../../schemas/process.js';
import {RunShowOutputSchema, RunsListingOutputSchema} from '../../schemas/runs-output.js';
import {RetryOutputSchema} from '../../schemas/runs-retry.js';

/**
 * The `--json` contracts of `process`, `config`, `runs tail | list | show | retry`, and the line
 * `parse --json` prints per message, as JSON Schema: a change to an output shows up as a change to a
 * committed file, reviewed like any other (run vitest with `-u` to accept it). Scripts that read
 * these outputs rely on them.
 */
const SCHEMAS = {
  process: ProcessSummarySchema,
  config: ConfigOutputSchema,
  'runs-listing': RunsListingOutputSchema,
  'runs-show': RunShowOutputSchema,
  'runs-retry': RetryOutputSchema,
  'parse-json-line': ParseJsonLineSchema,
} as const;

describe('the --json schemas of process, config, parse and the runs commands', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`${name} matches its snapshot`, async () => {
      const json = z.toJSONSchema(schema, {target: 'draft-2020-12'});
      await expect(`${JSON.stringify(json, null, 2)}\n`).toMatchFileSnapshot(
        `./__snapshots__/${name}.schema.json`,
      );
    });
  }
});
