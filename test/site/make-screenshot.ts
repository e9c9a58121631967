/// <reference lib="dom" />
/**
 * `node --import tsx test/site/make-screenshot.ts`: regenerates docs/site-post.png, a post page of
 * the bundled sample export's site in headless Chromium (after `npm run build`).
 */
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {REPO_ROOT, runCli, tempDir} from '../helpers/cli.js';
import {launchChromium} from './browser.js';
import {processSample} from './fixtures.js';

const {dir, cleanup} = await tempDir('egregora-site-shot-');
try {
  const site = await processSample(dir);
  const build = await runCli(
    ['site', 'build', '--output', site, '--dir', path.join(dir, '.egregora'), '--title', 'Garden club'],
    {cwd: dir},
  );
  if (build.code !== 0) throw new Error(build.stderr);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setViewport({width: 1100, height: 1300});
    await page.emulateMediaFeatures([{name: 'prefers-color-scheme', value: 'light'}]);
    await page.goto(pathToFileURL(path.join(site, 'posts', '2024-03-01-w0000-new-meeting-shed.html')).href, {
      waitUntil: 'load',
    });
    await page.evaluate(async () => {
      for (const image of Array.from(document.images)) image.loading = 'eager';
      await Promise.all(Array.from(document.images).map((image) => image.decode().catch(() => undefined)));
    });
    await page.screenshot({path: path.join(REPO_ROOT, 'docs', 'site-post.png')});
  } finally {
    await browser.close();
  }
} finally {
  await cleanup();
}
