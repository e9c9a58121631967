import type {ChatMessage} from '../../../schemas/message.js';
import type {Window} from '../../../schemas/window.js';
import {buildWindow} from '../../../src/windows/build-window.js';
import {createDigestWriter} from '../../../src/writers/digest/digest-writer.js';
import type {MediaAccess, WriterOutput} from '../../../src/writers/writer.js';
import {BASE_MS, MINUTE_MS, wallClock} from '../../windows/fixtures.js';

export interface Line {
  readonly author: string | null;
  readonly text: string;
  readonly kind?: ChatMessage['kind'];
  readonly minutes?: number;
  readonly edited?: boolean;
  readonly attachment?: string;
  readonly attachmentPresent?: boolean;
}

/** Messages from short descriptions, one minute apart unless `minutes` says otherwise. */
export function messagesOf(lines: readonly Line[]): ChatMessage[] {
  return lines.map((line, position) => {
    const instantMs = BASE_MS + (line.minutes ?? position) * MINUTE_MS;
    return {
      position,
      date: wallClock(instantMs),
      instantMs,
      author: line.author,
      text: line.text,
      kind: line.kind ?? (line.author === null ? 'system' : 'message'),
      edited: line.edited ?? false,
      attachment: line.attachment ?? null,
      attachmentPresent: line.attachmentPresent ?? false,
    };
  });
}

export function windowOf(lines: readonly Line[], index = 0): Window {
  return buildWindow(index, messagesOf(lines));
}

export function mediaOf(files: Readonly<Record<string, Uint8Array>>): MediaAccess {
  return {
    has: (name) => Object.hasOwn(files, name),
    read: async (name) => (Object.hasOwn(files, name) ? (files[name] as Uint8Array) : null),
  };
}

export const NO_MEDIA: MediaAccess = mediaOf({});

export async function digest(
  window: Window,
  media: MediaAccess = NO_MEDIA,
  chat = {title: 'Garden club', windowCount: 12},
): Promise<WriterOutput> {
  return createDigestWriter().write({window, chat, media, signal: new AbortController().signal});
}

/** The only post of a digest output. */
export function onlyPost(output: WriterOutput) {
  if (output.posts.length !== 1) throw new Error(`expected one post, got ${output.posts.length}`);
  return output.posts[0] as WriterOutput['posts'][number];
}

/** The front matter text between the opening and closing `---`. */
export function frontMatterText(content: string): string {
  const match = /^---\n([\s\S]*?\n)---\n/.exec(content);
  if (match === null) throw new Error('no front matter');
  return match[1] as string;
}

export function bodyOf(content: string): string {
  return content.slice(content.indexOf('\n---\n') + 5);
}

/** The lines of a `## <heading>` section of the body. */
export function section(content: string, heading: string): string {
  const body = bodyOf(content);
  const start = body.indexOf(`\n## ${heading}\n`);
  if (start < 0) return '';
  const rest = body.slice(start + 1);
  const end = rest.indexOf('\n## ', 1);
  return end < 0 ? rest : rest.slice(0, end);
}
