// Writes schemas/egregora.schema.json from the zod schema: `npm run schema:make`.
// test/config/json-schema.test.ts fails when the committed file is not what this writes.
import {writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {configJsonSchemaText} from '../../src/config/json-schema.js';

const target = fileURLToPath(new URL('../../schemas/egregora.schema.json', import.meta.url));
writeFileSync(target, configJsonSchemaText());
process.stderr.write(`wrote ${target}\n`);
