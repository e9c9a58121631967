import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {type PostStore, PostStoreSchema, type SiteManifest, SiteManifestSchema} from '../../schemas/site.js';
import {writeFileAtomic} from '../pipeline/atomic-write.js';

/** Kept in the output folder beside the pages; a dotfile, so `site serve` never serves it. */
export const MANIFEST_NAME = '.egregora-site.json';
/** The posts' front matter and media as last read (`PostStoreSchema`); a dotfile too. */
export const POST_STORE_NAME = '.egregora-site-posts.json';

export function emptyManifest(): SiteManifest {
  return {
    version: 3,
    files: {},
    sources: {},
    site: '',
    names: {tags: {}, people: {}},
    dates: {first: null, last: null},
  };
}

/** The last build's manifest; an empty one when it is missing, damaged or of another version. */
export async function readManifest(outputDir: string): Promise<SiteManifest> {
  return (await readJson(path.join(outputDir, MANIFEST_NAME), SiteManifestSchema)) ?? emptyManifest();
}

export async function writeManifest(outputDir: string, manifest: SiteManifest): Promise<void> {
  await writeFileAtomic(path.join(outputDir, MANIFEST_NAME), `${JSON.stringify(manifest)}\n`, {sync: false});
}

/** The last build's post store; empty when missing, damaged or of another version. */
export async function readPostStore(outputDir: string): Promise<PostStore> {
  return (await readJson(path.join(outputDir, POST_STORE_NAME), PostStoreSchema)) ?? {version: 3, posts: {}};
}

/** Written before the manifest: an entry whose `meta` the manifest does not have is not used. */
export async function writePostStore(outputDir: string, store: PostStore): Promise<void> {
  await writeFileAtomic(path.join(outputDir, POST_STORE_NAME), `${JSON.stringify(store)}\n`, {sync: false});
}

async function readJson<T>(
  file: string,
  schema: {safeParse(value: unknown): {success: true; data: T} | {success: false}},
): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
