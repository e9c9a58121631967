import * as Flags from '@oclif/core/flags';
import {UserError} from '../src/util/errors.js';
import {ExitCode} from '../src/util/exit-codes.js';

export interface BoundedIntegerOptions {
  readonly description: string;
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly char?: 'n';
  readonly helpGroup?: string;
}

/**
 * An integer flag that rejects values outside [min, max] with a message that states the range,
 * so a user never has to guess what is allowed.
 */
export function boundedInteger(name: string, options: BoundedIntegerOptions) {
  const {min, max} = options;
  return Flags.integer({
    description: `${options.description} (${min}–${max})`,
    char: options.char,
    default: options.default,
    ...(options.helpGroup === undefined ? {} : {helpGroup: options.helpGroup}),
    parse: async (input: string) => parseBounded(name, input, min, max, WHOLE_NUMBER, 'a whole number'),
  });
}

/**
 * `boundedInteger` without a default: undefined when not given, for settings that the environment
 * or egregora.json may also set (src/config/resolve.ts fills in the default).
 */
export function optionalBoundedInteger(name: string, options: Omit<BoundedIntegerOptions, 'default'>) {
  const {min, max} = options;
  return Flags.integer({
    description: `${options.description} (${min}–${max})`,
    ...(options.helpGroup === undefined ? {} : {helpGroup: options.helpGroup}),
    parse: async (input: string) => parseBounded(name, input, min, max, WHOLE_NUMBER, 'a whole number'),
  });
}

export interface BoundedNumberOptions {
  readonly description: string;
  readonly min: number;
  readonly max: number;
  /** Absent: undefined when not given. */
  readonly default?: number;
}

/** A decimal flag bounded to [min, max], like `--overlap`. */
export function boundedNumber(name: string, options: BoundedNumberOptions) {
  const {min, max} = options;
  return Flags.custom<number>({
    description: `${options.description} (${min}–${max})`,
    ...(options.default === undefined ? {} : {default: options.default}),
    parse: async (input: string) => parseBounded(name, input, min, max, DECIMAL_NUMBER, 'a number'),
  })();
}

/**
 * What a number flag may look like, in plain decimal digits: `Number()` alone would also take `0x10`,
 * `1e2` or `Infinity`, which nobody means on a command line.
 */
const WHOLE_NUMBER = /^[+-]?\d+$/;
const DECIMAL_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

function parseBounded(
  name: string,
  input: string,
  min: number,
  max: number,
  shape: RegExp,
  kind: string,
): number {
  const trimmed = input.trim();
  const value = shape.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UserError(`--${name} must be ${kind} from ${min} to ${max}; got "${input}".`, ExitCode.usage);
  }
  return value;
}

/**
 * `--window-size`: a whole number whose range depends on `--window-unit`, which a flag parser cannot
 * see; the shape is checked here and the range by the pipeline, both with the ranges in the message.
 */
export function windowSizeFlag(description: string, rangeText: string) {
  return Flags.custom<number>({
    description: `${description} (${rangeText})`,
    parse: async (input: string) => {
      const trimmed = input.trim();
      if (!WHOLE_NUMBER.test(trimmed)) {
        throw new UserError(
          `--window-size must be a whole number (${rangeText}); got "${input}".`,
          ExitCode.usage,
        );
      }
      return Number(trimmed);
    },
  })();
}

/** `--date-order`'s values as people type them, and the order each one names. */
const DATE_ORDERS = {dmy: 'DMY', mdy: 'MDY', ymd: 'YMD'} as const;
export type DateOrderFlag = (typeof DATE_ORDERS)[keyof typeof DATE_ORDERS];

/**
 * `--date-order dmy|mdy|ymd`: read the dates in this order instead of deciding it from them, for a
 * chat whose days never pass the 12th (the summary says when the order was only a guess).
 */
export function dateOrderFlag() {
  return Flags.custom<DateOrderFlag>({
    description:
      'Read dates as day/month/year (dmy), month/day/year (mdy) or year/month/day (ymd) instead of deciding from them',
    parse: async (input: string) => {
      const order = DATE_ORDERS[input.trim().toLowerCase() as keyof typeof DATE_ORDERS];
      if (order === undefined) {
        throw new UserError(`--date-order must be dmy, mdy or ymd; got "${input}".`, ExitCode.usage);
      }
      return order;
    },
  })();
}
