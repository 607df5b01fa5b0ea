/**
 * Model I/O in a real browser (Debian's chromium through playwright-core) with the built core
 * (dist/, as a page imports it, no bundler): indexeddb://, localstorage:// (and its quota
 * error), downloads:// and loading the downloaded files as File objects, listModels and
 * removeModel — each across a page reload, with identical predictions. Skips only when
 * /usr/bin/chromium is missing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { loadModel, Sequential, layers } from '../src/index.node.js';
import { chromiumAvailable as available, openBlankPage, type BrowserPage } from './helpers/chromium.js';

let browser: BrowserPage | null = null;
let page: Page;

test.before(async () => {
  if (!available) return;
  browser = await openBlankPage({ acceptDownloads: true });
  page = browser.page;
});

test.after(async () => {
  await browser?.close();
});

/** Builds, trains a little and saves a model in the page; returns its predictions. */
function trainAndSave(locations: string[], units = 4): Promise<number[][]> {
  return page.evaluate(
    async ({ locations, units }) => {
      const w = await import(`${location.origin}/lib/index.js`);
      const model = new w.Sequential([w.layers.dense({ units, activation: 'relu', inputShape: [3] }), w.layers.dense({ units: 2, activation: 'softmax' })], { seed: 3 });
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
      const x = w.tensor([[0, 1, 2], [1, 0, 1], [2, 2, 0], [0, 0, 1]]);
      await model.fit(x, w.tensor([[1, 0], [0, 1], [1, 0], [0, 1]]), { epochs: 2, batchSize: 2, verbose: 0 });
      for (const where of locations) await model.save(where, { includeOptimizer: true });
      return (await model.predict(x)).toArray() as number[][];
    },
    { locations, units },
  );
}

/** Loads a model in the page (after the caller reloads it) and predicts the same inputs. */
function loadAndPredict(where: string): Promise<{ predictions: number[][]; epochs: number }> {
  return page.evaluate(async (where) => {
    const w = await import(`${location.origin}/lib/index.js`);
    const model = await w.loadModel(where);
    const predictions = (await model.predict(w.tensor([[0, 1, 2], [1, 0, 1], [2, 2, 0], [0, 0, 1]]))).toArray() as number[][];
    return { predictions, epochs: model.epochsCompleted as number };
  }, where);
}

function pageError(run: () => Promise<unknown>): Promise<string> {
  return run().then(
    () => 'no error',
    (err: Error) => err.message,
  );
}

test('indexeddb:// and localstorage:// survive a reload with identical predictions and training state', async () => {
  if (!available) return console.log('  SKIPPED browser I/O test: chromium or dist/ is missing');
  const saved = await trainAndSave(['indexeddb://digits', 'localstorage://digits']);
  await page.reload();
  for (const where of ['indexeddb://digits', 'localstorage://digits']) {
    const loaded = await loadAndPredict(where);
    assert.equal(loaded.predictions, saved, where);
    assert.is(loaded.epochs, 2, `${where}: the optimizer state came back (includeOptimizer)`);
  }
  const listed = await page.evaluate(async () => Object.keys(await (await import(`${location.origin}/lib/index.js`)).listModels()).sort());
  assert.equal(listed, ['indexeddb://digits', 'localstorage://digits']);
});

test('a localStorage save over the quota is a named error and the model saved before stays', async () => {
  if (!available) return;
  const before = await loadAndPredict('localstorage://digits');
  // 3 × 700,000 + … parameters: ~8 MB as float32, far over localStorage's ~5 MB per site.
  const message = await pageError(() => trainAndSave(['localstorage://digits'], 700_000));
  assert.match(message, /localstorage:\/\/digits: localStorage is full: this model needs about \d+ KB .* save it to indexeddb:\/\/digits instead \(the model saved there before is unchanged\)/);
  await page.reload();
  assert.equal((await loadAndPredict('localstorage://digits')).predictions, before.predictions);
});

test('removeModel removes; loading what is not there names the location', async () => {
  if (!available) return;
  const result = await page.evaluate(async () => {
    const w = await import(`${location.origin}/lib/index.js`);
    await w.removeModel('localstorage://digits');
    const errors: string[] = [];
    for (const run of [() => w.loadModel('localstorage://digits'), () => w.removeModel('indexeddb://nothing'), () => w.loadModel('downloads://x'), () => w.loadModel('./model')]) {
      await run().then(() => errors.push('no error'), (err: Error) => errors.push(err.message));
    }
    return { listed: Object.keys(await w.listModels()), errors, leftovers: Object.keys(localStorage).filter((k) => k.startsWith('wasmnn_models/')) };
  });
  assert.equal(result.listed, ['indexeddb://digits']);
  assert.equal(result.leftovers, [], 'every localStorage entry of the model is gone');
  assert.match(result.errors[0]!, /^no model saved at localstorage:\/\/digits$/);
  assert.match(result.errors[1]!, /^no model saved at indexeddb:\/\/nothing$/);
  assert.match(result.errors[2]!, /downloads are save-only/);
  assert.match(result.errors[3]!, /cannot use '\.\/model': no file system in this environment; use indexeddb:\/\/NAME/);
});

test('downloads:// gives NAME.json + NAME.weights.bin that load again as picked File objects, and in Node', async () => {
  if (!available) return;
  const downloads: { name: string; bytes: Buffer }[] = [];
  page.on('download', (d) => void d.path().then(async (p) => downloads.push({ name: d.suggestedFilename(), bytes: await readFile(p) })));
  const saved = await trainAndSave(['downloads://mine']);
  const deadline = Date.now() + 10_000;
  while (downloads.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(downloads.map((d) => d.name).sort(), ['mine.json', 'mine.weights.bin']);

  const files = downloads.map((d) => ({ name: d.name, bytes: [...d.bytes] }));
  const fromFiles = await page.evaluate(async (files) => {
    const w = await import(`${location.origin}/lib/index.js`);
    const picked = files.map((f) => new File([new Uint8Array(f.bytes)], f.name));
    const model = await w.loadModel(picked);
    const missing = await w.loadModel(picked.filter((f) => f.name.endsWith('.json'))).then(() => 'no error', (err: Error) => err.message);
    return { predictions: (await model.predict(w.tensor([[0, 1, 2], [1, 0, 1], [2, 2, 0], [0, 0, 1]]))).toArray() as number[][], missing };
  }, files);
  assert.equal(fromFiles.predictions, saved);
  assert.is(fromFiles.missing, 'mine.json needs the weight file(s) mine.weights.bin; pick them together with it');

  // The pair is an ordinary TF.js model: Node loads it from the artifacts too.
  const json = JSON.parse(downloads.find((d) => d.name === 'mine.json')!.bytes.toString('utf8')) as unknown;
  const node = await loadModel({ modelJson: json, weightData: new Uint8Array(downloads.find((d) => d.name === 'mine.weights.bin')!.bytes) });
  assert.is(node.epochsCompleted, 2);
  node.dispose();
});

test('in Node the browser stores are named errors', async () => {
  const model = new Sequential([layers.dense({ units: 2, inputShape: [3] })]);
  await model.build();
  for (const [where, pattern] of [
    ['indexeddb://x', /cannot use 'indexeddb:\/\/x': this environment has no IndexedDB/],
    ['localstorage://x', /cannot use 'localstorage:\/\/x': this environment has no localStorage/],
    ['downloads://x', /cannot use 'downloads:\/\/x': downloads need a browser page/],
  ] as const) {
    await model.save(where).then(() => assert.unreachable(where), (err: Error) => assert.match(err.message, pattern));
  }
  model.dispose();
});

test.run();
