import {ExitCode, UserError} from '../util/errors.js';

/** `--base-url`: an absolute http(s) URL, given a trailing slash so that page paths append to it. */
export function validateBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`--base-url must be an absolute URL, got '${value}'`, ExitCode.usage, {
      hint: 'For example: --base-url https://example.org/our-chat/',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`--base-url must be an http or https URL, got '${value}'`, ExitCode.usage, {
      hint: 'For example: --base-url https://example.org/our-chat/',
    });
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
