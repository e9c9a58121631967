import type {MessageKind} from '../../schemas/message.js';
import {
  DELETED_BODIES,
  EDITED_SUFFIXES,
  FILE_ATTACHED_SUFFIXES,
  IOS_ATTACHED_TAG,
  IOS_OMITTED_WORDS,
  LIVE_LOCATION_BODIES,
  LOCATION_PREFIXES,
  MEDIA_OMITTED_BODIES,
  POLL_PREFIXES,
} from './phrases.js';

const LRM = '\u200e';
const GT = 62;
const RPAREN = 41;
const COLON = 58;
const SPACE = 32;
const LOWER_H = 104;

/** The kinds in the order of the indexes `classify` returns (counting by index is cheaper than by name). */
export const KINDS: readonly MessageKind[] = ['message', 'system', 'media', 'deleted', 'poll', 'location'];
const MESSAGE = 0;
const SYSTEM = 1;
const MEDIA = 2;
const DELETED_KIND = 3;
const POLL = 4;
const LOCATION = 5;

const MEDIA_OMITTED = new Set(MEDIA_OMITTED_BODIES);

/** Whole special bodies by length: a body is compared with the few of its own length, never hashed. */
const WHOLE_BODIES: ([string, number][] | undefined)[] = [];
for (const [bodies, kind] of [
  [DELETED_BODIES.flatMap((body) => [body, `${body}.`]), DELETED_KIND],
  [LIVE_LOCATION_BODIES, LOCATION],
] as const) {
  for (const body of bodies) {
    const sameLength = WHOLE_BODIES[body.length] ?? [];
    sameLength.push([body, kind]);
    WHOLE_BODIES[body.length] = sameLength;
  }
}

function wholeBodyKind(text: string): number {
  const candidates = WHOLE_BODIES[text.length];
  if (candidates !== undefined) for (const [body, kind] of candidates) if (text === body) return kind;
  return -1;
}

/**
 * A poll starts with an upper-case word and a colon (`POLL:`); a location label ends in `: ` right
 * before `http`. These char reads reject nearly every ordinary message without looking further.
 */
const POLL_FIRST = new Uint8Array(128);
for (const prefix of POLL_PREFIXES) POLL_FIRST[prefix.charCodeAt(0)] = 1;
const LOCATION_LABEL_LENGTHS = [...new Set(LOCATION_PREFIXES.map((prefix) => prefix.length))];

function mayBePoll(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first >= 128 || POLL_FIRST[first] !== 1) return false;
  const second = text.charCodeAt(1);
  return second >= 65 && second <= 90;
}

function mayBeLocation(text: string): boolean {
  for (const labelLength of LOCATION_LABEL_LENGTHS) {
    if (
      text.charCodeAt(labelLength) === LOWER_H &&
      text.charCodeAt(labelLength - 1) === SPACE &&
      text.charCodeAt(labelLength - 2) === COLON
    ) {
      return true;
    }
  }
  return false;
}

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code > 127;
}

/** The attachment named by a first line, or null. */
export function attachmentOf(firstLine: string): string | null {
  for (const suffix of FILE_ATTACHED_SUFFIXES) {
    if (firstLine.endsWith(suffix)) {
      const name = firstLine.slice(0, firstLine.length - suffix.length);
      const clean = name.startsWith(LRM) ? name.slice(1) : name;
      return clean.length > 0 ? clean : null;
    }
  }
  if (firstLine.endsWith('>')) {
    const tag = IOS_ATTACHED_TAG.exec(firstLine);
    if (tag?.[1]) return tag[1];
  }
  return null;
}

function isIosOmitted(firstLine: string): boolean {
  const space = Math.max(firstLine.lastIndexOf(' '), firstLine.lastIndexOf('\u00a0'));
  const lastWord = firstLine.slice(space + 1);
  return IOS_OMITTED_WORDS.includes(lastWord);
}

function startsWithAny(text: string, prefixes: readonly string[]): string | null {
  for (const prefix of prefixes) if (text.startsWith(prefix)) return prefix;
  return null;
}

/**
 * Classifies an authored message body (rule 6: it reads the markers, it never edits the text).
 * Returns an index into KINDS; the attachment and the edited flag are left in fields, so the hot
 * path allocates nothing.
 */
export class Classifier {
  attachment: string | null = null;
  edited = false;

  /**
   * @param text the body after `Name: ` and its marker, with continuation lines
   * @param marked whether WhatsApp put an LRM before the body (media, deleted and event bodies)
   * @param lastOfFirstLine the char code that ends the body's first line (0 when it is empty)
   * @param beforeLastOfFirstLine the char code before that one
   */
  classify(text: string, marked: boolean, lastOfFirstLine: number, beforeLastOfFirstLine: number): number {
    this.attachment = null;
    const length = text.length;
    this.edited = length > 0 && text.charCodeAt(length - 1) === GT && endsWithEdited(text);
    const whole = wholeBodyKind(text);
    if (whole !== -1) return whole;
    const attachedShape =
      lastOfFirstLine === GT || (lastOfFirstLine === RPAREN && isLetter(beforeLastOfFirstLine));
    if (!marked && !attachedShape) {
      // The path nearly every message takes: a few char reads, no slicing, no hashing.
      if (mayBePoll(text) && this.isPoll(text)) return POLL;
      if (mayBeLocation(text) && this.isLocation(text)) return LOCATION;
      return MESSAGE;
    }
    const newline = text.indexOf('\n');
    const firstLine = newline === -1 ? text : text.slice(0, newline);
    if (attachedShape) {
      const attachment = attachmentOf(firstLine);
      if (attachment !== null) {
        this.attachment = attachment;
        return MEDIA;
      }
      if (MEDIA_OMITTED.has(firstLine)) return MEDIA;
    }
    if (marked && isIosOmitted(firstLine)) return MEDIA;
    if (this.isPoll(text)) return POLL;
    if (this.isLocation(text)) return LOCATION;
    return marked ? SYSTEM : MESSAGE;
  }

  private isPoll(text: string): boolean {
    const poll = startsWithAny(text, POLL_PREFIXES);
    return poll !== null && (text.length === poll.length || text.charCodeAt(poll.length) === 10);
  }

  private isLocation(text: string): boolean {
    const label = startsWithAny(text, LOCATION_PREFIXES);
    return label !== null && text.startsWith('http', label.length);
  }
}

function endsWithEdited(text: string): boolean {
  for (const suffix of EDITED_SUFFIXES) if (text.endsWith(suffix)) return true;
  return false;
}
