import {captureOutput} from '@oclif/test';
import Parse from '../../../commands/parse.js';
const r = await captureOutput(() => Parse.run(['/tmp/eg/cli/chat.txt', '--json'], '/work/main'));
console.log(JSON.stringify(r.stderr));
