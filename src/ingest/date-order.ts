import type {DateOrder, DateOrderBasis} from '../../schemas/parse.js';
import type {HeaderShape} from './layout.js';
import {daysFromCivil} from './wall-clock.js';

export type {DateOrderBasis};

export interface DateOrderDecision {
  readonly order: DateOrder;
  readonly basis: DateOrderBasis;
}

/** One header's date parts in printed order (the third is the year unless the shape is year-first). */
export type DateParts = readonly [number, number, number];

/**
 * A date that is impossible under an order costs as much as a jump of this many days: a wrong
 * order usually produces both big jumps and impossible dates, the right one neither.
 */
const INVALID_DATE_PENALTY_DAYS = 400;

/**
 * Decides the day/month order of a whole file from the dates of its headers:
 * 1. a year-first layout is YMD;
 * 2. a first part above 12 means day-first, a second part above 12 means month-first (the side with
 *    more such dates wins, so one odd line cannot flip a file);
 * 3. when every part is ≤ 12, the order under which the dates move least: a real chat goes forward
 *    a day at a time, while the wrong order makes it jump by months and back;
 * 4. with no evidence at all (one distinct date), the locale the shape suggests: en-US writes
 *    `M/D/YY` with upper-case AM/PM, nearly everyone else puts the day first.
 */
export function decideDateOrder(shape: HeaderShape, samples: readonly DateParts[]): DateOrderDecision {
  if (shape.yearFirst) return {order: 'YMD', basis: 'year-first'};
  let dayFirstVotes = 0;
  let monthFirstVotes = 0;
  for (const [first, second] of samples) {
    if (first > 12 && second <= 12) dayFirstVotes += 1;
    else if (second > 12 && first <= 12) monthFirstVotes += 1;
  }
  if (dayFirstVotes !== monthFirstVotes) {
    return {order: dayFirstVotes > monthFirstVotes ? 'DMY' : 'MDY', basis: 'part-over-12'};
  }
  const dayFirstMovement = movement(samples, shape, true);
  const monthFirstMovement = movement(samples, shape, false);
  if (dayFirstMovement !== monthFirstMovement) {
    return {order: dayFirstMovement < monthFirstMovement ? 'DMY' : 'MDY', basis: 'movement'};
  }
  return {order: localeDateOrder(shape), basis: 'locale-default'};
}

function movement(samples: readonly DateParts[], shape: HeaderShape, dayFirst: boolean): number {
  let total = 0;
  let previous: number | undefined;
  for (const [first, second, third] of samples) {
    const day = dayFirst ? first : second;
    const month = dayFirst ? second : first;
    const year = shape.yearDigits === 2 ? 2000 + third : third;
    if (month < 1 || month > 12 || day < 1 || day > 31) {
      total += INVALID_DATE_PENALTY_DAYS;
      continue;
    }
    const days = daysFromCivil(year, month, day);
    if (previous !== undefined) total += Math.abs(days - previous);
    previous = days;
  }
  return total;
}

/**
 * The order a layout's locale usually writes: month first for `/` dates with upper-case AM/PM
 * (en-US), day first otherwise, Arabic dates (bidirectional marks around the `/`) included.
 */
export function localeDateOrder(shape: HeaderShape): DateOrder {
  const usLike = shape.dateSep === '/' && shape.twelveHour && shape.upperMarker && !shape.dateMarks;
  return usLike ? 'MDY' : 'DMY';
}
