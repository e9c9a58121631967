import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** The repository's root (this file is bench/lib/paths.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Generated inputs, caches and results; git-ignored. */
export const DATA_DIR = path.join(REPO_ROOT, 'bench', '.data');
/** The built CLI, as users run it (`npm run build` first). */
export const CLI_BIN = path.join(REPO_ROOT, 'bin', 'run.js');
export const RESULTS_FILE = path.join(DATA_DIR, 'results.json');
