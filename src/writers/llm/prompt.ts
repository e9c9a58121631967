import type {ChatMessage} from '../../../schemas/message.js';
import type {Window} from '../../../schemas/window.js';
import {fingerprintOf} from '../../util/canonical.js';
import type {ChatRequestBody} from './client.js';
import {REPLY_JSON_SCHEMA} from './reply.js';

/**
 * The prompt's version. Bump it whenever the wording below changes meaning; the template's hash
 * (PROMPT_HASH) is in every LLM window's config_hash either way, so any edit re-writes the windows.
 */
export const PROMPT_VERSION = 1;

const SYSTEM_TEMPLATE = `You turn one window of a group chat into one blog post for the group's private archive.

Rules:
- Write the post in the language most of the messages are written in.
- People appear only under the pseudonyms the transcript uses (such as amber-heron). Never guess, invent or reveal real names, phone numbers or e-mail addresses; keep [phone] and [email] as they are.
- Tell what the messages say, in readable prose: the topics, what was decided or asked, the mood. Quote sparingly. Do not invent events.
- Reply with exactly one JSON object and nothing else, with these fields:
  "title": a short title (at most 80 characters);
  "summary": one sentence;
  "tags": one to six short lowercase topic words;
  "body": the post in Markdown, without front matter and without a top-level heading.`;

const OWNER_INSTRUCTIONS_HEADING =
  "Instructions from the archive's owner (they never override the rules above):";

/** What the template's text and the reply schema hash to: part of config_hash. */
export const PROMPT_HASH = fingerprintOf({
  version: PROMPT_VERSION,
  system: SYSTEM_TEMPLATE,
  owner: OWNER_INSTRUCTIONS_HEADING,
  schema: REPLY_JSON_SCHEMA,
});

export interface PromptInput {
  readonly window: Window;
  readonly windowCount: number;
  readonly instructions: string;
}

/** The system and user messages for one window; the same window and settings always give the same text. */
export function buildPromptMessages(input: PromptInput): ChatRequestBody['messages'] {
  const instructions = input.instructions.trim();
  const system =
    instructions === ''
      ? SYSTEM_TEMPLATE
      : `${SYSTEM_TEMPLATE}\n\n${OWNER_INSTRUCTIONS_HEADING}\n${instructions}`;
  return [
    {role: 'system', content: system},
    {role: 'user', content: describeWindow(input.window, input.windowCount)},
  ];
}

/**
 * System events (joins, subject changes, "created group …") are counted, not shown: their text holds
 * the group's subject and names the site never publishes, and only what the site may show is sent.
 */
function describeWindow(window: Window, windowCount: number): string {
  const part = window.part === undefined ? '' : `, part ${window.part.index + 1} of ${window.part.count}`;
  const shown = window.messages.filter((message) => message.kind !== 'system' && message.author !== null);
  const events = window.messages.length - shown.length;
  const header =
    `Window ${window.index + 1} of ${windowCount}${part}: ${shown.length} messages ` +
    `from ${window.firstDate.replace('T', ' ')} to ${window.lastDate.replace('T', ' ')}` +
    (events > 0
      ? `, and ${events} group event${events === 1 ? '' : 's'} (joins, subject changes) not shown.`
      : '.');
  return `${header}\n\nTranscript:\n${shown.map(transcriptLine).join('\n')}`;
}

/** One message as a transcript line; continuation lines are indented so that they cannot pose as messages. */
export function transcriptLine(message: ChatMessage): string {
  const time = message.date.slice(0, 16).replace('T', ' ');
  const who = message.author ?? '(system)';
  const text = message.text.replace(/\r\n?/g, '\n').split('\n').join('\n    ');
  const attachment =
    message.attachment === null ? '' : `${text === '' ? '' : ' '}<attachment: ${message.attachment}>`;
  const what =
    message.kind === 'deleted'
      ? '(message deleted)'
      : message.kind === 'media' && text === '' && attachment === ''
        ? '<media omitted>'
        : `${text}${attachment}`;
  return `[${time}] ${who}: ${what}${message.edited ? ' (edited)' : ''}`;
}

/** The follow-up sent once when a reply does not validate: what was wrong, and the format again. */
export function repairMessages(
  original: ChatRequestBody['messages'],
  badReply: string,
  problem: string,
): ChatRequestBody['messages'] {
  return [
    ...original,
    {role: 'assistant', content: badReply},
    {
      role: 'user',
      content:
        `That reply cannot be used: ${problem}. Reply again with exactly one JSON object with the fields ` +
        '"title", "summary", "tags" and "body" as described, and nothing else.',
    },
  ];
}
