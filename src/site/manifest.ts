import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {type SiteManifest, SiteManifestSchema} from '../../schemas/site.js';
import {writeFileAtomic} from '../pipeline/atomic-write.js';

/** Kept in the output folder beside the pages; a dotfile, so `site serve` never serves it. */
export const MANIFEST_NAME = '.egregora-site.json';

export function emptyManifest(): SiteManifest {
  return {version: 2, files: {}, sources: {}};
}

/** The last build's manifest; an empty one when it is missing, damaged or of another version. */
export async function readManifest(outputDir: string): Promise<SiteManifest> {
  let text: string;
  try {
    text = await readFile(path.join(outputDir, MANIFEST_NAME), 'utf8');
  } catch {
    return emptyManifest();
  }
  try {
    const parsed = SiteManifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : emptyManifest();
  } catch {
    return emptyManifest();
  }
}

export async function writeManifest(outputDir: string, manifest: SiteManifest): Promise<void> {
  await writeFileAtomic(path.join(outputDir, MANIFEST_NAME), `${JSON.stringify(manifest)}\n`, {sync: false});
}
