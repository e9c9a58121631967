import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseChatText} from '../../src/ingest/parser.js';
import {tempDir} from '../helpers/cli.js';
import {buildSampleExport, SAMPLE_ZIP, writeSampleExport} from './make-sample.js';

describe('the bundled sample export', () => {
  it('is exactly what its generator writes (regenerate with `npm run sample:make`)', async () => {
    const {dir, cleanup} = await tempDir();
    try {
      const fresh = await writeSampleExport(path.join(dir, 'export.zip'));
      expect((await readFile(fresh)).equals(await readFile(SAMPLE_ZIP))).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('parses as an iOS chat of synthetic people, with media present and missing', () => {
    const {chat, media} = buildSampleExport();
    const {messages, summary} = parseChatText(chat, {timezone: 'UTC', hasMedia: (name) => media.has(name)});
    expect(summary.platform).toBe('ios');
    expect(messages.length).toBeGreaterThan(600);
    expect(summary.attachments.present).toBeGreaterThan(0);
    expect(summary.attachments.missingCount).toBeGreaterThan(0);
  });
});
