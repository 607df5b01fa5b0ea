/**
 * The demo page in a real browser: Debian's chromium, driven by playwright-core, against the
 * server running the BUILT package (dist/). Draws a 7 with the mouse, reads it in the browser
 * (the library's ESM build over WebAssembly, no bundler) and then on the server.
 * Screenshot: test-output/browser.png. Skips only when /usr/bin/chromium is missing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, drawStrokes, openBrowser, pageTestsCanRun, ROOT, SEVEN, startPageServer, waitAnswer, waitReady, type PageBrowser, type PageServer } from './helpers/page-server.js';

const SCREENSHOT = join(ROOT, 'test-output', 'browser.png');

let server: PageServer | null = null;
let browser: PageBrowser | null = null;

test.before(async () => {
  if (!pageTestsCanRun) return;
  server = await startPageServer();
  browser = await openBrowser({ viewport: { width: 1100, height: 760 } });
});

test.after(async () => {
  await browser?.close();
  server?.close();
});

test('draw a 7: the page reads it in the browser and on the server', async () => {
  if (!pageTestsCanRun) {
    console.log(`  SKIPPED browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`);
    return;
  }
  const { page, errors } = browser!;
  await page.goto(server!.url);
  await waitReady(page);
  assert.match(await page.locator('#status').innerText(), /Model ready in your browser/);

  await drawStrokes(page, SEVEN);
  assert.is(await waitAnswer(page, 'browser'), '7');
  assert.match(await page.locator('#result-source').innerText(), /in your browser/);
  assert.match(await page.locator('#result-confidence').innerText(), /\d+\.\d% confident/);
  assert.is(await page.locator('#chart .bar').count(), 10);
  assert.is(await page.locator('#chart .bar.top').getAttribute('data-digit'), '7');

  await page.click('#mode-server');
  assert.is(await waitAnswer(page, 'server'), '7');
  assert.match(await page.locator('#result-source').innerText(), /on the server/);

  mkdirSync(join(ROOT, 'test-output'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  await page.click('#clear');
  assert.is(await page.locator('#result-digit').innerText(), '–');
  assert.equal(errors, []);
});

test.run();
