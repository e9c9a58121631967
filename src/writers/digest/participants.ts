import type {ChatMessage} from '../../../schemas/message.js';
import {compareCodePoints} from './code-point-order.js';

export interface Participant {
  readonly name: string;
  readonly messages: number;
}

export interface Attendance {
  /** Most messages first, then by code point of the pseudonym. */
  readonly participants: readonly Participant[];
  /** System events (joins, subject changes…): counted, never attributed to anyone. */
  readonly systemEvents: number;
}

/** Who wrote in the window and how much; every non-system message with an author counts. */
export function countParticipants(messages: readonly Pick<ChatMessage, 'kind' | 'author'>[]): Attendance {
  const counts = new Map<string, number>();
  let systemEvents = 0;
  for (const message of messages) {
    if (message.kind === 'system') systemEvents++;
    else if (message.author !== null) counts.set(message.author, (counts.get(message.author) ?? 0) + 1);
  }
  const participants = [...counts].map(([name, total]) => ({name, messages: total}));
  participants.sort((a, b) => b.messages - a.messages || compareCodePoints(a.name, b.name));
  return {participants, systemEvents};
}
