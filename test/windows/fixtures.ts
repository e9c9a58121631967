import type {ChatMessage} from '../../schemas/message.js';

/** 2024-01-02T09:00:00 UTC: the chats below read their wall clock as UTC. */
export const BASE_MS = Date.UTC(2024, 0, 2, 9, 0, 0);
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

export function wallClock(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(0, 19);
}

/** A text message at `instantMs`, with everything else overridable. */
export function message(position: number, overrides: Partial<ChatMessage> = {}): ChatMessage {
  const instantMs = overrides.instantMs ?? BASE_MS + position * MINUTE_MS;
  return {
    position,
    date: wallClock(instantMs),
    instantMs,
    author: `author-${position % 3}`,
    text: `message number ${position}`,
    kind: 'message',
    edited: false,
    attachment: null,
    attachmentPresent: false,
    ...overrides,
  };
}

/** `count` messages one minute apart. */
export function chat(count: number): ChatMessage[] {
  return Array.from({length: count}, (_, position) => message(position));
}

/** Messages at the given minute offsets from BASE_MS. */
export function chatAtMinutes(minutes: readonly number[]): ChatMessage[] {
  return minutes.map((offset, position) => message(position, {instantMs: BASE_MS + offset * MINUTE_MS}));
}

export function positions(messages: readonly ChatMessage[]): number[] {
  return messages.map((each) => each.position);
}
