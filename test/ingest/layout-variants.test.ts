import {describe, expect, it} from 'vitest';
import {ParseSummarySchema} from '../../schemas/parse.js';
import {parseChat, parseChatText} from '../../src/ingest/parser.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {
  buildChat,
  clockSwitchChat,
  crCrLfChat,
  emptyBodyChat,
  headerOfLine,
  markerSpellingChat,
  newLayoutChats,
  platformMixChat,
  type VariantChat,
} from '../fixtures/index.js';

/** Issue 16: layouts real phones write, each case from a generated fixture (test/fixtures/layout-variants.ts). */

const utc = {timezone: 'UTC', fileName: 'chat.txt'};

function records(chat: VariantChat, options: Parameters<typeof parseChatText>[1] = utc) {
  const parsed = parseChatText(chat.text, options);
  expect(ParseSummarySchema.parse(parsed.summary)).toEqual(parsed.summary);
  return {
    ...parsed,
    records: parsed.messages.map(({date, author, text}) => ({date, author, text})),
  };
}

async function streamed(text: string, chunkBytes: number) {
  const bytes = new TextEncoder().encode(text);
  async function* chunks() {
    for (let offset = 0; offset < bytes.length; offset += chunkBytes)
      yield bytes.subarray(offset, offset + chunkBytes);
  }
  const parse = parseChat(chunks(), utc);
  const messages = [];
  for await (const batch of parse) messages.push(...batch);
  return {messages, summary: parse.summary()};
}

describe('a file that changes layout part-way (item 1)', () => {
  it('reads 1:55 p.m., 1:56 p. m. and 1:57 PM lines of one phone as eight messages, not one', () => {
    const chat = markerSpellingChat();
    const {records: read, summary} = records(chat);
    expect(read).toEqual(chat.expected);
    expect(read).toHaveLength(8);
    expect(summary.layout).toBe('android-comma');
    expect(summary.clock).toBe('24h');
    expect(summary.layoutChanges).toEqual({
      lines: 4,
      layouts: 3,
      first: {line: 3, header: headerOfLine(chat.text, 2)},
    });
    expect(summary.layoutChanges.first?.header).toBe('21/06/2024, 1:55 p.m. - ');
    expect(summary.headersKeptAsText).toEqual({lines: 0, first: null});
  });

  it('reads [05.05.23, …], [11/8/21, … AM] and 1/23/23, … AM - lines in one export, keeping the order rule', () => {
    const chat = platformMixChat();
    const {records: read, summary} = records(chat);
    expect(read).toEqual(chat.expected);
    expect(summary.layout).toBe('ios');
    expect(summary.dateOrder).toBe('DMY');
    expect(summary.layoutChanges).toEqual({
      lines: 4,
      layouts: 2,
      first: {line: 4, header: '[11/8/21, 9:41:32 AM] '},
    });
  });

  it('meets a change after the detection buffer, names its line, and streams the same in any chunks', async () => {
    const switchAt = 150;
    const chat = clockSwitchChat(400, switchAt);
    const {records: read, summary, messages} = records(chat);
    expect(read).toEqual(chat.expected);
    expect(summary.clock).toBe('12h');
    expect(summary.layoutChanges).toEqual({
      lines: 400 - switchAt,
      layouts: 1,
      first: {line: switchAt + 1, header: headerOfLine(chat.text, switchAt)},
    });
    for (const chunkBytes of [1, 7, 4096]) {
      const byStream = await streamed(chat.text, chunkBytes);
      expect(byStream.messages).toEqual(messages);
      expect(byStream.summary.layoutChanges).toEqual(summary.layoutChanges);
    }
  });

  it('never yields fewer messages than header lines without naming the line (property over the fixtures)', () => {
    for (const chat of [markerSpellingChat(), platformMixChat(), clockSwitchChat(100, 70)]) {
      const {messages, summary} = parseChatText(chat.text, utc);
      expect(messages.length + summary.headersKeptAsText.lines).toBe(chat.expected.length);
    }
  });

  it('meets another layout behind marks: an LRM before an Arabic date and its own mark, not behind three', () => {
    const lines = [
      '14/03/2024, 09:00 - Ana: one',
      '\u200e\u200f4\u200f/2\u200f/2025\u060c 11:23:38 AM - Rui: an Arabic line behind an LRM',
      '\u200e\u200f\u200e4/2/2025, 11:24 - Rui: three marks: text',
    ];
    const {messages, summary} = parseChatText(lines.join('\n'), utc);
    expect(messages.map(({date, author, text}) => [date, author, text])).toEqual([
      ['2024-03-14T09:00:00', 'Ana', 'one'],
      [
        '2025-02-04T11:23:38',
        'Rui',
        'an Arabic line behind an LRM\n\u200e\u200f\u200e4/2/2025, 11:24 - Rui: three marks: text',
      ],
    ]);
    expect(summary.layoutChanges.lines).toBe(1);
  });

  it('keeps a header-like line with an impossible date as text, and says which line', () => {
    const text = buildChat({
      layout: 'android-en-gb',
      messages: [
        {
          date: '2024-06-21T13:50',
          author: 'Ines',
          text: 'see the log:\n31/02/2024, 10:00 - Ines: 31 February',
        },
        {date: '2024-06-21T13:52', author: 'Tomas', text: 'ok'},
      ],
    });
    const {messages, summary} = parseChatText(text, utc);
    expect(messages.map((message) => message.text)).toEqual([
      'see the log:\n31/02/2024, 10:00 - Ines: 31 February',
      'ok',
    ]);
    expect(summary.headersKeptAsText).toEqual({lines: 1, first: {line: 2, header: '31/02/2024, 10:00 - '}});
  });
});

describe('layouts that were not recognised (item 2)', () => {
  const chats = newLayoutChats();

  it.each([
    ['french', 'android-french', '12/07/2017 à 22:35 - '],
    ['arabic', 'android-comma', '\u200f12\u200f/7\u200f/2017\u060c 10:35:22 PM - '],
    ['wideDash', 'android-comma', '12.07.17, 10:35 p.m.  - '],
    ['semicolon', 'android-semicolon', '12.07.2017 - 22:35:22; '],
  ] as const)('%s: %s, headers like %j', (key, layout, header) => {
    const chat = chats[key];
    expect(chat.text.startsWith(header)).toBe(true);
    const {records: read, summary, messages} = records(chat);
    expect(read).toEqual(chat.expected);
    expect(summary.layout).toBe(layout);
    expect(summary.dateOrder).toBe('DMY');
    // Authors as printed: no space or mark left over from the header.
    expect(summary.authors).toEqual(['Camille', 'Yasmine']);
    expect(messages.map((message) => [message.kind, message.attachment])).toEqual([
      ['message', null],
      ['message', null],
      ['media', 'IMG-20170713-WA0003.jpg'],
      ['media', null],
      ['system', null],
    ]);
  });

  it('reads the Arabic example line of the issue as written', () => {
    const text = '\u200f4\u200f/2\u200f/2025\u060c 11:23:38 AM - Name: text\n';
    const {messages, summary} = parseChatText(text, utc);
    expect(messages.map(({date, author, text: body}) => ({date, author, text: body}))).toEqual([
      {date: '2025-02-04T11:23:38', author: 'Name', text: 'text'},
    ]);
    expect(summary.platform).toBe('android');
  });

  it('still reads a date, a dash and a time without the semicolon as text, not a header', () => {
    const text = buildChat({
      layout: 'android-semicolon',
      messages: [
        {date: '2017-07-12T22:35:22', author: 'Camille', text: 'plan:\n12.07.2017 - 22:40 - the train'},
      ],
    });
    expect(parseChatText(text, utc).messages.map((message) => message.text)).toEqual([
      'plan:\n12.07.2017 - 22:40 - the train',
    ]);
  });
});

describe('details that lost meaning (item 3)', () => {
  it('CR CR LF line endings (a 2012 export) leave no line break at the end of a message', () => {
    const chat = crCrLfChat();
    const {records: read, messages} = records(chat);
    expect(read).toEqual(chat.expected);
    expect(messages.map((message) => message.text)).toEqual([
      'first line\nsecond line',
      '<media omitted>',
      'nice!',
    ]);
  });

  it('lower-case <media omitted> (2012 Android) is media', () => {
    const {messages} = records(crCrLfChat());
    expect(messages[1]?.kind).toBe('media');
  });

  it('an iOS "Name:" with an empty body keeps its author', () => {
    const chat = emptyBodyChat();
    expect(chat.text).toContain('] Sami:\r\n');
    const {records: read, messages} = records(chat);
    expect(read).toEqual(chat.expected);
    expect(messages.map((message) => [message.author, message.kind])).toEqual([
      ['Noor', 'message'],
      ['Sami', 'message'],
      ['Sami', 'message'],
      ['Noor', 'media'],
    ]);
  });
});

describe('the day/month order, asked for (item 4)', () => {
  /** Every day ≤ 12 and a single date: nothing to decide the order from. */
  const ambiguous = buildChat({
    layout: 'android-en-gb',
    messages: [
      {date: '2024-03-04T10:00', author: 'Ana', text: 'one'},
      {date: '2024-03-04T10:05', author: 'Rui', text: 'two'},
    ],
  });

  it('says the order was guessed when nothing decides it, and takes --date-order instead', () => {
    const guessed = parseChatText(ambiguous, utc);
    expect(guessed.summary).toMatchObject({dateOrder: 'DMY', dateOrderBasis: 'locale-default'});
    expect(guessed.messages[0]?.date).toBe('2024-03-04T10:00:00');
    const asked = parseChatText(ambiguous, {...utc, dateOrder: 'MDY'});
    expect(asked.summary).toMatchObject({dateOrder: 'MDY', dateOrderBasis: 'override'});
    expect(asked.messages.map((message) => message.date)).toEqual([
      '2024-04-03T10:00:00',
      '2024-04-03T10:05:00',
    ]);
  });

  it('overrules even dates that decide the order, and counts the headers it makes impossible', () => {
    const text = buildChat({
      layout: 'android-en-gb',
      messages: [
        {date: '2024-03-04T10:00', author: 'Ana', text: 'one'},
        {date: '2024-03-20T10:05', author: 'Rui', text: 'the 20th'},
      ],
    });
    expect(parseChatText(text, utc).summary.dateOrderBasis).toBe('part-over-12');
    const {messages, summary} = parseChatText(text, {...utc, dateOrder: 'MDY'});
    expect(messages.map((message) => message.text)).toEqual(['one\n20/03/2024, 10:05 - Rui: the 20th']);
    expect(summary.headersKeptAsText).toEqual({lines: 1, first: {line: 2, header: '20/03/2024, 10:05 - '}});
  });

  it('is read also through the stream, where detection may stop early', async () => {
    const bytes = new TextEncoder().encode(ambiguous);
    async function* chunks() {
      yield bytes;
    }
    const parse = parseChat(chunks(), {...utc, dateOrder: 'MDY'});
    const messages = [];
    for await (const batch of parse) messages.push(...batch);
    expect(messages.map((message) => message.date)).toEqual(['2024-04-03T10:00:00', '2024-04-03T10:05:00']);
  });

  it('refuses an order that does not fit the layout, naming the line (a usage error)', () => {
    expect(() => parseChatText(ambiguous, {...utc, dateOrder: 'YMD'})).toThrowError(
      expect.objectContaining({
        exitCode: ExitCode.usage,
        message:
          '--date-order ymd does not fit "chat.txt": its dates end with the year (line 1: "04/03/2024, 10:00 -").',
      }),
    );
    const yearFirst = buildChat({
      layout: 'android-en-ca',
      messages: [{date: '2024-03-04T10:00', author: 'Ana', text: 'one'}],
    });
    expect(() => parseChatText(yearFirst, {...utc, dateOrder: 'DMY'})).toThrowError(
      expect.objectContaining({
        exitCode: ExitCode.usage,
        message: expect.stringContaining('start with the year'),
      }),
    );
    expect(parseChatText(yearFirst, {...utc, dateOrder: 'YMD'}).summary.dateOrderBasis).toBe('override');
  });
});
