/**
 * Runs `egregora parse` as its own process, from the TypeScript sources, the way bin/run.js runs a
 * command (errors rendered, exit code set). parse-command.test.ts spawns this until `parse` is
 * registered in commands/index.ts; after that, spawning bin/run.js exercises the same class.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {flush, handle} from '@oclif/core';
import Parse from '../../commands/parse.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
await Parse.run(process.argv.slice(2), root).then(
  () => flush(),
  (error: Error) => handle(error),
);
