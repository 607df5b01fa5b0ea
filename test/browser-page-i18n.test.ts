/**
 * The page in other languages, in real Chromium: the browser's language picks the strings
 * (Arabic here, laid out right to left without overflow), the selector switches them at once,
 * redraws the answer already shown, and is remembered across a reload. Screenshots:
 * test-output/page-ar-<width>x<height>.png.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pickLanguage } from '../src/server/page/i18n.js';
import { LANGUAGES, STRINGS } from '../src/server/page/strings.js';
import { drawStrokes, openBrowser, pageTestsCanRun, ROOT, SEVEN, startPageServer, waitAnswer, waitReady, type PageBrowser, type PageServer } from './helpers/page-server.js';

let server: PageServer | null = null;
/** A browser whose language is Arabic (Egypt). */
let arabic: PageBrowser | null = null;

test.before(async () => {
  if (!pageTestsCanRun) return;
  server = await startPageServer();
  arabic = await openBrowser({ viewport: { width: 390, height: 844 }, locale: 'ar-EG' });
});

test.after(async () => {
  await arabic?.close();
  server?.close();
});

test('pickLanguage: the stored choice, else the first spoken browser language, else English', () => {
  assert.is(pickLanguage(null, ['de-DE', 'fr-CA', 'en']), 'fr');
  assert.is(pickLanguage('ar', ['fr']), 'ar');
  assert.is(pickLanguage('xx', ['ES-mx']), 'es');
  assert.is(pickLanguage(null, ['de', 'ja']), 'en');
  assert.is(pickLanguage(null, []), 'en');
});

test('every language translates every text and keeps every placeholder', () => {
  const placeholders = (text: string): string[] => (text.match(/\{\w+\}/g) ?? []).sort();
  for (const lang of Object.keys(LANGUAGES) as (keyof typeof LANGUAGES)[]) {
    for (const [key, english] of Object.entries(STRINGS.en)) {
      const text = STRINGS[lang][key as keyof typeof STRINGS.en];
      if (typeof english === 'string') {
        assert.ok(typeof text === 'string' && text.trim() !== '', `${lang}.${key} is empty`);
        assert.equal(placeholders(text as string), placeholders(english), `${lang}.${key} placeholders`);
      }
    }
  }
});

for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
  test(`Arabic from the browser's language at ${viewport.width}x${viewport.height}: right to left, no overflow, answer in Arabic`, async () => {
    if (!pageTestsCanRun) return console.log('  SKIPPED page i18n test: chromium is missing');
    const { page, errors } = arabic!;
    await page.setViewportSize(viewport);
    await page.goto(server!.url);
    await waitReady(page);
    assert.equal(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['ar', 'rtl']);
    assert.is(await page.locator('#mode-browser').innerText(), STRINGS.ar.inBrowser);
    assert.is(await page.title(), STRINGS.ar.title);
    assert.is(await page.locator('#pad').getAttribute('aria-label'), STRINGS.ar.padLabel);
    await drawStrokes(page, SEVEN);
    assert.is(await waitAnswer(page, 'browser'), '7');
    assert.ok((await page.locator('#result-confidence').innerText()).startsWith('الثقة'), 'the confidence line is in Arabic');
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: innerWidth }));
    assert.ok(scroll <= inner, `scrollWidth ${scroll} <= innerWidth ${inner}`);
    for (const selector of ['#pad', '#result-summary']) {
      const b = (await page.locator(selector).boundingBox())!;
      assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= viewport.width && b.y + b.height <= viewport.height, `${selector} ${JSON.stringify(b)} on screen`);
    }
    // Right to left: the language menu sits left of the title, and on a wide screen the input card is on the right.
    const menu = (await page.locator('#language').boundingBox())!;
    const title = (await page.locator('h1').boundingBox())!;
    assert.ok(menu.x < title.x, 'the language menu is on the left');
    if (viewport.width > 640) {
      const input = (await page.locator('section[aria-labelledby="input-heading"]').boundingBox())!;
      const output = (await page.locator('#result').boundingBox())!;
      assert.ok(input.x > output.x, 'the input card is on the right');
    }
    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-output', `page-ar-${viewport.width}x${viewport.height}.png`) });
    assert.equal(errors, []);
  });
}

test('the selector switches the language at once, redraws the answer, and is remembered', async () => {
  if (!pageTestsCanRun) return;
  const browser = await openBrowser({ viewport: { width: 1100, height: 760 }, locale: 'en-US' });
  try {
    const { page, errors } = browser;
    await page.goto(server!.url);
    await waitReady(page);
    assert.is(await page.evaluate(() => document.documentElement.lang), 'en');
    await drawStrokes(page, SEVEN);
    assert.is(await waitAnswer(page, 'browser'), '7');
    await page.selectOption('#language', 'fr');
    assert.is(await page.locator('#mode-browser').innerText(), STRINGS.fr.inBrowser);
    assert.match(await page.locator('#result-confidence').innerText(), /^Confiance : \d+,\d\s?%/);
    assert.match(await page.locator('#result-source').innerText(), /^Lu dans votre navigateur/);
    assert.is(await page.evaluate(() => document.documentElement.dir), 'ltr');
    await page.reload();
    await waitReady(page);
    assert.is(await page.evaluate(() => document.documentElement.lang), 'fr');
    assert.is(await page.locator('#language').inputValue(), 'fr');
    assert.is(await page.locator('#result-confidence').innerText(), STRINGS.fr.waitingDigit);
    assert.equal(errors, []);
  } finally {
    await browser.close();
  }
});

test.run();
