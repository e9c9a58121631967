import type {WindowPart} from '../../../schemas/window.js';
import {slugify} from './slug.js';

/** Three topics make a title that fits a line and says what the window was about. */
export const TITLE_TOPICS = 3;

export interface HeadlineInput {
  readonly topics: readonly string[];
  readonly windowIndex: number;
  readonly part: WindowPart | undefined;
  /** `YYYY-MM-DD` of the window's first message. */
  readonly date: string;
}

/** "Garden · tomatoes · watering", or "Conversation of 2024-01-02" without topics; parts say which. */
export function titleFor({topics, part, date}: HeadlineInput): string {
  const head = topics.slice(0, TITLE_TOPICS);
  const base =
    head.length === 0
      ? `Conversation of ${date}`
      : [capitalize(head[0] as string), ...head.slice(1)].join(' · ');
  return part === undefined ? base : `${base} (part ${part.index + 1} of ${part.count})`;
}

/** The title's topics as ASCII, else `window-<index>`; split parts add `-part-<n>` (1-based). */
export function slugFor({topics, windowIndex, part}: HeadlineInput): string {
  const base = slugify(topics.slice(0, TITLE_TOPICS).join(' ')) || `window-${windowIndex}`;
  return part === undefined ? base : `${base}-part-${part.index + 1}`;
}

export interface SummaryInput {
  readonly messageCount: number;
  readonly participantCount: number;
  /** Wall-clock `YYYY-MM-DDTHH:MM:SS` of the first and last message. */
  readonly firstDate: string;
  readonly lastDate: string;
  readonly topics: readonly string[];
}

/** One line: "42 messages from 5 participants, 2024-01-02 09:00–18:30, about garden, tomatoes." */
export function summaryFor(input: SummaryInput): string {
  const about = input.topics.length === 0 ? '' : `, about ${input.topics.join(', ')}`;
  return `${plural(input.messageCount, 'message')} from ${plural(input.participantCount, 'participant')}, ${timeSpan(input.firstDate, input.lastDate)}${about}.`;
}

/** "2024-01-02 09:00–18:30" within a day, "2024-01-02 09:00 – 2024-01-03 10:15" across days. */
export function timeSpan(firstDate: string, lastDate: string): string {
  const first = wallClockMinutes(firstDate);
  if (firstDate.slice(0, 10) === lastDate.slice(0, 10)) return `${first}–${lastDate.slice(11, 16)}`;
  return `${first} – ${wallClockMinutes(lastDate)}`;
}

/** `YYYY-MM-DD HH:MM` from `YYYY-MM-DDTHH:MM:SS`. */
export function wallClockMinutes(date: string): string {
  return `${date.slice(0, 10)} ${date.slice(11, 16)}`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function capitalize(word: string): string {
  const first = String.fromCodePoint(word.codePointAt(0) as number);
  return first.toUpperCase() + word.slice(first.length);
}
