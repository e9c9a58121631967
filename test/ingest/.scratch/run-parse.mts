import Parse from '../../../commands/parse.js';
import {handle, flush} from '@oclif/core';
await Parse.run(process.argv.slice(2), '/work/main').then(() => flush()).catch((e) => handle(e));
