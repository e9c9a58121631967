import type {ChatMessage} from '../../schemas/message.js';
import type {WindowPart} from '../../schemas/window.js';
import {sha256Fingerprint} from '../util/canonical.js';

/**
 * Bumped whenever the canonical form below changes, so that an old fingerprint can never match new
 * content by accident (resume compares fingerprints across versions of the tool).
 */
const WINDOW_FINGERPRINT_FORMAT = 'egregora.window.v1';

/**
 * The fingerprint of a window's content: the canonical JSON (util/canonical.ts) of
 * `{format, part, messages}`, with messages as fixed-order tuples rather than objects, so that the
 * form is independent of how the objects were built. `instantMs` is left out on purpose: it follows
 * from `date` and the time zone, which belongs to the run's config hash.
 *
 * The text is written out here rather than by `canonicalJson`: the members are already in key order
 * and the tuples hold only strings, numbers, booleans and nulls, which canonical JSON leaves as
 * `JSON.stringify` prints them, and walking every value to sort keys that tuples do not have made the
 * fingerprints of 1,000,000 messages take 1.61 s instead of 1.05 s (docs/BENCHMARKS.md), on the
 * ingest's single-threaded path. test/windows/fingerprint.test.ts checks both give the same text.
 */
export function windowFingerprint(messages: readonly ChatMessage[], part: WindowPart | undefined): string {
  const tuples = messages.map((message) => [
    message.position,
    message.date,
    message.author,
    message.text,
    message.kind,
    message.edited,
    message.attachment,
    message.attachmentPresent,
  ]);
  const partTuple = part === undefined ? null : [part.index, part.count];
  return sha256Fingerprint(
    `{"format":${JSON.stringify(WINDOW_FINGERPRINT_FORMAT)},"messages":${JSON.stringify(tuples)},"part":${JSON.stringify(partTuple)}}`,
  );
}
