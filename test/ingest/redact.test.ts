import {describe, expect, it} from 'vitest';
import {redactContacts} from '../../src/ingest/redact.js';

describe('redactContacts', () => {
  it.each([
    ['+1 555 123 4567', '[phone]'],
    ['+1 (555) 123-4567', '[phone]'],
    ['+44 7700 900123', '[phone]'],
    ['+351 912 345 678', '[phone]'],
    ['+55 11 98765-4321', '[phone]'],
    ['+491511234567', '[phone]'],
    ['0044 20 7946 0958', '[phone]'],
    ['(555) 123-4567', '[phone]'],
    ['555-123-4567', '[phone]'],
    ['555.123.4567', '[phone]'],
    ['06 12 34 56 78', '[phone]'],
    ['06.12.34.56.78', '[phone]'],
    ['0612345678', '[phone]'],
    ['07700 900123', '[phone]'],
    ['0151 12345678', '[phone]'],
    ['612 345 678', '[phone]'],
    ['\u202a+1\u00a0555\u00a0123\u00a04567\u202c', '[phone]'],
    ['+33\u202f6\u202f12\u202f34\u202f56\u202f78', '[phone]'],
  ])('redacts the phone number %s', (phone, expected) => {
    expect(redactContacts(`call ${phone} tonight`)).toBe(`call ${expected} tonight`);
  });

  it.each([
    'ana@example.com',
    'ana.maria+club@mail.example.co.uk',
    'joão@exemplo.com.br',
    'first_last-99@sub.domain.org',
  ])('redacts the e-mail address %s', (email) => {
    expect(redactContacts(`write to ${email}.`)).toBe('write to [email].');
  });

  it.each([
    ['a date', 'we meet on 2024-03-14 at 10:30'],
    ['a date and time', 'since 2024-03-14 10:30:15 it works'],
    ['a European date', 'born 14/03/1990 and 14.03.1990 and 14-03-1990'],
    ['a US date', 'due 3/14/24'],
    ['a time', 'at 10:30 or 22:45:10'],
    ['years', 'from 1990 to 2024, also 1990 2000 2010 2020'],
    ['a year range', '2019-2024'],
    ['amounts', 'it cost $1,234,567.89 or €1.234.567,89 or 1 234 567 € or R$ 123 456 789'],
    ['an amount with a currency code', 'total 612 345 678 EUR'],
    ['plain numbers', 'order 123456789 and ticket 1234567890 and 42'],
    ['a decimal', 'pi is 3.14159265358979'],
    ['a version', 'update to 1.2.3 or 10.15.7'],
    ['an IP address', 'server at 192.168.100.200'],
    ['percentages', '99.5% of 1000000 users'],
    ['a mention', 'hi @\u2068Ana\u2069'],
    ['a score', '3-2 and 10-15'],
    ['a card-length number', '4111 1111 1111 1111 2222'],
  ])('leaves %s alone', (_label, text) => {
    expect(redactContacts(text)).toBe(text);
  });
});
