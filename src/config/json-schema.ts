import * as z from 'zod';
import {ConfigFileSchema} from '../../schemas/config.js';

/**
 * The JSON Schema of egregora.json, generated from the zod schema so the two never disagree; the
 * committed copy (schemas/egregora.schema.json) lets editors complete and check the file through
 * its `"$schema"` key. Checks zod cannot express in JSON Schema (URL schemes) are enforced on load.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigFileSchema, {target: 'draft-2020-12', io: 'input'}) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    title: 'egregora.json',
    description:
      'Settings of `egregora process`. Precedence: flags > environment > this file > defaults. ' +
      '`egregora config` shows the effective settings and where each came from.',
  };
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
