// Rescaling and Normalization: gradients by finite differences, Keras' formulas, adapt, and a
// wasmnn save → load round trip. TF.js interop is in tfjs-preprocessing.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { layers, loadModel, Normalization, Rescaling, Sequential, tensor } from '../src/index.js';
import { gradCheckLayer } from './helpers/gradcheck.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { saveToMemory } from './helpers/save-memory.js';
import { maxAbsDiff } from './helpers/max-abs-diff.js';
import { rejects } from './helpers/rejects.js';

const TOLERANCE = 1e-6;

function expectGradients(label: string, result: ReturnType<typeof gradCheckLayer>): void {
  assert.ok(result.checked > 0, `${label}: nothing checked`);
  assert.ok(result.worst < TOLERANCE, `${label}: worst relative error ${result.worst.toExponential(2)} at ${result.where}`);
}

test('Rescaling and Normalization gradients match finite differences', () => {
  expectGradients('rescaling scalar', gradCheckLayer(new Rescaling({ scale: 1 / 255, offset: -0.5 }), [3, 4, 2], 2));
  expectGradients('rescaling per channel', gradCheckLayer(new Rescaling({ scale: [2, -0.5, 3], offset: [1, 0, -1] }), [2, 2, 3], 2));
  expectGradients('normalization (state)', gradCheckLayer(new Normalization(), [3, 3, 2], 2));
  expectGradients('normalization (fixed)', gradCheckLayer(new Normalization({ mean: [0.5, -1], variance: [4, 0.25] }), [5, 2], 3));
  expectGradients('normalization invert', gradCheckLayer(new Normalization({ invert: true }), [4, 3], 2));
});

const rand = mulberry32(7);
const x = tensor(randomArray(rand, 6 * 4 * 4 * 3, -2, 5), [6, 4, 4, 3]);

test('Rescaling computes x·scale + offset, per channel too', async () => {
  const model = new Sequential([layers.rescaling({ scale: [2, 0.5, -1], offset: 3, inputShape: [4, 4, 3] })], { backend: 'wasm', threads: 1 });
  const y = (await model.predict(x)).data;
  const expected = x.data.map((v, i) => v * [2, 0.5, -1][i % 3]! + 3);
  assert.ok(maxAbsDiff(y, expected) < 1e-5);
});

test('adapt computes per-channel mean and variance (biased) and count; predict standardizes with Keras\' formula', async () => {
  const norm = layers.normalization({ inputShape: [4, 4, 3] });
  norm.adapt(x);
  const model = new Sequential([norm], { backend: 'wasm', threads: 1 });
  await model.build();
  const w = new Map(model.getWeights().map((v) => [v.name, v]));
  assert.equal([...w.keys()], ['normalization/mean', 'normalization/variance', 'normalization/count']);
  assert.equal(w.get('normalization/count')!.shape, []);
  assert.is(w.get('normalization/count')!.data[0], 6 * 4 * 4);
  for (let c = 0; c < 3; c++) {
    const values = [...x.data].filter((_, i) => i % 3 === c);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    assert.ok(Math.abs(w.get('normalization/mean')!.data[c]! - mean) < 1e-5);
    assert.ok(Math.abs(w.get('normalization/variance')!.data[c]! - variance) < 1e-5);
  }
  const y = (await model.predict(x)).data;
  const m = w.get('normalization/mean')!.data;
  const v = w.get('normalization/variance')!.data;
  const expected = x.data.map((xv, i) => (xv - m[i % 3]!) / Math.max(Math.sqrt(v[i % 3]!), 1e-7));
  assert.ok(maxAbsDiff(y, expected) < 1e-5);
});

test('a zero variance divides by Keras\' epsilon, not by zero', async () => {
  const model = new Sequential([layers.normalization({ mean: 1, variance: 0, inputShape: [2] })], { backend: 'wasm', threads: 1 });
  const y = (await model.predict(tensor([[1, 1.0001]]))).data;
  assert.is(y[0], 0);
  assert.ok(Math.abs(y[1]! - 1e-4 / 1e-7) / (1e-4 / 1e-7) < 1e-2);
});

test('save → load keeps the options and the adapted statistics', async () => {
  const norm = layers.normalization({ inputShape: [4, 4, 3] });
  norm.adapt(x);
  const model = new Sequential(
    [norm, layers.rescaling({ scale: 0.5, offset: [1, 2, 3] }), layers.normalization({ mean: [1, 2, 3], variance: 2, invert: true })],
    { backend: 'wasm', threads: 1 },
  );
  const before = (await model.predict(x)).data;
  const saved = await saveToMemory(model);
  const classes = (saved.modelJson.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
  assert.equal(classes.map((l) => l.class_name), ['Normalization', 'Rescaling', 'Normalization']);
  assert.equal(classes[1]!.config['offset'], [1, 2, 3]);
  assert.equal(classes[2]!.config['axis'], [-1]);
  const loaded = await loadModel(saved, { backend: 'js' });
  const l2 = loaded.layers[2] as Normalization;
  assert.equal([l2.fixedMean, l2.fixedVariance, l2.invert], [[1, 2, 3], 2, true]);
  assert.ok((loaded.layers[1] as Rescaling).scale === 0.5);
  assert.ok(maxAbsDiff((await loaded.predict(x)).data, before) < 1e-5);
});

test('bad options and misuse are errors that name the problem', async () => {
  assert.throws(() => new Rescaling({ scale: Number.NaN }), /Rescaling: scale must be a finite number/);
  assert.throws(() => new Rescaling({ scale: 1, offset: [] }), /offset must be a finite number or a non-empty list/);
  assert.throws(() => new Normalization({ mean: 1 }), /give both mean and variance/);
  assert.throws(() => new Normalization({ mean: 0, variance: -1 }), /variance must be a non-negative number/);
  const wrongChannels = new Sequential([layers.rescaling({ scale: [1, 2], inputShape: [3, 3] })]);
  await rejects(() => wrongChannels.build(), /scale has 2 values but the last axis has 3 channels/);
  await rejects(() => new Sequential([layers.normalization({ axis: 1, inputShape: [3, 3] })]).build(), /only along the last axis: axis must be -1 or 2, got 1/);
  const norm = layers.normalization({ inputShape: [4, 4, 3] });
  assert.throws(() => norm.adapt(tensor(randomArray(rand, 12), [2, 2, 3])), /adapt\(\) got samples of shape/);
  const model = new Sequential([norm], { backend: 'js' });
  await model.build();
  assert.throws(() => norm.adapt(x), /adapt\(\) must come before the model is built/);
});

test.run();
