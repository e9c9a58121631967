/**
 * Finding e-mail addresses and phone numbers in message text. Phone numbers are matched loosely
 * (digits with spaces, dashes, dots, parentheses, no-break spaces, bidi wrappers) and then judged,
 * so that dates, times, years, amounts and plain numbers are left alone.
 */

export const EMAIL_REDACTION = '[email]';
export const PHONE_REDACTION = '[phone]';

/** An address: local part, `@`, a dotted domain ending in a 2+ letter label. */
export const EMAIL_SOURCE = String.raw`(?<![\p{L}\p{N}._%+\-])[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}(?![\p{L}\p{N}])`;

/**
 * Anything that could be a phone number: an optional `+` (or `00`) and `(`, then digits with
 * separators, ending on a digit; optionally inside U+202A…U+202C, as WhatsApp prints unsaved numbers.
 */
export const PHONE_CANDIDATE_SOURCE = String.raw`\u202a?(?<![\p{L}\p{N}+\-./])(?:\+|\(\+?)?\d[\d \u00a0\u202f().\-]{4,}\d\)?\u202c?`;

/** Fewer digits is a short number (a PIN, a price, a year with a month); more is not a phone number (E.164 allows 15). */
const MIN_PHONE_DIGITS = 7;
const MAX_PHONE_DIGITS = 15;
/** Local numbers without a country code have at least 9 digits in the plans we saw (FR, ES, UK, US, BR, DE). */
const MIN_LOCAL_DIGITS = 9;
/** A run of digits with no separator is a phone number only from 10 digits and with a leading trunk `0`. */
const MIN_PLAIN_DIGITS = 10;

/** A date, possibly with the hour of a time whose `:` ends the candidate: `2024-03-14`, `14.03.24 10`. */
const DATE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})(?:[ T]\d{1,2})?$/;
const CURRENCY = /[$€£¥₹₽¢]|R\$|\b(?:USD|EUR|GBP|BRL|CHF|JPY|INR|reais|euros?|dollars?|pounds?|libras?)\b/i;
const YEAR = /^(?:19|20)\d\d$/;

/**
 * Whether a phone-number candidate really is one. `before` and `after` are a few characters of
 * context on each side (a currency sign makes `612 345 678` an amount, a colon after makes `10` an hour).
 */
export function isPhoneNumber(candidate: string, before = '', after = ''): boolean {
  const inner = candidate.replace(/^\u202a/, '').replace(/\u202c$/, '');
  const digits = inner.replace(/\D/g, '');
  if (digits.length < MIN_PHONE_DIGITS || digits.length > MAX_PHONE_DIGITS) return false;
  if (after.startsWith(':') || /^[.,]\d/.test(after)) return false;
  if (DATE.test(inner)) return false;
  if (inner.startsWith('+') || inner.startsWith('(+')) return true;
  if (candidate.startsWith('\u202a')) return true;
  if (digits.length < MIN_LOCAL_DIGITS) return false;
  const groups = inner.split(/\D+/).filter((group) => group.length > 0);
  if (groups.length === 1) return digits.startsWith('0') && digits.length >= MIN_PLAIN_DIGITS;
  if (inner.startsWith('(')) return true;
  if (groups.every((group) => YEAR.test(group))) return false;
  const separators = inner.replace(/[\d()]/g, '');
  const onlyDots = /^\.+$/.test(separators);
  const first = groups[0] ?? '';
  const thousands =
    first.length <= 3 && groups.slice(1).every((group) => group.length === 3) && !first.startsWith('0');
  if (onlyDots) {
    // Dots also write decimals, versions, IP addresses and thousands: only phone-shaped groups count.
    const ipLike = groups.length === 4 && groups.every((group) => group.length <= 3);
    const phoneGroups = groups.length >= 3 && groups.every((group) => group.length >= 2 && group.length <= 4);
    return phoneGroups && !ipLike && !thousands;
  }
  if (thousands) {
    if (CURRENCY.test(before) || CURRENCY.test(after)) return false;
    // `1 234 567` writes an amount; a leading group of three (`612 345 678`) is how several countries write mobiles.
    if (first.length < 3) return false;
  }
  return true;
}

const CONTACTS = new RegExp(`(${EMAIL_SOURCE})|(${PHONE_CANDIDATE_SOURCE})`, 'gu');
/** Characters of context the phone judgement looks at on each side. */
export const CONTEXT_CHARS = 6;

/** Replaces e-mail addresses with `[email]` and phone numbers with `[phone]`. */
export function redactContacts(text: string): string {
  if (!mayContainContact(text)) return text;
  return text.replace(
    CONTACTS,
    (match: string, email: string | undefined, _phone: string | undefined, offset: number) => {
      if (email !== undefined) return EMAIL_REDACTION;
      const before = text.slice(Math.max(0, offset - CONTEXT_CHARS), offset);
      const after = text.slice(offset + match.length, offset + match.length + CONTEXT_CHARS);
      return isPhoneNumber(match, before, after) ? PHONE_REDACTION : match;
    },
  );
}

/** A cheap pre-check: no `@` and fewer than MIN_PHONE_DIGITS digits means nothing to redact. */
export function mayContainContact(text: string): boolean {
  if (text.includes('@')) return true;
  let digits = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57 && ++digits >= MIN_PHONE_DIGITS) return true;
  }
  return false;
}
