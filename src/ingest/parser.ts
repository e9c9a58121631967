import {createHash} from 'node:crypto';
import type {ChatMessage, MessageKind} from '../../schemas/message.js';
import type {DateOrder, DateOrderBasis, HeaderAtLine, ParseSummary} from '../../schemas/parse.js';
import {UserError} from '../util/errors.js';
import {ExitCode} from '../util/exit-codes.js';
import {AuthorResolver} from './author.js';
import {Classifier, KINDS} from './classify.js';
import {localeDateOrder} from './date-order.js';
import {ChatDecoder} from './decode.js';
import {
  dateFormatKey,
  HeaderMatcher,
  type HeaderShape,
  layoutName,
  NOT_THIS_LAYOUT,
  platformOf,
  probeHeader,
} from './layout.js';
import {LayoutDetector} from './layout-detection.js';
import {type LineSink, LineSplitter} from './line-reader.js';
import {isNotice, mayBeFoundByStart, mayEndLikeNotice, NoticeOnlyNames} from './notices.js';
import {WallClock} from './wall-clock.js';

export interface ParseOptions {
  /** IANA zone the wall-clock dates are read in (default: the machine's zone). */
  readonly timezone?: string | undefined;
  /** The chat's name for messages (entry name or path). */
  readonly fileName?: string | undefined;
  /** Whether the archive holds an attachment's file; without it every attachment counts as missing. */
  readonly hasMedia?: ((name: string) => boolean) | undefined;
  /** Messages per yielded batch (default BATCH_SIZE). */
  readonly batchSize?: number | undefined;
  /**
   * The day/month order to read the dates in (`--date-order`), instead of deciding it from them. It
   * must fit the file's layout: YMD for dates that start with the year, DMY or MDY otherwise.
   */
  readonly dateOrder?: DateOrder | undefined;
}

/** Messages per batch: big enough to amortise the async hand-over, small enough to stream. */
export const BATCH_SIZE = 2048;
/** How many missing attachment names the summary lists. */
const LISTED_MISSING = 20;
/** How many first lines an error about an unreadable file shows. */
const SHOWN_FIRST_LINES = 3;
const SHOWN_LINE_CHARS = 80;

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;

const LRM = 0x200e;
const RLM = 0x200f;
const SPACE = 32;
const COLON = 58;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const OPEN_BRACKET = 91;
const SYSTEM_KIND = KINDS.indexOf('system');

const PAD2: readonly string[] = Array.from({length: 100}, (_, value) => String(value).padStart(2, '0'));
/**
 * `HH:MM:00` for every minute of a day, `HH:` for every hour and `MM:SS` for every second of an hour.
 * A date is the cached day prefix plus a whole minute, or (with seconds) the cached day-and-hour
 * prefix plus `MM:SS`: one string allocation per new date, and one more per new hour only. Caching
 * the prefix per minute instead (one more allocation for most iOS messages, whose minutes rarely
 * repeat) pushed a parse of the 200,000-message iOS chat over the young generation's size: a second
 * scavenge, measured at +25 ms.
 */
const WHOLE_MINUTES: readonly string[] = Array.from(
  {length: 24 * 60},
  (_, index) => `${PAD2[Math.floor(index / 60)]}:${PAD2[index % 60]}:00`,
);
const HOURS: readonly string[] = PAD2.slice(0, 24).map((value) => `${value}:`);
const MINUTE_SECONDS: readonly string[] = Array.from(
  {length: 60 * 60},
  (_, index) => `${PAD2[Math.floor(index / 60)]}:${PAD2[index % 60]}`,
);

/**
 * The streaming parser's core, synchronous: push decoded text, take batches of messages. It buffers
 * the first lines until the file's header layout and day/month order are decided (once, from the
 * evidence), then reads every line with the same precompiled matcher.
 */
export class ChatParser implements LineSink {
  private readonly fileName: string;
  private readonly clock: WallClock;
  private readonly hasMedia: (name: string) => boolean;
  private readonly splitter = new LineSplitter(this);
  private readonly authors = new AuthorResolver();
  private readonly classifier = new Classifier();
  /** Names that so far headed only WhatsApp's notices (a group's name): not authors (notices.ts). */
  private readonly noticeOnly = new NoticeOnlyNames();
  /** How many authors the resolver had accepted before the record being read. */
  private authorsBefore = 0;

  // Until the layout is decided, lines go to the detector; then every line goes through the matcher.
  private detector: LayoutDetector | null;
  /** The layout the last header was read in: the file's own, or another one it changed to. */
  private matcher: HeaderMatcher | null = null;
  /** The file's layout, decided once from its first lines. */
  private main: HeaderMatcher | null = null;
  /** Every layout met in the file, the file's own first. */
  private readonly matchers: HeaderMatcher[] = [];
  /** Date formats of other layouts whose dates proved to be the other way round from the file's. */
  private readonly turnedOrders = new Map<string, DateOrder>();
  private readonly dateOrder: DateOrder | undefined;
  private orderBasis: DateOrderBasis = 'locale-default';
  /** While decide() reads the detection buffer again: the index of the line being read; else -1. */
  private replayIndex = -1;

  // Lines in other layouts, and header-like lines kept as text (rule 1), for the summary.
  private changedLines = 0;
  private readonly changedLayouts = new Set<string>();
  private lastChanged: HeaderMatcher | null = null;
  private firstChange: HeaderAtLine | null = null;
  private keptAsText = 0;
  private firstKeptAsText: HeaderAtLine | null = null;

  // The record being read.
  private open = false;
  private date = '';
  private instant = 0;
  private author: string | null = null;
  /**
   * The record's text is `textBuf[textFrom, textTo)` while its lines are contiguous in one chunk
   * with LF between them (then it is one slice, however many lines); otherwise it has been built
   * into `joined`.
   */
  private textBuf = '';
  private textFrom = 0;
  private textTo = 0;
  private joined: string | null = null;
  private marked = false;
  private lastOfFirstLine = 0;
  private beforeLastOfFirstLine = 0;

  // Date cache: consecutive messages mostly share their day, and their hour or (Android) minute.
  private lastKey = -1;
  private lastHourKey = -1;
  private lastDayKey = -1;
  private dayPrefix = '';
  /** `WallClock.uniformDayStart` of the cached day: NaN when its offset changes during the day. */
  private dayStart = Number.NaN;
  private hourPrefix = '';

  // Results.
  private batch: ChatMessage[] = [];
  private position = 0;
  private lineCount = 0;
  private skipped = 0;
  private firstDate: string | null = null;
  private lastDate: string | null = null;
  private firstKey = Number.POSITIVE_INFINITY;
  private latestKey = Number.NEGATIVE_INFINITY;
  private readonly kindCounts = [0, 0, 0, 0, 0, 0];
  private referenced = 0;
  private present = 0;
  private readonly missing = new Set<string>();
  private missingCount = 0;
  private ended = false;

  constructor(options: ParseOptions = {}) {
    this.fileName = options.fileName ?? 'chat';
    this.clock = new WallClock(options.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
    this.hasMedia = options.hasMedia ?? (() => false);
    this.dateOrder = options.dateOrder;
    this.detector = new LayoutDetector(options.dateOrder);
  }

  /** Feeds decoded text (any chunking; a BOM must already be gone). */
  push(text: string): void {
    this.splitter.push(text);
  }

  /** Marks the end of the text: decides the layout if still open and closes the last message. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.splitter.end();
    if (this.matcher === null) this.decide();
    if (this.open) {
      // Rule 2: the line terminators at the end of the file are framing, not text.
      const text = this.recordText();
      let end = text.length;
      while (end > 0 && text.charCodeAt(end - 1) === 10) end -= 1;
      this.joined = end === text.length ? text : text.slice(0, end);
      this.flush();
    }
  }

  /** Messages parsed since the last call. */
  takeBatch(): ChatMessage[] {
    const batch = this.batch;
    this.batch = [];
    return batch;
  }

  get pending(): number {
    return this.batch.length;
  }

  line(buf: string, start: number, end: number): void {
    this.lineCount += 1;
    if (this.matcher !== null) {
      this.readLine(buf, start, end);
      return;
    }
    if (this.detector?.add(buf.slice(start, end))) this.decide();
  }

  private decide(): void {
    const detector = this.detector;
    const decision = detector?.decide();
    if (!detector || !decision) throw this.noLayoutError(detector);
    this.checkDateOrderFits(decision.matcher, decision.lines);
    this.detector = null;
    this.matcher = decision.matcher;
    this.main = decision.matcher;
    this.matchers.push(decision.matcher);
    this.orderBasis = decision.basis;
    this.authors.addWriters(decision.writers);
    const lines = decision.lines;
    for (let index = 0; index < lines.length; index += 1) {
      const line = lines[index] as string;
      this.replayIndex = index;
      this.readLine(line, 0, line.length);
    }
    this.replayIndex = -1;
  }

  /** An order asked for with --date-order must fit the layout: a year-first date is YMD, no other is. */
  private checkDateOrderFits(matcher: HeaderMatcher, lines: readonly string[]): void {
    const asked = this.dateOrder;
    const yearFirst = matcher.shape.yearFirst;
    if (asked === undefined || (asked === 'YMD') === yearFirst) return;
    const index = lines.findIndex((line) => probeHeader(line)?.key === matcher.key);
    const line = lines[index] ?? '';
    const header = line.slice(0, probeHeader(line)?.bodyStart ?? 0).trimEnd();
    throw new UserError(
      `--date-order ${asked.toLowerCase()} does not fit "${this.fileName}": its dates ${
        yearFirst ? 'start' : 'end'
      } with the year (line ${index + 1}: ${JSON.stringify(header)}).`,
      ExitCode.usage,
      {
        path: this.fileName,
        hint: yearFirst
          ? 'Dates that start with the year are read as --date-order ymd: leave the flag out or pass ymd.'
          : 'Pass --date-order dmy (day first) or mdy (month first).',
      },
    );
  }

  private noLayoutError(detector: LayoutDetector | null): UserError {
    const shown = (detector?.firstLines(SHOWN_FIRST_LINES) ?? []).map((line) =>
      JSON.stringify(line.length > SHOWN_LINE_CHARS ? `${line.slice(0, SHOWN_LINE_CHARS)}…` : line),
    );
    const start = shown.length > 0 ? `it starts with ${shown.join(' / ')}` : 'it is empty';
    return new UserError(
      `No WhatsApp chat layout found in "${this.fileName}": ${start}.`,
      ExitCode.chatNotFound,
      {
        path: this.fileName,
        hint: 'egregora reads chats made by WhatsApp\'s "Export chat" on Android or iOS (see docs/FORMATS.md).',
      },
    );
  }

  /** The hot path: one line, with the file's layout known. */
  private readLine(buf: string, start: number, end: number): void {
    let matcher = this.matcher as HeaderMatcher;
    let body = matcher.match(buf, start, end);
    if (body < 0) {
      // A whole header of another known layout starts a message: the phone changed its clock, its
      // AM/PM spelling or its locale part-way. A line of text that no layout's header can start with
      // is told apart by the matcher from the character it read anyway (NOT_A_HEADER), so it costs
      // one comparison more; only the others are looked at again.
      if (body === NOT_THIS_LAYOUT) {
        body = this.redetect(buf, start, end);
        matcher = this.matcher as HeaderMatcher;
      }
      if (body < 0) {
        // Rule 1: anything that is not a header continues the previous record.
        if (!this.open) this.skipped += 1;
        else if (
          this.joined === null &&
          buf === this.textBuf &&
          start === this.textTo + 1 &&
          buf.charCodeAt(this.textTo) === 10
        ) {
          this.textTo = end;
        } else {
          this.joined = `${this.recordText()}\n${buf.slice(start, end)}`;
        }
        return;
      }
    }
    if (matcher !== this.main) this.noteOtherLayout(matcher, buf, start, body);
    if (this.open) this.flush();
    this.open = true;

    const {year, month, day, hour, minute, second} = matcher;
    const dayKey = (year * 13 + month) * 32 + day;
    const hourKey = dayKey * 24 + hour;
    const key = (hourKey * 60 + minute) * 60 + second;
    if (key !== this.lastKey) {
      this.lastKey = key;
      if (dayKey !== this.lastDayKey) {
        this.lastDayKey = dayKey;
        this.lastHourKey = -1;
        this.dayPrefix = `${String(year).padStart(4, '0')}-${PAD2[month]}-${PAD2[day]}T`;
        this.dayStart = this.clock.uniformDayStart(year, month, day);
      }
      if (second === 0) {
        this.date = this.dayPrefix + WHOLE_MINUTES[hour * 60 + minute];
      } else {
        if (hourKey !== this.lastHourKey) {
          this.lastHourKey = hourKey;
          this.hourPrefix = this.dayPrefix + HOURS[hour];
        }
        this.date = this.hourPrefix + MINUTE_SECONDS[minute * 60 + second];
      }
      const dayStart = this.dayStart;
      this.instant = Number.isNaN(dayStart)
        ? this.clock.toInstant(year, month, day, hour, minute, second)
        : dayStart + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND;
      // Compared by key: comparing the date strings would flatten each one on the hot path.
      if (key < this.firstKey) {
        this.firstKey = key;
        this.firstDate = this.date;
      }
      if (key > this.latestKey) {
        this.latestKey = key;
        this.lastDate = this.date;
      }
    }

    let author: string | null = null;
    let textStart = body;
    let marked = false;
    const first = body < end ? buf.charCodeAt(body) : 0;
    if (first === LRM || first === RLM) {
      // Rule 3, author-less form: the marker after the header of a system line.
      marked = true;
      textStart = body + 1;
    } else {
      author = body < end ? this.authors.knownAt(buf, body, end) : null;
      if (author !== null) textStart = body + author.length + 2;
      else {
        const colon = colonSpace(buf, body, end);
        if (colon !== -1) {
          author = this.authors.resolveAt(buf, body, colon);
          if (author !== null) textStart = colon + 2;
        } else if (end - 1 > body && buf.charCodeAt(end - 1) === COLON) {
          // `Name:` and nothing more: iOS drops the space of an empty body, not the author.
          author = this.authors.resolveAt(buf, body, end - 1);
          if (author !== null) textStart = end;
        }
      }
      if (author !== null) {
        const after = textStart < end ? buf.charCodeAt(textStart) : 0;
        if (after === LRM || after === RLM) {
          marked = true;
          textStart += 1;
        }
      }
    }
    this.author = author;
    this.marked = marked;
    this.textBuf = buf;
    this.textFrom = textStart;
    this.textTo = end;
    this.joined = null;
    this.lastOfFirstLine = end > textStart ? buf.charCodeAt(end - 1) : 0;
    this.beforeLastOfFirstLine = end - 1 > textStart ? buf.charCodeAt(end - 2) : 0;
  }

  /**
   * A line the current layout does not read but that starts like a header: is it a whole header of
   * another layout? The layouts met so far are tried first (their matchers allocate nothing), then
   * the probe, which may meet a new one. Returns where the body starts, with `matcher` left on the
   * layout that read it, or -1 (the line is text).
   */
  private redetect(buf: string, start: number, end: number): number {
    if (!startsLikeHeader(buf, start, end)) return NOT_THIS_LAYOUT;
    const current = this.matcher;
    const matchers = this.matchers;
    for (let index = 0; index < matchers.length; index += 1) {
      const candidate = matchers[index] as HeaderMatcher;
      if (candidate === current) continue;
      const body = candidate.match(buf, start, end);
      if (body >= 0) {
        this.matcher = candidate;
        return body;
      }
    }
    const line = buf.slice(start, end);
    const probe = probeHeader(line);
    if (probe === null) return NOT_THIS_LAYOUT;
    const shape = probe.shape;
    if (!matchers.some((candidate) => candidate.key === probe.key)) {
      const matcher = new HeaderMatcher(shape, this.orderFor(shape));
      const body = matcher.match(buf, start, end);
      if (body >= 0) {
        matchers.push(matcher);
        this.matcher = matcher;
        return body;
      }
    }
    // The date cannot exist in the order this layout's dates are read in. If it can in the other one
    // (a part above 12 says so), that date format of the file is written the other way round.
    if (this.mayTurnRound(shape)) {
      const order: DateOrder = this.orderFor(shape) === 'DMY' ? 'MDY' : 'DMY';
      const matcher = new HeaderMatcher(shape, order);
      const body = matcher.match(buf, start, end);
      if (body >= 0) {
        this.turnRound(shape, matcher);
        return body;
      }
    }
    this.keptAsText += 1;
    this.firstKeptAsText ??= {line: this.lineNumber(), header: line.slice(0, probe.bodyStart)};
    return NOT_THIS_LAYOUT;
  }

  /**
   * The day/month order a layout met after the file's own reads its dates in. The order belongs to
   * the date format (the locale), not to the clock: a phone that changed from 12- to 24-hour time
   * keeps its dates. So: year first where the date starts with the year; the order this date format
   * turned to, if it did; else the file's order (decided from the whole file, or asked for), or the
   * locale's usual one when the file's own dates start with the year.
   */
  private orderFor(shape: HeaderShape): DateOrder {
    if (shape.yearFirst) return 'YMD';
    const turned = this.turnedOrders.get(dateFormatKey(shape));
    if (turned !== undefined) return turned;
    const order = (this.main as HeaderMatcher).order;
    return order === 'YMD' ? localeDateOrder(shape) : order;
  }

  /**
   * Only another date format than the file's may turn round: the file's own order was decided from
   * all of its dates (or asked for with --date-order, which nothing overrules).
   */
  private mayTurnRound(shape: HeaderShape): boolean {
    const main = this.main as HeaderMatcher;
    return (
      !shape.yearFirst &&
      dateFormatKey(shape) !== dateFormatKey(main.shape) &&
      (this.dateOrder === undefined || this.dateOrder === 'YMD')
    );
  }

  /** Reads this date format in `matcher`'s order from now on, in every layout that writes it. */
  private turnRound(shape: HeaderShape, matcher: HeaderMatcher): void {
    const format = dateFormatKey(shape);
    this.turnedOrders.set(format, matcher.order);
    const matchers = this.matchers;
    let found = false;
    for (let index = 0; index < matchers.length; index += 1) {
      const other = matchers[index] as HeaderMatcher;
      if (other.key === matcher.key) {
        matchers[index] = matcher;
        found = true;
      } else if (dateFormatKey(other.shape) === format) {
        matchers[index] = new HeaderMatcher(other.shape, matcher.order);
      }
    }
    if (!found) matchers.push(matcher);
    this.matcher = matcher;
  }

  /** Counts a header read in another layout than the file's; the first one is kept with its line. */
  private noteOtherLayout(matcher: HeaderMatcher, buf: string, start: number, body: number): void {
    this.changedLines += 1;
    if (matcher !== this.lastChanged) {
      this.lastChanged = matcher;
      this.changedLayouts.add(matcher.key);
    }
    this.firstChange ??= {line: this.lineNumber(), header: buf.slice(start, body)};
  }

  /** The number of the line being read (1 = the first line of the file). */
  private lineNumber(): number {
    return this.replayIndex >= 0 ? this.replayIndex + 1 : this.lineCount;
  }

  private recordText(): string {
    return this.joined ?? this.textBuf.slice(this.textFrom, this.textTo);
  }

  private flush(): void {
    const text = this.recordText();
    let author = this.author;
    if (author !== null) {
      // A whole-text notice is WhatsApp's, whatever name the header credits it to (notices.ts). The
      // cheap tests read only what the parser has at hand (reading the text buffer again here was
      // measured at -15% on iOS chats); the rest is a method of its own, so that its rare work does
      // not take the inlining budget of this, the hot path.
      if (
        mayEndLikeNotice(this.lastOfFirstLine, this.beforeLastOfFirstLine, text.length) ||
        mayBeFoundByStart(this.marked, this.lastOfFirstLine)
      ) {
        author = this.unlessNotice(author, text);
      } else if (this.noticeOnly.listed) this.noticeOnly.wrote(author);
    }
    this.authorsBefore = this.authors.authors.length;
    let kindIndex = SYSTEM_KIND;
    let attachment: string | null = null;
    let edited = false;
    if (author !== null) {
      const classifier = this.classifier;
      kindIndex = classifier.classify(text, this.marked, this.lastOfFirstLine, this.beforeLastOfFirstLine);
      attachment = classifier.attachment;
      edited = classifier.edited;
    }
    let attachmentPresent = false;
    if (attachment !== null) {
      this.referenced += 1;
      attachmentPresent = this.hasMedia(attachment);
      if (attachmentPresent) this.present += 1;
      else {
        this.missingCount += 1;
        if (this.missing.size < LISTED_MISSING) this.missing.add(attachment);
      }
    }
    this.kindCounts[kindIndex] = (this.kindCounts[kindIndex] ?? 0) + 1;
    const kind = KINDS[kindIndex] as MessageKind;
    this.batch.push({
      position: this.position,
      date: this.date,
      instantMs: this.instant,
      author,
      text,
      kind,
      edited,
      attachment,
      attachmentPresent,
    });
    this.position += 1;
    this.open = false;
  }

  /** Null when `text` is one of WhatsApp's notices (the name only headed it), else the author. */
  private unlessNotice(author: string, text: string): string | null {
    if (!isNotice(text)) {
      this.noticeOnly.wrote(author);
      return author;
    }
    this.noticeOnly.credited(author, this.authors.authors.length > this.authorsBefore);
    return null;
  }

  /** The summary of everything parsed; call after `end()`. */
  summary(bytes: number, inputFingerprint: string): ParseSummary {
    const matcher = this.main;
    if (!this.ended || matcher === null) throw new Error('ChatParser.summary() called before end()');
    return {
      fileName: this.fileName,
      lines: this.lineCount,
      skippedLines: this.skipped,
      messages: this.position,
      layout: layoutName(matcher.shape),
      platform: platformOf(matcher.shape),
      dateOrder: matcher.order,
      dateOrderBasis: this.orderBasis,
      clock: matcher.shape.twelveHour ? '12h' : '24h',
      layoutChanges: {
        lines: this.changedLines,
        layouts: this.changedLayouts.size,
        first: this.firstChange,
      },
      headersKeptAsText: {lines: this.keptAsText, first: this.firstKeptAsText},
      timeZone: this.clock.timeZone,
      firstDate: this.firstDate,
      lastDate: this.lastDate,
      authors: this.noticeOnly.people(this.authors.authors),
      kinds: Object.fromEntries(KINDS.map((kind, index) => [kind, this.kindCounts[index] ?? 0])) as Record<
        MessageKind,
        number
      >,
      attachments: {
        referenced: this.referenced,
        present: this.present,
        missing: [...this.missing],
        missingCount: this.missingCount,
      },
      bytes,
      inputFingerprint,
    };
  }
}

/** Marks that may come before a header's first digit or `[`: framing, and an Arabic date's own mark. */
const MAX_LEADING_MARKS = 2;
/** A header's first date part has at most this many digits (a year-first date: `2024-`). */
const MAX_FIRST_PART_DIGITS = 4;
const DOT = 46;
const SLASH = 47;
const DASH = 45;
const ALM = 0x061c;

function isMark(code: number): boolean {
  return code === LRM || code === RLM || code === ALM;
}

/**
 * Whether the line starts like a header's date: after at most MAX_LEADING_MARKS marks and a `[`, one
 * to four digits, then (after a mark) `.`, `/` or `-`. A cheap filter before the probe, so a line
 * such as `10:30 - …` or `2 eggs` costs a few character reads, never a copy. Reads nothing at or
 * past `end` (an empty last line ends where the buffer does: reading past it would send the
 * optimised parser back to the interpreter).
 */
function startsLikeHeader(buf: string, start: number, end: number): boolean {
  let at = start;
  while (at < end && isMark(buf.charCodeAt(at))) {
    if (at - start >= MAX_LEADING_MARKS) return false;
    at += 1;
  }
  if (at < end && buf.charCodeAt(at) === OPEN_BRACKET) at += 1;
  if (at < end && isMark(buf.charCodeAt(at))) at += 1;
  const digits = at;
  while (at < end && at - digits <= MAX_FIRST_PART_DIGITS) {
    const code = buf.charCodeAt(at);
    if (code < DIGIT_0 || code > DIGIT_9) break;
    at += 1;
  }
  if (at === digits || at - digits > MAX_FIRST_PART_DIGITS) return false;
  if (at < end && isMark(buf.charCodeAt(at))) at += 1;
  if (at >= end) return false;
  const separator = buf.charCodeAt(at);
  return separator === SLASH || separator === DOT || separator === DASH;
}

/** The first `": "` in `buf[start, end)`, or -1; bounded, unlike indexOf, to the line. */
function colonSpace(buf: string, start: number, end: number): number {
  for (let at = buf.indexOf(':', start); at !== -1 && at < end - 1; at = buf.indexOf(':', at + 1)) {
    if (buf.charCodeAt(at + 1) === SPACE) return at;
  }
  return -1;
}

/** A streaming parse: iterate it for batches of messages; `summary()` once it is done. */
export type ChatParse = AsyncGenerator<ChatMessage[], ParseSummary, undefined> & {
  /** The summary; throws if the iteration has not run to the end. */
  summary(): ParseSummary;
};

/**
 * Parses a chat from a stream of bytes, yielding batches of messages as they are read. The bytes are
 * hashed on the way (the summary's `inputFingerprint`); memory stays bounded by the batch size, the
 * detection buffer and the longest message.
 */
export function parseChat(chunks: AsyncIterable<Uint8Array>, options: ParseOptions = {}): ChatParse {
  let result: ParseSummary | undefined;
  const batchSize = options.batchSize ?? BATCH_SIZE;
  async function* run(): AsyncGenerator<ChatMessage[], ParseSummary, undefined> {
    const fileName = options.fileName ?? 'chat';
    const parser = new ChatParser(options);
    const decoder = new ChatDecoder(fileName);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of chunks) {
      hash.update(chunk);
      bytes += chunk.length;
      parser.push(decoder.decode(chunk));
      if (parser.pending >= batchSize) yield parser.takeBatch();
    }
    if (bytes === 0) throw emptyChat(fileName);
    parser.push(decoder.end());
    parser.end();
    if (parser.pending > 0) yield parser.takeBatch();
    result = parser.summary(bytes, `sha256:${hash.digest('hex')}`);
    return result;
  }
  const generator = run();
  return Object.assign(generator, {
    summary(): ParseSummary {
      if (!result) throw new Error('the chat has not been parsed to the end yet');
      return result;
    },
  });
}

export interface ParsedChat {
  readonly messages: ChatMessage[];
  readonly summary: ParseSummary;
}

/**
 * Parses a whole chat held in memory (tests, benchmarks, small inputs). Same rules as `parseChat`;
 * the byte count and the fingerprint are computed only when read (each is a pass over the whole
 * text), so timing the parse does not time them.
 */
export function parseChatText(text: string, options: ParseOptions = {}): ParsedChat {
  const fileName = options.fileName ?? 'chat';
  if (text.length === 0) throw emptyChat(fileName);
  const parser = new ChatParser(options);
  parser.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  parser.end();
  const messages = parser.takeBatch();
  const base = parser.summary(0, '');
  let bytes: number | undefined;
  let fingerprint: string | undefined;
  const summary = {
    ...base,
    get bytes(): number {
      bytes ??= Buffer.byteLength(text, 'utf8');
      return bytes;
    },
    get inputFingerprint(): string {
      fingerprint ??= `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
      return fingerprint;
    },
  };
  return {messages, summary};
}

function emptyChat(fileName: string): UserError {
  return new UserError(`The chat "${fileName}" is empty.`, ExitCode.chatNotFound, {
    path: fileName,
    hint: 'Export the chat again from WhatsApp.',
  });
}
