/**
 * The demo page when things go wrong, in real Chromium: a model that does not load is explained
 * (HTML instead of model.json, a 404, a dropped connection) and the page switches to the server,
 * which still reads; a WebP is refused with the same words in both modes (and the server refuses
 * its bytes too); drag-and-drop lets only PNG and JPEG through; a big photo shows a busy
 * indicator while it opens.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { format, STRINGS } from '../src/server/page/strings.js';
import { drawStrokes, openBrowser, pageTestsCanRun, SEVEN, startPageServer, waitAnswer, waitReady, watchErrors, type PageBrowser, type PageServer } from './helpers/page-server.js';

const en = STRINGS.en;
/** A WebP header: RIFF....WEBPVP8 — what a browser would happily decode and the server refuses. */
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(28)]);

/** White paper with a thick black 7 (a bar and a slanted stem), as a PNG of `width` x 3/4 of it. */
function sevenPhoto(width: number): Buffer {
  const height = Math.round(width * 0.75);
  const png = new PNG({ width, height });
  png.data.fill(255);
  const pen = Math.round(width * 0.015);
  const line = (x0: number, y0: number, x1: number, y1: number): void => {
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) * width);
    for (let i = 0; i <= steps; i++) {
      const cx = Math.round((x0 + ((x1 - x0) * i) / steps) * width);
      const cy = Math.round((y0 + ((y1 - y0) * i) / steps) * height);
      for (let dy = -pen; dy <= pen; dy++) png.data.fill(0, ((cy + dy) * width + cx - pen) * 4, ((cy + dy) * width + cx + pen) * 4);
    }
  };
  line(0.37, 0.27, 0.63, 0.27);
  line(0.63, 0.27, 0.45, 0.76);
  // Black RGB with alpha 0 would be transparent: restore opaque alpha everywhere.
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  return PNG.sync.write(png, { deflateLevel: 1 });
}

const sevenPng = sevenPhoto(300);

let server: PageServer | null = null;
let browser: PageBrowser | null = null;

test.before(async () => {
  if (!pageTestsCanRun) return;
  server = await startPageServer();
  browser = await openBrowser({ viewport: { width: 1100, height: 760 }, locale: 'en-US' });
});

test.after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh tab of the one browser, closed after `body`. */
async function inNewPage(body: (page: Page, errors: string[]) => Promise<void>): Promise<void> {
  const page = await browser!.context.newPage();
  try {
    await body(page, watchErrors(page));
  } finally {
    await page.close();
  }
}

const FAILURES = [
  { what: 'an HTML page instead of model.json', route: { status: 200, contentType: 'text/html', body: '<!doctype html><p>Bad gateway</p>' }, why: en.whyNotModel },
  { what: 'a 404 for model.json', route: { status: 404, contentType: 'text/plain', body: 'not found' }, why: format(en.whyHttp, { status: 404 }) },
  { what: 'a dropped connection', route: null, why: en.whyNetwork },
];

for (const failure of FAILURES) {
  test(`a model that fails to load (${failure.what}) is explained and the page reads on the server`, async () => {
    if (!pageTestsCanRun) return console.log('  SKIPPED page failure test: chromium is missing');
    await inNewPage(async (page) => {
      await page.route('**/model/model.json', (route) => (failure.route ? route.fulfill(failure.route) : route.abort('connectionreset')));
      await page.goto(server!.url);
      await waitReady(page);
      assert.is(await page.locator('#status').innerText(), format(en.modelFailed, { why: failure.why }));
      assert.is(await page.getAttribute('#mode-server', 'aria-pressed'), 'true');
      assert.ok(await page.locator('#mode-browser').isDisabled(), '"In browser" is disabled');
      await drawStrokes(page, SEVEN);
      assert.is(await waitAnswer(page, 'server'), '7');
      assert.is(await page.locator('#status').innerText(), format(en.modelFailed, { why: failure.why }), 'the explanation stays');
      const text = await page.locator('body').innerText();
      assert.not.match(text, /Failed to fetch|Unexpected token|SyntaxError|TypeError/);
    });
  });
}

async function upload(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  await page.setInputFiles('#file', { name, mimeType, buffer });
  await page.waitForFunction(() => document.body.dataset['state'] === 'done' || document.body.dataset['state'] === 'error', null, { timeout: 60_000 });
}

test('a WebP is refused with the same words in both modes, as the server refuses its bytes', async () => {
  if (!pageTestsCanRun) return;
  await inNewPage(async (page, errors) => {
    await page.goto(server!.url);
    await waitReady(page);
    const refused = format(en.wrongType, { name: 'photo.webp' });
    for (const mode of ['browser', 'server']) {
      await page.click(`#mode-${mode}`);
      await upload(page, 'photo.webp', 'image/webp', WEBP);
      assert.is(await page.locator('#status').innerText(), refused, mode);
      assert.is(await page.locator('#result-confidence').innerText(), en.couldNotRead);
    }
    // The file named .png but holding WebP bytes is refused too: the bytes decide, as on the server.
    await upload(page, 'disguised.png', 'image/png', WEBP);
    assert.is(await page.locator('#status').innerText(), format(en.wrongType, { name: 'disguised.png' }));
    const answer = await fetch(`${server!.url}/api/predict`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: WEBP });
    assert.is(answer.status, 415);
    assert.is(((await answer.json()) as { code: string }).code, 'UNKNOWN_FORMAT');
    assert.is(await page.getAttribute('#file', 'accept'), 'image/png,image/jpeg');
    assert.equal(errors, []);
  });
});

test('drag-and-drop: a WebP is refused while dragged and when dropped; a PNG is read', async () => {
  if (!pageTestsCanRun) return;
  await inNewPage(async (page, errors) => {
    await page.goto(server!.url);
    await waitReady(page);
    const drag = (type: string, name: string, bytes: number[], event: 'dragover' | 'drop') =>
      page.evaluate(
        ({ type, name, bytes, event }) => {
          const dt = new DataTransfer();
          dt.items.add(new File([new Uint8Array(bytes)], name, { type }));
          const e = new DragEvent(event, { dataTransfer: dt, bubbles: true, cancelable: true });
          document.getElementById('pad-wrap')!.dispatchEvent(e);
          const wrap = document.getElementById('pad-wrap')!;
          return { refused: wrap.classList.contains('refused'), accepted: wrap.classList.contains('dragging'), note: document.getElementById('drop-note')!.textContent };
        },
        { type, name, bytes, event },
      );
    const webp = await drag('image/webp', 'photo.webp', [...WEBP], 'dragover');
    assert.equal(webp, { refused: true, accepted: false, note: en.dropRefused });
    await drag('image/webp', 'photo.webp', [...WEBP], 'drop');
    await page.waitForFunction(() => document.body.dataset['state'] === 'error');
    assert.is(await page.locator('#status').innerText(), format(en.wrongType, { name: 'photo.webp' }));
    const png = await drag('image/png', 'seven.png', [...sevenPng], 'dragover');
    assert.equal(png, { refused: false, accepted: true, note: en.dropHere });
    await drag('image/png', 'seven.png', [...sevenPng], 'drop');
    assert.is(await waitAnswer(page, 'browser'), '7');
    assert.ok(await page.locator('#drop-note').isHidden());
    assert.equal(errors, []);
  });
});

test('a big photo shows the busy indicator while it opens, then the answer', async () => {
  if (!pageTestsCanRun) return;
  // 2400x1800 (4.3 MP, a small phone photo).
  const photo = sevenPhoto(2400);
  await inNewPage(async (page, errors) => {
    await page.goto(server!.url);
    await waitReady(page);
    await page.evaluate(() => {
      const busy = document.getElementById('busy')!;
      const seen: string[] = [];
      (window as unknown as { busySeen: string[] }).busySeen = seen;
      new MutationObserver(() => seen.push(busy.hidden ? 'hidden' : `shown: ${busy.innerText.trim()}`)).observe(busy, { attributes: true, attributeFilter: ['hidden'] });
    });
    await upload(page, 'photo.png', 'image/png', photo);
    assert.is(await page.locator('#result-digit').innerText(), '7');
    assert.equal(await page.evaluate(() => (window as unknown as { busySeen: string[] }).busySeen), [`shown: ${en.openingImage}`, 'hidden']);
    assert.equal(errors, []);
  });
});

test.run();
