/**
 * Line-header layouts of WhatsApp exports. Detection uses a permissive regex (`probeHeader`) on a
 * bounded number of lines; once a file's shape and date order are decided, every line goes through
 * `HeaderMatcher.match`, which accepts that shape only, using char codes and no allocation.
 */

import type {DateOrder, LayoutName, Platform} from '../../schemas/parse.js';

export type {DateOrder, LayoutName, Platform};
/**
 * What ends the header: ` - ` (Android), `  - ` (two spaces, some Android 12-hour exports), `: `
 * (Android 2012-14), `] ` (iOS) or `; ` (`12.07.2017 - 22:35:22; `, where ` - ` sits between date and time).
 */
export type Terminator = 'dash' | 'wide-dash' | 'colon' | 'bracket' | 'semicolon';

/** Everything about a header that is fixed for a whole file, except the day/month order. */
export interface HeaderShape {
  /** iOS: the timestamp is inside `[…]`. */
  readonly bracket: boolean;
  /** The year is the first date part (`2023-05-04`, `2023/5/4`). */
  readonly yearFirst: boolean;
  /** `/`, `.` or `-`. */
  readonly dateSep: string;
  /**
   * Bidirectional marks (U+200E, U+200F, U+061C) before the date and around its separators, as
   * Arabic exports write them: `\u200f4\u200f/2\u200f/2025`. They are framing, never part of a number.
   */
  readonly dateMarks: boolean;
  readonly yearDigits: 2 | 4;
  /**
   * Between the date and the time: `, `, ` `, ` klo ` (Finnish), ` à ` (French), `\u060c ` (the Arabic
   * comma), ` - ` (only with the `; ` terminator) or `,`.
   */
  readonly dateTimeSep: string;
  /** `:`, or `.` in Finnish. */
  readonly timeSep: string;
  readonly seconds: boolean;
  readonly twelveHour: boolean;
  readonly terminator: Terminator;
  /** `AM`/`PM` in capitals (en-US writes them so; en-IN, en-AU and es write `am`, `p. m.`). */
  readonly upperMarker: boolean;
  /** The marker is written with dots (`a.m.`, `p. m.`). */
  readonly dottedMarker: boolean;
  /** …and with a space inside (`a. m.`, a no-break space in es exports). */
  readonly spacedMarker: boolean;
}

/** A header as the probe read it, before the day/month order is known. */
export interface ProbedHeader {
  readonly shape: HeaderShape;
  /** A stable key of the shape, to count which shape a file uses. */
  readonly key: string;
  /** The three date parts in printed order. */
  readonly parts: readonly [number, number, number];
  /** Where the body starts in the probed line. */
  readonly bodyStart: number;
}

/** The marks that may surround a date separator (LRM, RLM, the Arabic letter mark). */
const DATE_MARK = '[\u200e\u200f\u061c]';
const DATE_MARKS = /[\u200e\u200f\u061c]/;

/**
 * Every known header, permissively: detection and re-detection only. Groups: 1 `[`, 2, 4, 5 the date
 * parts and 3 their separator, 6 the date-time separator, 7-10 the time (8: its separator, 10: the
 * seconds), 11 the 12-hour marker, 12 the end of the header.
 */
const PROBE = new RegExp(
  `^[\u200e\u200f]?(\\[)?${DATE_MARK}?(\\d{1,4})${DATE_MARK}?([./-])${DATE_MARK}?(\\d{1,2})${DATE_MARK}?\\3${DATE_MARK}?(\\d{1,4})` +
    '(, | klo | \u00e0 |\u060c | - | |,)(\\d{1,2})([:.])(\\d{2})(?:\\8(\\d{2}))?' +
    '(?:[ \u00a0\u202f]([aApP]\\.?[ \u00a0\u202f]?[mM]\\.?))?(\\] |\\]$| - | -$|  - |  -$|: |; )',
);

function terminatorOf(end: string): Terminator {
  if (end.startsWith(']')) return 'bracket';
  if (end.startsWith(':')) return 'colon';
  if (end.startsWith(';')) return 'semicolon';
  return end.startsWith('  ') ? 'wide-dash' : 'dash';
}

/** Reads a line as a header of any known layout, or returns null. Detection only: it allocates. */
export function probeHeader(line: string): ProbedHeader | null {
  const m = PROBE.exec(line);
  if (!m) return null;
  const [
    ,
    bracket,
    p1 = '',
    dateSep = '',
    p2 = '',
    p3 = '',
    dateTimeSep = '',
    ,
    timeSep = '',
    ,
    seconds,
    marker,
    end = '',
  ] = m;
  const isBracket = bracket !== undefined;
  const terminator = terminatorOf(end);
  if (isBracket !== (terminator === 'bracket')) return null;
  // ` - ` between date and time is only known with the `; ` ending (`12.07.2017 - 22:35:22; `): alone,
  // `14/03/2024 - 10:30 - …` would read a dated note as a header.
  if ((dateTimeSep === ' - ') !== (terminator === 'semicolon')) return null;
  const yearFirst = p1.length === 4;
  if (yearFirst ? p3.length > 2 : p1.length > 2 || (p3.length !== 2 && p3.length !== 4)) return null;
  if (dateTimeSep === ' klo ' && timeSep !== '.') return null;
  const head = m[0];
  // The date is everything before the date-time separator (it holds no space and no comma).
  const dateEnd = head.indexOf(dateTimeSep);
  const shape: HeaderShape = {
    bracket: isBracket,
    yearFirst,
    dateSep,
    dateMarks: DATE_MARKS.test(head.slice(1, dateEnd)),
    yearDigits: yearFirst ? 4 : (p3.length as 2 | 4),
    dateTimeSep,
    timeSep,
    seconds: seconds !== undefined,
    twelveHour: marker !== undefined,
    terminator,
    upperMarker: marker !== undefined && marker === marker.toUpperCase(),
    dottedMarker: marker?.includes('.') === true,
    spacedMarker: marker !== undefined && /[ \u00a0\u202f]/.test(marker),
  };
  return {shape, key: shapeKey(shape), parts: [Number(p1), Number(p2), Number(p3)], bodyStart: head.length};
}

export function shapeKey(shape: HeaderShape): string {
  return [
    shape.bracket ? '[' : '',
    shape.yearFirst ? 'Y' : 'y',
    shape.dateSep,
    shape.dateMarks ? 'rtl' : '',
    shape.yearDigits,
    JSON.stringify(shape.dateTimeSep),
    shape.timeSep,
    shape.seconds ? 's' : '',
    shape.twelveHour
      ? `${shape.upperMarker ? 'AM' : 'am'}${shape.dottedMarker ? '.' : ''}${shape.spacedMarker ? '_' : ''}`
      : '24',
    shape.terminator,
  ].join('|');
}

/**
 * The date format of a shape (what the locale decides: separator, marks, year length and place),
 * without the clock or the header's punctuation: two layouts with one date format put the day and
 * the month in the same order.
 */
export function dateFormatKey(shape: HeaderShape): string {
  return `${shape.yearFirst ? 'Y' : 'y'}${shape.dateSep}${shape.yearDigits}${shape.dateMarks ? 'rtl' : ''}`;
}

export function layoutName(shape: HeaderShape): LayoutName {
  if (shape.bracket) return 'ios';
  if (shape.terminator === 'colon') return 'android-legacy';
  if (shape.terminator === 'semicolon') return 'android-semicolon';
  if (shape.dateTimeSep === ' klo ') return 'android-finnish';
  if (shape.dateTimeSep === ' \u00e0 ') return 'android-french';
  // `, `, `,` and the Arabic comma `\u060c ` all put a comma after the date.
  return shape.dateTimeSep === ' ' ? 'android-no-comma' : 'android-comma';
}

export function platformOf(shape: HeaderShape): Platform {
  return shape.bracket ? 'ios' : 'android';
}

/** Human names of the layouts, for summaries and docs. */
export const LAYOUT_LABELS: Record<LayoutName, string> = {
  'android-comma': 'Android, comma',
  'android-no-comma': 'Android, no comma',
  'android-finnish': 'Android, Finnish',
  'android-french': 'Android, French (à)',
  'android-legacy': 'Android 2012-14 (colon)',
  'android-semicolon': 'Android, time after the date (semicolon)',
  ios: 'iOS',
};

const DIGIT_0 = 48;
const SPACE = 32;
const NBSP = 0xa0;
const NNBSP = 0x202f;
const LRM = 0x200e;
const RLM = 0x200f;
/** U+061C, the Arabic letter mark: Arabic dates may carry it where others carry U+200F. */
const ALM = 0x061c;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const DASH = 45;
const COLON = 58;
const SEMICOLON = 59;
const DOT = 46;

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isSpaceLike(code: number): boolean {
  return code === SPACE || code === NBSP || code === NNBSP;
}

/** `readDigits` returns the count of digits read in these low bits and the value above them. */
const DIGIT_COUNT_BITS = 3;
const DIGIT_COUNT_MASK = (1 << DIGIT_COUNT_BITS) - 1;

/**
 * Reads up to `max` (at most 4) digits at `at`, not past `end`. Returns `value << DIGIT_COUNT_BITS |
 * count`: one small integer, so the per-line scan needs no scratch field and allocates nothing.
 */
function readDigits(buf: string, at: number, end: number, max: number): number {
  const stop = at + max < end ? at + max : end;
  let value = 0;
  let k = at;
  while (k < stop) {
    const digit = buf.charCodeAt(k) - DIGIT_0;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
    k += 1;
  }
  return (value << DIGIT_COUNT_BITS) | (k - at);
}

/** `HeaderMatcher.match`: the line is not a header of this layout, but may be one of another. */
export const NOT_THIS_LAYOUT = -1;
/** `HeaderMatcher.match`: the line starts with a character no header of any layout starts with. */
export const NOT_A_HEADER = -2;

/** Whether a header of some layout may start with this character: a digit, `[` or a mark. */
function mayOpenHeader(code: number): boolean {
  return (
    (code >= DIGIT_0 && code <= DIGIT_0 + 9) ||
    code === OPEN_BRACKET ||
    code === LRM ||
    code === RLM ||
    code === ALM
  );
}

/** Past one bidirectional mark at `at`, if there is one (`dateMarks` shapes only). */
function skipDateMark(buf: string, at: number): number {
  const code = buf.charCodeAt(at);
  return code === RLM || code === LRM || code === ALM ? at + 1 : at;
}

/** Exactly two digits at `at`, both before `end`, as a number; -1 otherwise. */
function twoDigits(buf: string, at: number, end: number): number {
  if (at + 2 > end) return -1;
  const tens = buf.charCodeAt(at) - DIGIT_0;
  const ones = buf.charCodeAt(at + 1) - DIGIT_0;
  if (tens < 0 || tens > 9 || ones < 0 || ones > 9) return -1;
  return tens * 10 + ones;
}

/**
 * The per-file header matcher. `match` returns where the body starts, or -1, and leaves the header's
 * fields in `year`…`second`. A line that has a valid shape but an impossible date under the file's
 * order (a 13th month) is not a header: it continues the previous message.
 */
export class HeaderMatcher {
  year = 0;
  month = 0;
  day = 0;
  hour = 0;
  minute = 0;
  second = 0;
  /** The three date parts in printed order, as `scan` read them. */
  part1 = 0;
  part2 = 0;
  part3 = 0;
  /** `shapeKey(shape)`: which layout this matcher reads, to find it again among a file's layouts. */
  readonly key: string;

  private readonly bracket: boolean;
  private readonly yearFirst: boolean;
  private readonly dateSep: number;
  private readonly dateMarks: boolean;
  private readonly yearDigits: number;
  private readonly dateTimeSepCodes: readonly number[];
  private readonly timeSep: number;
  private readonly seconds: boolean;
  private readonly twelveHour: boolean;
  /** The file's marker letters: 'a'/'p' and 'm' in its case (0x20 set for lower case). */
  private readonly markerCase: number;
  private readonly dottedMarker: boolean;
  private readonly spacedMarker: boolean;
  private readonly terminator: Terminator;
  /** `  - `: one more space before the dash than the usual ` - `. */
  private readonly wideDash: boolean;
  private readonly dayFirst: boolean;

  constructor(
    readonly shape: HeaderShape,
    readonly order: DateOrder,
  ) {
    this.bracket = shape.bracket;
    this.yearFirst = shape.yearFirst;
    this.key = shapeKey(shape);
    this.dateSep = shape.dateSep.charCodeAt(0);
    this.dateMarks = shape.dateMarks;
    this.yearDigits = shape.yearDigits;
    this.dateTimeSepCodes = [...shape.dateTimeSep].map((char) => char.charCodeAt(0));
    this.timeSep = shape.timeSep.charCodeAt(0);
    this.seconds = shape.seconds;
    this.twelveHour = shape.twelveHour;
    this.markerCase = shape.upperMarker ? 0 : 0x20;
    this.dottedMarker = shape.dottedMarker;
    this.spacedMarker = shape.spacedMarker;
    this.terminator = shape.terminator === 'wide-dash' ? 'dash' : shape.terminator;
    this.wideDash = shape.terminator === 'wide-dash';
    this.dayFirst = order === 'DMY';
  }

  /**
   * Reads `buf[start, end)` as a header of the file's shape without checking the date against the
   * day/month order: leaves the printed parts in `part1…part3` and the time (24-hour) in
   * `hour…second`; returns where the body starts, NOT_A_HEADER when the line's first character
   * cannot start a header of any layout, or NOT_THIS_LAYOUT (-1).
   */
  scan(buf: string, start: number, end: number): number {
    let i = start;
    let c = buf.charCodeAt(i);
    if (c === LRM || c === RLM) {
      i += 1;
      c = buf.charCodeAt(i);
    }
    if (this.bracket) {
      if (c !== OPEN_BRACKET) return mayOpenHeader(c) ? NOT_THIS_LAYOUT : NOT_A_HEADER;
      i += 1;
    }
    // An Arabic date may carry a mark before its first part too (after an LRM or a `[`).
    if (this.dateMarks) i = skipDateMark(buf, i);
    // Date: three numbers joined by the file's separator.
    let read = readDigits(buf, i, end, 4);
    const n1 = read >> DIGIT_COUNT_BITS;
    const len1 = read & DIGIT_COUNT_MASK;
    if (this.yearFirst ? len1 !== 4 : len1 === 0 || len1 > 2) {
      // Decided from the character already read, so that a line of text costs no more than before.
      return len1 === 0 && !this.bracket && !mayOpenHeader(c) ? NOT_A_HEADER : NOT_THIS_LAYOUT;
    }
    i += len1;
    if (this.dateMarks) i = skipDateMark(buf, i);
    if (i >= end || buf.charCodeAt(i) !== this.dateSep) return -1;
    i += 1;
    if (this.dateMarks) i = skipDateMark(buf, i);
    read = readDigits(buf, i, end, 2);
    const n2 = read >> DIGIT_COUNT_BITS;
    const len2 = read & DIGIT_COUNT_MASK;
    i += len2;
    if (len2 === 0) return -1;
    if (this.dateMarks) i = skipDateMark(buf, i);
    if (i >= end || buf.charCodeAt(i) !== this.dateSep) return -1;
    i += 1;
    if (this.dateMarks) i = skipDateMark(buf, i);
    read = readDigits(buf, i, end, this.yearFirst ? 2 : this.yearDigits);
    const n3 = read >> DIGIT_COUNT_BITS;
    const len3 = read & DIGIT_COUNT_MASK;
    if (this.yearFirst ? len3 === 0 : len3 !== this.yearDigits) return -1;
    i += len3;
    const separator = this.dateTimeSepCodes;
    for (let index = 0; index < separator.length; index += 1) {
      if (buf.charCodeAt(i + index) !== separator[index]) return -1;
    }
    i += separator.length;
    // Time.
    read = readDigits(buf, i, end, 2);
    let hour = read >> DIGIT_COUNT_BITS;
    const hourLength = read & DIGIT_COUNT_MASK;
    i += hourLength;
    if (hourLength === 0 || i >= end || buf.charCodeAt(i) !== this.timeSep) return -1;
    const minute = twoDigits(buf, i + 1, end);
    if (minute < 0) return -1;
    i += 3;
    let second = 0;
    if (this.seconds) {
      if (i >= end || buf.charCodeAt(i) !== this.timeSep) return -1;
      second = twoDigits(buf, i + 1, end);
      if (second < 0) return -1;
      i += 3;
    }
    if (this.twelveHour) {
      // The marker is part of the file's layout: a `p. m.` file does not take a `PM` line as a header.
      if (i >= end || !isSpaceLike(buf.charCodeAt(i))) return -1;
      i += 1;
      const letter = buf.charCodeAt(i);
      if ((letter & 0x20) !== this.markerCase) return -1;
      const lower = letter | 0x20;
      if (lower !== 97 && lower !== 112) return -1; // a, p
      i += 1;
      if (this.dottedMarker) {
        if (buf.charCodeAt(i) !== DOT) return -1;
        i += 1;
      }
      if (this.spacedMarker) {
        if (!isSpaceLike(buf.charCodeAt(i))) return -1;
        i += 1;
      }
      if ((buf.charCodeAt(i) | 0x20) !== 109 || (buf.charCodeAt(i) & 0x20) !== this.markerCase) return -1; // m in the file's case
      i += 1;
      if (this.dottedMarker) {
        if (buf.charCodeAt(i) !== DOT) return -1;
        i += 1;
      }
      if (hour > 12) return -1;
      hour = lower === 112 ? (hour % 12) + 12 : hour % 12;
    } else if (hour > 23) {
      return -1;
    }
    if (minute > 59 || second > 59) return -1;
    // End of the header.
    let body: number;
    if (this.terminator === 'dash') {
      if (this.wideDash) {
        if (buf.charCodeAt(i) !== SPACE) return -1;
        i += 1;
      }
      if (buf.charCodeAt(i) !== SPACE || buf.charCodeAt(i + 1) !== DASH) return -1;
      if (i + 2 === end) body = end;
      else if (buf.charCodeAt(i + 2) === SPACE && i + 2 < end) body = i + 3;
      else return -1;
    } else if (this.terminator === 'bracket') {
      if (buf.charCodeAt(i) !== CLOSE_BRACKET) return -1;
      if (i + 1 === end) body = end;
      else if (buf.charCodeAt(i + 1) === SPACE) body = i + 2;
      else return -1;
    } else {
      // `: ` (Android 2012-14) or `; `.
      const mark = this.terminator === 'colon' ? COLON : SEMICOLON;
      if (buf.charCodeAt(i) !== mark || buf.charCodeAt(i + 1) !== SPACE || i + 1 >= end) return -1;
      body = i + 2;
    }
    if (body > end) return -1;
    this.part1 = n1;
    this.part2 = n2;
    this.part3 = n3;
    this.hour = hour;
    this.minute = minute;
    this.second = second;
    return body;
  }

  /** Reads a header of the file's shape whose date exists under the file's order; see `scan`. */
  match(buf: string, start: number, end: number): number {
    const body = this.scan(buf, start, end);
    if (body < 0) return body;
    const n1 = this.part1;
    const n2 = this.part2;
    const n3 = this.part3;
    // Assign the parts by the file's order and check the date exists.
    let year: number;
    let month: number;
    let day: number;
    if (this.yearFirst) {
      year = n1;
      month = n2;
      day = n3;
    } else {
      year = this.yearDigits === 2 ? 2000 + n3 : n3;
      if (this.dayFirst) {
        day = n1;
        month = n2;
      } else {
        month = n1;
        day = n2;
      }
    }
    if (month < 1 || month > 12 || day < 1) return -1;
    if (day > (DAYS_IN_MONTH[month] ?? 0) || (month === 2 && day === 29 && !isLeap(year))) return -1;
    this.year = year;
    this.month = month;
    this.day = day;
    return body;
  }
}
