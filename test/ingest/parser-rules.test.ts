import {describe, expect, it} from 'vitest';
import {parseChat, parseChatText} from '../../src/ingest/parser.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {buildChat, type FixtureMessage, LRM, RLM} from '../fixtures/index.js';

const utc = {timezone: 'UTC', fileName: 'chat.txt'};

function parse(text: string) {
  return parseChatText(text, utc).messages;
}

function gb(messages: FixtureMessage[], lineEnding: 'lf' | 'crlf' | 'crlf-lf' | 'cr' = 'lf'): string {
  return buildChat({layout: 'android-en-gb', messages, lineEnding});
}

describe('rule 1: records', () => {
  it('keeps continuation lines that only look like headers as text', () => {
    const body = [
      'notes from the meeting:',
      '10:30 - coffee',
      '14/03/2024 - a date, no time',
      '14/03/2024 - 10:30 - a date and a time, no header',
      '2024-01-01: year first, no time',
      '31/12/2020, 23:59 – Bob: an en dash',
      '31/12/2020, 23:59 -Bob: no space after the dash',
      '[31/12/2020, 23:59:59]Bob: no space after the bracket',
      '[31/12/2020, 23:59:59 - Bob: a bracket never closed',
    ].join('\n');
    const {messages, summary} = parseChatText(
      gb([
        {date: '2024-03-14T09:00', author: 'Ana', text: body},
        {date: '2024-03-14T09:01', author: 'Rui', text: 'ok'},
      ]),
      utc,
    );
    expect(messages.map((message) => [message.author, message.text])).toEqual([
      ['Ana', body],
      ['Rui', 'ok'],
    ]);
    expect(summary.layoutChanges).toEqual({lines: 0, layouts: 0, first: null});
    expect(summary.headersKeptAsText).toEqual({lines: 0, first: null});
  });

  it('keeps a header whose date cannot exist as text, and names it in the summary', () => {
    const body = ['look:', '32/03/2024, 10:00 - Bob: day 32', '14/13/2024, 10:00 - Bob: month 13'].join('\n');
    const {messages, summary} = parseChatText(
      gb([
        {date: '2024-03-14T09:00', author: 'Ana', text: body},
        {date: '2024-03-14T09:01', author: 'Rui', text: 'ok'},
      ]),
      utc,
    );
    expect(messages.map((message) => message.text)).toEqual([body, 'ok']);
    expect(summary.headersKeptAsText).toEqual({lines: 2, first: {line: 2, header: '32/03/2024, 10:00 - '}});
  });

  it('starts a message at a whole header of another layout, read in that layout', () => {
    const lines = [
      '14/03/2024, 09:00 - Ana: notes from the meeting:',
      '[31/12/2020, 23:59:59] Bob: an iOS line',
      '12/31/20, 11:59 PM - Bob: a US line',
      '31.12.20, 23:59 - Bob: a German line',
      '31/12/2020 23:59 - Bob: no comma',
      '2024-01-01, 10:00 - Bob: year first',
      '14/03/2024, 09:01 - Rui: ok',
    ];
    const {messages, summary} = parseChatText(`${lines.join('\n')}\n`, utc);
    expect(messages.map((message) => [message.date, message.author, message.text])).toEqual([
      ['2024-03-14T09:00:00', 'Ana', 'notes from the meeting:'],
      ['2020-12-31T23:59:59', 'Bob', 'an iOS line'],
      ['2020-12-31T23:59:00', 'Bob', 'a US line'],
      ['2020-12-31T23:59:00', 'Bob', 'a German line'],
      ['2020-12-31T23:59:00', 'Bob', 'no comma'],
      ['2024-01-01T10:00:00', 'Bob', 'year first'],
      ['2024-03-14T09:01:00', 'Rui', 'ok'],
    ]);
    expect(summary.layout).toBe('android-comma');
    expect(summary.layoutChanges).toEqual({
      lines: 5,
      layouts: 5,
      first: {line: 2, header: '[31/12/2020, 23:59:59] '},
    });
  });

  it('reads a file that switches between 12- and 24-hour time, both ways', () => {
    const us = buildChat({
      layout: 'android-en-us',
      messages: [
        {date: '2024-03-14T21:00', author: 'Ana', text: 'twelve-hour'},
        {date: '2024-03-14T21:05', author: 'Rui', text: 'still'},
      ],
    });
    const text = `${us}3/14/24, 21:10 - Ana: twenty-four\n3/15/24, 09:00 - Rui: next day\n3/15/24, 9:05 AM - Ana: back\n`;
    const {messages, summary} = parseChatText(text, utc);
    expect(messages.map((message) => [message.date, message.text])).toEqual([
      ['2024-03-14T21:00:00', 'twelve-hour'],
      ['2024-03-14T21:05:00', 'still'],
      ['2024-03-14T21:10:00', 'twenty-four'],
      ['2024-03-15T09:00:00', 'next day'],
      ['2024-03-15T09:05:00', 'back'],
    ]);
    expect(summary.clock).toBe('12h');
    expect(summary.layoutChanges).toEqual({
      lines: 2,
      layouts: 1,
      first: {line: 3, header: '3/14/24, 21:10 - '},
    });

    const gbText = gb([
      {date: '2024-03-14T21:00', author: 'Ana', text: 'twenty-four'},
      {date: '2024-03-14T21:05', author: 'Rui', text: 'still'},
    ]);
    const back = parseChatText(`${gbText}14/03/2024, 9:10 pm - Ana: twelve-hour\n`, utc);
    expect(back.messages.map((message) => [message.date, message.text])).toEqual([
      ['2024-03-14T21:00:00', 'twenty-four'],
      ['2024-03-14T21:05:00', 'still'],
      ['2024-03-14T21:10:00', 'twelve-hour'],
    ]);
    expect(back.summary.clock).toBe('24h');
    expect(back.summary.layoutChanges.lines).toBe(1);
  });

  it('decides the layout from the first lines even when a message quotes lines of another', () => {
    const quoted = Array.from(
      {length: 5},
      (_, index) => `[31/12/2020, 23:59:5${index}] Bob: quoted iOS`,
    ).join('\n');
    const text = gb([
      {date: '2024-03-14T09:00', author: 'Ana', text: `forwarded:\n${quoted}`},
      {date: '2024-03-14T09:01', author: 'Rui', text: 'one'},
      {date: '2024-03-14T09:02', author: 'Ana', text: 'two'},
      {date: '2024-03-14T09:03', author: 'Rui', text: 'three'},
      {date: '2024-03-14T09:04', author: 'Ana', text: 'four'},
      {date: '2024-03-14T09:05', author: 'Rui', text: 'five'},
      {date: '2024-03-14T09:06', author: 'Ana', text: 'six'},
    ]);
    const {messages, summary} = parseChatText(text, utc);
    expect(summary.layout).toBe('android-comma');
    expect(summary.dateOrder).toBe('DMY');
    // Each quoted line is a whole iOS header: a message of its own, and the summary says where they start.
    expect(messages.map((message) => message.text)).toEqual([
      'forwarded:',
      ...Array.from({length: 5}, () => 'quoted iOS'),
      'one',
      'two',
      'three',
      'four',
      'five',
      'six',
    ]);
    expect(messages[1]?.date).toBe('2020-12-31T23:59:50');
    expect(summary.layoutChanges).toEqual({
      lines: 5,
      layouts: 1,
      first: {line: 2, header: '[31/12/2020, 23:59:50] '},
    });
  });

  it('never aborts on odd lines, even before the first header', () => {
    const text = `garbage line\nanother one\n${gb([{date: '2024-03-14T09:00', author: 'Ana', text: 'hi'}])}`;
    const {messages, summary} = parseChatText(text, utc);
    expect(messages.map((message) => message.text)).toEqual(['hi']);
    expect(summary.skippedLines).toBe(2);
    expect(summary.lines).toBe(3);
  });
});

describe('rule 2: framing is not content', () => {
  it('drops a BOM, an LRM or RLM before the timestamp, and the terminators at the end of the file', () => {
    const text = `\ufeff${LRM}14/03/2024, 09:00 - Ana: one\n${RLM}14/03/2024, 09:01 - Rui: two\n\n\n`;
    expect(parse(text).map((message) => [message.author, message.text])).toEqual([
      ['Ana', 'one'],
      ['Rui', 'two'],
    ]);
  });

  it.each(['crlf', 'crlf-lf', 'cr'] as const)('never leaves \\r in text (%s)', (ending) => {
    const messages = parse(
      gb(
        [
          {date: '2024-03-14T09:00', author: 'Ana', text: 'line one\nline two\n\nline four'},
          {date: '2024-03-14T09:01', author: 'Rui', text: 'ok'},
        ],
        ending,
      ),
    );
    expect(messages.map((message) => message.text)).toEqual(['line one\nline two\n\nline four', 'ok']);
  });

  it('reads iOS 2024+ CRLF between messages with LF inside', () => {
    const text = '[14/03/2024, 09:00:00] Ana: first\nsecond\r\n[14/03/2024, 09:00:05] Rui: ok\r\n';
    expect(parse(text).map((message) => message.text)).toEqual(['first\nsecond', 'ok']);
  });
});

describe('rule 3: the body marker is not content', () => {
  it('strips exactly one LRM or RLM after "Name: " and keeps everything else verbatim', () => {
    const messages = parse(
      gb([
        {date: '2024-03-14T09:00', author: 'Ana', text: `${LRM}${LRM}two marks`},
        {date: '2024-03-14T09:01', author: 'Ana', text: `${RLM}rtl mark`},
        {date: '2024-03-14T09:02', author: 'Ana', text: '  spaces kept  '},
        {date: '2024-03-14T09:03', author: 'Ana', text: 'blank\n\n\nlines kept\n'},
        {date: '2024-03-14T09:04', author: 'Ana', text: 'Jose\u0301 decomposed, no NFC'},
        {date: '2024-03-14T09:05', author: 'Ana', text: `inner ${LRM} mark kept`},
        {date: '2024-03-14T09:06', author: 'Ana', text: 'last'},
      ]),
    );
    expect(messages.map((message) => message.text)).toEqual([
      `${LRM}two marks`,
      'rtl mark',
      '  spaces kept  ',
      'blank\n\n\nlines kept\n',
      'Jose\u0301 decomposed, no NFC',
      `inner ${LRM} mark kept`,
      'last',
    ]);
  });

  it('strips the marker after the header of an author-less line', () => {
    const text = `[14/03/2024, 09:00:00] ${LRM}Ana added Rui\r\n[14/03/2024, 09:00:01] ${LRM}${LRM}kept one\r\n`;
    expect(parse(text).map((message) => [message.author, message.text, message.kind])).toEqual([
      [null, 'Ana added Rui', 'system'],
      [null, `${LRM}kept one`, 'system'],
    ]);
  });

  it('keeps an empty system line (2024 exports) as an empty system message', () => {
    const text = '14/03/2024, 09:00 - Ana: hi\n14/03/2024, 09:01 - \n14/03/2024, 09:02 - Rui: yo\n';
    expect(parse(text).map((message) => [message.author, message.text, message.kind])).toEqual([
      ['Ana', 'hi', 'message'],
      [null, '', 'system'],
      ['Rui', 'yo', 'message'],
    ]);
  });
});

describe('rule 4: author', () => {
  it('takes the text before the first ": " verbatim, whatever it contains', () => {
    const authors = [
      '~\u202fMaria',
      '\u202a+1\u00a0555\u00a0123\u00a04567\u202c',
      '👩‍👩‍👧 Family',
      'שרה כהן',
      'نور',
      'Ana - work',
      'Jose\u0301',
      '𝓐𝓷𝓪',
      'Robert "Bob" Smith',
      'Dr. Who?',
    ];
    const messages = parse(
      gb(
        authors.map((author, index) => ({
          date: `2024-03-14T09:0${index}`,
          author,
          text: `text: with ": " and " - " ${index}`,
        })),
      ),
    );
    expect(messages.map((message) => message.author)).toEqual(authors);
    expect(messages.map((message) => message.kind)).toEqual(authors.map(() => 'message'));
    expect(messages[0]?.text).toBe('text: with ": " and " - " 0');
  });

  it('keeps system events whose text contains ": " as author-less system events', () => {
    const events = [
      'Ana created group "Book club: 2024"',
      'You created group "Reading: the list"',
      'Ana changed the subject from "A: b" to "C: d"',
      'Ana changed the subject to “Book club: 2025”',
      'Ana changed this group\'s name to "Run: 5k"',
      'Ana mudou o assunto de "Clube: 2024" para "Clube: 2025"',
      'Ana cambió el asunto de "Club: 2024" a "Club: 2025"',
      'Ana hat den Betreff von „Klub: 2024“ zu „Klub: 2025“ geändert',
      'Ana a modifié le sujet de « Club : 2024 » en « Club: 2025 »',
      'Ana heeft het onderwerp gewijzigd van "Club: 2024" naar "Club: 2025"',
      'Ana grubun konusunu "Kulüp: 2024" olarak değiştirdi',
    ];
    const messages = parse(
      gb([
        {date: '2024-03-14T08:59', author: 'Ana', text: 'hello'},
        ...events.map((text, index) => ({
          date: `2024-03-14T09:${String(index).padStart(2, '0')}`,
          author: null,
          text,
        })),
        {date: '2024-03-14T10:00', author: 'Ana', text: 'bye'},
      ]),
    );
    expect(messages.slice(1, -1).map((message) => [message.author, message.text, message.kind])).toEqual(
      events.map((text) => [null, text, 'system']),
    );
  });

  it('treats someone with an odd quote in their name as a person when they write several lines', () => {
    const rock = 'Dwayne "The Rock';
    const messages = parse(
      gb([
        {date: '2024-03-14T09:00', author: rock, text: 'first'},
        {date: '2024-03-14T09:01', author: rock, text: 'second'},
        {date: '2024-03-14T09:02', author: rock, text: 'third'},
        {date: '2024-03-14T09:03', author: 'Ana', text: 'ok'},
      ]),
    );
    expect(messages.map((message) => message.author)).toEqual([rock, rock, rock, 'Ana']);
  });

  it('reads iOS events credited to the group or the actor as system; WhatsApp’s notices without author', () => {
    const text = [
      `[14/03/2024, 09:00:00] Book Club: ${LRM}Messages and calls are end-to-end encrypted.`,
      `[14/03/2024, 09:00:01] Ana: ${LRM}Ana changed the subject to “Club: 2025”`,
      `[14/03/2024, 09:00:02] Book Club: ${LRM}Ana added Rui`,
      '[14/03/2024, 09:00:03] Ana: hello',
    ].join('\r\n');
    // Issue 15: a fixed notice (encryption, group created or renamed…) is nobody's, whoever it is
    // credited to; another event keeps the name it is credited to, as printed.
    expect(parse(text).map((message) => [message.author, message.kind])).toEqual([
      [null, 'system'],
      [null, 'system'],
      ['Book Club', 'system'],
      ['Ana', 'message'],
    ]);
  });

  it('lists authors in order of first appearance', () => {
    const {summary} = parseChatText(
      gb([
        {date: '2024-03-14T09:00', author: null, text: 'Ana added Rui'},
        {date: '2024-03-14T09:01', author: 'Rui', text: 'hi'},
        {date: '2024-03-14T09:02', author: 'Ana', text: 'hi'},
        {date: '2024-03-14T09:03', author: 'Rui', text: 'again'},
      ]),
      utc,
    );
    expect(summary.authors).toEqual(['Rui', 'Ana']);
  });
});

describe('rule 5: dates', () => {
  it('prints wall-clock time, seconds 00 when absent, 2-digit years as 20YY', () => {
    const us = parse('3/14/24, 9:05 PM - Ana: hi\n');
    expect(us[0]?.date).toBe('2024-03-14T21:05:00');
    const fi = parse('14.3.2024 klo 21.05.07 - Ana: hi\n');
    expect(fi[0]?.date).toBe('2024-03-14T21:05:07');
  });

  it('keeps file order when timestamps go backwards', () => {
    const messages = parse(
      gb([
        {date: '2024-03-14T09:00', author: 'Ana', text: 'one'},
        {date: '2024-03-14T08:00', author: 'Rui', text: 'two'},
        {date: '2024-03-13T23:00', author: 'Ana', text: 'three'},
        {date: '2024-03-14T09:30', author: 'Rui', text: 'four'},
      ]),
    );
    expect(messages.map((message) => [message.position, message.text, message.date])).toEqual([
      [0, 'one', '2024-03-14T09:00:00'],
      [1, 'two', '2024-03-14T08:00:00'],
      [2, 'three', '2024-03-13T23:00:00'],
      [3, 'four', '2024-03-14T09:30:00'],
    ]);
    const {summary} = parseChatText(
      gb([
        {date: '2024-03-14T09:00', author: 'A', text: 'x'},
        {date: '2024-03-13T09:00', author: 'A', text: 'y'},
      ]),
      utc,
    );
    expect([summary.firstDate, summary.lastDate]).toEqual(['2024-03-13T09:00:00', '2024-03-14T09:00:00']);
  });

  it('gives the UTC instant of the wall clock in the chosen zone', () => {
    const text = gb([{date: '2024-07-14T12:00', author: 'Ana', text: 'summer'}]);
    expect(parseChatText(text, {timezone: 'Europe/Lisbon'}).messages[0]?.instantMs).toBe(
      Date.UTC(2024, 6, 14, 11),
    );
    expect(parseChatText(text, {timezone: 'America/Sao_Paulo'}).messages[0]?.instantMs).toBe(
      Date.UTC(2024, 6, 14, 15),
    );
    expect(() => parseChatText(text, {timezone: 'Nowhere/Land'})).toThrowError(
      expect.objectContaining({exitCode: ExitCode.usage}),
    );
  });
});

describe('deciding the layout once per file', () => {
  function busyDays(days: number, perDay: number, month = '05'): FixtureMessage[] {
    const messages: FixtureMessage[] = [];
    for (let day = 1; day <= days; day += 1) {
      for (let index = 0; index < perDay; index += 1) {
        const minutes = index * 3;
        const time = `${String(8 + Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
        messages.push({
          date: `2024-${month}-${String(day).padStart(2, '0')}T${time}`,
          author: index % 2 ? 'Ana' : 'Rui',
          text: `d${day} m${index}`,
        });
      }
    }
    return messages;
  }

  it('keeps reading after 64 headers until a date past the 12th settles the order', () => {
    for (const layout of ['android-en-us', 'android-en-gb', 'ios-en-us', 'ios-de'] as const) {
      const messages = busyDays(14, 80);
      const {messages: parsed, summary} = parseChatText(buildChat({layout, messages}), utc);
      expect(summary.dateOrderBasis).toBe('part-over-12');
      expect(parsed).toHaveLength(messages.length);
      expect(parsed.map((message) => message.date.slice(0, 10))).toEqual(
        messages.map((message) => message.date.slice(0, 10)),
      );
    }
  });

  it('decides by movement over many headers when no day passes the 12th', () => {
    for (const layout of ['android-en-us', 'android-en-gb', 'ios-en-us', 'ios-de'] as const) {
      const messages = busyDays(12, 50, '03');
      const {messages: parsed, summary} = parseChatText(buildChat({layout, messages}), utc);
      expect(summary.dateOrderBasis).toBe('movement');
      expect(parsed.map((message) => message.date.slice(0, 10))).toEqual(
        messages.map((message) => message.date.slice(0, 10)),
      );
    }
  });

  it('gives the same messages through the stream as in memory when detection spans chunks', async () => {
    const text = buildChat({layout: 'android-en-us', messages: busyDays(14, 80)});
    const whole = parseChatText(text, utc).messages;
    const bytes = new TextEncoder().encode(text);
    async function* chunks() {
      for (let offset = 0; offset < bytes.length; offset += 777) yield bytes.subarray(offset, offset + 777);
    }
    const streamed = [];
    for await (const batch of parseChat(chunks(), utc)) streamed.push(...batch);
    expect(streamed).toEqual(whole);
  });
});

describe('rule 7: fail soft, report precisely', () => {
  it('names the file and shows its first lines when no layout is found', () => {
    expect(() => parseChatText('Dear diary,\ntoday nothing happened.\n\nBye', utc)).toThrowError(
      expect.objectContaining({
        exitCode: ExitCode.chatNotFound,
        message:
          'No WhatsApp chat layout found in "chat.txt": it starts with "Dear diary," / "today nothing happened." / "Bye".',
      }),
    );
  });

  it('refuses an empty chat', () => {
    expect(() => parseChatText('', utc)).toThrowError(
      expect.objectContaining({exitCode: ExitCode.chatNotFound}),
    );
    expect(() => parseChatText('\n\n', utc)).toThrowError(
      expect.objectContaining({exitCode: ExitCode.chatNotFound}),
    );
  });
});
