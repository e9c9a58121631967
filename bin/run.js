#!/usr/bin/env node
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {builtCliLoadOptions} from './oclif-root.js';

// oclif comes from its vendored bundle, compiled from V8's code cache (bin/vendor-loader.cjs); the
// command bundle takes it from the same loader, so there is one copy of it in the process.
const {checkBuilt, loadVendor, NOT_BUILT} = createRequire(import.meta.url)('#vendor-loader');
let oclif;
try {
  checkBuilt();
  oclif = loadVendor('oclif');
} catch (error) {
  if (error.code !== NOT_BUILT) throw error;
  process.stderr.write(`Error: ${error.message}\n`);
  process.exit(1);
}

// The built CLI always runs the compiled code in dist/, whatever NODE_ENV says: oclif would otherwise
// try to load the TypeScript sources when NODE_ENV is "development" or "test".
oclif.settings.settings.enableAutoTranspile = false;

await oclif.execute.execute({
  loadOptions: builtCliLoadOptions(fileURLToPath(new URL('..', import.meta.url))),
});
