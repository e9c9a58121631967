import {buildChat, type FixtureMessage, writeExportZip} from '../fixtures/index.js';

/** Real-looking names, a phone number and an e-mail address that must never reach the site or the runs. */
export const PRIVATE_NAMES = ['Alice Carvalho', 'Bruno Tanaka', 'Chiara Esposito', 'Dmitri Volkov'] as const;
export const PRIVATE_PHONE = '+44 7700 900123';
export const PRIVATE_EMAIL = 'chiara.esposito@example.net';

const TOPICS = [
  'the bicycle repair workshop on Saturday needs two more volunteers',
  'library book sale raised enough for new shelves',
  'the playground bench was fixed by the council',
  'reminder that recycling pickup moves to Thursday',
  'the choir rehearsal is at the church hall at seven',
];

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A contact card shipped in the export, named after a person as WhatsApp names them. */
export const CONTACT_CARD = `${PRIVATE_NAMES[1]}.vcf`;

/** `count` messages, a few minutes apart from 2024-03-01, authors taking turns, with private data sprinkled in. */
export function chatMessages(count: number): FixtureMessage[] {
  const messages: FixtureMessage[] = [
    {
      date: '2024-03-01T08:00:00',
      author: null,
      text: `${PRIVATE_NAMES[0]} created group "Neighbours"`,
      lrm: true,
    },
  ];
  const start = Date.UTC(2024, 2, 1, 8, 1, 0);
  for (let index = 1; index < count; index += 1) {
    const at = new Date(start + index * 5 * 60_000);
    const date = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:00`;
    const author = PRIVATE_NAMES[index % PRIVATE_NAMES.length] ?? null;
    let text = `${TOPICS[index % TOPICS.length]} (${index})`;
    if (index % 17 === 0) text = `call me at ${PRIVATE_PHONE} about it`;
    if (index % 23 === 0) text = `send the list to ${PRIVATE_EMAIL} please`;
    if (index % 29 === 0) text = `thanks @\u2068${PRIVATE_NAMES[1]}\u2069 for organising`;
    if (index % 31 === 0) text = `I agree with ${PRIVATE_NAMES[2]} on this one\nand a second line`;
    // Contact cards are named after their person: one in the export, one missing from it.
    if (index === 37) text = `\u200e${CONTACT_CARD} (file attached)`;
    if (index === 38) text = `\u200e${PRIVATE_NAMES[3]}.vcf (file attached)`;
    messages.push({date, author, text});
  }
  return messages;
}

/** Writes an Android (en-GB) export of `count` messages into `dir` and returns its path. */
export function writeChatExport(dir: string, count: number): Promise<string> {
  const chatText = buildChat({layout: 'android-en-gb', messages: chatMessages(count)});
  const card = `BEGIN:VCARD\nVERSION:3.0\nFN:${PRIVATE_NAMES[1]}\nTEL:${PRIVATE_PHONE}\nEND:VCARD\n`;
  return writeExportZip(dir, {
    platform: 'android',
    chatText,
    chatName: 'Neighbours',
    media: {[CONTACT_CARD]: card},
  });
}
