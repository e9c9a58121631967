import {parseChat} from '../../src/ingest/parser.js';
import {openChatSource} from '../../src/ingest/source.js';

/**
 * Run in a fresh process by the parse-memory benchmark: streams the chat out of the zip through the
 * streaming parser and counts the messages without keeping them, then prints one JSON line. Peak RSS
 * is measured from outside (VmHWM) and by the exit probe.
 */
const zipPath = process.argv[2];
if (zipPath === undefined) throw new Error('usage: parse-memory <export.zip>');
const baselineRss = process.memoryUsage().rss;
const source = await openChatSource(zipPath);
try {
  const parse = parseChat(source.openChat(), {
    timezone: 'UTC',
    fileName: source.chatEntry,
    hasMedia: (name) => source.hasMedia(name),
  });
  let messages = 0;
  for await (const batch of parse) messages += batch.length;
  const summary = parse.summary();
  process.stdout.write(
    `${JSON.stringify({messages, chatBytes: summary.bytes, layout: summary.layout, baselineRss, endRss: process.memoryUsage().rss})}\n`,
  );
} finally {
  await source.close();
}
