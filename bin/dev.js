#!/usr/bin/env node
// Runs the TypeScript sources directly (oclif registers tsx itself in development mode).
import {rmSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {execute} from '@oclif/core/execute';

// tsx looks for tsconfig.json in the working directory; point it at ours so JSX and paths compile
// the same wherever the command is run from.
process.env.TSX_TSCONFIG_PATH ??= fileURLToPath(new URL('../tsconfig.json', import.meta.url));

// The build's oclif.manifest.json describes dist/: read here, it would list the commands and print
// the help of the last build rather than of these sources. The next build writes it again.
rmSync(fileURLToPath(new URL('../oclif.manifest.json', import.meta.url)), {force: true});

await execute({development: true, dir: import.meta.url});
