import {createHash} from 'node:crypto';

/**
 * Canonical JSON: object keys sorted at every depth, no whitespace, `undefined` members dropped.
 * Two values that are equal as data give the same text, whatever the key order they were built in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortDeep(member);
    }
    return sorted;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** `sha256:<hex>` of raw bytes or text (UTF-8). */
export function sha256Fingerprint(content: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** `sha256:<hex>` of the canonical JSON of a value: the fingerprint of structured content. */
export function fingerprintOf(value: unknown): string {
  return sha256Fingerprint(canonicalJson(value));
}
