import type {PostFrontMatter} from '../../../schemas/post.js';
import type {Window} from '../../../schemas/window.js';
import type {PostFile, Writer, WriterInput, WriterOutput} from '../writer.js';
import {analyzeOffThread} from './analysis-thread.js';
import type {DigestAnalysis} from './analyze.js';
import {renderFrontMatter} from './front-matter.js';
import {type HeadlineInput, slugFor, summaryFor, titleFor} from './headline.js';
import {collectMedia, type WindowMedia} from './media.js';
import {postPath} from './post-path.js';
import {renderBody} from './render-body.js';

export const DIGEST_WRITER_NAME = 'digest';

/**
 * The offline writer: one Markdown post per window (or part) with an extractive summary, topics,
 * links, media, participants and the time span. No network, no model, no clock: the same window
 * always gives the same bytes.
 */
export function createDigestWriter(): Writer {
  return {name: DIGEST_WRITER_NAME, write: writeDigest};
}

/**
 * `input.chat.title` is deliberately not written: a group's subject often names people, and posts
 * carry pseudonyms only.
 */
async function writeDigest(input: WriterInput): Promise<WriterOutput> {
  input.signal.throwIfAborted();
  const analysis = await analyzeOffThread(input.window.messages);
  const media = await collectMedia(input.window.messages, input.media, input.signal);
  return {
    posts: [composePost(input.window, input.chat.windowCount, analysis, media)],
    media: [...media.files],
    llmCalls: 0,
    tokens: 0,
    shortfalls: [...media.shortfalls],
  };
}

function composePost(
  window: Window,
  windowCount: number,
  analysis: DigestAnalysis,
  media: WindowMedia,
): PostFile {
  const date = window.firstDate.slice(0, 10);
  const headline: HeadlineInput = {
    topics: analysis.topics,
    windowIndex: window.index,
    part: window.part,
    date,
  };
  const frontMatter: PostFrontMatter = {
    title: titleFor(headline),
    slug: slugFor(headline),
    date,
    tags: [...analysis.topics],
    summary: summaryFor({
      messageCount: window.messages.length - analysis.attendance.systemEvents,
      participantCount: analysis.attendance.participants.length,
      firstDate: window.firstDate,
      lastDate: window.lastDate,
      topics: analysis.topics,
    }),
    authors: analysis.attendance.participants.map((participant) => participant.name),
    window: window.index,
  };
  if (window.part !== undefined) frontMatter.part = {index: window.part.index, count: window.part.count};
  const body = renderBody({
    title: frontMatter.title,
    summary: frontMatter.summary,
    window,
    windowCount,
    analysis,
    media,
  });
  return {
    relativePath: postPath(date, window.index, window.part, frontMatter.slug),
    content: `${renderFrontMatter(frontMatter)}\n${body}`,
    frontMatter,
  };
}
