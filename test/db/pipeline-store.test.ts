import {randomUUID} from 'node:crypto';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../schemas/message.js';
import {countIngestMessages, storeIngestRows} from '../../src/db/pipeline-store.js';
import {query, tempDir} from '../runs/helpers.js';

/** Texts in several scripts and lengths, so a store that mixed up rows or cut strings shows. */
const TEXTS = [
  'hello',
  'שלום לכולם',
  '今天我们去吃饭吧',
  'ไปกินข้าวกันไหม',
  `long ${'word '.repeat(400)}end`,
  '',
];

function message(position: number): ChatMessage {
  const hasAttachment = position % 97 === 0;
  return {
    position,
    date: `2024-03-${String(1 + (position % 28)).padStart(2, '0')}T10:${String(position % 60).padStart(2, '0')}:00`,
    instantMs: Date.UTC(2024, 2, 1) + position * 60_000,
    author: position % 13 === 0 ? null : `Person ${position % 7}`,
    text: `${position}: ${TEXTS[position % TEXTS.length]}`,
    kind: hasAttachment ? 'media' : 'message',
    edited: position % 11 === 0,
    attachment: hasAttachment ? `IMG-${position}.jpg` : null,
    attachmentPresent: hasAttachment && position % 2 === 0,
  };
}

describe('storeIngestRows', () => {
  // Past several appender flushes (every 8,192 rows) and ending inside a chunk of 2,048.
  const COUNT = 20_481;

  it('stores every message once, in order, with every field as it was', async () => {
    const dbPath = path.join(tempDir(), 'pipeline.duckdb');
    const runId = randomUUID();
    const messages = Array.from({length: COUNT}, (_, position) => message(position));
    await storeIngestRows(dbPath, {runId, messages, authors: new Map([['Person 1', 3]]), media: []});

    expect(await countIngestMessages(dbPath, runId)).toBe(COUNT);
    const rows = await query(
      dbPath,
      `SELECT position, date, epoch_ms(instant) AS instant_ms, author, text, kind, edited, attachment,
         attachment_present FROM messages WHERE ingest_run_id = $1::UUID ORDER BY position`,
      [runId],
    );
    const stored = rows.map(
      (row): ChatMessage => ({
        position: Number(row.position),
        date: String(row.date),
        instantMs: Number(row.instant_ms),
        author: row.author === null ? null : String(row.author),
        text: String(row.text),
        kind: row.kind as ChatMessage['kind'],
        edited: row.edited === true,
        attachment: row.attachment === null ? null : String(row.attachment),
        attachmentPresent: row.attachment_present === true,
      }),
    );
    expect(stored).toEqual(messages);
    const authors = await query(dbPath, 'SELECT pseudonym, messages FROM authors');
    expect(authors).toEqual([{pseudonym: 'Person 1', messages: '3'}]);
  });
});
