import {captureOutput} from '@oclif/test';
import {it} from 'vitest';
import Parse from '../../../commands/parse.js';
it('w', async () => {
const r = await captureOutput(() => Parse.run(['/tmp/eg/cli/chat.txt', '--json'], '/work/main'));
console.log(JSON.stringify(r.stderr));
});
