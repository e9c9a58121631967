import type {ChatMessage} from '../../../schemas/message.js';
import type {Window} from '../../../schemas/window.js';
import type {DigestAnalysis} from './analyze.js';
import {plural, timeSpan, wallClockMinutes} from './headline.js';
import {autolink, blockquote, escapeMarkdownLine} from './markdown.js';
import type {WindowMedia} from './media.js';
import {excerpt, readableText} from './message-text.js';
import {linkFromPost} from './post-path.js';

/** A window of thousands of messages can share hundreds of links; past this the list stops helping. */
export const MAX_LISTED_LINKS = 100;

export interface BodyInput {
  readonly title: string;
  readonly summary: string;
  readonly window: Window;
  readonly windowCount: number;
  readonly analysis: DigestAnalysis;
  readonly media: WindowMedia;
}

/** The Markdown after the front matter: sections without content are left out. */
export function renderBody(input: BodyInput): string {
  const sections = [
    `# ${escapeMarkdownLine(input.title)}`,
    escapeMarkdownLine(input.summary),
    highlightsSection(input.analysis.highlights),
    topicsSection(input.analysis.topics),
    linksSection(input.analysis.links),
    mediaSection(input.media),
    participantsSection(input.analysis),
    timeSpanSection(input.window, input.windowCount),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function highlightsSection(highlights: readonly ChatMessage[]): string {
  if (highlights.length === 0) return '## Highlights\n\n_No text messages to quote in this window._';
  return ['## Highlights', ...highlights.map(quoteMessage)].join('\n\n');
}

function quoteMessage(message: ChatMessage): string {
  const edited = message.edited ? ' · edited' : '';
  const header = `**${escapeMarkdownLine(message.author ?? 'system')}** · ${wallClockMinutes(message.date)}${edited}`;
  return `${header}\n\n${blockquote(excerpt(readableText(message)))}`;
}

function topicsSection(topics: readonly string[]): string {
  if (topics.length === 0) return '';
  return `## Topics\n\n${topics.map(escapeMarkdownLine).join(' · ')}`;
}

function linksSection(links: readonly string[]): string {
  if (links.length === 0) return '';
  const listed = links.slice(0, MAX_LISTED_LINKS).map((link) => `- ${autolink(link)}`);
  const rest = links.length - listed.length;
  if (rest > 0) listed.push(`- …and ${plural(rest, 'more link')}`);
  return `## Links\n\n${listed.join('\n')}`;
}

/** The attachments of a window: images inline, other files linked, missing and withheld ones counted. */
export function mediaSection(media: WindowMedia): string {
  if (media.copied.length === 0 && media.missing.length === 0 && media.withheld === 0) return '';
  const parts = ['## Media'];
  for (const file of media.copied) {
    const label = escapeMarkdownLine(file.name);
    const target = linkFromPost(file.relativePath);
    parts.push(file.inline ? `![${label}](${target})` : `[${label}](${target})`);
  }
  if (media.missing.length > 0) {
    const names = media.missing.map((name) => `- ${escapeMarkdownLine(name)}`).join('\n');
    parts.push(`Referenced but not in the export:\n\n${names}`);
  }
  if (media.withheld > 0)
    parts.push(`${plural(media.withheld, 'contact card')} not published (they hold personal details).`);
  return parts.join('\n\n');
}

function participantsSection({attendance}: DigestAnalysis): string {
  const lines = attendance.participants.map(
    (participant) => `- ${escapeMarkdownLine(participant.name)}: ${plural(participant.messages, 'message')}`,
  );
  if (attendance.systemEvents > 0) lines.push(`- ${plural(attendance.systemEvents, 'system event')}`);
  if (lines.length === 0) return '';
  return `## Participants\n\n${lines.join('\n')}`;
}

/** Counted from 1 for readers; the front matter's `window` keeps the 0-based index the runs use. */
function timeSpanSection(window: Window, windowCount: number): string {
  const part = window.part === undefined ? '' : `, part ${window.part.index + 1} of ${window.part.count}`;
  return [
    '## Time span',
    `${timeSpan(window.firstDate, window.lastDate)} · ${plural(window.messages.length, 'message')} · window ${window.index + 1} of ${windowCount}${part}`,
  ].join('\n\n');
}
