// BatchNormalization, AveragePooling2D, GlobalAverage/GlobalMaxPooling2D and Reshape: float64
// finite-difference gradients, Keras' training/inference semantics of BatchNormalization, the
// WASM backend against the reference on whole models, save → load, and bad input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AveragePooling2D, BatchNormalization, GlobalAveragePooling2D, GlobalMaxPooling2D, Reshape } from '../src/layers/index.js';
import { layers, loadModel, oneHot, optimizers, Sequential, tensor, type ModelJson, type NamedWeight } from '../src/index.js';
import { gradCheckLayer } from './helpers/gradcheck.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { saveToMemory } from './helpers/save-memory.js';
import { rejects } from './helpers/rejects.js';
import { maxAbsDiff as maxDiff } from './helpers/max-abs-diff.js';

const TOLERANCE = 1e-6;
const quiet = { verbose: 0 as const };

function expectGradients(label: string, result: ReturnType<typeof gradCheckLayer>): void {
  assert.ok(result.checked > 0, `${label}: nothing checked`);
  assert.ok(result.worst < TOLERANCE, `${label}: worst relative error ${result.worst.toExponential(2)} at ${result.where}`);
}

function byName(ws: readonly NamedWeight[]): Map<string, Float32Array> {
  return new Map(ws.map((w) => [w.name, w.data]));
}


// ------------------------------------------------------------------- gradients (float64 FD)

test('BatchNormalization gradients in training (batch statistics): NHWC and 2-D, input, gamma and beta', () => {
  const nhwc = gradCheckLayer(new BatchNormalization(), [3, 4, 5], 2, 1, true);
  expectGradients('bn nhwc', nhwc);
  assert.ok(nhwc.checked === 2 * 60 + 5 + 5, `checked ${nhwc.checked}: input, gamma and beta`);
  expectGradients('bn 2-D', gradCheckLayer(new BatchNormalization({ epsilon: 0.01 }), [7], 5, 2, true));
  expectGradients('bn no center', gradCheckLayer(new BatchNormalization({ center: false }), [2, 2, 3], 3, 3, true));
  expectGradients('bn no scale, no center', gradCheckLayer(new BatchNormalization({ center: false, scale: false }), [6], 4, 4, true));
});

test('BatchNormalization frozen (trainable false) runs in inference mode: its input gradient', () => {
  const layer = new BatchNormalization({ trainable: false });
  expectGradients('bn frozen', gradCheckLayer(layer, [2, 3, 4], 2, 5, true, false));
});

test('AveragePooling2D valid, same (padding left out of the count) and overlapping strides', () => {
  expectGradients('avg valid', gradCheckLayer(new AveragePooling2D({ poolSize: 2 }), [4, 6, 2], 2));
  expectGradients('avg same', gradCheckLayer(new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }), [5, 4, 3], 2));
  expectGradients('avg overlap', gradCheckLayer(new AveragePooling2D({ poolSize: [2, 3], strides: 1 }), [4, 5, 2], 1));
});

test('GlobalAveragePooling2D, GlobalMaxPooling2D and Reshape', () => {
  expectGradients('gap', gradCheckLayer(new GlobalAveragePooling2D(), [3, 4, 5], 2));
  expectGradients('gmp', gradCheckLayer(new GlobalMaxPooling2D(), [3, 4, 5], 2));
  expectGradients('reshape', gradCheckLayer(new Reshape({ targetShape: [-1, 3] }), [4, 3, 2], 2));
});

test('a wrong BatchNormalization input gradient is caught (the check can fail)', () => {
  const layer = new BatchNormalization();
  const original = layer.backward.bind(layer);
  layer.backward = (ctx, dy, dx, batch) => {
    const at = original(ctx, dy, dx, batch)!;
    ctx.backend.f32()[at + 1]! *= 1.01;
    return at;
  };
  assert.ok(gradCheckLayer(layer, [4], 3, 1, true).worst > 1e-4);
});

// ------------------------------------------------------------ BatchNormalization semantics

function bnModel(backend: 'js' | 'wasm', args: ConstructorParameters<typeof BatchNormalization>[0] = {}): Sequential {
  return new Sequential(
    [
      layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [6, 6, 2] }),
      layers.batchNormalization(args),
      layers.activation({ activation: 'relu' }),
      layers.globalAveragePooling2d(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { backend, seed: 7, threads: 1 },
  );
}

function data(n: number, seed = 1) {
  const rand = mulberry32(seed);
  // Far from zero mean and unit variance, so normalizing changes something.
  return { x: tensor(randomArray(rand, n * 6 * 6 * 2, 2, 5), [n, 6, 6, 2]), y: oneHot(Array.from({ length: n }, (_, i) => i % 3), 3) };
}

test('BatchNormalization: training moves the moving statistics by momentum toward the batch statistics; inference uses them', async () => {
  const model = new Sequential([layers.batchNormalization({ momentum: 0.75, inputShape: [3] }), layers.dense({ units: 2, activation: 'softmax' })], { backend: 'js', seed: 2 });
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'categoricalCrossentropy' });
  const rows = [1, 10, -3, 3, 14, -5, 5, 18, -4, 7, 22, -8];
  const x = tensor(rows, [4, 3]);
  await model.fit(x, oneHot([0, 1, 0, 1], 2), { batchSize: 4, epochs: 1, shuffle: false, ...quiet });
  const w = byName(model.getWeights());
  for (let c = 0; c < 3; c++) {
    const column = [0, 1, 2, 3].map((r) => rows[r * 3 + c]!);
    const mean = column.reduce((a, b) => a + b, 0) / 4;
    const variance = column.reduce((a, b) => a + (b - mean) ** 2, 0) / 4; // biased, as Keras
    assert.ok(Math.abs(w.get('batch_normalization/moving_mean')![c]! - 0.25 * mean) < 1e-5, `moving_mean[${c}]`);
    assert.ok(Math.abs(w.get('batch_normalization/moving_variance')![c]! - (0.75 + 0.25 * variance)) < 1e-4, `moving_variance[${c}]`);
  }
  // Inference: (x − moving_mean)/√(moving_variance + ε)·γ + β with γ = 1, β = 0 (lr 0).
  const bn = model.layers[0] as BatchNormalization;
  const probe = new Sequential([layers.batchNormalization({ momentum: 0.75, inputShape: [3] })], { backend: 'js' });
  await probe.build();
  probe.setWeights(model.getWeights().filter((x) => x.name.startsWith('batch_normalization/')));
  const y = (await probe.predict(x)).data;
  for (let i = 0; i < rows.length; i++) {
    const c = i % 3;
    const expected = (rows[i]! - w.get('batch_normalization/moving_mean')![c]!) / Math.sqrt(w.get('batch_normalization/moving_variance')![c]! + bn.epsilon);
    assert.ok(Math.abs(y[i]! - expected) < 1e-5, `inference y[${i}] = ${y[i]}, expected ${expected}`);
  }
});

test('BatchNormalization frozen during fit: inference mode, weights and moving statistics untouched; the layers below still learn', async () => {
  const model = bnModel('js');
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  const { x, y } = data(12);
  await model.fit(x, y, { batchSize: 4, epochs: 1, ...quiet });
  model.layers[1]!.trainable = false;
  const before = byName(model.getWeights());
  await model.fit(x, y, { batchSize: 4, epochs: 1, ...quiet });
  const after = byName(model.getWeights());
  for (const name of ['gamma', 'beta', 'moving_mean', 'moving_variance']) {
    assert.equal(after.get(`batch_normalization/${name}`), before.get(`batch_normalization/${name}`), `${name} changed while frozen`);
  }
  assert.not.equal(after.get('conv2d/kernel'), before.get('conv2d/kernel'), 'the conv below did not learn');
  // In inference mode fit's forward is evaluate's: the loss of one whole-batch step (computed
  // before the update) equals evaluate's loss just before it. With batch statistics it would not.
  const evaluated = (await model.evaluate(x, y, { batchSize: 12 })).loss;
  const fitted = (await model.fit(x, y, { batchSize: 12, epochs: 1, shuffle: false, ...quiet })).history['loss']![0]!;
  assert.ok(Math.abs(evaluated - fitted) < 1e-6, `frozen fit loss ${fitted} vs evaluate ${evaluated}`);
  model.layers[1]!.trainable = true;
  const evaluated2 = (await model.evaluate(x, y, { batchSize: 12 })).loss;
  const fitted2 = (await model.fit(x, y, { batchSize: 12, epochs: 1, shuffle: false, ...quiet })).history['loss']![0]!;
  assert.ok(Math.abs(evaluated2 - fitted2) > 1e-4, `trainable: batch statistics should change the loss (${fitted2} vs ${evaluated2})`);
});

test('the WASM backend trains a BatchNorm + pooling model as the reference does', async () => {
  const { x, y } = data(16, 3);
  const results: Map<string, Float32Array>[] = [];
  for (const backend of ['js', 'wasm'] as const) {
    const model = new Sequential(
      [
        layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', inputShape: [6, 6, 2] }),
        layers.batchNormalization(),
        layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        layers.batchNormalization({ center: false }),
        layers.globalMaxPooling2d(),
        layers.reshape({ targetShape: [2, -1] }),
        layers.flatten(),
        layers.batchNormalization({ scale: false }),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
      { backend, seed: 11, threads: 1 },
    );
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
    await model.fit(x, y, { batchSize: 8, epochs: 2, shuffle: false, ...quiet });
    results.push(byName(model.getWeights()));
  }
  const [js, wasm] = results as [Map<string, Float32Array>, Map<string, Float32Array>];
  assert.equal([...js.keys()], [...wasm.keys()]);
  for (const [name, ref] of js) {
    const scale = Math.max(...ref.map(Math.abs), 1e-3);
    assert.ok(maxDiff(ref, wasm.get(name)!) <= 1e-4 * Math.max(scale, 1), `${name}: backends differ by ${maxDiff(ref, wasm.get(name)!)}`);
  }
});

test('save → load keeps the Keras weight names and order, config options and predictions', async () => {
  const model = bnModel('wasm', { momentum: 0.9, epsilon: 0.01, center: false });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  const { x, y } = data(8);
  await model.fit(x, y, { batchSize: 4, epochs: 1, ...quiet });
  const saved = await saveToMemory(model);
  assert.equal(
    saved.modelJson.weightsManifest[0]!.weights.map((w) => w.name),
    ['conv2d/kernel', 'conv2d/bias', 'batch_normalization/gamma', 'batch_normalization/moving_mean', 'batch_normalization/moving_variance', 'dense/kernel', 'dense/bias'],
  );
  const back = await loadModel(saved, { backend: 'js' });
  const bn = back.layers[1] as BatchNormalization;
  assert.equal([bn.momentum, bn.epsilon, bn.center, bn.scale], [0.9, 0.01, false, true]);
  assert.is(back.layers[3]!.className, 'GlobalAveragePooling2D');
  assert.ok(maxDiff((await model.predict(x)).data, (await back.predict(x)).data) < 1e-5);
  let text = '';
  back.summary((t) => (text = t));
  assert.ok(text.includes('Non-trainable params: 8 '), text);
});

// --------------------------------------------------------------------------- bad input

test('bad options and shapes are named errors', () => {
  assert.throws(() => new BatchNormalization({ momentum: 1.5 }), /momentum must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => new BatchNormalization({ epsilon: 0 }), /epsilon must be a positive number/);
  assert.throws(() => new BatchNormalization({ axis: 1 }).build([4, 4, 3]), /only the last \(channel\) axis: axis must be -1 or 3, got 1/);
  new BatchNormalization({ axis: 3 }).build([4, 4, 3]);
  assert.throws(() => new Reshape({ targetShape: [-1, -1] }), /-1 only once/);
  assert.throws(() => new Reshape({ targetShape: [0, 2] }), /positive integers/);
  assert.throws(() => new Reshape({ name: 'r', targetShape: [5, -1] }).build([4, 3]), /Reshape layer 'r': cannot reshape 12 values per sample to \[5,-1\]/);
  assert.throws(() => new Reshape({ targetShape: [5, 2] }).build([4, 3]), /cannot reshape 12 values per sample to \[5,2\] \(10 values\)/);
  assert.throws(() => new GlobalAveragePooling2D().build([12]), /rank 3 per sample/);
  assert.throws(() => new AveragePooling2D({ poolSize: 5 }).build([4, 4, 1]), /does not fit/);
});

test('model files with options wasmnn does not compute are refused with the option named', async () => {
  const topology = (layer: Record<string, unknown>) => ({
    modelJson: {
      format: 'layers-model',
      modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [layer] } },
      weightsManifest: [{ paths: ['w.bin'], weights: [] }],
    } as unknown as ModelJson,
    weightData: new Uint8Array(0),
  });
  const gap = { class_name: 'GlobalAveragePooling2D', config: { name: 'g', keepdims: true, batch_input_shape: [null, 4, 4, 2] } };
  await rejects(() => loadModel(topology(gap)), /keepdims true is not supported/);
  const bn = { class_name: 'BatchNormalization', config: { name: 'b', renorm: true, batch_input_shape: [null, 4] } };
  await rejects(() => loadModel(topology(bn)), /renorm true is not supported/);
});

test.run();
