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

/** What the analysis reads of a message: all a worker thread needs to be sent. */
export type AnalyzedMessage = Pick<ChatMessage, 'kind' | 'author' | 'text' | 'edited'>;

/** The fields of AnalyzedMessage, copied out of a full message. */
export function analyzedMessage({kind, author, text, edited}: AnalyzedMessage): AnalyzedMessage {
  return {kind, author, text, edited};
}

/**
 * A DigestAnalysis that names its highlights by position in the window's messages instead of by
 * reference: plain data, so it can cross a worker thread and be resolved against the window there.
 */
export interface PortableAnalysis extends Omit<DigestAnalysis, 'highlights'> {
  readonly highlightPositions: readonly number[];
}

/**
 * Everything the digest says about a window's text. Only ordinary text messages are scored and give
 * topics: system events, media markers, deleted messages, polls and locations are WhatsApp's words,
 * not the group's. Links are taken from every message.
 */
export function analyzeWindow(messages: readonly ChatMessage[]): DigestAnalysis {
  return resolveAnalysis(messages, analyzePortably(messages));
}

/** analyzeWindow's work, with highlights as positions (see PortableAnalysis). */
export function analyzePortably(messages: readonly AnalyzedMessage[]): PortableAnalysis {
  const attendance = countParticipants(messages);
  const excluded = new Set(attendance.participants.flatMap((participant) => nameParts(participant.name)));
  const scorable: number[] = [];
  for (const [position, message] of messages.entries())
    if (message.kind === 'message') scorable.push(position);
  const textAt = (position: number) => readableText(messages[position] as AnalyzedMessage);
  const index = buildTermIndex(scorable.map((position) => termsOf(textAt(position), excluded)));
  const central = topDocuments(centralityScores(index), HIGHLIGHT_COUNT, (document) =>
    textAt(scorable[document] as number),
  ).map((document) => scorable[document] as number);
  const highlightPositions = central.length > 0 ? central : fallbackHighlight(scorable, textAt);
  return {
    attendance,
    highlightPositions,
    topics: pickTopics(index, TOPIC_COUNT),
    links: extractLinks(messages.map(readableText)),
  };
}

/**
 * The quote of a window whose text messages share no word (two messages about different things, or
 * only emoji): centrality scores them all 0, yet the window did say something. Its longest text
 * message stands for it, the first of the longest on a tie; none only when it has no text message.
 */
function fallbackHighlight(scorable: readonly number[], textAt: (position: number) => string): number[] {
  let best: number | undefined;
  let bestLength = -1;
  for (const position of scorable) {
    const length = [...textAt(position).trim()].length;
    if (length > bestLength) {
      best = position;
      bestLength = length;
    }
  }
  return best === undefined ? [] : [best];
}

/** The analysis with its highlights as the window's own message objects. */
export function resolveAnalysis(
  messages: readonly ChatMessage[],
  portable: PortableAnalysis,
): DigestAnalysis {
  const {highlightPositions, ...rest} = portable;
  return {...rest, highlights: highlightPositions.map((position) => messages[position] as ChatMessage)};
}
