import {readFileSync} from 'node:fs';
import {parseString} from 'whatsapp-chat-parser';

/**
 * The peer's side of the parse-json benchmark, run as a fresh process: what a user of
 * `whatsapp-chat-parser` writes to print a chat's messages as JSON. The library takes a string, so
 * the file is read whole; its result is an array of `{date, author, message, attachment?}` (dates as
 * `Date`, which JSON prints as ISO strings), and `JSON.stringify` of that array is the obvious way to
 * print it. The options are those of the parse benchmark: attachments extracted, as ours always does,
 * and the day/month order detected by the library itself, as ours does.
 *
 * The message count goes to stderr, so that the benchmark can check the peer read the chat without
 * reading its output back.
 */
const chatPath = process.argv[2];
if (chatPath === undefined) throw new Error('usage: peer-parse-json <chat.txt>');
const messages = parseString(readFileSync(chatPath, 'utf8'), {parseAttachments: true});
process.stdout.write(JSON.stringify(messages));
process.stderr.write(`messages: ${messages.length}\n`);
