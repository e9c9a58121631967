/**
 * A copy of a string that holds its own characters.
 *
 * The parser's texts are slices of the decoded chat (V8 keeps a substring of 13 characters or more as
 * a reference into its parent), so one kept message keeps its whole chunk of the file alive: headers,
 * dates and names included, and two bytes a character for a chunk with one character past U+00FF
 * anywhere. `process` holds every message until its last window: a 1,000,000-message chat held
 * 162 MB of such chunks for 46 MB of text (docs/BENCHMARKS.md). A detached copy is one string of the
 * text's own length, one byte a character when every character fits one.
 */
export function detached(text: string): string {
  if (text.length < SLICE_MIN_LENGTH) return text;
  return BEYOND_LATIN1.test(text)
    ? Buffer.from(text, 'utf16le').toString('utf16le')
    : Buffer.from(text, 'latin1').toString('latin1');
}

/**
 * V8 copies a shorter substring instead of referencing its parent (SlicedString::kMinLength): such
 * strings already hold their own characters.
 */
const SLICE_MIN_LENGTH = 13;

/** UTF-16 code units (lone surrogates too) that a one-byte string cannot hold; kept as they are. */
const BEYOND_LATIN1 = /[\u0100-\uffff]/;
