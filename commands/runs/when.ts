import {UserError} from '../../src/util/errors.js';
import {ExitCode} from '../../src/util/exit-codes.js';

const AGE_UNITS_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Reads a `--since` / `--until` value: an age (`30m`, `12h`, `7d`, `2w`, counted back from now),
 * a calendar date (`2026-11-01`, local midnight), or an ISO date-time.
 */
export function parseWhen(flag: string, input: string, now: Date): Date {
  const text = input.trim();
  const age = /^(\d+)\s*([mhdw])$/i.exec(text);
  if (age?.[1] && age[2]) {
    return new Date(now.getTime() - Number(age[1]) * (AGE_UNITS_MS[age[2].toLowerCase()] ?? 0));
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const date = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    if (date.getMonth() === Number(day[2]) - 1 && date.getDate() === Number(day[3])) return date;
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UserError(`--${flag} "${input}" is not a date I can read.`, ExitCode.usage, {
    hint: 'Use YYYY-MM-DD, an ISO time such as 2026-11-01T09:30, or an age such as 30m, 12h, 7d.',
  });
}
