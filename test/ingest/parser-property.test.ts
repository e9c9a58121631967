import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {isSystemCandidate} from '../../src/ingest/author.js';
import {probeHeader} from '../../src/ingest/layout.js';
import {parseChat, parseChatText} from '../../src/ingest/parser.js';
import {
  buildChat,
  expectedRecords,
  type FixtureMessage,
  formatHeader,
  LAYOUT_IDS,
  LAYOUTS,
  type LayoutId,
  LINE_ENDINGS,
} from '../fixtures/index.js';

/** Names that have broken parsers: emoji sequences, RTL, wrappers, separators WhatsApp itself uses. */
const TRICKY_NAMES = [
  'Ana',
  '👩‍👩‍👧‍👦 Family',
  '🏳️‍🌈',
  'שרה כהן',
  'محمد',
  '\u202a+351\u00a0912\u00a0345\u00a0678\u202c',
  '~\u202fMaria',
  'Jose\u0301 Mari\u0301a',
  'Ana - work',
  'Dr. Who?',
  'R2-D2',
  '𝔄𝔫𝔞',
  ' padded ',
  "O'Brien",
  'Robert "Bob" Smith',
];

/** Text lines that look like headers of some layout, arrows, separators, mentions and blank lines. */
const TRICKY_LINES = [
  '',
  ' ',
  '10:30 - coffee',
  'Name: not an author',
  ' - ',
  ': ',
  '@\u2068Ana\u2069 see above',
  '👨‍👩‍👧 ذهبنا إلى البحر',
  'e\u0301te\u0301',
  '<Media omitted>',
  'This message was deleted',
  '\u200eleading mark inside',
  ...LAYOUT_IDS.map((id) => `${formatHeader(id, '2023-08-12T21:05:09')}Bob: quoted from another chat`),
  ...LAYOUT_IDS.map((id) => `${formatHeader(id, '2023-02-03T04:05:06')}`),
];

const lineArb = fc.oneof(
  {weight: 3, arbitrary: fc.string({unit: 'grapheme', maxLength: 24})},
  {weight: 2, arbitrary: fc.constantFrom(...TRICKY_LINES)},
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom('a', ' ', ':', '-', '[', ']', '/', '.', ',', '0', '1', '2'),
      maxLength: 16,
    }),
  },
);
const textArb = fc.array(lineArb, {minLength: 1, maxLength: 5}).map((lines) => lines.join('\n'));
const authorArb = fc.oneof(
  fc.constantFrom(...TRICKY_NAMES),
  fc.string({unit: 'grapheme', minLength: 1, maxLength: 12}),
);

const BREAKS = /[\r\n]/;
const MARKS = /^[\u200e\u200f]/;

/** Whether a generated message can be written without changing its meaning under the reading rules. */
function writable(message: FixtureMessage): boolean {
  const lines = message.text.split('\n');
  if (lines.some((line) => line.includes('\r'))) return false;
  // Rule 1: a continuation line that is a whole header of any known layout starts a new record.
  if (lines.slice(1).some((line) => probeHeader(line) !== null)) return false;
  // Rule 3: a mark right after the header or "Name: " is the body marker, not text.
  if (MARKS.test(message.text)) return false;
  if (message.author === null) {
    // Rule 4: an author-less line with ": " on its first line, or ending in ":", reads as an author
    // (unless it is an event).
    const first = lines[0] ?? '';
    return !first.includes(': ') && !first.endsWith(':');
  }
  const author = message.author;
  return (
    author.length > 0 &&
    !author.includes(': ') &&
    !BREAKS.test(author) &&
    !MARKS.test(author) &&
    !author.startsWith('\ufeff') &&
    !isSystemCandidate(author)
  );
}

function datesArb(count: number) {
  return fc
    .tuple(
      fc.date({
        min: new Date(Date.UTC(2000, 0, 2)),
        max: new Date(Date.UTC(2097, 0, 1)),
        noInvalidDate: true,
      }),
      fc.array(fc.integer({min: -30, max: 3 * 24 * 60}), {minLength: count, maxLength: count}),
    )
    .map(([start, steps]) => {
      let at = Math.floor(start.getTime() / 1000) * 1000;
      return steps.map((minutes, index) => {
        // Mostly forward, sometimes a little backwards, as real chats go.
        at += minutes * 60_000 + ((index * 17) % 60) * 1000;
        return new Date(at).toISOString().slice(0, 19);
      });
    });
}

const chatArb = fc
  .record({
    layout: fc.constantFrom(...LAYOUT_IDS),
    lineEnding: fc.constantFrom(...LINE_ENDINGS),
    bom: fc.boolean(),
    bodies: fc.array(fc.record({author: fc.option(authorArb, {freq: 6}), text: textArb, lrm: fc.boolean()}), {
      minLength: 1,
      maxLength: 20,
    }),
  })
  .chain((chat) => datesArb(chat.bodies.length).map((dates) => ({...chat, dates})))
  .map(({layout, lineEnding, bom, bodies, dates}) => {
    const messages: FixtureMessage[] = bodies.map((body, index) => ({
      date: dates[index] ?? '2024-01-01T00:00:00',
      author: body.author,
      text: body.text,
      // The marker after "Name: " is framing: written or not, it must never reach the text.
      lrm: body.lrm,
    }));
    return {layout, lineEnding, bom, messages: messages.filter((message) => writable(message))};
  })
  .filter((chat) => chat.messages.length > 0);

describe('round trip: messages written in any layout parse back to themselves', () => {
  it('holds for generated chats (authors and texts with emoji ZWJ, RTL, ": ", " - ", blank lines)', async () => {
    await fc.assert(
      fc.asyncProperty(
        chatArb,
        fc.array(fc.nat(), {maxLength: 5}),
        async ({layout, lineEnding, bom, messages}, cuts) => {
          const text = buildChat({layout, messages, lineEnding, bom});
          const parsed = parseChatText(text, {timezone: 'UTC'});
          const expected = expectedRecords(layout, messages);
          expect(parsed.messages.map(({date, author, text: body}) => ({date, author, text: body}))).toEqual(
            expected,
          );
          expect(parsed.summary.layout).toBe(LAYOUTS[layout].header);

          const bytes = new TextEncoder().encode(text);
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          async function* chunks() {
            let previous = 0;
            for (const point of [...points, bytes.length]) {
              yield bytes.subarray(previous, point);
              previous = point;
            }
          }
          const streamed = [];
          for await (const batch of parseChat(chunks(), {timezone: 'UTC'})) streamed.push(...batch);
          expect(streamed).toEqual(parsed.messages);
        },
      ),
      {numRuns: Number(process.env.EGREGORA_PROPERTY_RUNS ?? 600)},
    );
  });
});

/**
 * Layouts that can share one file without contradicting each other: one day/month order (a file
 * whose own dates are day-first reads another day-first layout so) plus the year-first layouts.
 */
function layoutsWithOrder(order: 'DMY' | 'MDY'): LayoutId[] {
  return LAYOUT_IDS.filter((id) => LAYOUTS[id].order === order || LAYOUTS[id].order === 'YMD');
}

/** Moves a date to a day past the 12th (13-28 exists in every month), so every header is unambiguous. */
function pastTheTwelfth(date: string): string {
  const day = 13 + (Number(date.slice(8, 10)) % 16);
  return `${date.slice(0, 8)}${String(day).padStart(2, '0')}${date.slice(10)}`;
}

const mixedChatArb = fc
  .record({
    order: fc.constantFrom('DMY' as const, 'MDY' as const),
    lineEnding: fc.constantFrom(...LINE_ENDINGS),
    bodies: fc.array(fc.record({author: fc.option(authorArb, {freq: 6}), text: textArb, pick: fc.nat()}), {
      minLength: 2,
      maxLength: 20,
    }),
  })
  .chain((chat) => datesArb(chat.bodies.length).map((dates) => ({...chat, dates})))
  .map(({order, lineEnding, bodies, dates}) => {
    const layouts = layoutsWithOrder(order);
    const messages: FixtureMessage[] = bodies.map((body, index) => ({
      date: pastTheTwelfth(dates[index] ?? '2024-01-01T00:00:00'),
      author: body.author,
      text: body.text,
      layout: layouts[body.pick % layouts.length] as LayoutId,
    }));
    return {lineEnding, messages: messages.filter((message) => writable(message))};
  })
  .filter((chat) => chat.messages.length > 0);

describe('round trip: a file that changes layout from message to message', () => {
  it('gives every record back, each read in its own layout, and counts the lines in other layouts', () => {
    fc.assert(
      fc.property(mixedChatArb, ({lineEnding, messages}) => {
        const first = messages[0] as FixtureMessage;
        const layout = first.layout as LayoutId;
        const text = buildChat({layout, messages, lineEnding});
        const parsed = parseChatText(text, {timezone: 'UTC'});
        expect(parsed.messages.map(({date, author, text: body}) => ({date, author, text: body}))).toEqual(
          expectedRecords(layout, messages),
        );
        // Every header that is not in the file's layout is counted, and the first of them named: the
        // file's layout is one of those it holds (detection picks which), with the reported name.
        const keyOf = (message: FixtureMessage) =>
          probeHeader(formatHeader(message.layout as LayoutId, '2024-03-14T09:00:00'))?.key;
        const lineOf: number[] = [];
        let line = 1;
        for (const message of messages) {
          lineOf.push(line);
          line += message.text.split('\n').length;
        }
        const {layoutChanges} = parsed.summary;
        const fits = messages.some((candidate) => {
          if (LAYOUTS[candidate.layout as LayoutId].header !== parsed.summary.layout) return false;
          const main = keyOf(candidate);
          const others = messages.flatMap((message, index) => (keyOf(message) === main ? [] : [index]));
          const first = others[0];
          return (
            layoutChanges.lines === others.length &&
            layoutChanges.layouts ===
              new Set(others.map((index) => keyOf(messages[index] as FixtureMessage))).size &&
            (first === undefined ? layoutChanges.first === null : layoutChanges.first?.line === lineOf[first])
          );
        });
        expect(fits, JSON.stringify(layoutChanges)).toBe(true);
        expect(parsed.summary.headersKeptAsText.lines).toBe(0);
      }),
      {numRuns: Number(process.env.EGREGORA_PROPERTY_RUNS ?? 600)},
    );
  });
});
