import {UserError} from '../util/errors.js';
import {ExitCode} from '../util/exit-codes.js';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The machine's time zone, as an IANA name. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Checks a time zone name and returns it in canonical spelling; a name Intl does not know is a
 * usage error (the user typed it).
 */
export function resolveTimeZone(name: string | undefined): string {
  const wanted = name ?? systemTimeZone();
  try {
    return new Intl.DateTimeFormat('en-US', {timeZone: wanted}).resolvedOptions().timeZone;
  } catch {
    throw new UserError(
      `Unknown time zone "${wanted}": use an IANA name such as Europe/Lisbon, America/Sao_Paulo or UTC.`,
      ExitCode.usage,
    );
  }
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu', 'Etc/UCT']);

/** A day on which the offset changes: the offsets before and after, and the instant of the change. */
interface Transition {
  readonly before: number;
  readonly after: number;
  /** The first UTC instant (ms) with the `after` offset. */
  readonly at: number;
}

/** Offsets reach −12 h and +14 h: the UTC instants of one wall-clock day lie within these margins of it. */
const MAX_NEGATIVE_OFFSET = 12 * MS_PER_HOUR;
const MAX_POSITIVE_OFFSET = 14 * MS_PER_HOUR;

/** Per zone, per day number: the day's one offset, or its transition. Shared by every WallClock of a zone. */
const DAY_CACHES = new Map<string, Map<number, number | Transition>>();

/**
 * Converts wall-clock times of one time zone to UTC instants. Offsets are looked up with Intl once
 * per calendar day and cached: a day with one offset is read with one subtraction; a day with a DST
 * change has the instant of the change found once (by bisection) and is then just as cheap.
 *
 * Around a change it follows the "compatible" rule of Temporal and most calendars: a time skipped
 * by a spring-forward gap is read with the offset before the gap (so it lands after it), and a
 * time repeated by a fall-back overlap is the earlier of the two instants.
 */
export class WallClock {
  readonly timeZone: string;
  private readonly isUtc: boolean;
  private readonly formatter: Intl.DateTimeFormat;
  private readonly days: Map<number, number | Transition>;
  /** One-entry cache: consecutive messages are mostly on the same day. */
  private lastDate = -1;
  private lastDayNumber = 0;
  private lastDay: number | Transition = 0;

  constructor(timeZone: string) {
    this.timeZone = resolveTimeZone(timeZone);
    this.isUtc = UTC_NAMES.has(this.timeZone);
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    let days = DAY_CACHES.get(this.timeZone);
    if (!days) {
      days = new Map();
      DAY_CACHES.set(this.timeZone, days);
    }
    this.days = days;
  }

  /**
   * The UTC instant of the wall-clock midnight that starts this date, when the whole date has one
   * offset (then any time of it is this plus its hours, minutes and seconds, the same instant
   * `toInstant` gives); NaN when the offset changes during the date. Lets a caller convert most
   * times with inline arithmetic, without a call whose result would be boxed.
   */
  uniformDayStart(year: number, month: number, day: number): number {
    this.selectDay(year, month, day);
    const dayStart = this.lastDayNumber * MS_PER_DAY;
    if (this.isUtc) return dayStart;
    const known = this.lastDay;
    return typeof known === 'number' ? dayStart - known : Number.NaN;
  }

  /** The UTC instant (epoch ms) of a wall-clock time in this zone. */
  toInstant(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
    this.selectDay(year, month, day);
    const wall =
      this.lastDayNumber * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * 1000;
    if (this.isUtc) return wall;
    const known = this.lastDay;
    if (typeof known === 'number') return wall - known;
    const beforeCandidate = wall - known.before;
    const afterCandidate = wall - known.after;
    const beforeFits = beforeCandidate < known.at;
    const afterFits = afterCandidate >= known.at;
    if (beforeFits && afterFits) return Math.min(beforeCandidate, afterCandidate);
    if (beforeFits) return beforeCandidate;
    if (afterFits) return afterCandidate;
    // In a gap no instant shows this wall time: read it with the offset in force before the gap.
    return beforeCandidate;
  }

  /** Makes the date the one-entry cache's day (`lastDayNumber`, `lastDay`). */
  private selectDay(year: number, month: number, day: number): void {
    const date = (year * 16 + month) * 32 + day;
    if (date === this.lastDate) return;
    this.lastDate = date;
    this.lastDayNumber = daysFromCivil(year, month, day);
    if (this.isUtc) return;
    let described = this.days.get(this.lastDayNumber);
    if (described === undefined) {
      described = this.describeDay(this.lastDayNumber);
      this.days.set(this.lastDayNumber, described);
    }
    this.lastDay = described;
  }

  private describeDay(dayNumber: number): number | Transition {
    const low = dayNumber * MS_PER_DAY - MAX_POSITIVE_OFFSET;
    const high = (dayNumber + 1) * MS_PER_DAY + MAX_NEGATIVE_OFFSET;
    const before = this.offsetAt(low);
    const after = this.offsetAt(high);
    if (before === after) return before;
    // Bisect to the second on which the offset changes (zones change on whole seconds).
    let lo = low;
    let hi = high;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (this.offsetAt(mid) === before) lo = mid;
      else hi = mid;
    }
    return {before, after, at: hi};
  }

  /** The zone's offset from UTC at an instant, in ms (local = utc + offset). */
  offsetAt(instant: number): number {
    const whole = Math.floor(instant / 1000) * 1000;
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of this.formatter.formatToParts(whole)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        case 'era':
          bc = part.value.startsWith('B');
          break;
        default:
          break;
      }
    }
    if (bc) year = 1 - year;
    const local =
      daysFromCivil(year, month, day) * MS_PER_DAY +
      hour * MS_PER_HOUR +
      minute * MS_PER_MINUTE +
      second * 1000;
    return local - whole;
  }
}
