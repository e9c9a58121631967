import {createWriteStream} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {parseArgs} from 'node:util';
import {CHAT_LAYOUTS, type ChatLayout, type ChatStats, chatChunks} from './chat.js';
import {DEFAULT_MEDIA_FILES, writeExportZip} from './export-zip.js';
import {contentProfile, PROFILE_NAMES} from './profiles.js';

/**
 * Writes a generated export for manual testing:
 *   node --import tsx bench/generate/cli.ts --layout ios --messages 200000 --seed 6 --profile hebrew --out chat.zip
 * A `.zip` output is an export archive (chat + some media); anything else is the bare chat text.
 */
const USAGE = `usage: node --import tsx bench/generate/cli.ts --out FILE [--layout android|ios] [--messages N] [--seed S] [--profile ${PROFILE_NAMES.join('|')}] [--people N] [--media N]`;
const DEFAULT_MESSAGES = 10_000;
const DEFAULT_SEED = 6;

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      out: {type: 'string'},
      layout: {type: 'string', default: 'android'},
      messages: {type: 'string', default: String(DEFAULT_MESSAGES)},
      seed: {type: 'string', default: String(DEFAULT_SEED)},
      profile: {type: 'string', default: 'default'},
      people: {type: 'string'},
      media: {type: 'string', default: String(DEFAULT_MEDIA_FILES)},
    },
  });
  const layout = values.layout as ChatLayout;
  if (values.out === undefined || !CHAT_LAYOUTS.includes(layout)) throw new Error(USAGE);
  const profile = contentProfile(values.profile);
  const spec = {
    layout,
    messages: Number(values.messages),
    seed: Number(values.seed),
    profile: profile.name,
    people: values.people === undefined ? profile.defaultPeople : Number(values.people),
  };
  const out = path.resolve(values.out);
  await mkdir(path.dirname(out), {recursive: true});
  let stats: ChatStats;
  if (out.endsWith('.zip')) {
    stats = (await writeExportZip(spec, out, {mediaFiles: Number(values.media)})).stats;
  } else {
    const chunks = chatChunks(spec);
    let result: ChatStats | undefined;
    const text = Readable.from(
      (function* () {
        for (;;) {
          const step = chunks.next();
          if (step.done) {
            result = step.value;
            return;
          }
          yield step.value;
        }
      })(),
    );
    await pipeline(text, createWriteStream(out));
    if (result === undefined) throw new Error('the generator did not finish');
    stats = result;
  }
  const {attachmentNames: _names, ...summary} = stats;
  process.stdout.write(`${JSON.stringify({out, ...summary})}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
