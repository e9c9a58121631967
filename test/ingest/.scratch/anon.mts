import {createAnonymizer} from '../../../src/ingest/anonymize.js';
const a = createAnonymizer({secret: Buffer.alloc(32, 7)});
const m = (author: string | null, text: string) => ({position: 0, date: '2024-03-14T09:00:00', instantMs: 0, author, text, kind: author === null ? 'system' as const : 'message' as const, edited: false, attachment: null, attachmentPresent: false});
for (const x of a.anonymize([m(null, 'Ana added Rui Costa, Dora and Eve'), m('Ana', 'Welcome Dora! Rui, call +351 912 345 678 or mail ana@x.org on 2024-03-14 10:30 @\u2068Eve\u2069'), m('~\u202fMaria', 'hi')])) console.log(x.author, '|', x.text);
console.log(a.mapping());
