/// <reference lib="dom" />
import {existsSync} from 'node:fs';
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Browser, Page} from 'puppeteer-core';

/** Debian's chromium (`apt-get install -y chromium`); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--allow-file-access-from-files',
];

/** Starts headless Chromium with a fresh profile. A missing browser fails the test: never skipped. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the site's browser tests need it. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (as root), or set CHROMIUM_PATH.',
    );
  }
  const puppeteer = await import('puppeteer-core');
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'egregora-chromium-'));
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`],
    ignoreDefaultArgs: ['--headless=new'],
  });
}

export interface PageWatch {
  readonly page: Page;
  /** Requests that would have left the site (blocked). */
  readonly outside: string[];
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly dialogs: string[];
  /** Every script the page parsed, by URL ('' or the page's own URL: inline). */
  readonly scripts: string[];
  readonly failed: string[];
}

/**
 * A page that records what the site must never do: requests outside `allowedPrefix` (aborted),
 * console errors (CSP violations show there), uncaught errors, dialogs (alert()) and every script
 * V8 parses (through the DevTools protocol), so that an inline or injected script is seen even if
 * it does nothing visible.
 */
export async function watchedPage(browser: Browser, allowedPrefix: string): Promise<PageWatch> {
  const page = await browser.newPage();
  const watch: PageWatch = {
    page,
    outside: [],
    consoleErrors: [],
    pageErrors: [],
    dialogs: [],
    scripts: [],
    failed: [],
  };
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith(allowedPrefix)) void request.continue();
    else {
      watch.outside.push(url);
      void request.abort('blockedbyclient');
    }
  });
  page.on('requestfailed', (request) => {
    if (request.url().startsWith(allowedPrefix))
      watch.failed.push(`${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) watch.failed.push(`${response.url()} ${response.status()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watch.pageErrors.push(String(error)));
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const cdp = await page.createCDPSession();
  cdp.on('Debugger.scriptParsed', (event) => {
    if (event.url.startsWith('pptr:')) return; // the test's own page.evaluate() calls
    if (event.url !== '') {
      watch.scripts.push(event.url);
      return;
    }
    // No URL: an eval'd or DevTools-injected script. Record its source so a report says which.
    void cdp
      .send('Debugger.getScriptSource', {scriptId: event.scriptId})
      .then((source) => {
        // Puppeteer's waitFor*/$eval helpers compile their functions with new Function() in its
        // own world. Anything the page itself ran (an inline script, an onerror= handler) has the
        // page's URL, and new Function() in the page would need such a script first.
        if (!source.scriptSource.startsWith('(function anonymous(')) {
          watch.scripts.push(`(no url) ${source.scriptSource.slice(0, 120)}`);
        }
      })
      .catch(() => watch.scripts.push('(no url)'));
  });
  await cdp.send('Debugger.enable');
  return watch;
}

/** What a page links or loads: anchors, stylesheets, scripts, images, players (absolute URLs). */
export function pageReferences(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const urls: string[] = [];
    for (const element of Array.from(document.querySelectorAll('a[href], link[href]')))
      urls.push((element as HTMLAnchorElement).href);
    for (const element of Array.from(
      document.querySelectorAll('script[src], img[src], audio[src], video[src], source[src]'),
    )) {
      urls.push((element as HTMLImageElement).src);
    }
    return urls;
  });
}
