import type {ChatMessage} from '../../schemas/message.js';
import type {WindowPart} from '../../schemas/window.js';
import {fingerprintOf} from '../util/canonical.js';

/**
 * Bumped whenever the canonical form below changes, so that an old fingerprint can never match new
 * content by accident (resume compares fingerprints across versions of the tool).
 */
const WINDOW_FINGERPRINT_FORMAT = 'egregora.window.v1';

/**
 * The fingerprint of a window's content. Messages become fixed-order tuples rather than objects: the
 * canonical form stays independent of how the objects were built, and the hash avoids sorting keys
 * for a million messages. `instantMs` is left out on purpose: it follows from `date` and the time
 * zone, which belongs to the run's config hash.
 */
export function windowFingerprint(messages: readonly ChatMessage[], part: WindowPart | undefined): string {
  return fingerprintOf({
    format: WINDOW_FINGERPRINT_FORMAT,
    part: part === undefined ? null : [part.index, part.count],
    messages: messages.map((message) => [
      message.position,
      message.date,
      message.author,
      message.text,
      message.kind,
      message.edited,
      message.attachment,
      message.attachmentPresent,
    ]),
  });
}
