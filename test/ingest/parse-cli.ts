/**
 * Runs `egregora parse` as its own process from the TypeScript sources, the way bin/run.js runs a
 * command (errors rendered, exit code set), so parse-command.test.ts can spawn the current code
 * without a build; its bin/run.js tests cover the built CLI.
 */
import {flush, handle} from '@oclif/core';
import Parse from '../../commands/parse.js';
import {PARSE_LOAD_OPTIONS} from './parse-cli-config.js';

await Parse.run(process.argv.slice(2), PARSE_LOAD_OPTIONS).then(
  () => flush(),
  (error: Error) => handle(error),
);
