/// <reference lib="dom" />
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import type {Browser} from 'puppeteer-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {BIN, cliEnv, runCli, tempDir} from '../helpers/cli.js';
import {launchChromium, type PageWatch, pageReferences, watchedPage} from './browser.js';
import {BROKEN_POST, hostilePost, processSample, writePost} from './fixtures.js';

/**
 * The built site in real headless Chromium, from file:// and from `site serve`: the real `process`
 * on the bundled sample export, plus a hostile post and a broken one written as a hand edit would.
 */
let dir: string;
let cleanup: () => Promise<void>;
let site: string;
let browser: Browser;
let shots: string;
const HOSTILE_PAGE = `posts/${hostilePost().name}.html`;

beforeAll(async () => {
  ({dir, cleanup} = await tempDir('egregora-site-browser-'));
  site = await processSample(dir);
  await writePost(site, hostilePost());
  await writeFile(path.join(site, 'posts', '2024-03-02-w0098-broken.md'), BROKEN_POST);
  const build = await runCli(
    ['site', 'build', '--output', site, '--dir', path.join(dir, '.egregora'), '--title', 'Garden club'],
    {cwd: dir},
  );
  expect(build.code, build.stderr).toBe(0);
  expect(build.stderr).toContain('Warning: skipped posts/2024-03-02-w0098-broken.md:3');
  // A temp folder of its own, kept after the run: the screenshots are for a person to look at.
  shots = await mkdtemp(path.join(tmpdir(), 'egregora-site-screenshots-'));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  // The screenshots stay (their own folder); the site and state go.
  console.log(`site browser test: screenshots in ${shots}`);
  await cleanup?.().catch(() => undefined);
});

function expectClean(watch: PageWatch, siteScripts: (url: string) => boolean): void {
  expect(watch.outside, 'requests that left the folder').toEqual([]);
  expect(watch.consoleErrors, 'console errors').toEqual([]);
  expect(watch.pageErrors, 'page errors').toEqual([]);
  expect(watch.dialogs, 'dialogs').toEqual([]);
  expect(watch.failed, 'failed requests').toEqual([]);
  expect(
    watch.scripts.filter((url) => !siteScripts(url)),
    "scripts that are not the site's files",
  ).toEqual([]);
}

/**
 * Scripts the site may run: its own asset and search files, never inline ones. (The test's own evaluate
 * calls are left out by `watchedPage`.)
 */
function isSiteScript(base: string): (url: string) => boolean {
  return (url) => url.startsWith(`${base}assets/`) || url.startsWith(`${base}search/`);
}

async function checkSite(base: string, label: string): Promise<void> {
  const watch = await watchedPage(browser, base);
  const {page} = watch;
  await page.goto(`${base}index.html`, {waitUntil: 'load'});
  expect(await page.$eval('h1', (element) => element.textContent)).toBe('Garden club');
  expect(await page.$eval('.stats', (element) => element.textContent)).toMatch(
    /8 posts.*643 messages.*people.*15 media files/,
  );
  // A tag page lists its posts; following one opens the post.
  await page.goto(`${base}tags.html`, {waitUntil: 'load'});
  await Promise.all([page.waitForNavigation({waitUntil: 'load'}), page.click('ul.cloud a')]);
  expect(page.url()).toMatch(/\/tags\/[^/]+\.html$/);
  const posts = await page.$$eval('ol.posts li', (items) => items.length);
  expect(posts).toBeGreaterThan(0);
  await Promise.all([page.waitForNavigation({waitUntil: 'load'}), page.click('ol.posts li > a')]);
  expect(page.url()).toMatch(/\/posts\/[^/]+\.html$/);
  // Search from the header form of a page, then by typing.
  await page.type('header form input[type=search]', 'compost');
  await Promise.all([page.waitForNavigation({waitUntil: 'load'}), page.keyboard.press('Enter')]);
  expect(page.url()).toContain('search.html?q=compost');
  await page.waitForSelector('#results li');
  const results = await page.$$eval('#results li a', (links) =>
    links.map((link) => link.getAttribute('href')),
  );
  expect(results.length).toBeGreaterThan(0);
  expect(results.every((href) => href?.startsWith('posts/'))).toBe(true);
  await page.$eval('#q', (input) => {
    (input as HTMLInputElement).value = '';
  });
  await page.type('#q', 'zzzznotaword');
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'No post matches.');
  expectClean(watch, isSiteScript(base));
  await page.close();
  void label;
}

describe('the site in headless Chromium', () => {
  it('works from file://: home, tag, post and search', async () => {
    await checkSite(pathToFileURL(`${site}/`).href, 'file');
  });

  it('resolves every internal link of every page, loads nothing from elsewhere, logs no error', async () => {
    const base = pathToFileURL(`${site}/`).href;
    const watch = await watchedPage(browser, base);
    const queue = [`${base}index.html`];
    const seen = new Set(queue);
    const missing: string[] = [];
    const anchors: Array<{page: string; url: string}> = [];
    while (queue.length > 0) {
      const url = queue.shift() as string;
      await watch.page.goto(url, {waitUntil: 'load'});
      for (const reference of await pageReferences(watch.page)) {
        if (!reference.startsWith('file:')) continue;
        const target = new URL(reference);
        const file = fileURLToPath(
          `${target.origin === 'null' ? 'file://' : target.origin}${target.pathname}`,
        );
        if (!file.startsWith(site + path.sep) || !existsSync(file)) {
          missing.push(`${url} → ${reference}`);
          continue;
        }
        if (target.hash !== '') anchors.push({page: url, url: reference});
        const pageUrl = `file://${target.pathname}`;
        if (file.endsWith('.html') && !seen.has(pageUrl)) {
          seen.add(pageUrl);
          queue.push(pageUrl);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(seen.size).toBeGreaterThan(40);
    for (const anchor of anchors.slice(0, 20)) {
      await watch.page.goto(anchor.url, {waitUntil: 'load'});
      const id = decodeURIComponent(new URL(anchor.url).hash.slice(1));
      expect(
        await watch.page.evaluate((name) => document.getElementById(name) !== null, id),
        anchor.url,
      ).toBe(true);
    }
    expect(seen.has(`${base}${HOSTILE_PAGE}`)).toBe(true);
    expect(seen.has(`${base}posts/2024-03-02-w0098-broken.html`)).toBe(false);
    expectClean(watch, isSiteScript(base));
  }, 120_000);

  it('runs no script of a hostile post, shows its markup as text', async () => {
    const base = pathToFileURL(`${site}/`).href;
    const watch = await watchedPage(browser, base);
    for (const target of [HOSTILE_PAGE, 'index.html', 'tags.html', 'people.html', `search.html?q=hostile`]) {
      await watch.page.goto(`${base}${target}`, {waitUntil: 'load'});
      await watch.page.hover('body').catch(() => undefined);
      expect(
        await watch.page.evaluate(() => (window as {__pwned?: string}).__pwned ?? null),
        target,
      ).toBeNull();
    }
    await watch.page.goto(`${base}${HOSTILE_PAGE}`, {waitUntil: 'load'});
    const text = await watch.page.$eval('article', (element) => element.textContent ?? '');
    expect(text).toContain('<script>window.__pwned');
    expect(text).toContain('</textarea><script>alert("textarea")</script>');
    expect(
      await watch.page.$$eval(
        'article [onerror], article [onload], article [onmouseover], article script, article iframe, article svg',
        (found) => found.length,
      ),
    ).toBe(0);
    expect(
      await watch.page.$$eval(
        'a[href^="javascript:" i], a[href^="data:" i], img[src^="data:" i]',
        (found) => found.length,
      ),
    ).toBe(0);
    expect(await watch.page.title()).toContain('</title><script>alert("title")</script>');
    // The search page shows the hostile post's title as text too.
    await watch.page.goto(`${base}search.html?q=hostile`, {waitUntil: 'load'});
    await watch.page.waitForSelector('#results li a');
    expect(await watch.page.$eval('#results li a', (link) => link.textContent)).toContain('<script>');
    expect(watch.dialogs).toEqual([]);
    expect(watch.outside).toEqual([]);
    expect(watch.scripts.filter((url) => !isSiteScript(base)(url))).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
  });

  it('fits a phone: no horizontal scroll at 360 px, light and dark; screenshots at 1280 and 360 px', async () => {
    const base = pathToFileURL(`${site}/`).href;
    const watch = await watchedPage(browser, base);
    const {page} = watch;
    const post = 'posts/2024-03-01-w0000-new-meeting-shed.html';
    const backgrounds: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMediaFeatures([{name: 'prefers-color-scheme', value: scheme}]);
      for (const width of [1280, 360]) {
        await page.setViewport({width, height: 900});
        for (const [name, target] of [
          ['home', 'index.html'],
          ['post', post],
          ['hostile', HOSTILE_PAGE],
          ['media', 'media.html'],
        ] as const) {
          await page.goto(`${base}${target}`, {waitUntil: 'load'});
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          expect(overflow, `${target} at ${width} px (${scheme})`).toBeLessThanOrEqual(0);
          if (name === 'home' || name === 'post') {
            await page.screenshot({
              path: path.join(shots, `${name}-${width}-${scheme}.png`),
              fullPage: width === 360,
            });
          }
        }
      }
      backgrounds.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    }
    expect(backgrounds[0]).not.toBe(backgrounds[1]);
    for (const file of [
      'home-1280-light.png',
      'home-360-light.png',
      'post-1280-light.png',
      'post-360-light.png',
    ]) {
      expect(existsSync(path.join(shots, file))).toBe(true);
    }
    expectClean(watch, isSiteScript(base));
  }, 60_000);

  it('works from `site serve` on 127.0.0.1, which stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, [BIN, 'site', 'serve', '--output', site, '--port', '0', '--json'], {
      cwd: dir,
      env: cliEnv(undefined),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buffer = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          buffer += chunk;
          if (buffer.includes('\n')) resolve(buffer.split('\n')[0] as string);
        });
        child.on('close', () => reject(new Error(`site serve ended early: ${stderr}`)));
      });
      const {url} = JSON.parse(line) as {url: string};
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      await checkSite(url, 'serve');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
