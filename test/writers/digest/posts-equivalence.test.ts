import {describe, expect, it, vi} from 'vitest';
import {corpus, SCRIPT_PROFILES} from '../../../bench/fixtures/script-corpus.js';
import type {WriterOutput} from '../../../src/writers/writer.js';
import {type Line, NO_MEDIA, windowOf} from './harness.js';
import {legacyWordsOf} from './legacy-tokenize.js';

/**
 * Issue #14 changed how the digest finds words; the posts must stay byte for byte what they were.
 * The same windows of generated chats of every script profile are written twice in this process:
 * by the digest writer as it is, and by a fresh copy of it whose tokenizer is the one before the
 * change (legacyWordsOf, swapped in for wordsOf). Every post's path and content must be equal.
 */
const WINDOWS_PER_PROFILE = 12;
const WINDOW_MESSAGES = 100;
const AUTHORS = 40;

function windows() {
  return SCRIPT_PROFILES.flatMap((profile, profileIndex) => {
    const texts = corpus(profile, WINDOWS_PER_PROFILE * WINDOW_MESSAGES, 140 + profileIndex);
    return Array.from({length: WINDOWS_PER_PROFILE}, (_, index) => {
      const lines: Line[] = texts
        .slice(index * WINDOW_MESSAGES, (index + 1) * WINDOW_MESSAGES)
        .map((text, position) => ({author: `Member ${(position * 17 + index) % AUTHORS}`, text}));
      return windowOf(lines, profileIndex * WINDOWS_PER_PROFILE + index);
    });
  });
}

type Write = (window: ReturnType<typeof windowOf>) => Promise<WriterOutput>;

async function digestWriter(): Promise<Write> {
  const {createDigestWriter} = await import('../../../src/writers/digest/digest-writer.js');
  const writer = createDigestWriter();
  return (window) =>
    writer.write({
      window,
      chat: {title: 'Scripts', windowCount: SCRIPT_PROFILES.length * WINDOWS_PER_PROFILE},
      media: NO_MEDIA,
      signal: new AbortController().signal,
    });
}

const postsOf = (outputs: readonly WriterOutput[]) =>
  outputs.flatMap((output) => output.posts.map((post) => ({path: post.relativePath, content: post.content})));

describe('digest posts against the tokenizer before issue #14', () => {
  it('are byte-identical on generated Latin, Hebrew, Chinese, Japanese, Thai and mixed chats', async () => {
    const all = windows();
    const current = await digestWriter();
    const now = postsOf(await Promise.all(all.map(current)));

    vi.resetModules();
    vi.doMock('../../../src/writers/digest/tokenize.js', async (importOriginal) => ({
      ...(await importOriginal<typeof import('../../../src/writers/digest/tokenize.js')>()),
      wordsOf: legacyWordsOf,
    }));
    const swapped = await import('../../../src/writers/digest/tokenize.js');
    expect(swapped.wordsOf).toBe(legacyWordsOf);
    const legacy = await digestWriter();
    const before = postsOf(await Promise.all(all.map(legacy)));
    vi.doUnmock('../../../src/writers/digest/tokenize.js');

    expect(now).toHaveLength(SCRIPT_PROFILES.length * WINDOWS_PER_PROFILE);
    for (const [index, post] of now.entries()) expect(post).toEqual(before[index]);
  });
});
