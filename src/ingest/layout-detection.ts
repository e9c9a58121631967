import type {DateOrder, DateOrderBasis} from '../../schemas/parse.js';
import {type DateParts, decideDateOrder} from './date-order.js';
import {HeaderMatcher, type HeaderShape, probeHeader} from './layout.js';

/** Headers seen before the shape may be fixed, so odd lines that look like headers are out-voted. */
export const DETECTION_MIN_HEADERS = 64;
/**
 * The detection buffer's bound, in characters (about 40,000 messages). When the day/month order is
 * still open after this much text (every day so far ≤ 12), the movement of the dates seen decides.
 */
export const DETECTION_MAX_CHARS = 4 * 1024 * 1024;
/** Another shape overrules the first header's shape only with this many times its lines, and this many more. */
const FIRST_SHAPE_OVERRULE_FACTOR = 2;
const FIRST_SHAPE_OVERRULE_MARGIN = 3;
/** A candidate author heading this many buffered lines is a person (see AuthorResolver). */
const WRITER_MIN_LINES = 3;

interface ShapeTally {
  readonly shape: HeaderShape;
  count: number;
  readonly samples: DateParts[];
  overTwelve: boolean;
}

/** What detection decided for a file, and the lines it held back to be read with it. */
export interface LayoutDecision {
  readonly matcher: HeaderMatcher;
  readonly basis: DateOrderBasis;
  /** Candidate authors heading several buffered lines: people, whatever their names look like. */
  readonly writers: readonly string[];
  readonly lines: readonly string[];
}

/**
 * Decides a file's header layout and day/month order once, from its first lines. Lines are tried
 * against every layout with the permissive probe until DETECTION_MIN_HEADERS headers fix the shape;
 * after that only that shape's fast scanner reads them, gathering date evidence until the order is
 * beyond doubt or the buffer is full. Lines are kept so the parser can read them again.
 */
export class LayoutDetector {
  private readonly lines: string[] = [];
  private chars = 0;
  private probed = 0;
  private readonly tallies = new Map<string, ShapeTally>();
  private firstTally: ShapeTally | undefined;
  private fixed: ShapeTally | undefined;
  private scanner: HeaderMatcher | null = null;
  private readonly candidates = new Map<string, number>();

  /** @param dateOrder the order the user asked for (`--date-order`): the dates then need no vote. */
  constructor(private readonly dateOrder?: DateOrder) {}

  /** Adds the next line; returns true once there is enough evidence to decide. */
  add(line: string): boolean {
    this.lines.push(line);
    this.chars += line.length;
    if (this.scanner === null) this.probe(line);
    else this.scan(this.scanner, line);
    const fixed = this.fixed;
    return (
      this.chars >= DETECTION_MAX_CHARS ||
      (fixed !== undefined && (fixed.shape.yearFirst || fixed.overTwelve || this.dateOrder !== undefined))
    );
  }

  /**
   * Decides from the evidence gathered; null when no line looked like a header at all. An order the
   * user asked for is taken as it is (the parser checks that it fits the layout).
   */
  decide(): LayoutDecision | null {
    const tally = this.fixed ?? this.bestTally();
    if (!tally) return null;
    const {order, basis} =
      this.dateOrder === undefined
        ? decideDateOrder(tally.shape, tally.samples)
        : {order: this.dateOrder, basis: 'override' as const};
    const writers: string[] = [];
    for (const [candidate, lines] of this.candidates) if (lines >= WRITER_MIN_LINES) writers.push(candidate);
    return {matcher: new HeaderMatcher(tally.shape, order), basis, writers, lines: this.lines};
  }

  /** The first lines that are not blank, for an error about a file that is not a chat. */
  firstLines(count: number): string[] {
    return this.lines.filter((line) => line.trim() !== '').slice(0, count);
  }

  private probe(line: string): void {
    const probe = probeHeader(line);
    if (!probe) return;
    this.probed += 1;
    let tally = this.tallies.get(probe.key);
    if (!tally) {
      tally = {shape: probe.shape, count: 0, samples: [], overTwelve: false};
      this.tallies.set(probe.key, tally);
      this.firstTally ??= tally;
    }
    this.record(tally, probe.parts[0], probe.parts[1], probe.parts[2]);
    this.countCandidate(line, probe.bodyStart);
    if (this.probed >= DETECTION_MIN_HEADERS) {
      this.fixed = this.bestTally();
      // The order does not matter to `scan`: it reads the printed parts as they are.
      if (this.fixed) this.scanner = new HeaderMatcher(this.fixed.shape, 'DMY');
    }
  }

  private scan(scanner: HeaderMatcher, line: string): void {
    const body = scanner.scan(line, 0, line.length);
    if (body < 0 || !this.fixed) return;
    this.record(this.fixed, scanner.part1, scanner.part2, scanner.part3);
    this.countCandidate(line, body);
  }

  private record(tally: ShapeTally, part1: number, part2: number, part3: number): void {
    tally.count += 1;
    tally.samples.push([part1, part2, part3]);
    if (part1 > 12 || part2 > 12) tally.overTwelve = true;
  }

  private countCandidate(line: string, bodyStart: number): void {
    const colon = line.indexOf(': ', bodyStart);
    if (colon === -1) return;
    const candidate = line.slice(bodyStart, colon);
    this.candidates.set(candidate, (this.candidates.get(candidate) ?? 0) + 1);
  }

  /**
   * The file's layout: the shape most headers have. An export starts with a header, so the shape of
   * the first header-like line wins unless another one is clearly more common (a tiny chat whose one
   * message quotes two lines of another chat must not take that chat's layout).
   */
  private bestTally(): ShapeTally | undefined {
    let best: ShapeTally | undefined;
    for (const tally of this.tallies.values()) if (!best || tally.count > best.count) best = tally;
    const first = this.firstTally;
    if (!best || !first || best === first) return best;
    const clearlyMore =
      best.count >= FIRST_SHAPE_OVERRULE_FACTOR * first.count &&
      best.count >= first.count + FIRST_SHAPE_OVERRULE_MARGIN;
    return clearlyMore ? best : first;
  }
}
