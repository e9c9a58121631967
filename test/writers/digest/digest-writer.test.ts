import {createHash} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {PostFrontMatterSchema, SLUG_PATTERN, WriterOutputSchema} from '../../../schemas/post.js';
import {splitWindow} from '../../../src/windows/index.js';
import {createDigestWriter} from '../../../src/writers/digest/digest-writer.js';
import {
  bodyOf,
  digest,
  frontMatterText,
  type Line,
  mediaOf,
  NO_MEDIA,
  onlyPost,
  section,
  windowOf,
} from './harness.js';
import {readYamlSubset} from './yaml-subset-reader.js';

const GARDEN: Line[] = [
  {author: null, text: 'amber-heron added coral-fox'},
  {author: 'amber-heron', text: 'Who can water the tomatoes in the community garden on Sunday?'},
  {author: 'coral-fox', text: 'I can water the garden on Sunday morning, the tomatoes look thirsty'},
  {author: 'jade-owl', text: 'Has anyone seen my bicycle pump?'},
  {author: 'amber-heron', text: 'The garden hose is broken, we need a new hose for the tomatoes'},
  {
    author: 'coral-fox',
    text: 'New hose: https://shop.example.com/hose?id=3 and https://shop.example.com/hose?id=3.',
  },
  {author: 'jade-owl', text: 'ok'},
  {
    author: 'amber-heron',
    text: 'Tomatoes and garden beds need water every morning <This message was edited>',
    edited: true,
  },
  {author: 'coral-fox', text: 'Map: https://maps.example.org/?q=garden', kind: 'location'},
];

describe('digest writer: the post', () => {
  it('returns one post, no LLM use, and an output the pipeline accepts', async () => {
    const output = await digest(windowOf(GARDEN, 3));
    expect(output.posts).toHaveLength(1);
    expect(output.llmCalls).toBe(0);
    expect(output.tokens).toBe(0);
    expect(output.shortfalls).toEqual([]);
    expect(() => WriterOutputSchema.parse(output)).not.toThrow();
    expect(createDigestWriter().name).toBe('digest');
  });

  it('writes front matter that is valid YAML and matches the schema', async () => {
    const post = onlyPost(await digest(windowOf(GARDEN, 3)));
    const parsed = readYamlSubset(frontMatterText(post.content));
    expect(parsed).toEqual(post.frontMatter);
    expect(PostFrontMatterSchema.parse(parsed)).toEqual(post.frontMatter);
    expect(Object.keys(parsed)).toEqual(['title', 'slug', 'date', 'tags', 'summary', 'authors', 'window']);
    expect(post.frontMatter).toMatchObject({
      title: 'Tomatoes · garden · water',
      slug: 'tomatoes-garden-water',
      date: '2024-01-02',
      window: 3,
      authors: ['amber-heron', 'coral-fox', 'jade-owl'],
    });
    expect(post.frontMatter.tags.slice(0, 3)).toEqual(['tomatoes', 'garden', 'water']);
    expect(post.frontMatter.summary).toMatch(
      /^8 messages from 3 participants, 2024-01-02 09:00–09:08, about tomatoes, garden, water/,
    );
    expect(post.frontMatter.part).toBeUndefined();
    expect(post.relativePath).toBe('posts/2024-01-02-w0003-tomatoes-garden-water.md');
    expect(post.content.startsWith('---\ntitle: "Tomatoes · garden · water"\n')).toBe(true);
  });

  it('orders authors by message count, then by code point', async () => {
    const post = onlyPost(
      await digest(
        windowOf([
          {author: 'zinc-wolf', text: 'one'},
          {author: 'zinc-wolf', text: 'two'},
          {author: 'birch-lynx', text: 'three'},
          {author: 'ash-moth', text: 'four'},
          {author: 'Émile-owl', text: 'five'},
        ]),
      ),
    );
    expect(post.frontMatter.authors).toEqual(['zinc-wolf', 'ash-moth', 'birch-lynx', 'Émile-owl']);
  });

  it('is byte-identical across runs and writer instances', async () => {
    const first = await digest(windowOf(GARDEN, 3));
    const second = await createDigestWriter().write({
      window: structuredClone(windowOf(GARDEN, 3)),
      chat: {title: 'Garden club', windowCount: 12},
      media: NO_MEDIA,
      signal: new AbortController().signal,
    });
    expect(onlyPost(second).content).toBe(onlyPost(first).content);
    expect(onlyPost(second).relativePath).toBe(onlyPost(first).relativePath);
  });

  it('quotes the most central messages in chronological order, with pseudonym and time', async () => {
    const post = onlyPost(await digest(windowOf(GARDEN)));
    const highlights = section(post.content, 'Highlights');
    const headers = [...highlights.matchAll(/^\*\*(.+?)\*\* · (\S+ \S+)/gm)].map(
      (match) => `${match[1]} ${match[2]}`,
    );
    expect(headers.length).toBeGreaterThanOrEqual(3);
    expect(headers).toEqual([...headers].sort((a, b) => a.slice(-16).localeCompare(b.slice(-16))));
    expect(highlights).toContain('> Who can water the tomatoes in the community garden on Sunday?');
    expect(highlights).toContain('**amber-heron** · 2024-01-02 09:01');
    expect(highlights).not.toContain('bicycle');
    expect(highlights).not.toMatch(/^> ok$/m);
    expect(highlights).not.toContain('added coral-fox');
  });

  it('shows edited messages without WhatsApp’s marker', async () => {
    const post = onlyPost(await digest(windowOf(GARDEN)));
    const highlights = section(post.content, 'Highlights');
    expect(highlights).toContain('**amber-heron** · 2024-01-02 09:07 · edited');
    expect(post.content).not.toContain('This message was edited');
  });

  it('lists topics and the links shared, without repeats, in order', async () => {
    const post = onlyPost(await digest(windowOf(GARDEN)));
    expect(section(post.content, 'Topics')).toContain('tomatoes · garden · water');
    expect(section(post.content, 'Links')).toBe(
      '## Links\n\n- <https://shop.example.com/hose?id=3>\n- <https://maps.example.org/?q=garden>\n',
    );
  });

  it('counts participants and system events, and gives the time span', async () => {
    const post = onlyPost(await digest(windowOf(GARDEN, 3)));
    expect(section(post.content, 'Participants')).toBe(
      '## Participants\n\n- amber-heron: 3 messages\n- coral-fox: 3 messages\n- jade-owl: 2 messages\n- 1 system event\n',
    );
    expect(section(post.content, 'Time span')).toBe(
      '## Time span\n\n2024-01-02 09:00–09:08 · 9 messages · window 4 of 12\n',
    );
  });

  it('spans days in the time span when the window does', async () => {
    const post = onlyPost(
      await digest(
        windowOf([
          {author: 'a-b', text: 'late', minutes: 0},
          {author: 'a-b', text: 'next day', minutes: 24 * 60 + 5},
        ]),
      ),
    );
    expect(section(post.content, 'Time span')).toContain('2024-01-02 09:00 – 2024-01-03 09:05');
  });

  it('never contains a run id or anything that looks like a UUID', async () => {
    const post = onlyPost(await digest(windowOf(GARDEN)));
    expect(post.content).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      createDigestWriter().write({
        window: windowOf(GARDEN),
        chat: {title: null, windowCount: 1},
        media: NO_MEDIA,
        signal: controller.signal,
      }),
    ).rejects.toThrow('stop');
  });
});

describe('digest writer: media', () => {
  const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46]);
  const hash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const lines: Line[] = [
    {
      author: 'amber-heron',
      text: 'IMG-1.jpg (file attached)',
      kind: 'media',
      attachment: 'IMG-1.JPG',
      attachmentPresent: true,
    },
    {
      author: 'coral-fox',
      text: 'same photo',
      kind: 'media',
      attachment: 'IMG-copy.jpg',
      attachmentPresent: true,
    },
    {
      author: 'coral-fox',
      text: 'minutes.pdf',
      kind: 'media',
      attachment: 'minutes [draft].pdf',
      attachmentPresent: true,
    },
    {
      author: 'jade-owl',
      text: '<Media omitted>',
      kind: 'media',
      attachment: 'PTT-0001.opus',
      attachmentPresent: false,
    },
    {author: 'jade-owl', text: 'again', kind: 'media', attachment: 'IMG-1.JPG', attachmentPresent: true},
  ];

  it('copies attachments under content-hash names with identical bytes, once per content', async () => {
    const output = await digest(
      windowOf(lines),
      mediaOf({'IMG-1.JPG': photo, 'IMG-copy.jpg': photo, 'minutes [draft].pdf': pdf}),
    );
    expect(output.media.map((file) => file.relativePath)).toEqual([
      `media/${hash(photo)}.jpg`,
      `media/${hash(pdf)}.pdf`,
    ]);
    expect(output.media[0]?.bytes).toEqual(photo);
    expect(output.media[1]?.bytes).toEqual(pdf);
    expect(output.shortfalls).toEqual([]);
    const media = section(onlyPost(output).content, 'Media');
    expect(media).toContain(`![IMG-1.JPG](../media/${hash(photo)}.jpg)`);
    expect(media).toContain(`![IMG-copy.jpg](../media/${hash(photo)}.jpg)`);
    expect(media).toContain(`[minutes \\[draft\\].pdf](../media/${hash(pdf)}.pdf)`);
    expect(media).not.toContain('![minutes');
  });

  it('lists attachments missing from the export by name, without a shortfall', async () => {
    const output = await digest(
      windowOf(lines),
      mediaOf({'IMG-1.JPG': photo, 'IMG-copy.jpg': photo, 'minutes [draft].pdf': pdf}),
    );
    expect(section(onlyPost(output).content, 'Media')).toContain(
      'Referenced but not in the export:\n\n- PTT-0001.opus',
    );
    expect(output.shortfalls).toEqual([]);
  });

  it('declares a shortfall when an attachment the export held cannot be read', async () => {
    const broken = {
      has: (name: string) => name !== 'IMG-copy.jpg',
      read: async (name: string) => {
        if (name === 'IMG-1.JPG') throw new Error('CRC mismatch');
        return name === 'minutes [draft].pdf' ? null : pdf;
      },
    };
    const output = await digest(windowOf(lines), broken);
    expect(output.media).toEqual([]);
    expect(output.shortfalls).toHaveLength(3);
    expect(output.shortfalls.join('\n')).toContain('CRC mismatch');
    const media = section(onlyPost(output).content, 'Media');
    for (const name of ['IMG-1.JPG', 'IMG-copy.jpg', 'minutes \\[draft\\].pdf', 'PTT-0001.opus']) {
      expect(media).toContain(`- ${name}`);
    }
  });

  it('gives files without a usable extension a .bin name', async () => {
    const output = await digest(
      windowOf([
        {author: 'a-b', text: 'x', kind: 'media', attachment: 'contact card', attachmentPresent: true},
      ]),
      mediaOf({'contact card': pdf}),
    );
    expect(output.media[0]?.relativePath).toBe(`media/${hash(pdf)}.bin`);
  });
});

describe('digest writer: any language and script', () => {
  it('finds topics in Chinese and falls back to window-<index> for the slug', async () => {
    const post = onlyPost(
      await digest(
        windowOf(
          [
            {author: 'amber-heron', text: '明天我们去公园浇水'},
            {author: 'coral-fox', text: '公园的番茄需要浇水'},
            {author: 'jade-owl', text: '我明天不能去公园'},
          ],
          5,
        ),
      ),
    );
    expect(post.frontMatter.tags).toContain('公园');
    expect(post.frontMatter.title.startsWith('公园')).toBe(true);
    expect(post.frontMatter.slug).toBe('window-5');
    expect(post.relativePath).toBe('posts/2024-01-02-w0005-window-5.md');
    expect(readYamlSubset(frontMatterText(post.content))).toEqual(post.frontMatter);
  });

  it('finds topics in Arabic and keeps right-to-left text valid in YAML', async () => {
    const post = onlyPost(
      await digest(
        windowOf([
          {author: 'amber-heron', text: 'الحديقة جميلة اليوم'},
          {author: 'coral-fox', text: 'نعم الحديقة جميلة جدا'},
        ]),
      ),
    );
    expect(post.frontMatter.tags.slice(0, 2)).toEqual(['الحديقة', 'جميلة']);
    expect(post.frontMatter.slug).toBe('window-0');
    expect(readYamlSubset(frontMatterText(post.content))).toEqual(post.frontMatter);
  });

  it('handles an emoji-only window with a dated title, no topics, and its longest message quoted', async () => {
    const post = onlyPost(
      await digest(
        windowOf(
          [
            {author: 'amber-heron', text: '👍🏽🎉'},
            {author: 'coral-fox', text: '👨‍👩‍👧 ❤️'},
          ],
          2,
        ),
      ),
    );
    expect(post.frontMatter.tags).toEqual([]);
    expect(post.frontMatter.title).toBe('Conversation of 2024-01-02');
    expect(post.frontMatter.slug).toBe('window-2');
    // Issue 15: text messages that share no word are still quoted (here the longer of the two).
    expect(section(post.content, 'Highlights')).toBe(
      '## Highlights\n\n**coral-fox** · 2024-01-02 09:01\n\n> 👨‍👩‍👧 ❤️\n',
    );
  });

  it('quotes a window of text messages that share no word (issue 15): the longest, the first on a tie', async () => {
    const reported = onlyPost(
      await digest(
        windowOf([
          {author: 'amber-heron', text: 'hello RED and  title'},
          {author: 'coral-fox', text: 'clear screen name'},
        ]),
      ),
    );
    const highlights = section(reported.content, 'Highlights');
    expect(highlights).not.toContain('No text messages to quote');
    expect(highlights).toBe(
      '## Highlights\n\n**amber-heron** · 2024-01-02 09:00\n\n> hello RED and  title\n',
    );

    const tie = onlyPost(
      await digest(
        windowOf([
          {author: null, text: 'amber-heron added coral-fox'},
          {author: 'amber-heron', text: 'apples'},
          {author: 'coral-fox', text: 'trains'},
        ]),
      ),
    );
    expect(section(tie.content, 'Highlights')).toBe(
      '## Highlights\n\n**amber-heron** · 2024-01-02 09:01\n\n> apples\n',
    );
  });

  it('says there is nothing to quote only when the window has no text message', async () => {
    const post = onlyPost(
      await digest(
        windowOf([
          {author: null, text: 'amber-heron added coral-fox'},
          {author: 'amber-heron', text: '<Media omitted>', kind: 'media'},
          {author: 'coral-fox', text: 'This message was deleted', kind: 'deleted'},
        ]),
      ),
    );
    expect(section(post.content, 'Highlights')).toBe(
      '## Highlights\n\n_No text messages to quote in this window._\n',
    );
  });

  it('transliterates Latin topics for the slug', async () => {
    const post = onlyPost(
      await digest(
        windowOf([
          {author: 'amber-heron', text: 'Reunião no jardim amanhã'},
          {author: 'coral-fox', text: 'A reunião do jardim é às dez'},
        ]),
      ),
    );
    expect(post.frontMatter.slug).toMatch(SLUG_PATTERN);
    expect(post.frontMatter.slug.startsWith('reuniao-jardim')).toBe(true);
  });
});

describe('digest writer: injection', () => {
  const hostile: Line[] = [
    {
      author: 'amber-heron',
      text: '<script>alert("garden")</script> garden party plans <img src=x onerror=alert(1)>',
    },
    {author: 'coral-fox', text: '# Garden party\n- plans\n> quoted\n    code block\n---\n1. garden party'},
    {
      author: 'jade-owl',
      text: '[garden party](javascript:alert(1)) ![x](http://evil/x.png) `garden` *party*',
    },
    {author: '<b>evil</b>', text: 'garden party garden party'},
  ];

  it('shows hostile text as text: no HTML, no headings, lists, links or code escape the quotes', async () => {
    const post = onlyPost(await digest(windowOf(hostile)));
    const body = bodyOf(post.content);
    expect(body).not.toMatch(/<(?!https?:\/\/)/);
    expect(body).not.toMatch(/(?<!\\)\]\(javascript/);
    expect(body).not.toMatch(/!(?<!\\)\[x/);
    expect(body).toContain('\\[garden party\\](javascript:alert(1))');
    const headings = body.split('\n').filter((line) => line.startsWith('#'));
    expect(
      headings.every((line) => /^# |^## (Highlights|Topics|Links|Media|Participants|Time span)$/.test(line)),
    ).toBe(true);
    for (const line of section(post.content, 'Highlights').split('\n').slice(1)) {
      expect(line === '' || line.startsWith('**') || line === '>' || line.startsWith('> ')).toBe(true);
      if (line.startsWith('> ')) expect(line.slice(2)).not.toMatch(/^(?:[#>+\-=]|\d+[.)]|\s)/);
    }
    expect(section(post.content, 'Participants')).toContain('- &lt;b&gt;evil&lt;/b&gt;: 1 message');
  });

  it('keeps hostile names and text valid in the front matter', async () => {
    const post = onlyPost(await digest(windowOf(hostile)));
    expect(readYamlSubset(frontMatterText(post.content))).toEqual(post.frontMatter);
    expect(post.frontMatter.authors).toContain('<b>evil</b>');
  });

  it('cuts very long messages in quotes', async () => {
    const long = `garden ${'tomatoes water '.repeat(200)}`;
    const post = onlyPost(
      await digest(
        windowOf([
          {author: 'a-b', text: long},
          {author: 'c-d', text: 'garden tomatoes water'},
        ]),
      ),
    );
    const quote = section(post.content, 'Highlights')
      .split('\n')
      .find((line) => line.startsWith('> garden tomatoes water tomatoes')) as string;
    expect(quote.endsWith('…')).toBe(true);
    expect(quote.length).toBeLessThan(620);
  });
});

describe('digest writer: split parts', () => {
  it('writes one post per part, with the part in the front matter, title, slug and path', async () => {
    const window = windowOf(
      Array.from({length: 6}, (_, i) => ({
        author: 'amber-heron',
        text: `garden tomatoes water number ${i} ${'x'.repeat(200)}`,
      })),
      9,
    );
    const parts = splitWindow(window, 150);
    expect(parts.length).toBeGreaterThan(1);
    const posts = await Promise.all(parts.map(async (part) => onlyPost(await digest(part))));
    const second = posts[1];
    expect(second?.frontMatter.part).toEqual({index: 1, count: parts.length});
    expect(second?.frontMatter.window).toBe(9);
    expect(second?.frontMatter.title).toContain(`(part 2 of ${parts.length})`);
    expect(second?.frontMatter.slug.endsWith('-part-2')).toBe(true);
    expect(second?.relativePath).toMatch(/^posts\/2024-01-02-w0009-p2-.+-part-2\.md$/);
    expect(new Set(posts.map((post) => post.relativePath)).size).toBe(posts.length);
    expect(readYamlSubset(frontMatterText(second?.content ?? ''))).toEqual(second?.frontMatter);
    expect(section(second?.content ?? '', 'Time span')).toContain(`part 2 of ${parts.length}`);
  });
});
