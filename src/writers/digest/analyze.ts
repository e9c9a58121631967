import type {ChatMessage} from '../../../schemas/message.js';
import {extractLinks} from './links.js';
import {readableText} from './message-text.js';
import {type Attendance, countParticipants} from './participants.js';
import {centralityScores, topDocuments} from './scoring.js';
import {buildTermIndex} from './term-index.js';
import {nameParts, termsOf} from './terms.js';
import {pickTopics} from './topics.js';

/** Five quotes read in about a minute and give the gist of a hundred messages. */
export const HIGHLIGHT_COUNT = 5;
/** Five tags: enough to find a post by subject, few enough to stay meaningful. */
export const TOPIC_COUNT = 5;

export interface DigestAnalysis {
  readonly attendance: Attendance;
  /** The most central text messages, in chat order. */
  readonly highlights: readonly ChatMessage[];
  readonly topics: readonly string[];
  readonly links: readonly string[];
}

/**
 * Everything the digest says about a window's text. Only ordinary text messages are scored and give
 * topics: system events, media markers, deleted messages, polls and locations are WhatsApp's words,
 * not the group's. Links are taken from every message.
 */
export function analyzeWindow(messages: readonly ChatMessage[]): DigestAnalysis {
  const attendance = countParticipants(messages);
  const excluded = new Set(attendance.participants.flatMap((participant) => nameParts(participant.name)));
  const scorable = messages.filter((message) => message.kind === 'message');
  const index = buildTermIndex(scorable.map((message) => termsOf(readableText(message), excluded)));
  const highlights = topDocuments(centralityScores(index), HIGHLIGHT_COUNT, (position) =>
    readableText(scorable[position] as ChatMessage),
  ).map((position) => scorable[position] as ChatMessage);
  return {
    attendance,
    highlights,
    topics: pickTopics(index, TOPIC_COUNT),
    links: extractLinks(messages.map(readableText)),
  };
}
