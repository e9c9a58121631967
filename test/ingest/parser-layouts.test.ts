import {describe, expect, it} from 'vitest';
import {ChatMessageSchema, ParseJsonLineSchema} from '../../schemas/message.js';
import {ParseSummarySchema} from '../../schemas/parse.js';
import {parseChatText} from '../../src/ingest/parser.js';
import {
  buildChat,
  datesFrom,
  expectedDate,
  type FixtureMessage,
  type KindSample,
  kindSamples,
  LAYOUT_IDS,
  LAYOUTS,
  type LayoutId,
  LINE_ENDINGS,
} from '../fixtures/index.js';

const PERSON = 'Alice Smith';
const GROUP = 'Book Club';

function sampleMessages(samples: readonly KindSample[]): FixtureMessage[] {
  const dates = datesFrom('2024-03-14T09:00', samples.length);
  return samples.map((sample, index) => ({
    date: dates[index] ?? '',
    author: sample.author === 'person' ? PERSON : sample.author === 'group' ? GROUP : null,
    text: sample.text,
    lrm: sample.lrm ?? false,
    lrmBeforeHeader: sample.lrmBeforeHeader ?? false,
  }));
}

describe.each(LAYOUT_IDS)('layout %s', (id: LayoutId) => {
  const layout = LAYOUTS[id];
  const samples = kindSamples(layout.platform);
  const messages = sampleMessages(samples);

  it.each(LINE_ENDINGS)('reads every message kind with %s line endings', (lineEnding) => {
    const text = buildChat({layout, messages, lineEnding});
    const {messages: parsed, summary} = parseChatText(text, {timezone: 'UTC', fileName: 'chat.txt'});
    expect(parsed).toHaveLength(samples.length);
    parsed.forEach((message, index) => {
      const sample = samples[index] as KindSample;
      const fixture = messages[index] as FixtureMessage;
      expect(ChatMessageSchema.parse(message)).toEqual(message);
      expect(message.position).toBe(index);
      expect({label: sample.label, date: message.date, author: message.author, text: message.text}).toEqual({
        label: sample.label,
        date: expectedDate(layout, fixture.date),
        author: sample.notice ? null : fixture.author,
        text: sample.text,
      });
      expect({
        label: sample.label,
        kind: message.kind,
        attachment: message.attachment,
        edited: message.edited,
      }).toEqual({
        label: sample.label,
        kind: sample.kind,
        attachment: sample.attachment,
        edited: sample.edited,
      });
      expect(message.text).not.toContain('\r');
    });
    expect(ParseSummarySchema.parse(summary)).toEqual(summary);
    expect(summary.layout).toBe(layout.header);
    expect(summary.platform).toBe(layout.platform);
    expect(summary.dateOrder).toBe(layout.order);
    expect(summary.clock).toBe(layout.clock);
    expect(summary.messages).toBe(samples.length);
  });

  it('reads the file the same with a BOM, and the JSON lines fit the schema', () => {
    const plain = parseChatText(buildChat({layout, messages}), {timezone: 'UTC'}).messages;
    const withBom = parseChatText(buildChat({layout, messages, bom: true}), {timezone: 'UTC'}).messages;
    expect(withBom).toEqual(plain);
    for (const message of plain) {
      const line = {
        date: message.date,
        author: message.author,
        text: message.text,
        kind: message.kind,
        edited: message.edited,
        attachment: message.attachment,
      };
      expect(ParseJsonLineSchema.parse(JSON.parse(JSON.stringify(line)))).toEqual(line);
    }
  });

  it('decides the day/month order from movement when every day is ≤ 12', () => {
    const dates = Array.from(
      {length: 12},
      (_, index) => `2024-05-${String(index + 1).padStart(2, '0')}T10:0${index % 10}:00`,
    );
    const text = buildChat({
      layout,
      messages: dates.map((date, index) => ({
        date,
        author: index % 2 === 0 ? 'Ana' : 'Rui',
        text: `day ${index + 1}`,
      })),
    });
    const {messages: parsed, summary} = parseChatText(text, {timezone: 'UTC'});
    expect(parsed.map((message) => message.date)).toEqual(dates.map((date) => expectedDate(layout, date)));
    expect(summary.dateOrder).toBe(layout.order);
    expect(summary.dateOrderBasis).toBe(layout.order === 'YMD' ? 'year-first' : 'movement');
  });
});

describe('attachments', () => {
  it('marks an attachment present when the archive holds its file', () => {
    const text = buildChat({
      layout: 'android-en-gb',
      messages: [
        {date: '2024-03-14T09:00', author: 'Ana', lrm: true, text: 'IMG-20240314-WA0001.jpg (file attached)'},
        {date: '2024-03-14T09:01', author: 'Ana', lrm: true, text: 'IMG-20240314-WA0002.jpg (file attached)'},
        {date: '2024-03-14T09:02', author: 'Ana', text: 'no attachment'},
      ],
    });
    const held = new Set(['IMG-20240314-WA0001.jpg']);
    const {messages, summary} = parseChatText(text, {timezone: 'UTC', hasMedia: (name) => held.has(name)});
    expect(messages.map((message) => [message.attachment, message.attachmentPresent])).toEqual([
      ['IMG-20240314-WA0001.jpg', true],
      ['IMG-20240314-WA0002.jpg', false],
      [null, false],
    ]);
    expect(summary.attachments).toEqual({
      referenced: 2,
      present: 1,
      missing: ['IMG-20240314-WA0002.jpg'],
      missingCount: 1,
    });
  });
});
