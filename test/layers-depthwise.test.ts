// DepthwiseConv2D, SeparableConv2D and Conv2D's dilationRate as layers: float64 finite-difference
// gradients (input, every parameter), Keras's option rules with named errors, and a model using
// all three trained on the WASM backend against the same model on the reference backend, saved,
// loaded, and exported to ONNX (judged by onnxruntime-web).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Conv2D, DepthwiseConv2D, SeparableConv2D } from '../src/layers/index.js';
import { layers, loadModel, optimizers, Sequential, tensor, oneHot } from '../src/index.js';
import { gradCheckLayer } from './helpers/gradcheck.js';
import { maxAbsDiff, runOnnx } from './helpers/onnx-runtime.js';
import { mulberry32, randomArray } from './helpers/random.js';

const TOLERANCE = 1e-6;

function expectGradients(label: string, result: ReturnType<typeof gradCheckLayer>): void {
  assert.ok(result.checked > 0, `${label}: nothing checked`);
  assert.ok(result.worst < TOLERANCE, `${label}: worst relative error ${result.worst.toExponential(2)} at ${result.where}`);
}

test('DepthwiseConv2D gradients: valid, same + stride 2, multiplier, dilation, no bias', () => {
  expectGradients('valid relu', gradCheckLayer(new DepthwiseConv2D({ kernelSize: 3, activation: 'relu' }), [5, 6, 3], 2));
  expectGradients('same s2 tanh', gradCheckLayer(new DepthwiseConv2D({ kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'tanh' }), [5, 4, 2], 2));
  expectGradients('multiplier 3', gradCheckLayer(new DepthwiseConv2D({ kernelSize: 2, depthMultiplier: 3, activation: 'sigmoid' }), [4, 4, 2], 2));
  expectGradients('dilation 2 same', gradCheckLayer(new DepthwiseConv2D({ kernelSize: 3, dilationRate: 2, padding: 'same', useBias: false }), [6, 5, 2], 2));
  expectGradients('dilation 2x1 multiplier 2', gradCheckLayer(new DepthwiseConv2D({ kernelSize: 2, dilationRate: [2, 1], depthMultiplier: 2 }), [5, 4, 2], 1));
});

test('SeparableConv2D gradients: valid, same + stride 2 + multiplier, dilation, softmax output, no bias', () => {
  expectGradients('valid relu', gradCheckLayer(new SeparableConv2D({ filters: 4, kernelSize: 3, activation: 'relu' }), [5, 5, 3], 2));
  expectGradients('same s2 m2', gradCheckLayer(new SeparableConv2D({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, activation: 'tanh' }), [5, 6, 2], 2));
  expectGradients('dilated', gradCheckLayer(new SeparableConv2D({ filters: 2, kernelSize: 2, dilationRate: 2, useBias: false }), [5, 5, 3], 2));
  expectGradients('softmax', gradCheckLayer(new SeparableConv2D({ filters: 3, kernelSize: 1, activation: 'softmax' }), [2, 3, 2], 2));
});

test('Conv2D dilationRate gradients: valid, same, unequal rates', () => {
  expectGradients('dilation 2', gradCheckLayer(new Conv2D({ filters: 3, kernelSize: 3, dilationRate: 2, activation: 'relu' }), [7, 6, 2], 2));
  expectGradients('dilation 2 same', gradCheckLayer(new Conv2D({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'tanh' }), [5, 6, 2], 2));
  expectGradients('dilation 3x2', gradCheckLayer(new Conv2D({ filters: 2, kernelSize: [2, 3], dilationRate: [3, 2], useBias: false }), [6, 7, 2], 1));
});

test('a wrong depthwise gradient is caught (the check can fail)', () => {
  const layer = new DepthwiseConv2D({ kernelSize: 2 });
  const original = layer.backward.bind(layer);
  layer.backward = (ctx, dy, dx, batch) => {
    const r = original(ctx, dy, dx, batch);
    const g = layer.param('depthwise_kernel').grad;
    ctx.backend.f32()[g + 1] = ctx.backend.f32()[g + 1]! * 1.01;
    return r;
  };
  assert.ok(gradCheckLayer(layer, [4, 4, 2], 2).worst > 1e-4);
});

test('shapes and parameters: Keras output shapes, weight names and shapes', async () => {
  const model = new Sequential([
    layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', inputShape: [10, 9, 3] }),
    layers.separableConv2d({ filters: 5, kernelSize: 3, strides: 2 }),
    layers.conv2d({ filters: 4, kernelSize: 2, dilationRate: 2 }), // a 2×2 kernel dilated by 2 spans 3 pixels
  ]);
  await model.build();
  assert.equal(model.layers.map((l) => l.outputShape), [[10, 9, 6], [4, 4, 5], [2, 2, 4]]);
  assert.equal(
    model.getWeights().map((w) => `${w.name} ${w.shape.join('x')}`),
    [
      'depthwise_conv2d/depthwise_kernel 3x3x3x2', 'depthwise_conv2d/bias 6',
      'separable_conv2d/depthwise_kernel 3x3x6x1', 'separable_conv2d/pointwise_kernel 1x1x6x5', 'separable_conv2d/bias 5',
      'conv2d/kernel 2x2x5x4', 'conv2d/bias 4',
    ],
  );
});

test('errors: strides with dilation (Keras message), bad depthMultiplier, a dilated window that does not fit', () => {
  for (const make of [
    () => new Conv2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }),
    () => new DepthwiseConv2D({ kernelSize: 3, strides: [1, 2], dilationRate: [2, 1] }),
    () => new SeparableConv2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }),
  ]) {
    assert.throws(make, /`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=\[\d,\d\] and dilation_rate=\[\d,\d\]/);
  }
  assert.throws(() => new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 0 }), /DepthwiseConv2D: depthMultiplier must be a positive integer, got 0/);
  assert.throws(() => new SeparableConv2D({ filters: 2, kernelSize: 3, depthMultiplier: 1.5 }), /SeparableConv2D: depthMultiplier must be a positive integer, got 1.5/);
  assert.throws(() => new SeparableConv2D({ filters: 0, kernelSize: 3 }), /SeparableConv2D: filters must be a positive integer, got 0/);
  assert.throws(() => new Conv2D({ filters: 2, kernelSize: 3, dilationRate: 0 }), /Conv2D: dilationRate must be a positive integer or a pair of them, got 0/);
  const tooSmall = new Sequential([layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 3, name: 'atrous', inputShape: [6, 6, 1] })]);
  assert.throws(() => tooSmall.summary(() => {}), /Conv2D layer 'atrous': a 3x3 kernel dilated by 3x3 with 'valid' padding does not fit \(input shape/);
});

/** A small model using all three: depthwise (multiplier 2, dilated), separable (stride 2), dilated conv. */
function mixedModel(backend: 'js' | 'wasm'): Sequential {
  return new Sequential(
    [
      layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, dilationRate: 2, padding: 'same', activation: 'relu', inputShape: [12, 12, 3] }),
      layers.separableConv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      layers.conv2d({ filters: 6, kernelSize: 3, dilationRate: 2, activation: 'relu' }),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { backend, seed: 9 },
  );
}

test('a model with all three trains the same on WASM as on the reference backend, and saves and loads', async () => {
  const rng = mulberry32(5);
  const x = tensor(randomArray(rng, 16 * 12 * 12 * 3, 0, 1), [16, 12, 12, 3]);
  const y = oneHot(Array.from({ length: 16 }, (_, i) => i % 3), 3);
  const trained = [];
  for (const backend of ['js', 'wasm'] as const) {
    const model = mixedModel(backend);
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    const history = await model.fit(x, y, { batchSize: 4, epochs: 2, verbose: 0 });
    trained.push({ model, loss: history.history['loss'] as number[] });
  }
  const [js, wasm] = trained as [(typeof trained)[0], (typeof trained)[0]];
  assert.ok(js.loss[1]! < js.loss[0]!, `training did not lower the loss: ${js.loss}`);
  const jw = js.model.getWeights();
  const ww = wasm.model.getWeights();
  assert.equal(ww.map((w) => w.name), jw.map((w) => w.name));
  let worst = 0;
  jw.forEach((w, i) => w.data.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - ww[i]!.data[j]!)))));
  assert.ok(worst < 1e-4, `weights after 8 steps differ by ${worst}`);

  const loaded = await loadModel(wasm.model.toArtifacts(), { backend: 'wasm' });
  assert.equal(loaded.layers.map((l) => l.getConfig()), wasm.model.layers.map((l) => l.getConfig()));
  const a = (await wasm.model.predict(x)).data;
  const b = (await loaded.predict(x)).data;
  assert.ok(a.every((v, i) => v === b[i]), 'the loaded model predicts differently');

  const onnx = await runOnnx(await wasm.model.toOnnx(), x.data, [...x.shape]);
  assert.ok(maxAbsDiff(onnx.data, a) <= 1e-5, `onnxruntime-web differs by ${maxAbsDiff(onnx.data, a)}`);
});

test.run();
