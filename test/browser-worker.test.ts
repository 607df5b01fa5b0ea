/**
 * wasmnn/worker in real Chromium, loaded from dist/ as a plain <script type=module> would load
 * it (the worker module is found next to the library's own): a model built in the page trains
 * in a worker with batch and epoch progress in the page; what it saves to IndexedDB loads in the
 * page and predicts what the worker predicts; cancel() stops a long fit within a few batches and
 * leaves the model usable; errors in the worker arrive as Errors with the worker's message.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { chromiumAvailable as available, openBlankPage, type BrowserPage } from './helpers/chromium.js';

let browser: BrowserPage | null = null;
let page: Page;
const errors: string[] = [];

test.before(async () => {
  if (!available) return;
  browser = await openBlankPage();
  page = browser.page;
  page.on('pageerror', (err) => errors.push(err.message));
  // tsx wraps the named functions of the page code below in a __name helper the page lacks.
  await page.evaluate('globalThis.__name = (f) => f');
  // Synthetic data: 4x4 images of 3 classes (a bright row, column or diagonal, with noise), and
  // a small CNN for them, made in the page.
  await page.evaluate(async () => {
    const w = await import(`${location.origin}/lib/index.js`);
    const n = 192;
    const x = new Float32Array(n * 16);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      y[i] = c;
      for (let p = 0; p < 16; p++) {
        const [r, col] = [p >> 2, p & 3];
        const on = c === 0 ? r === (i >> 2) % 4 : c === 1 ? col === (i >> 2) % 4 : r === col;
        x[i * 16 + p] = (on ? 0.8 : 0.1) + (((i * 16 + p) * 2654435761) % 97) / 970;
      }
    }
    const g = globalThis as Record<string, unknown>;
    g['data'] = { x: new w.Tensor(x, [n, 4, 4, 1]), y: new w.Tensor(y, [n, 1]) };
    g['makeModel'] = () =>
      new w.Sequential([w.layers.conv2d({ filters: 4, kernelSize: 2, activation: 'relu', inputShape: [4, 4, 1] }), w.layers.flatten(), w.layers.dense({ units: 3, activation: 'softmax' })], { seed: 7 });
  });
});

test.after(async () => {
  await browser?.close();
});

test('a page model trains in a worker with batch and epoch progress; saved to IndexedDB it predicts the same in the page', async () => {
  if (!available) return console.log('  SKIPPED browser worker test: chromium or dist/ is missing');
  const r = await page.evaluate(async () => {
    const w = await import(`${location.origin}/lib/index.js`);
    const { WorkerModel } = await import(`${location.origin}/lib/worker/index.js`);
    const g = globalThis as unknown as { data: { x: InstanceType<typeof w.Tensor>; y: InstanceType<typeof w.Tensor> }; makeModel: () => InstanceType<typeof w.Sequential> };
    const { x, y } = g.data;
    const wm = await WorkerModel.create(g.makeModel());
    await wm.compile({ optimizer: w.adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const events: string[] = [];
    const epochLosses: number[] = [];
    const history = await wm.fit(x, y, {
      epochs: 8,
      batchSize: 32,
      callbacks: {
        onTrainBegin: () => events.push('train'),
        onEpochBegin: (e: number) => events.push(`epoch ${e}`),
        onBatchEnd: (b: number, logs: { loss: number }) => events.push(`batch ${b} ${Number.isFinite(logs.loss)}`),
        onEpochEnd: (_e: number, logs: { loss: number }) => epochLosses.push(logs.loss),
        onTrainEnd: () => events.push('end'),
      },
    });
    const inWorker = await wm.predict(x);
    await wm.save('indexeddb://worker-trained');
    const before = x.data.length;
    await wm.dispose();
    const loaded = await w.loadModel('indexeddb://worker-trained');
    const inPage = await loaded.predict(x);
    let maxDiff = 0;
    for (let i = 0; i < inPage.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(inPage.data[i] - inWorker.data[i]));
    const accuracy = inPage.argMax().filter((c: number, i: number) => c === y.data[i]).length / y.data.length;
    return { events, epochLosses, historyLoss: history.history.loss, accuracy, maxDiff, shape: inWorker.shape, inputKept: x.data.length === before };
  });
  const batches = Array.from({ length: 6 }, (_, b) => `batch ${b} true`);
  assert.equal(r.events, ['train', ...Array.from({ length: 8 }, (_, e) => [`epoch ${e}`, ...batches]).flat(), 'end']);
  assert.equal(r.epochLosses, r.historyLoss, 'the epoch logs are the history');
  assert.ok(r.historyLoss[7]! < r.historyLoss[0]!, `the loss fell: ${r.historyLoss.join(', ')}`);
  assert.ok(r.accuracy >= 0.9, `trained in the worker: accuracy ${r.accuracy}`);
  assert.equal(r.shape, [192, 3]);
  assert.ok(r.maxDiff <= 1e-5, `page vs worker predictions: max |Δ| ${r.maxDiff}`);
  assert.ok(r.inputKept, 'inputs are copied unless transfer is asked for');
  assert.equal(errors, []);
});

test('cancel() stops a long fit within a few batches, the fit rejects with AbortError, and the model stays usable', async () => {
  if (!available) return;
  const r = await page.evaluate(async () => {
    const w = await import(`${location.origin}/lib/index.js`);
    const { WorkerModel } = await import(`${location.origin}/lib/worker/index.js`);
    // Batches of a real size (128 images of 28x28 through a CNN), so a batch takes longer than a
    // message to the worker, even on a loaded machine.
    const n = 2048;
    const x = new w.Tensor(new Float32Array(n * 784).map((_, i) => ((i * 2654435761) % 1000) / 1000), [n, 28, 28, 1]);
    const y = new w.Tensor(new Float32Array(n).map((_, i) => i % 10), [n, 1]);
    const model = new w.Sequential([w.layers.conv2d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }), w.layers.flatten(), w.layers.dense({ units: 10, activation: 'softmax' })], { seed: 3 });
    const wm = await WorkerModel.create(model);
    await wm.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    let batches = 0;
    let batchesAtCancel = -1;
    let cancelled: Promise<void> | null = null;
    const fit = wm.fit(x, y, {
      epochs: 100_000,
      batchSize: 128,
      callbacks: {
        onBatchEnd: () => {
          batches++;
          if (batches === 5) {
            batchesAtCancel = batches;
            cancelled = wm.cancel();
          }
        },
      },
    });
    const outcome = await fit.then(
      () => ({ name: 'resolved', message: '' }),
      (e: Error) => ({ name: e.name, message: e.message, isError: e instanceof Error }),
    );
    await cancelled;
    const after = batches;
    const prediction = await wm.predict(x);
    await wm.dispose();
    return { outcome, batchesAtCancel, batchesAfter: after - batchesAtCancel, predicted: prediction.shape };
  });
  assert.is(r.outcome.name, 'AbortError');
  assert.ok((r.outcome as { isError?: boolean }).isError);
  assert.is(r.batchesAtCancel, 5);
  assert.ok(r.batchesAfter <= 3, `${r.batchesAfter} batches ended after cancel(): ${r.outcome.message}`);
  assert.match(r.outcome.message, /^WorkerModel\.fit: cancelled in epoch 1 after \d batches; the model keeps the weights trained so far$/);
  assert.is(Number(/after (\d) batches/.exec(r.outcome.message)![1]), 5 + r.batchesAfter, 'the message counts the batches trained');
  assert.equal(r.predicted, [2048, 10]);
});

test('errors in the worker arrive as Errors with the original message; a worker that does not load and terminate() fail calls clearly', async () => {
  if (!available) return;
  const r = await page.evaluate(async () => {
    const w = await import(`${location.origin}/lib/index.js`);
    const { WorkerModel } = await import(`${location.origin}/lib/worker/index.js`);
    const g = globalThis as unknown as { makeModel: () => unknown };
    const wm = await WorkerModel.create(g.makeModel());
    const caught = async (run: () => Promise<unknown>): Promise<{ isError: boolean; message: string }> => {
      try {
        await run();
        return { isError: false, message: 'no error' };
      } catch (e) {
        return { isError: e instanceof Error, message: (e as Error).message };
      }
    };
    const badLoss = await caught(() => wm.compile({ optimizer: 'sgd', loss: 'nope' }));
    await wm.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const badShape = await caught(() => wm.fit(new w.Tensor(new Float32Array(10 * 9), [10, 3, 3, 1]), new w.Tensor(new Float32Array(10), [10, 1])));
    const missing = await caught(() => WorkerModel.create('indexeddb://no-such-model'));
    const noModule = await caught(() => WorkerModel.create(g.makeModel(), { worker: new Worker(`${location.origin}/lib/worker/no-such-module.js`, { type: 'module' }) }));
    const pending = caught(() => wm.fit(new w.Tensor(new Float32Array(64 * 16), [64, 4, 4, 1]), new w.Tensor(new Float32Array(64), [64, 1]), { epochs: 100_000 }));
    wm.terminate();
    const terminated = await pending;
    const later = await caught(() => wm.predict(new w.Tensor(new Float32Array(16), [1, 4, 4, 1])));
    return { badLoss, badShape, missing, noModule, terminated, later };
  });
  assert.ok(r.badLoss.isError);
  assert.match(r.badLoss.message, /^compile: unsupported loss 'nope'; supported: /);
  assert.ok(r.badShape.isError);
  assert.is(r.badShape.message, 'fit: x has shape (10, 3, 3, 1) but the model expects (None, 4, 4, 1)');
  assert.match(r.missing.message, /no-such-model/);
  assert.equal(r.noModule, { isError: true, message: "WorkerModel.create: the worker stopped: it failed to load or crashed (a bundled app must ship wasmnn's worker/model-worker.js next to worker-model.js)" });
  assert.equal(r.terminated, { isError: true, message: 'WorkerModel.fit: the worker was terminated' });
  assert.equal(r.later, { isError: true, message: 'WorkerModel.predict: the worker was terminated' });
});

test.run();
