/**
 * wasmnn/worker under Node: WorkerModel in a worker thread — a model made in the main thread
 * trains there with progress in the main thread, saves to a directory (from the main thread)
 * that loadModel reads back with the same predictions, loads from a directory inside the thread,
 * and cancel() stops a long fit after its current batch. The browser side is
 * test/browser-worker.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, Sequential, layers, tensor, type Tensor } from '../src/index.node.js';
import { WorkerModel } from '../src/worker/node.js';
import { maxAbsDiff } from './helpers/max-abs-diff.js';

const n = 96;
const x = tensor(new Float32Array(n * 6).map((_, i) => ((i * 2654435761) % 1000) / 1000), [n, 6]);
const y = tensor(Array.from({ length: n }, (_, i) => [x.data[i * 6]! + x.data[i * 6 + 1]! > 1 ? 1 : 0]), [n, 1]);
const makeModel = (): Sequential => new Sequential([layers.dense({ units: 8, activation: 'relu', inputShape: [6] }), layers.dense({ units: 1, activation: 'sigmoid' })], { seed: 4 });

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasmnn-worker-node-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a model trains in a worker thread with progress, saves to a directory and loads back with the same predictions', async () => {
  const wm = await WorkerModel.create(makeModel());
  try {
    assert.equal(wm.inputShape, [6]);
    await wm.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    let batches = 0;
    const epochs: number[] = [];
    const history = await wm.fit(x, y, { epochs: 3, batchSize: 32, callbacks: { onBatchEnd: () => void batches++, onEpochEnd: (e) => void epochs.push(e) } });
    assert.is(batches, 9);
    assert.equal(epochs, [0, 1, 2]);
    assert.is(history.history['loss']!.length, 3);
    const inThread = await wm.predict(x);
    await wm.save(join(dir, 'trained'));
    const loaded = await loadModel(join(dir, 'trained'));
    const here: Tensor = await loaded.predict(x);
    assert.ok(maxAbsDiff(here.data, inThread.data) <= 1e-5);
    // A location is read inside the thread (relative paths resolve against the same directory).
    const again = await WorkerModel.create(join(dir, 'trained'));
    assert.ok(maxAbsDiff((await again.predict(x)).data, here.data) <= 1e-5);
    await again.dispose();
  } finally {
    await wm.dispose();
  }
});

test('a built page model crosses with its weights and frozen layers: fit in the worker leaves a frozen layer as it was', async () => {
  const model = makeModel();
  await model.build();
  model.layers[0]!.trainable = false;
  const before = model.getWeights();
  const wm = await WorkerModel.create(model);
  try {
    assert.equal(await wm.getWeights(), before, 'the page model\'s weights');
    await wm.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    await wm.fit(x, y, { epochs: 2, batchSize: 16 });
    const after = new Map((await wm.getWeights()).map((w) => [w.name, w.data]));
    for (const w of before) {
      const frozen = w.name.startsWith(model.layers[0]!.name + '/');
      assert.is(maxAbsDiff(after.get(w.name)!, w.data) === 0, frozen, `${w.name} ${frozen ? 'kept' : 'trained'}`);
    }
  } finally {
    await wm.dispose();
  }
});

test('a callback that throws in the main thread ends the fit with its own error; worker errors keep their message', async () => {
  const wm = await WorkerModel.create(makeModel());
  try {
    await wm.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const stop = new Error('enough after one epoch');
    const error = await wm.fit(x, y, { epochs: 1000, callbacks: { onEpochEnd: () => { throw stop; } } }).then(() => null, (e: unknown) => e);
    assert.is(error, stop);
    const bad = await wm.fit(tensor(new Float32Array(4 * 5), [4, 5]), tensor(new Float32Array(4), [4, 1])).then(() => null, (e: Error) => e);
    assert.ok(bad instanceof Error);
    assert.is(bad.message, 'fit: x has shape (4, 5) but the model expects (None, 6)');
    assert.match(bad.stack ?? '', /model-host/, "the worker's stack");
    // The model is still there after both.
    assert.equal((await wm.predict(x)).shape, [n, 1]);
  } finally {
    await wm.dispose();
  }
});

test('cancel() stops a long fit within a few batches: the fit rejects with AbortError and the model stays usable', async () => {
  // Batches of a real size (a 28x28 CNN), so a batch takes longer than a message to the thread.
  const images = tensor(new Float32Array(128 * 784).map((_, i) => ((i * 2654435761) % 1000) / 1000), [128, 28, 28, 1]);
  const labels = tensor(Array.from({ length: 128 }, (_, i) => i % 10), [128, 1]);
  const cnn = new Sequential([layers.conv2d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }), layers.flatten(), layers.dense({ units: 10, activation: 'softmax' })], { seed: 5 });
  const wm = await WorkerModel.create(cnn);
  try {
    await wm.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    let batches = 0;
    let cancelling: Promise<void> | null = null;
    const fit = wm.fit(images, labels, {
      epochs: 1_000_000,
      batchSize: 32,
      callbacks: { onBatchEnd: () => void (++batches === 5 && (cancelling = wm.cancel())) },
    });
    const error = await fit.then(() => null, (e: Error) => e);
    await cancelling;
    assert.ok(error instanceof Error);
    assert.is(error.name, 'AbortError');
    assert.match(error.message, /^WorkerModel\.fit: cancelled in epoch 2 after \d batch(es)?; the model keeps the weights trained so far$/);
    assert.ok(batches - 5 <= 3, `${batches - 5} batches ended after cancel()`);
    assert.equal((await wm.predict(images)).shape, [128, 10]);
  } finally {
    await wm.dispose();
  }
});

test.run();
