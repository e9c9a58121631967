import {createHmac} from 'node:crypto';
import type {ChatMessage} from '../../schemas/message.js';
import {readAuthorMap, readOrCreateSecret, writeAuthorMap} from './anonymizer-store.js';
import {namesInEvent} from './event-names.js';
import {ADJECTIVES, NOUNS} from './pseudonym-words.js';
import {
  CONTEXT_CHARS,
  EMAIL_REDACTION,
  EMAIL_SOURCE,
  isPhoneNumber,
  mayContainContact,
  PHONE_CANDIDATE_SOURCE,
  PHONE_REDACTION,
} from './redact.js';

/** Domain separation for the HMAC, versioned so a change of derivation is a new name, not a silent drift. */
const HMAC_CONTEXT = 'egregora/author-pseudonym/v1';
/** Fresh derivations tried on a collision before falling back to a numeric suffix. */
const REDERIVATIONS = 8;
/**
 * A name shorter than this ("A", "Jo", a given name "Al") matches too many ordinary words to be
 * replaced in text, and identifies no one there; the author field is pseudonymized all the same.
 */
const MIN_NAME_IN_TEXT = 3;
/** The longest mention name read between the isolates of `@\u2068Name\u2069`. */
const MAX_MENTION = 100;

const BIDI_AND_FORMAT = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const SPACES = /[\s\u00a0\u202f]+/g;

/**
 * The identity of a printed name: the same person printed with or without bidi wrappers, the iOS
 * `~ ` of non-contacts, decomposed accents or odd spaces is one person. A phone number is its digits.
 */
export function authorKey(name: string): string {
  const clean = name
    .normalize('NFC')
    .replace(BIDI_AND_FORMAT, '')
    .replace(SPACES, ' ')
    .trim()
    .replace(/^~ ?/, '');
  const digits = clean.replace(/\D/g, '');
  if (/^\+?[\d ()./-]+$/.test(clean) && digits.length >= 6) return `tel:${digits}`;
  return `name:${clean}`;
}

/** The bare form of a printed name, as people type it in text (no wrappers, no `~ `). */
function bareName(name: string): string {
  return name
    .replace(BIDI_AND_FORMAT, '')
    .replace(/^~[ \u202f]?/, '')
    .trim();
}

/** Escapes the syntax characters only: with the `u` flag, escaping anything else (`-`) is an error. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export interface AnonymizerOptions {
  /** The project's secret (at least 16 bytes); pseudonyms cannot be recomputed without it. */
  readonly secret: Uint8Array;
  /** Pseudonyms already given, pseudonym → name as printed (from `author-map.json`). */
  readonly known?: Readonly<Record<string, string>>;
  /** Also replace a person's given name alone ("Alice" for "Alice Smith") when no one else shares it (default true). */
  readonly givenNames?: boolean;
}

/**
 * Replaces authors by stable pseudonyms and scrubs names, mentions, phone numbers and e-mail
 * addresses from text. Pure: the secret and the known map come in, `mapping()` goes out.
 */
export class Anonymizer {
  private readonly secret: Buffer;
  private readonly givenNames: boolean;
  /** authorKey → pseudonym. */
  private readonly byKey = new Map<string, string>();
  /** pseudonym → name as first printed. */
  private readonly names = new Map<string, string>();
  /** Printed forms to find in text → pseudonym. */
  private readonly printed = new Map<string, string>();
  /** Given names owned by one person → pseudonym; recomputed with the pattern. */
  private given = new Map<string, string>();
  private pattern: RegExp | null = null;
  /** The names alone, as literals: a cheap test that lets most texts skip the full pattern. */
  private namesProbe: RegExp | null = null;

  constructor(options: AnonymizerOptions) {
    if (options.secret.length < 16)
      throw new RangeError('the anonymization secret must have at least 16 bytes');
    this.secret = Buffer.from(options.secret);
    this.givenNames = options.givenNames ?? true;
    for (const [pseudonym, name] of Object.entries(options.known ?? {})) {
      const key = authorKey(name);
      if (!this.byKey.has(key)) this.byKey.set(key, pseudonym);
      this.names.set(pseudonym, name);
      this.addPrinted(name, this.byKey.get(key) ?? pseudonym);
    }
  }

  /** The pseudonym of a name as printed, given on first sight and the same ever after. */
  pseudonymFor(name: string): string {
    // Every printed form already seen maps to its person: no normalisation on the hot path.
    const seen = this.printed.get(name);
    if (seen !== undefined) return seen;
    const key = authorKey(name);
    const known = this.byKey.get(key);
    if (known !== undefined) {
      this.addPrinted(name, known);
      return known;
    }
    const pseudonym = this.derive(key);
    this.byKey.set(key, pseudonym);
    this.names.set(pseudonym, name);
    this.addPrinted(name, pseudonym);
    return pseudonym;
  }

  /** Gives pseudonyms to names before any text is scrubbed (for example every author of a chat). */
  registerNames(names: Iterable<string>): void {
    for (const name of names) if (name.trim() !== '') this.pseudonymFor(name);
  }

  /**
   * Registers every author and every person named in a system event, without copying anything: call
   * it with a whole chat before anonymizing it in parts, so that a name is scrubbed everywhere.
   */
  registerPeople(messages: readonly ChatMessage[]): void {
    for (const message of messages) {
      if (message.author !== null) this.pseudonymFor(message.author);
      if (message.kind === 'system' || message.author === null)
        this.registerNames(namesInEvent(message.text));
    }
  }

  /**
   * Pseudonymized copies of messages: authors replaced, and in every text the mentions, the names of
   * authors and of people named in system events, phone numbers and e-mail addresses. All names in
   * the batch are registered first, so a name is scrubbed even in a message before its author's first.
   */
  anonymize(messages: readonly ChatMessage[]): ChatMessage[] {
    this.registerPeople(messages);
    return messages.map((message) => ({
      ...message,
      author: message.author === null ? null : this.pseudonymFor(message.author),
      text: this.anonymizeText(message.text),
    }));
  }

  /** Scrubs one text: mentions and known names become pseudonyms, contacts become `[phone]` / `[email]`. */
  anonymizeText(text: string): string {
    const pattern = this.textPattern();
    // Most texts hold no name, no `@` and too few digits for a phone number: leave them at once.
    if (!mayContainContact(text) && !(this.namesProbe?.test(text) ?? false)) return text;
    return text.replace(pattern, (match: string, ...rest: unknown[]) => {
      const offset = rest.at(-3) as number;
      const groups = rest.at(-1) as Record<string, string | undefined>;
      if (groups.mention !== undefined) return `@${this.pseudonymFor(groups.mention)}`;
      if (groups.numberMention !== undefined) return `@${this.pseudonymFor(groups.numberMention)}`;
      if (groups.email !== undefined) return EMAIL_REDACTION;
      if (groups.name !== undefined)
        return this.printed.get(groups.name) ?? this.given.get(groups.name) ?? match;
      const before = text.slice(Math.max(0, offset - CONTEXT_CHARS), offset);
      const after = text.slice(offset + match.length, offset + match.length + CONTEXT_CHARS);
      return isPhoneNumber(match, before, after) ? PHONE_REDACTION : match;
    });
  }

  /** pseudonym → name as first printed: what `author-map.json` keeps. */
  mapping(): Record<string, string> {
    return Object.fromEntries([...this.names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private derive(key: string): string {
    const taken = (candidate: string) => this.names.has(candidate);
    for (let attempt = 0; attempt <= REDERIVATIONS; attempt += 1) {
      const digest = createHmac('sha256', this.secret)
        .update(`${HMAC_CONTEXT}\0${key}${attempt === 0 ? '' : `\0${attempt}`}`)
        .digest();
      const candidate = `${ADJECTIVES[digest.readUInt32BE(0) % ADJECTIVES.length]}-${NOUNS[digest.readUInt32BE(4) % NOUNS.length]}`;
      if (!taken(candidate)) return candidate;
    }
    const base = `${ADJECTIVES[0]}-${NOUNS[0]}`;
    let suffix = 2;
    while (taken(`${base}-${suffix}`)) suffix += 1;
    return `${base}-${suffix}`;
  }

  private addPrinted(name: string, pseudonym: string): void {
    for (const form of [name, bareName(name)]) {
      if (form.length > 0 && !this.printed.has(form)) {
        this.printed.set(form, pseudonym);
        this.pattern = null;
      }
    }
  }

  /** Given names that belong to exactly one registered person. */
  private uniqueGivenNames(): Map<string, string> {
    const owners = new Map<string, Set<string>>();
    for (const [form, pseudonym] of this.printed) {
      const given = form.split(' ')[0] ?? '';
      if (given === form || given.length < MIN_NAME_IN_TEXT || !/^\p{Lu}/u.test(given)) continue;
      const set = owners.get(given) ?? new Set<string>();
      set.add(pseudonym);
      owners.set(given, set);
    }
    const unique = new Map<string, string>();
    for (const [given, pseudonyms] of owners) {
      const [only] = pseudonyms;
      if (pseudonyms.size === 1 && only !== undefined && !this.printed.has(given)) unique.set(given, only);
    }
    return unique;
  }

  private textPattern(): RegExp {
    if (this.pattern) return this.pattern;
    this.given = this.givenNames ? this.uniqueGivenNames() : new Map();
    const names = [...this.printed.keys(), ...this.given.keys()]
      .filter((name) => [...name].length >= MIN_NAME_IN_TEXT)
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp);
    const alternatives = [
      String.raw`@\u2068(?<mention>[^\u2069\n]{1,${MAX_MENTION}})\u2069`,
      String.raw`@(?<numberMention>\+?\d[\d \u00a0\u202f\-]{5,}\d)(?![\p{N}])`,
      `(?<email>${EMAIL_SOURCE})`,
    ];
    if (names.length > 0) {
      alternatives.push(String.raw`(?<![\p{L}\p{N}\p{M}_])(?<name>${names.join('|')})(?![\p{L}\p{N}\p{M}_])`);
    }
    this.namesProbe = names.length > 0 ? new RegExp(names.join('|')) : null;
    alternatives.push(`(?<phone>${PHONE_CANDIDATE_SOURCE})`);
    this.pattern = new RegExp(alternatives.join('|'), 'gu');
    return this.pattern;
  }
}

/** The pure core: an anonymizer from a secret (and optionally the pseudonyms already given). */
export function createAnonymizer(options: AnonymizerOptions): Anonymizer {
  return new Anonymizer(options);
}

/** An anonymizer bound to a project's state directory. */
export interface StoredAnonymizer extends Anonymizer {
  /** Persists the pseudonym → name map to `<stateDir>/author-map.json` (mode 0600). */
  save(): Promise<void>;
}

/**
 * Loads the project's anonymizer: the secret from `<stateDir>/secret.key` (created once, 0600) and
 * the pseudonyms given so far from `<stateDir>/author-map.json`. The secret is never printed.
 */
export async function loadAnonymizer(
  stateDir: string,
  options: {givenNames?: boolean} = {},
): Promise<StoredAnonymizer> {
  const secret = await readOrCreateSecret(stateDir);
  const known = await readAuthorMap(stateDir);
  const anonymizer = new Anonymizer({secret, known, givenNames: options.givenNames ?? true});
  return Object.assign(anonymizer, {
    save: () => writeAuthorMap(stateDir, anonymizer.mapping()),
  });
}
