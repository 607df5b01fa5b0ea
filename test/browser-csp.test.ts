/**
 * A page whose Content-Security-Policy forbids compiling WebAssembly (no 'wasm-unsafe-eval'):
 * the default backend falls back to the plain-JS one with one console warning that names the
 * directive to add, and still predicts; asking for 'wasm' explicitly throws that message.
 * Control: the same page without the policy runs the WASM backend.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chromiumAvailable as available, openBlankPage } from './helpers/chromium.js';

async function backendsUnder(pageHeaders: Record<string, string>): Promise<{ auto: string; explicit: string; prediction: number; warnings: string[] }> {
  const browser = await openBlankPage({ pageHeaders });
  const warnings: string[] = [];
  browser.page.on('console', (m) => void (m.type() === 'warning' && warnings.push(m.text())));
  try {
    const result = await browser.page.evaluate(async () => {
      const w = await import(`${location.origin}/lib/index.js`);
      // (No named helper functions in here: tsx would wrap them in a helper the page lacks.)
      const auto = w.describeBackend(await w.createBackend('auto')) as string;
      await w.createBackend('auto'); // a second backend: the warning is not repeated
      const explicit = await w.createBackend('wasm').then(w.describeBackend, (err: Error) => `error: ${err.message}`) as string;
      const model = new w.Sequential([w.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones' })]);
      const prediction = (await model.predict(w.tensor([[1, 2]]))).dataSync()[0] as number;
      return { auto, explicit, prediction };
    });
    return { ...result, warnings };
  } finally {
    await browser.close();
  }
}

test("a CSP without 'wasm-unsafe-eval': 'auto' falls back to JS with one warning, 'wasm' throws", async () => {
  if (!available) return console.log('  SKIPPED browser CSP test: chromium or dist/ is missing');
  const r = await backendsUnder({ 'content-security-policy': "script-src 'self'" });
  assert.is(r.auto, 'js');
  assert.match(r.explicit, /^error: wasmnn: this page's Content-Security-Policy does not allow compiling WebAssembly; add 'wasm-unsafe-eval' to its script-src/);
  assert.is(r.warnings.filter((w) => w.includes("add 'wasm-unsafe-eval'")).length, 1, r.warnings.join('\n'));
  assert.is(r.prediction, 3);
});

test("the same page allowing 'wasm-unsafe-eval' runs the WASM backend, silently", async () => {
  if (!available) return;
  const r = await backendsUnder({ 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'" });
  assert.match(r.auto, /^wasm \(/);
  assert.match(r.explicit, /^wasm \(/);
  assert.equal(r.warnings, []);
  assert.is(r.prediction, 3);
});

test.run();
