#!/usr/bin/env node
// Runs the TypeScript sources directly (oclif registers tsx itself in development mode).
import {fileURLToPath} from 'node:url';
import {execute} from '@oclif/core/execute';

// tsx looks for tsconfig.json in the working directory; point it at ours so JSX and paths compile
// the same wherever the command is run from.
process.env.TSX_TSCONFIG_PATH ??= fileURLToPath(new URL('../tsconfig.json', import.meta.url));

await execute({development: true, dir: import.meta.url});
