#!/usr/bin/env node
// Writes oclif.manifest.json for the built CLI (`npm run build` runs this after bin/bundle.js).
// With it oclif lists the commands and prints help from this file instead of importing and
// describing every command at start-up: `--help` 179 → 144 ms, `runs show` 446 → 432 ms
// (docs/BENCHMARKS.md). It describes dist/, so it is made by every build and never committed;
// bin/dev.js removes it, as the sources it runs may have moved on since the build.
import {writeFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {Plugin} from '@oclif/core/config';

const root = fileURLToPath(new URL('..', import.meta.url));
const plugin = new Plugin({root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true});
await plugin.load();
await writeFile(`${root}oclif.manifest.json`, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
