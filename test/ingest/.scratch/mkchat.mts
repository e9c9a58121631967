import {buildChat, datesFrom} from '../../fixtures/index.js';
import {writeFileSync} from 'node:fs';
writeFileSync('/tmp/eg/cli/chat.txt', buildChat({layout: 'android-en-us', messages: datesFrom('2024-03-14T09:00', 5).map((date, i) => ({date, author: i % 2 ? 'Bob' : 'Alice', text: 'hello ' + i + (i === 2 ? '\nsecond line' : '')}))}));
