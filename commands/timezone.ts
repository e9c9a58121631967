import {ExitCode, UserError} from '../src/util/errors.js';

/** The zone chat times are read in: `--timezone`, else this machine's zone; an unknown name is a usage error. */
export function resolveTimezone(flag: string | undefined): string {
  const zone = flag ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    return new Intl.DateTimeFormat('en-US', {timeZone: zone}).resolvedOptions().timeZone;
  } catch {
    throw new UserError(`--timezone "${zone}" is not a time zone I know.`, ExitCode.usage, {
      hint: 'Use an IANA name such as Europe/Lisbon, America/Sao_Paulo or UTC.',
    });
  }
}
