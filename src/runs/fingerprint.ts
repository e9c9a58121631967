import {fingerprintOf} from '../util/canonical.js';

export {canonicalJson, fingerprintOf, sha256Fingerprint} from '../util/canonical.js';

/**
 * `config_hash`: the fingerprint of the effective configuration's canonical JSON, so that two runs
 * with equal settings get the same hash whatever order the keys were built in.
 */
export function configHash(config: unknown): string {
  return fingerprintOf(config);
}
