import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Interfaces} from '@oclif/core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * oclif configuration for running the `parse` command class directly in tests: the project's root
 * and CLI name, but no command map, so that nothing depends on a compiled `dist/` (which other work
 * may be rebuilding at that moment).
 */
export const PARSE_LOAD_OPTIONS: Interfaces.LoadOptions = {
  root: ROOT,
  pjson: {
    name: 'egregora',
    version: '0.0.0-test',
    type: 'module',
    oclif: {bin: 'egregora', dirname: 'egregora', topicSeparator: ' '},
  },
};
