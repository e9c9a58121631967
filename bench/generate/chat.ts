import type {MessageKind} from '../../schemas/message.js';
import {type ContentProfile, contentProfile, type ProfileName} from './profiles.js';
import {Random, WeightedPicker} from './random.js';
import {EMOJI, type Language, LINKS, PHONE_NAMES} from './vocabulary.js';

/**
 * A generator of large, realistic WhatsApp chat exports for the benchmarks: N messages in the
 * Android or the iOS layout of WHATSAPP_FORMATS.md, with multi-line messages, media (omitted and
 * exported), system events, deleted, edited, polls, locations, links, mentions, many scripts and
 * emoji, in one of the content profiles of profiles.ts. The output is a pure function of the spec (seed included), so a benchmark's input is
 * reproducible on any machine; it is streamed in chunks so that a million messages never need to be
 * held as one string by the generator itself.
 */

/** Bump whenever the generated text changes for a given spec: cached inputs are keyed by it. */
export const GENERATOR_VERSION = 1;

export const CHAT_LAYOUTS = ['android', 'ios'] as const;
export type ChatLayout = (typeof CHAT_LAYOUTS)[number];

export interface ChatSpec {
  readonly messages: number;
  readonly layout: ChatLayout;
  readonly seed: number;
  /** People who write in the group (default: the profile's); at most as many as the profile names. */
  readonly people?: number;
  /** What the group writes (default `default`, the generator of GENERATOR_VERSION 1). */
  readonly profile?: ProfileName;
}

/** What was generated, so tests and benchmarks can check a parser against it. */
export interface ChatStats {
  readonly layout: ChatLayout;
  /** Records: each starts with a header line. */
  messages: number;
  /** Physical lines (a multi-line message counts each of its lines). */
  lines: number;
  /** Size of the text in UTF-8 bytes. */
  bytes: number;
  /** Messages of each kind, as the reading rules classify them. */
  readonly kinds: Record<MessageKind, number>;
  edited: number;
  /** Exported attachments the text references (the zip writer adds some of them as files). */
  attachments: number;
  /** The first MAX_LISTED_ATTACHMENTS exported attachment names, in order of appearance. */
  readonly attachmentNames: string[];
  /** The group's name as the system lines print it. */
  readonly groupName: string;
}

/** Zipf exponent of who writes: the top writer sends ~6× as many messages as the 10th. */
const ACTIVITY_EXPONENT = 0.9;
/**
 * Zipf-Mandelbrot weights of a profile's words, 1 / (rank + offset): with the offset, the most
 * common word is a few percent of the text (as "the" is of English) rather than a tenth of it.
 */
const WORD_RANK_OFFSET = 3;
/** Between two words of a language written without spaces, a phrase mark this often. */
const P_CLAUSE_MARK = 0.15;

/**
 * How often each special message occurs, per message. Chosen from the proportions of real group
 * exports: a few percent media, about one percent deleted, a fraction of a percent system events.
 */
const P_SYSTEM = 0.004;
const P_MEDIA = 0.05;
const P_DELETED = 0.01;
const P_POLL = 0.0008;
const P_LOCATION = 0.002;
/** Of the media messages, the share exported with the chat (the rest are "omitted"). */
const P_MEDIA_EXPORTED = {android: 0.25, ios: 0.4} as const;
/** Android puts an exported attachment's caption on the next line this often. */
const P_CAPTION = 0.3;
/** Among ordinary messages: more than one line, a link, an @-mention, an edit, emoji. */
const P_MULTILINE = 0.06;
const P_LINK = 0.03;
const P_MENTION = 0.02;
const P_EDITED = 0.015;
const P_EMOJI = 0.25;
const P_EMOJI_ONLY = 0.04;
/**
 * A continuation line that starts like a header but is not a whole one (a date without a time, a
 * bare time): it is text, and it takes the parser's re-detection path, whose cost the benchmark
 * then includes. (A whole header of another layout would start a message: docs/FORMATS.md, rule 1.)
 */
const P_FOREIGN_HEADER_LINE = 0.05;
/** Mean seconds between two messages, and the share of long pauses (nights, quiet days). */
const MEAN_GAP_SECONDS = 90;
const P_PAUSE = 0.02;
const MEAN_PAUSE_SECONDS = 6 * 3600;
/** Phones whose clock was wrong for a moment: the chat's time steps back, which real exports show. */
const P_CLOCK_STEP_BACK = 0.0002;
const MAX_STEP_BACK_SECONDS = 120;
/** The chat starts on a day > 12 so both day/month orders are exercised early; any fixed date would do. */
const START_MS = Date.UTC(2021, 2, 14, 9, 26, 53);
/** Messages per yielded chunk: ~200 KB of text, large enough to amortise the join. */
const CHUNK_MESSAGES = 2048;
export const MAX_LISTED_ATTACHMENTS = 200;

const LRM = '\u200e';
const NNBSP = '\u202f';
const FSI = '\u2068';
const PDI = '\u2069';

const ENCRYPTION_NOTICE =
  'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.';

interface Person {
  /** As printed in the header. */
  readonly printed: string;
  /** As a mention or system line names them. */
  readonly plain: string;
  readonly language: Language;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/**
 * Streams a chat's text in chunks and returns its stats when done. Use `generateChat` for a string.
 */
export function* chatChunks(spec: ChatSpec): Generator<string, ChatStats, undefined> {
  const generator = new ChatWriter(spec);
  const messages = checkCount(spec.messages);
  while (generator.stats.messages < messages) {
    const target = Math.min(messages, generator.stats.messages + CHUNK_MESSAGES);
    const parts: string[] = [];
    while (generator.stats.messages < target) parts.push(generator.next());
    const chunk = parts.join('');
    generator.stats.bytes += Buffer.byteLength(chunk, 'utf8');
    yield chunk;
  }
  return generator.stats;
}

/** The whole chat as one string, with its stats. */
export function generateChat(spec: ChatSpec): {text: string; stats: ChatStats} {
  const parts: string[] = [];
  const iterator = chatChunks(spec);
  for (;;) {
    const step = iterator.next();
    if (step.done) return {text: parts.join(''), stats: step.value};
    parts.push(step.value);
  }
}

/** The group's name a spec's chat uses (it names the export's files). */
export function chatGroupName(spec: ChatSpec): string {
  return new ChatWriter(spec).stats.groupName;
}

function checkCount(messages: number): number {
  if (!Number.isSafeInteger(messages) || messages < 1) {
    throw new RangeError(`messages must be a whole number of at least 1; got ${messages}`);
  }
  return messages;
}

class ChatWriter {
  readonly stats: ChatStats;
  private readonly random: Random;
  private readonly layout: ChatLayout;
  private readonly people: Person[];
  private readonly writers: WeightedPicker<Person>;
  private readonly languages: WeightedPicker<Language>;
  private readonly profile: ContentProfile;
  /** Each language's word picker, when the profile draws words by frequency. */
  private readonly wordPickers = new Map<Language, WeightedPicker<string>>();
  /** Line break between records, and inside a record (iOS 2024+: CRLF between, bare LF inside). */
  private readonly recordEnd: string;
  private readonly innerBreak = '\n';
  private timeMs = START_MS;
  private mediaCounter = 0;
  private lastMediaDay = '';
  private mediaOfDay = 0;

  constructor(spec: ChatSpec) {
    this.random = new Random(spec.seed);
    this.layout = spec.layout;
    if (!CHAT_LAYOUTS.includes(spec.layout)) throw new RangeError(`unknown layout ${String(spec.layout)}`);
    this.profile = contentProfile(spec.profile ?? 'default');
    const count = spec.people ?? this.profile.defaultPeople;
    // The last writer is an unsaved number, so the names cover all but one.
    const most = this.profile.people.length + 1;
    if (!Number.isSafeInteger(count) || count < 2 || count > most) {
      throw new RangeError(`people must be between 2 and ${most}; got ${count}`);
    }
    this.recordEnd = spec.layout === 'ios' ? '\r\n' : '\n';
    const languages = this.profile.languages;
    this.languages = new WeightedPicker(
      languages,
      languages.map((language) => language.weight),
    );
    if (this.profile.wordFrequency === 'zipf') {
      for (const language of languages) {
        const weights = language.words.map((_, rank) => 1 / (rank + WORD_RANK_OFFSET));
        this.wordPickers.set(language, new WeightedPicker(language.words, weights));
      }
    }
    this.people = this.makePeople(count);
    this.writers = new WeightedPicker(
      this.people,
      this.people.map((_, rank) => 1 / (rank + 1) ** ACTIVITY_EXPONENT),
    );
    // A group name with `": "` only on Android: iOS credits system lines to the group, and a name
    // with `": "` there would make its events read as messages by "Book club" (which is what a
    // parser must do, but then the kinds would not be the ones intended here).
    const groupNames = this.profile.groupNames;
    const names = spec.layout === 'ios' ? groupNames.filter((name) => !name.includes(': ')) : groupNames;
    this.stats = {
      layout: spec.layout,
      messages: 0,
      lines: 0,
      bytes: 0,
      kinds: {message: 0, system: 0, media: 0, deleted: 0, poll: 0, location: 0},
      edited: 0,
      attachments: 0,
      attachmentNames: [],
      groupName: this.random.pick(names),
    };
  }

  private makePeople(count: number): Person[] {
    const people: Person[] = [];
    // Saved contacts, then one unsaved number; iOS also prints some non-contacts as `~ Name`.
    for (const name of this.profile.people.slice(0, count - 1)) {
      const printed = this.layout === 'ios' && this.random.chance(0.1) ? `~${NNBSP}${name}` : name;
      people.push({printed, plain: name, language: this.languages.pick(this.random)});
    }
    const phone = this.random.pick(PHONE_NAMES);
    people.push({printed: phone, plain: phone, language: this.languages.pick(this.random)});
    return people;
  }

  /** The next record, with its line terminator. */
  next(): string {
    const index = this.stats.messages;
    this.advanceClock(index);
    if (index === 0) return this.systemRecord(ENCRYPTION_NOTICE);
    if (index === 1) {
      const creator = this.people[0] as Person;
      return this.systemRecord(
        this.layout === 'ios'
          ? `${creator.plain} created this group`
          : `${creator.plain} created group "${this.stats.groupName}"`,
      );
    }
    const roll = this.random.float();
    if (roll < P_SYSTEM) return this.systemRecord(this.systemEvent());
    const author = this.writers.pick(this.random);
    let threshold = P_SYSTEM + P_MEDIA;
    if (roll < threshold) return this.mediaRecord(author);
    threshold += P_DELETED;
    if (roll < threshold) {
      const body = this.layout === 'ios' ? `${LRM}This message was deleted.` : 'This message was deleted';
      return this.record(author, body, 'deleted');
    }
    threshold += P_POLL;
    if (roll < threshold) return this.record(author, this.poll(), 'poll');
    threshold += P_LOCATION;
    if (roll < threshold) {
      const link = `https://maps.google.com/?q=${(this.random.float() * 180 - 90).toFixed(6)},${(this.random.float() * 360 - 180).toFixed(6)}`;
      return this.record(
        author,
        this.layout === 'ios' ? `${LRM}Location: ${link}` : `location: ${link}`,
        'location',
      );
    }
    return this.record(author, this.textBody(author), 'message');
  }

  private advanceClock(index: number): void {
    if (index === 0) return;
    const random = this.random;
    if (random.chance(P_CLOCK_STEP_BACK)) {
      this.timeMs -= random.between(1, MAX_STEP_BACK_SECONDS) * 1000;
      return;
    }
    const mean = random.chance(P_PAUSE) ? MEAN_PAUSE_SECONDS : MEAN_GAP_SECONDS;
    this.timeMs += Math.round(random.exponential(mean)) * 1000;
  }

  /** The header of the current time, up to the author (or the body of an author-less line). */
  private header(): string {
    const date = new Date(this.timeMs);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    const hour = date.getUTCHours();
    const minute = pad2(date.getUTCMinutes());
    if (this.layout === 'ios') {
      // en-GB: [DD/MM/YYYY, HH:MM:SS]
      return `[${pad2(day)}/${pad2(month)}/${year}, ${pad2(hour)}:${minute}:${pad2(date.getUTCSeconds())}] `;
    }
    // en-US since 2023: M/D/YY, h:mm<U+202F>AM -
    const hour12 = hour % 12 === 0 ? 12 : hour % 12;
    return `${month}/${day}/${pad2(year % 100)}, ${hour12}:${minute}${NNBSP}${hour < 12 ? 'AM' : 'PM'} - `;
  }

  private finishRecord(line: string, kind: MessageKind): string {
    this.stats.messages += 1;
    this.stats.kinds[kind] += 1;
    let lines = 1;
    for (let at = line.indexOf('\n'); at !== -1; at = line.indexOf('\n', at + 1)) lines += 1;
    this.stats.lines += lines;
    return line + this.recordEnd;
  }

  private record(author: Person, body: string, kind: MessageKind, lrmBeforeHeader = false): string {
    const line = `${lrmBeforeHeader ? LRM : ''}${this.header()}${author.printed}: ${body}`;
    return this.finishRecord(line, kind);
  }

  /**
   * Android prints events without an author; iOS credits them to the group, with an LRM after
   * `Group: ` (the body marker, rule 3).
   */
  private systemRecord(text: string): string {
    const line =
      this.layout === 'ios'
        ? `${this.header()}${this.stats.groupName}: ${LRM}${text}`
        : `${this.header()}${text}`;
    return this.finishRecord(line, 'system');
  }

  private systemEvent(): string {
    const random = this.random;
    const actor = random.pick(this.people).plain;
    const other = random.pick(this.people).plain;
    switch (random.int(6)) {
      case 0:
        return `${actor} added ${other}`;
      case 1:
        return `${other} left`;
      case 2:
        return `${other} joined using this group's invite link`;
      case 3:
        return `${actor} changed this group's icon`;
      case 4:
        return `${actor} removed ${other}`;
      default:
        // The subject keeps the group's name; on Android it may contain `": "` (rule 4).
        return `${actor} changed the subject from "${this.stats.groupName}" to "${this.stats.groupName} ${random.pick(EMOJI)}"`;
    }
  }

  private mediaRecord(author: Person): string {
    const random = this.random;
    if (!random.chance(P_MEDIA_EXPORTED[this.layout])) {
      if (this.layout === 'ios') {
        const what = random.pick(['image', 'image', 'video', 'audio', 'sticker', 'GIF', 'Contact card']);
        return this.record(author, `${LRM}${what} omitted`, 'media', true);
      }
      return this.record(author, '<Media omitted>', 'media');
    }
    const name = this.attachmentName();
    this.stats.attachments += 1;
    if (this.stats.attachmentNames.length < MAX_LISTED_ATTACHMENTS) this.stats.attachmentNames.push(name);
    if (this.layout === 'ios') {
      // iOS does not export captions; a document keeps its name before the tag.
      const document = name.endsWith('.pdf') ? `${name.slice(name.indexOf('-') + 1)} ` : '';
      return this.record(author, `${document}${LRM}<attached: ${name}>`, 'media', true);
    }
    const caption = random.chance(P_CAPTION) ? `\n${this.sentence(author.language, 2, 10)}` : '';
    return this.record(author, `${LRM}${name} (file attached)${caption}`, 'media');
  }

  private attachmentName(): string {
    const date = new Date(this.timeMs);
    const ymd = `${date.getUTCFullYear()}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}`;
    const kind = this.random.int(10);
    if (this.layout === 'ios') {
      this.mediaCounter += 1;
      const counter = String(this.mediaCounter).padStart(8, '0');
      const stamp = `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}-${pad2(date.getUTCHours())}-${pad2(date.getUTCMinutes())}-${pad2(date.getUTCSeconds())}`;
      if (kind < 6) return `${counter}-PHOTO-${stamp}.jpg`;
      if (kind < 8) return `${counter}-VIDEO-${stamp}.mp4`;
      if (kind < 9) return `${counter}-AUDIO-${stamp}.opus`;
      return `${counter}-Agenda ${date.getUTCFullYear()}.pdf`;
    }
    if (ymd !== this.lastMediaDay) {
      this.lastMediaDay = ymd;
      this.mediaOfDay = 0;
    }
    this.mediaOfDay += 1;
    const wa = `WA${String(this.mediaOfDay).padStart(4, '0')}`;
    if (kind < 6) return `IMG-${ymd}-${wa}.jpg`;
    if (kind < 8) return `VID-${ymd}-${wa}.mp4`;
    if (kind < 9) return `PTT-${ymd}-${wa}.opus`;
    return `STK-${ymd}-${wa}.webp`;
  }

  private poll(): string {
    const random = this.random;
    const choices = this.profile.pollOptions;
    const options = [random.pick(choices), random.pick(choices), random.pick(choices)];
    const lines = options.map((option) => {
      const votes = random.int(6);
      return `OPTION: ${option} (${votes} ${votes === 1 ? 'vote' : 'votes'})`;
    });
    return ['POLL:', random.pick(this.profile.pollQuestions), ...lines].join(this.innerBreak);
  }

  private textBody(author: Person): string {
    const random = this.random;
    const profile = this.profile;
    const language = random.chance(profile.ownLanguageShare) ? author.language : this.languages.pick(random);
    // Drawn only in profiles that mix, so that the default profile's stream of numbers is unchanged.
    const switching = profile.codeSwitching;
    const wordShare =
      switching !== undefined && random.chance(switching.messageShare) ? switching.wordShare : 0;
    const {longShare, short, long} = profile.lengths;
    let body: string;
    if (random.chance(P_EMOJI_ONLY)) {
      body = random.pick(EMOJI).repeat(random.between(1, 3));
    } else if (random.chance(longShare)) {
      body = this.sentence(language, long[0], long[1], wordShare);
    } else {
      body = this.sentence(language, short[0], short[1], wordShare);
    }
    if (random.chance(P_LINK)) body = `${body} ${random.pick(LINKS)}`;
    if (random.chance(P_MENTION)) body = `@${FSI}${random.pick(this.people).plain}${PDI} ${body}`;
    if (random.chance(P_EMOJI)) body = `${body} ${random.pick(EMOJI)}`;
    if (random.chance(P_MULTILINE)) {
      const extra = random.between(1, 5);
      const lines = [body];
      for (let line = 0; line < extra; line += 1) {
        // Blank lines inside a message are kept verbatim (rule 3); so are header look-alikes (rule 1).
        if (random.chance(0.15)) lines.push('');
        else if (random.chance(P_FOREIGN_HEADER_LINE)) lines.push(this.foreignHeaderLine(language));
        else lines.push(this.sentence(random.chance(0.9) ? language : this.languages.pick(random), 1, 12));
      }
      body = lines.join(this.innerBreak);
    }
    if (random.chance(P_EDITED)) {
      this.stats.edited += 1;
      body = `${body} ${this.layout === 'ios' ? LRM : ''}<This message was edited>`;
    }
    return body;
  }

  /** A line that starts like a header (a date of either platform, a time) but is none: text, not a record. */
  private foreignHeaderLine(language: Language): string {
    const text = this.sentence(language, 2, 6);
    switch (this.random.int(3)) {
      case 0:
        return this.layout === 'ios' ? `3/14/21 - Ana Souza: ${text}` : `[14/03/2021] Ana Souza: ${text}`;
      case 1:
        return `10:30 - ${text}`;
      default:
        return `2021-03-14: ${text}`;
    }
  }

  /** A word of a language, drawn as the profile says. */
  private word(language: Language): string {
    const picker = this.wordPickers.get(language);
    return picker === undefined ? this.random.pick(language.words) : picker.pick(this.random);
  }

  /**
   * Words of one language; punctuation, `": "` and `" - "` now and then, as people type. With a
   * `wordShare`, that share of the words is in another of the profile's languages (code-switching).
   */
  private sentence(language: Language, minWords: number, maxWords: number, wordShare = 0): string {
    if (wordShare > 0) return this.mixedSentence(language, minWords, maxWords, wordShare);
    const random = this.random;
    const count = random.between(minWords, maxWords);
    const separator = language.spaced ? ' ' : '';
    const parts: string[] = [];
    for (let index = 0; index < count; index += 1) {
      parts.push(this.word(language));
      if (index + 1 < count && language.spaced) {
        const roll = random.float();
        if (roll < 0.02) parts.push(': ');
        else if (roll < 0.04) parts.push(' - ');
        else if (roll < 0.1) parts.push(', ');
        else parts.push(separator);
      } else if (index + 1 < count) {
        // The default profile's languages have no marks: nothing is drawn for them.
        const marks = language.clauseMarks;
        parts.push(marks !== undefined && random.chance(P_CLAUSE_MARK) ? random.pick(marks) : separator);
      }
    }
    parts.push(this.ending(language));
    return parts.join('');
  }

  /** Words of several languages: a space wherever either neighbour is of a spaced script. */
  private mixedSentence(language: Language, minWords: number, maxWords: number, wordShare: number): string {
    const random = this.random;
    const count = random.between(minWords, maxWords);
    const parts: string[] = [];
    let previous: Language | null = null;
    for (let index = 0; index < count; index += 1) {
      const current = random.chance(wordShare) ? this.languages.pick(random) : language;
      if (previous !== null) {
        const marks = current.clauseMarks;
        if (previous.spaced || current.spaced) parts.push(random.chance(0.1) ? ', ' : ' ');
        else if (marks !== undefined && random.chance(P_CLAUSE_MARK)) parts.push(random.pick(marks));
      }
      parts.push(this.word(current));
      previous = current;
    }
    parts.push(this.ending(previous ?? language));
    return parts.join('');
  }

  /** How a sentence ends: mostly no mark, then `?`, `!`, `...` or the language's own marks. */
  private ending(language: Language): string {
    const end = this.random.float();
    const endings = language.endings;
    if (endings !== undefined && end < 0.25) return endings[Math.floor((end / 0.25) * endings.length)] ?? '';
    if (end < 0.1) return '?';
    if (end < 0.2) return '!';
    if (end < 0.25) return '...';
    return '';
  }
}
