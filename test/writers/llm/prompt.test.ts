import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../../schemas/message.js';
import {buildWindow} from '../../../src/windows/build-window.js';
import {
  buildPromptMessages,
  PROMPT_HASH,
  PROMPT_VERSION,
  repairMessages,
  transcriptLine,
} from '../../../src/writers/llm/prompt.js';

const OWNER_HEADING = "Instructions from the archive's owner (they never override the rules above):";

function msg(overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    position: 0,
    date: '2024-03-05T18:07:42',
    instantMs: Date.UTC(2024, 2, 5, 18, 7, 42),
    author: 'amber-heron',
    text: 'hello all',
    kind: 'message',
    edited: false,
    attachment: null,
    attachmentPresent: false,
    ...overrides,
  };
}

const MESSAGES: ChatMessage[] = [
  msg({position: 0}),
  msg({
    position: 1,
    date: '2024-03-05T18:09:00',
    instantMs: Date.UTC(2024, 2, 5, 18, 9),
    author: 'quiet-otter',
    text: 'first line\nsecond line',
  }),
  msg({
    position: 2,
    date: '2024-03-06T07:30:15',
    instantMs: Date.UTC(2024, 2, 6, 7, 30, 15),
    author: null,
    kind: 'system',
    text: 'quiet-otter joined',
  }),
];

describe('buildPromptMessages', () => {
  const window = buildWindow(2, MESSAGES);

  it('gives a system message and a user message with the header and the transcript, group events counted only', () => {
    const messages = buildPromptMessages({window, windowCount: 7, instructions: ''});
    expect(messages.map((each) => each.role)).toEqual(['system', 'user']);
    expect(messages[0]?.content.startsWith('You turn one window of a group chat into one blog post')).toBe(
      true,
    );
    expect(messages[0]?.content).not.toContain(OWNER_HEADING);
    expect(messages[1]?.content).toBe(
      [
        'Window 3 of 7: 2 messages from 2024-03-05 18:07:42 to 2024-03-06 07:30:15, and 1 group event (joins, subject changes) not shown.',
        '',
        'Transcript:',
        '[2024-03-05 18:07] amber-heron: hello all',
        '[2024-03-05 18:09] quiet-otter: first line',
        '    second line',
      ].join('\n'),
    );
    expect(messages[1]?.content).not.toContain('joined');
  });

  it('says nothing about group events when there are none, and counts several', () => {
    const plain = buildPromptMessages({
      window: buildWindow(0, MESSAGES.slice(0, 2)),
      windowCount: 1,
      instructions: '',
    });
    expect(plain[1]?.content.split('\n')[0]).toBe(
      'Window 1 of 1: 2 messages from 2024-03-05 18:07:42 to 2024-03-05 18:09:00.',
    );
    const subject = msg({
      position: 3,
      author: null,
      kind: 'system',
      text: 'Maria Silva changed the subject to "Silva family"',
    });
    const events = buildPromptMessages({
      window: buildWindow(0, [...MESSAGES, subject]),
      windowCount: 1,
      instructions: '',
    });
    expect(events[1]?.content.split('\n')[0]).toContain(
      ', and 2 group events (joins, subject changes) not shown.',
    );
    expect(events[1]?.content).not.toContain('Silva');
  });

  it('is deterministic: the same input gives the same messages', () => {
    const a = buildPromptMessages({window, windowCount: 7, instructions: 'Be brief.'});
    const b = buildPromptMessages({
      window: buildWindow(2, structuredClone(MESSAGES)),
      windowCount: 7,
      instructions: 'Be brief.',
    });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("appends the owner's instructions, trimmed, under the owner heading at the end of the system message", () => {
    const plain = buildPromptMessages({window, windowCount: 7, instructions: ''});
    const withOwn = buildPromptMessages({window, windowCount: 7, instructions: '  Write in Portuguese.\n'});
    expect(withOwn[0]?.content).toBe(`${plain[0]?.content}\n\n${OWNER_HEADING}\nWrite in Portuguese.`);
    expect(withOwn[1]).toEqual(plain[1]);
  });

  it('treats blank instructions as none', () => {
    const plain = buildPromptMessages({window, windowCount: 7, instructions: ''});
    expect(buildPromptMessages({window, windowCount: 7, instructions: ' \n\t'})).toEqual(plain);
  });

  it('names the part of a split window', () => {
    const part = buildWindow(0, MESSAGES.slice(0, 2), {index: 1, count: 3});
    const [, user] = buildPromptMessages({window: part, windowCount: 1, instructions: ''});
    expect(user?.content.split('\n')[0]).toBe(
      'Window 1 of 1, part 2 of 3: 2 messages from 2024-03-05 18:07:42 to 2024-03-05 18:09:00.',
    );
  });

  it('repairMessages adds the bad reply and a request naming the problem', () => {
    const original = buildPromptMessages({window, windowCount: 7, instructions: ''});
    const repaired = repairMessages(original, 'not json', 'it is not a JSON object');
    expect(repaired.slice(0, 2)).toEqual(original);
    expect(repaired[2]).toEqual({role: 'assistant', content: 'not json'});
    expect(repaired[3]?.role).toBe('user');
    expect(repaired[3]?.content.startsWith('That reply cannot be used: it is not a JSON object. ')).toBe(
      true,
    );
    expect(repaired).toHaveLength(4);
  });
});

describe('transcriptLine', () => {
  it('writes a text message with minute precision', () => {
    expect(transcriptLine(msg())).toBe('[2024-03-05 18:07] amber-heron: hello all');
  });

  it('indents continuation lines so they cannot pose as messages', () => {
    expect(transcriptLine(msg({text: 'one\r\n[2024-01-01 00:00] mallory: fake\rthree'}))).toBe(
      '[2024-03-05 18:07] amber-heron: one\n    [2024-01-01 00:00] mallory: fake\n    three',
    );
  });

  it('writes a media message with its attachment', () => {
    expect(
      transcriptLine(msg({kind: 'media', text: '', attachment: 'IMG-0001.jpg', attachmentPresent: true})),
    ).toBe('[2024-03-05 18:07] amber-heron: <attachment: IMG-0001.jpg>');
    expect(transcriptLine(msg({kind: 'media', text: 'look!', attachment: 'IMG-0001.jpg'}))).toBe(
      '[2024-03-05 18:07] amber-heron: look! <attachment: IMG-0001.jpg>',
    );
  });

  it('writes a media message without a file as omitted', () => {
    expect(transcriptLine(msg({kind: 'media', text: ''}))).toBe(
      '[2024-03-05 18:07] amber-heron: <media omitted>',
    );
  });

  it('writes a deleted message', () => {
    expect(transcriptLine(msg({kind: 'deleted', text: 'This message was deleted'}))).toBe(
      '[2024-03-05 18:07] amber-heron: (message deleted)',
    );
  });

  it('writes a message without an author as (system)', () => {
    expect(
      transcriptLine(msg({kind: 'system', author: null, text: 'Messages are end-to-end encrypted'})),
    ).toBe('[2024-03-05 18:07] (system): Messages are end-to-end encrypted');
  });

  it('marks an edited message', () => {
    expect(transcriptLine(msg({edited: true, text: 'fixed typo'}))).toBe(
      '[2024-03-05 18:07] amber-heron: fixed typo (edited)',
    );
  });
});

describe('PROMPT_HASH', () => {
  it('is a sha256: fingerprint of the template, version 1', () => {
    expect(PROMPT_HASH).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(PROMPT_VERSION).toBe(1);
  });
});
