/**
 * The demo page's layout in real Chromium at a phone, a small tablet/laptop window, a laptop and
 * a 1440p screen: the pad and the answer are on screen together, nothing widens the page (not
 * even a six-digit answer), the answer's digits never cover its confidence text, every control is
 * at least 44 px, the answer lands in an ARIA live region, and switching what to read keeps the
 * drawing. The page is cross-origin isolated, so it reads on two threads. Screenshots:
 * test-output/page-<width>x<height>-digit.png (a 7) and page-<width>x<height>.png (six digits).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { drawStrokes, openBrowser, pageTestsCanRun, ROOT, SEVEN, startPageServer, waitAnswer, waitReady, type PageBrowser, type PageServer } from './helpers/page-server.js';

const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 768, height: 630 },
  { width: 1280, height: 800 },
  { width: 2560, height: 1440 },
];

/** Six upright strokes across the wide pad: a number of six digits (the model reads 1s, maybe a 7). */
const SIX_ONES: [number, number][][] = Array.from({ length: 6 }, (_, i) => {
  const x = 0.12 + i * 0.152;
  return [[x, 0.22], [x, 0.8]];
});

let server: PageServer | null = null;
let browser: PageBrowser | null = null;
/** Workers the page started (the library's compute thread). */
const workers: string[] = [];

test.before(async () => {
  if (!pageTestsCanRun) return;
  server = await startPageServer();
  browser = await openBrowser({ viewport: VIEWPORTS[0]! });
  browser.page.on('worker', (w) => workers.push(w.url()));
});

test.after(async () => {
  await browser?.close();
  server?.close();
});

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).boundingBox();
  assert.ok(b, `${selector} is rendered`);
  return b!;
}

function inside(b: Box, viewport: { width: number; height: number }, what: string): void {
  assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= viewport.width + 0.5 && b.y + b.height <= viewport.height + 0.5, `${what} ${JSON.stringify(b)} is inside the ${viewport.width}x${viewport.height} viewport`);
}

const intersects = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function noHorizontalOverflow(page: Page, what: string): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: innerWidth }));
  assert.ok(scroll <= inner, `${what}: scrollWidth ${scroll} <= innerWidth ${inner}`);
}

/** Dark pixels on the pad: the drawing is still there. */
const ink = (page: Page): Promise<number> =>
  page.evaluate(() => {
    const c = document.getElementById('pad') as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! < 128) n++;
    return n;
  });

/** Every visible control people tap: buttons, the language menu, chips. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('button, select, input:not([type=file])'))
      .filter((e) => e.offsetParent !== null)
      .map((e) => ({ id: e.id || e.textContent || e.tagName, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ id, r }) => `${id}: ${r.width.toFixed(0)}x${r.height.toFixed(0)}`),
  );
}

// The headers are checked in server-static.test.ts; here, what they buy in a real browser.
test('the served page is cross-origin isolated, so the library reads on 2 threads', async () => {
  if (!pageTestsCanRun) return console.log('  SKIPPED page layout test: chromium is missing');
  const { page } = browser!;
  await page.goto(server!.url);
  await waitReady(page);
  assert.is(await page.evaluate(() => crossOriginIsolated), true);
  assert.match(String(await page.evaluate(() => document.body.dataset['backend'])), /^wasm \(.*, 2 threads\)$/);
  assert.ok(workers.some((url) => /\/v\/[\w-]+\/lib\/kernels\/wasm\/gemm-worker-browser\.js$/.test(url)), `the compute thread started from the versioned library: ${workers.join(', ')}`);
});

for (const viewport of VIEWPORTS) {
  test(`${viewport.width}x${viewport.height}: pad and answer on screen, no overflow, 44 px targets, six digits fit`, async () => {
    if (!pageTestsCanRun) return;
    const { page, errors } = browser!;
    await page.setViewportSize(viewport);
    await page.goto(server!.url);
    await waitReady(page);
    const tag = `${viewport.width}x${viewport.height}`;

    const padBefore = await box(page, '#pad');
    await drawStrokes(page, SEVEN);
    assert.is(await waitAnswer(page, 'browser'), '7');
    assert.equal(await box(page, '#pad'), padBefore, `${tag}: the pad did not move while reading`);
    assert.is(await page.evaluate(() => scrollY), 0);
    inside(await box(page, '#pad'), viewport, `${tag} pad`);
    inside(await box(page, '#result-summary'), viewport, `${tag} answer`);
    inside(await box(page, '#upload'), viewport, `${tag} upload button`);
    await noHorizontalOverflow(page, tag);
    assert.equal(await smallTargets(page), [], `${tag}: tap targets under 44 px`);

    // The answer is announced: it is in a polite, atomic live region.
    assert.is(await page.getAttribute('#result-summary', 'aria-live'), 'polite');
    assert.is(await page.getAttribute('#result-summary', 'aria-atomic'), 'true');
    assert.match(await page.locator('#result-summary').innerText(), /7\s+\d+\.\d% confident/);
    assert.match(await page.locator('#result-source').innerText(), /in your browser \(.*2 threads\)/);
    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-output', `page-${tag}-digit.png`) });

    // Pressing the selected toggle changes nothing; switching to numbers keeps (and re-reads) the drawing.
    const drawn = await ink(page);
    await page.click('#read-digit');
    assert.is(await ink(page), drawn, 'clicking the selected "One digit" keeps the drawing');
    await page.click('#read-number');
    assert.ok((await ink(page)) > drawn * 0.8, 'switching to "A number" keeps the drawing');
    assert.is(await waitAnswer(page, 'browser'), '7');

    await page.click('#clear');
    const wideBefore = await box(page, '#pad');
    await drawStrokes(page, SIX_ONES);
    const text = await waitAnswer(page, 'browser');
    assert.is(text.length, 6, `six strokes read as six characters: '${text}'`);
    assert.equal(await box(page, '#pad'), wideBefore, `${tag}: a six-digit answer does not move the pad`);
    await noHorizontalOverflow(page, `${tag} with a six-digit answer`);
    const digits = await box(page, '#result-digit');
    const confidence = await box(page, '#result-confidence');
    assert.not.ok(intersects(digits, confidence), `${tag}: digits ${JSON.stringify(digits)} and confidence ${JSON.stringify(confidence)} do not overlap`);
    inside(await box(page, '#pad'), viewport, `${tag} wide pad`);
    inside(await box(page, '#result-summary'), viewport, `${tag} six-digit answer`);
    assert.equal(await smallTargets(page), [], `${tag}: tap targets (chips included) under 44 px`);

    await page.screenshot({ path: join(ROOT, 'test-output', `page-${tag}.png`) });
    await page.click('#read-digit');
    assert.equal(errors, []);
  });
}

test.run();
