// How the built CLI hands its commands to oclif (bin/run.js), and how the build writes the command
// manifest oclif reads at start (bin/bundle.js): one definition for both, so that they agree.
//
// The built CLI gives oclif dist/ as its plugin's root, with the package's own package.json (the
// command map's path made relative to dist/). oclif reads `<root>/oclif.manifest.json`, so the
// manifest lives in dist/, beside the code it describes: the sources (bin/dev.js) and tests that
// load oclif from the package root never see a manifest written for an older build.
import {readFileSync} from 'node:fs';
import path from 'node:path';

export const MANIFEST_FILE = 'oclif.manifest.json';

/** oclif's load options for the built CLI of the package at `packageRoot`. */
export function builtCliLoadOptions(packageRoot) {
  const pjson = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8'));
  const root = path.join(packageRoot, 'dist');
  const commands = pjson.oclif.commands;
  const target = path.relative(root, path.join(packageRoot, commands.target)).split(path.sep).join('/');
  return {
    root,
    pjson: {...pjson, oclif: {...pjson.oclif, commands: {...commands, target: `./${target}`}}},
    // egregora has no `plugins` command to install any: no need to look for them at each start.
    userPlugins: false,
  };
}
