import {Flags} from '@oclif/core';
import {UserError} from '../src/util/errors.js';
import {ExitCode} from '../src/util/exit-codes.js';

export interface BoundedIntegerOptions {
  readonly description: string;
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly char?: 'n';
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
    parse: async (input: string) => parseBounded(name, input, min, max, Number.isInteger, 'a whole number'),
  });
}

export interface BoundedNumberOptions {
  readonly description: string;
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

/** A decimal flag bounded to [min, max], like `--overlap`. */
export function boundedNumber(name: string, options: BoundedNumberOptions) {
  const {min, max} = options;
  return Flags.custom<number>({
    description: `${options.description} (${min}–${max})`,
    default: options.default,
    parse: async (input: string) => parseBounded(name, input, min, max, Number.isFinite, 'a number'),
  })();
}

function parseBounded(
  name: string,
  input: string,
  min: number,
  max: number,
  accept: (value: number) => boolean,
  kind: string,
): number {
  const trimmed = input.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!accept(value) || value < min || value > max) {
    throw new UserError(`--${name} must be ${kind} from ${min} to ${max}; got "${input}".`, ExitCode.usage);
  }
  return value;
}
