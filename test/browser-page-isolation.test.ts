/**
 * `wasmnn serve`'s page is cross-origin isolated (COOP/COEP on the page, COEP + CORP on its
 * scripts, server-static.test.ts checks the headers), so in real Chromium the library starts its
 * second compute thread with no configuration, and the page reads a drawn 7 on two threads.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { drawStrokes, openBrowser, pageTestsCanRun, SEVEN, startPageServer, waitAnswer, waitReady } from './helpers/page-server.js';

test('the served page is crossOriginIsolated and reads on 2 threads', async () => {
  if (!pageTestsCanRun) return console.log('  SKIPPED page isolation test: chromium is missing');
  const server = await startPageServer();
  const browser = await openBrowser({ viewport: { width: 1100, height: 760 }, locale: 'en-US' });
  try {
    const { page, errors } = browser;
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(server.url);
    await waitReady(page);
    assert.is(await page.evaluate(() => crossOriginIsolated), true);
    assert.match(String(await page.evaluate(() => document.body.dataset['backend'])), /^wasm \(.*, 2 threads\)$/);
    assert.ok(workers.some((url) => /\/v\/[\w-]+\/lib\/kernels\/wasm\/gemm-worker-browser\.js$/.test(url)), `the compute thread started from the versioned library: ${workers.join(', ')}`);
    await drawStrokes(page, SEVEN);
    assert.is(await waitAnswer(page, 'browser'), '7');
    assert.match(await page.locator('#result-source').innerText(), /2 threads/);
    assert.equal(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});

test.run();
