import {existsSync} from 'node:fs';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {type ChatLayout, type ChatStats, GENERATOR_VERSION} from '../generate/chat.js';
import {type ExportZipResult, writeExportZip} from '../generate/export-zip.js';
import type {ProfileName} from '../generate/profiles.js';
import {DATA_DIR} from './paths.js';

/**
 * The seed of every generated input. Any fixed value makes the inputs reproducible; this one is the
 * issue's number.
 */
export const BENCH_SEED = 6;

export interface CachedExport extends ExportZipResult {
  /** True when the zip was built by this call (its build time is not part of any figure). */
  readonly built: boolean;
}

/**
 * A generated export zip in bench/.data/, built on first use and reused afterwards. The file name
 * carries everything the content depends on (generator version, content profile, layout, size,
 * seed), so a stale cache can never be taken for a current one, nor one profile's for another's.
 */
export async function cachedExport(
  layout: ChatLayout,
  messages: number,
  seed = BENCH_SEED,
  profile: ProfileName = 'default',
): Promise<CachedExport> {
  const base = `export-g${GENERATOR_VERSION}-${profile}-${layout}-${messages}-s${seed}`;
  const zipPath = path.join(DATA_DIR, `${base}.zip`);
  const metaPath = path.join(DATA_DIR, `${base}.json`);
  if (existsSync(zipPath) && existsSync(metaPath)) {
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as Omit<ExportZipResult, 'zipPath'>;
    return {...meta, zipPath, built: false};
  }
  const result = await writeExportZip({layout, messages, seed, profile}, zipPath);
  const meta: Omit<ExportZipResult, 'zipPath'> & {stats: ChatStats} = {
    chatEntry: result.chatEntry,
    zipBytes: result.zipBytes,
    stats: result.stats,
  };
  await writeFile(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return {...result, built: true};
}
