#!/usr/bin/env node
import {execute} from '@oclif/core/execute';
import {settings} from '@oclif/core/settings';

// The built CLI always runs the compiled code in dist/, whatever NODE_ENV says: oclif would otherwise
// try to load the TypeScript sources when NODE_ENV is "development" or "test".
settings.enableAutoTranspile = false;

await execute({dir: import.meta.url});
