import {randomBytes} from 'node:crypto';
import {mkdir, mkdtemp, rm, stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {chooseChatEntry, indexMedia, isDecoyEntry, looksLikeChatName} from '../../src/ingest/discovery.js';
import {parseChat} from '../../src/ingest/parser.js';
import {type ChatSource, openChatSource} from '../../src/ingest/source.js';
import {ExitCode} from '../../src/util/exit-codes.js';
import {
  buildChat,
  CHAT_FILE_NAMES,
  type ChatFileLocale,
  datesFrom,
  writeExportZip,
  writeZip,
} from '../fixtures/index.js';

const androidChat = buildChat({
  layout: 'android-en-us',
  messages: [
    ...datesFrom('2024-03-14T09:00', 3).map((date, index) => ({date, author: 'Ana', text: `hello ${index}`})),
    {
      date: '2024-03-14T10:00',
      author: 'Rui',
      lrm: true,
      text: 'IMG-20240314-WA0001.jpg (file attached)\nlook',
    },
    {date: '2024-03-14T10:01', author: 'Rui', lrm: true, text: 'IMG-20240314-WA0002.jpg (file attached)'},
  ],
});
const iosChat = buildChat({
  layout: 'ios-en-gb',
  messages: [
    {date: '2024-03-14T09:00:00', author: 'Ana', text: 'hello'},
    {
      date: '2024-03-14T09:00:05',
      author: 'Rui',
      lrm: true,
      lrmBeforeHeader: true,
      text: '<attached: 00000012-PHOTO-2024-03-14-09-00-05.jpg>',
    },
    {
      date: '2024-03-14T09:00:09',
      author: 'Rui',
      lrm: true,
      lrmBeforeHeader: true,
      text: '<attached: 00000013-PHOTO-2024-03-14-09-00-09.jpg>',
    },
  ],
});

async function readAll(source: ChatSource) {
  const parse = parseChat(source.openChat(), {timezone: 'UTC', hasMedia: (name) => source.hasMedia(name)});
  const messages = [];
  for await (const batch of parse) messages.push(...batch);
  return {messages, summary: parse.summary()};
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'egregora-discovery-'));
});
afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

describe('archive layouts', () => {
  it('reads an iOS export: _chat.txt and numbered media at the root', async () => {
    const file = await writeExportZip(path.join(dir, 'ios'), {
      platform: 'ios',
      chatText: iosChat,
      media: {'00000012-PHOTO-2024-03-14-09-00-05.jpg': randomBytes(300)},
    });
    expect(path.basename(file)).toBe('WhatsApp Chat - Book Club.zip');
    const source = await openChatSource(file);
    try {
      expect(source.kind).toBe('zip');
      expect(source.chatEntry).toBe('_chat.txt');
      expect(source.media.map((media) => [media.name, media.size])).toEqual([
        ['00000012-PHOTO-2024-03-14-09-00-05.jpg', 300],
      ]);
      const {messages, summary} = await readAll(source);
      expect(messages.map((message) => [message.attachment, message.attachmentPresent])).toEqual([
        [null, false],
        ['00000012-PHOTO-2024-03-14-09-00-05.jpg', true],
        ['00000013-PHOTO-2024-03-14-09-00-09.jpg', false],
      ]);
      expect(summary.attachments.missing).toEqual(['00000013-PHOTO-2024-03-14-09-00-09.jpg']);
      expect(await source.readMedia('00000012-PHOTO-2024-03-14-09-00-05.jpg')).toHaveLength(300);
      expect(await source.readMedia('00000013-PHOTO-2024-03-14-09-00-09.jpg')).toBeNull();
    } finally {
      await source.close();
    }
  });

  it.each(Object.keys(CHAT_FILE_NAMES) as ChatFileLocale[])(
    'finds the chat file named in locale "%s"',
    async (locale) => {
      const file = await writeExportZip(path.join(dir, `locale-${locale}`), {
        platform: locale === 'ios' ? 'ios' : 'android',
        chatText: locale === 'ios' ? iosChat : androidChat,
        locale,
        chatName: 'Família 👨‍👩‍👧',
        media: {'IMG-20240314-WA0001.jpg': 'jpeg'},
      });
      const source = await openChatSource(file);
      try {
        expect(source.chatEntry).toBe(CHAT_FILE_NAMES[locale]('Família 👨‍👩‍👧'));
        expect((await readAll(source)).messages.length).toBeGreaterThan(0);
      } finally {
        await source.close();
      }
    },
  );

  it('finds the chat in a re-zipped folder with directory entries and __MACOSX decoys', async () => {
    const file = await writeExportZip(path.join(dir, 'rezipped'), {
      platform: 'android',
      chatText: androidChat,
      folder: 'WhatsApp Chat with Book Club',
      directoryEntries: true,
      macDecoys: true,
      media: {'IMG-20240314-WA0001.jpg': 'jpeg bytes'},
    });
    const source = await openChatSource(file);
    try {
      expect(source.chatEntry).toBe('WhatsApp Chat with Book Club/WhatsApp Chat with Book Club.txt');
      expect(source.media.map((media) => media.entry)).toEqual([
        'WhatsApp Chat with Book Club/IMG-20240314-WA0001.jpg',
      ]);
      const {messages} = await readAll(source);
      expect(
        messages.filter((message) => message.attachment !== null).map((message) => message.attachmentPresent),
      ).toEqual([true, false]);
    } finally {
      await source.close();
    }
  });

  it('finds a renamed chat by its first lines, and not a notes file beside it', async () => {
    const file = await writeZip(path.join(dir, 'renamed.zip'), [
      {name: 'notes.txt', data: 'shopping list\n- eggs\n'},
      {name: 'our group/export.txt', data: androidChat},
      {name: 'IMG-20240314-WA0001.jpg', data: 'jpeg'},
    ]);
    const source = await openChatSource(file);
    try {
      expect(source.chatEntry).toBe('our group/export.txt');
    } finally {
      await source.close();
    }
  });

  it('lets --chat pick one of several chats, by path or by a unique file name', async () => {
    const file = await writeZip(path.join(dir, 'two.zip'), [
      {name: 'a/_chat.txt', data: iosChat},
      {name: 'b/WhatsApp Chat with Running.txt', data: androidChat},
    ]);
    await expect(openChatSource(file)).rejects.toMatchObject({
      exitCode: ExitCode.chatNotFound,
      message: `"${file}" holds 2 chats: "a/_chat.txt", "b/WhatsApp Chat with Running.txt".`,
      hint: 'Pass --chat ENTRY to choose one of them.',
    });
    const byPath = await openChatSource(file, {chat: 'a/_chat.txt'});
    expect(byPath.chatEntry).toBe('a/_chat.txt');
    await byPath.close();
    const byName = await openChatSource(file, {chat: 'WhatsApp Chat with Running.txt'});
    expect(byName.chatEntry).toBe('b/WhatsApp Chat with Running.txt');
    await byName.close();
    await expect(openChatSource(file, {chat: 'c/_chat.txt'})).rejects.toMatchObject({
      exitCode: ExitCode.chatNotFound,
      message: expect.stringContaining('--chat "c/_chat.txt" is not an entry'),
    });
  });

  it('reads a Zip64 archive', async () => {
    const file = await writeZip(
      path.join(dir, 'zip64.zip'),
      [{name: 'WhatsApp Chat with X.txt', data: androidChat}],
      {zip64: true},
    );
    const source = await openChatSource(file);
    try {
      expect((await readAll(source)).messages).toHaveLength(5);
    } finally {
      await source.close();
    }
  });

  it('reads a chat that deflates far better than usual (a bot repeating itself) under the bomb limit', async () => {
    const replies = ['ok', '👍', 'lol', 'ok!', 'sure', 'thanks'];
    const lines = datesFrom('2024-03-14T09:00', 40_000, 1).map((date, index) => ({
      date,
      author: index % 3 === 0 ? 'Ana' : 'Rui',
      text: replies[index % replies.length] ?? 'ok',
    }));
    const text = buildChat({layout: 'android-en-gb', messages: lines});
    const file = await writeZip(path.join(dir, 'repetitive.zip'), [{name: '_chat.txt', data: text}]);
    const source = await openChatSource(file);
    try {
      const ratio = Buffer.byteLength(text) / (await stat(file)).size;
      expect(ratio).toBeGreaterThan(8);
      expect((await readAll(source)).messages).toHaveLength(40_000);
    } finally {
      await source.close();
    }
  });
});

describe('a bare chat text file', () => {
  it('reads it, and finds attachments beside it', async () => {
    const folder = path.join(dir, 'extracted');
    await mkdir(folder, {recursive: true});
    await writeFile(path.join(folder, 'WhatsApp Chat with Book Club.txt'), androidChat);
    await writeFile(path.join(folder, 'IMG-20240314-WA0001.jpg'), 'jpeg');
    const source = await openChatSource(path.join(folder, 'WhatsApp Chat with Book Club.txt'));
    try {
      expect(source.kind).toBe('text');
      expect(source.media).toEqual([]);
      const {messages} = await readAll(source);
      expect(
        messages.filter((message) => message.attachment).map((message) => message.attachmentPresent),
      ).toEqual([true, false]);
      expect(await source.readMedia('IMG-20240314-WA0001.jpg')).toEqual(Buffer.from('jpeg'));
      expect(await source.readMedia('../WhatsApp Chat with Book Club.txt')).toBeNull();
      expect(await source.readMedia('nope.jpg')).toBeNull();
    } finally {
      await source.close();
    }
  });

  it('refuses missing paths, folders, --chat on a text file, and text over the chat limit', async () => {
    await expect(openChatSource(path.join(dir, 'missing.zip'))).rejects.toMatchObject({
      exitCode: ExitCode.inputNotFound,
      message: `"${path.join(dir, 'missing.zip')}" does not exist.`,
    });
    await expect(openChatSource(dir)).rejects.toMatchObject({
      exitCode: ExitCode.inputInvalid,
      message: `"${dir}" is a directory.`,
    });
    const text = path.join(dir, 'chat.txt');
    await writeFile(text, androidChat);
    await expect(openChatSource(text, {chat: 'x'})).rejects.toMatchObject({exitCode: ExitCode.usage});
    await expect(openChatSource(text, {limits: {maxChatBytes: 100}})).rejects.toMatchObject({
      exitCode: ExitCode.inputUnsafe,
      message: expect.stringContaining('over the 100 B limit for a chat'),
    });
  });
});

describe('discovery rules', () => {
  it('tells decoys from files', () => {
    expect(isDecoyEntry('__MACOSX/._WhatsApp Chat with X.txt')).toBe(true);
    expect(isDecoyEntry('__MACOSX/folder/._IMG.jpg')).toBe(true);
    expect(isDecoyEntry('folder/._WhatsApp Chat with X.txt')).toBe(true);
    expect(isDecoyEntry('.DS_Store')).toBe(true);
    expect(isDecoyEntry('folder/WhatsApp Chat with X.txt')).toBe(false);
    expect(isDecoyEntry('IMG-._x.jpg')).toBe(false);
  });

  it('knows the chat names of every locale, and not other text files', () => {
    for (const name of Object.values(CHAT_FILE_NAMES))
      expect(looksLikeChatName(`x/${name('Chat')}`)).toBe(true);
    expect(looksLikeChatName('notes.txt')).toBe(false);
    expect(looksLikeChatName('WhatsApp Chat with X.jpg')).toBe(false);
  });

  it('lists what the archive holds when there is no chat (first names, then a count)', async () => {
    const entries = Array.from({length: 12}, (_, index) => ({
      name: `IMG-${index}.jpg`,
      size: 1,
      isDirectory: false,
    }));
    await expect(chooseChatEntry('x.zip', entries)).rejects.toMatchObject({
      exitCode: ExitCode.chatNotFound,
      message: expect.stringMatching(/it holds "IMG-0\.jpg", .*"IMG-7\.jpg" and 4 more\.$/),
    });
  });

  it('prefers the media beside the chat when two folders hold the same name', () => {
    const media = indexMedia(
      [
        {name: 'other/IMG-1.jpg', size: 1, isDirectory: false},
        {name: 'chat/IMG-1.jpg', size: 2, isDirectory: false},
        {name: 'chat/_chat.txt', size: 3, isDirectory: false},
        {name: 'chat/', size: 0, isDirectory: true},
        {name: '__MACOSX/chat/._IMG-1.jpg', size: 4, isDirectory: false},
      ],
      'chat/_chat.txt',
    );
    expect([...media.values()]).toEqual([{name: 'IMG-1.jpg', entry: 'chat/IMG-1.jpg', size: 2}]);
  });
});
