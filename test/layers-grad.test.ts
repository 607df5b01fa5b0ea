import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Activation, Conv2D, Dense, Dropout, Flatten, MaxPool2D } from '../src/layers/index.js';
import { gradCheckLayer } from './helpers/gradcheck.js';

const TOLERANCE = 1e-6;

function expectGradients(label: string, result: ReturnType<typeof gradCheckLayer>): void {
  assert.ok(result.checked > 0, `${label}: nothing checked`);
  assert.ok(result.worst < TOLERANCE, `${label}: worst relative error ${result.worst.toExponential(2)} at ${result.where}`);
}

test('Conv2D valid, relu, bias', () => {
  expectGradients('conv valid', gradCheckLayer(new Conv2D({ filters: 3, kernelSize: 3, activation: 'relu' }), [5, 6, 2], 2));
});

test('Conv2D same padding, stride 2, non-square kernel, tanh', () => {
  expectGradients('conv same s2', gradCheckLayer(new Conv2D({ filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'tanh' }), [5, 4, 3], 2));
});

test('Conv2D 1x1 (pointwise path), sigmoid, no bias', () => {
  expectGradients('conv 1x1', gradCheckLayer(new Conv2D({ filters: 4, kernelSize: 1, activation: 'sigmoid', useBias: false }), [3, 3, 2], 2));
});

test('Dense linear and softmax', () => {
  expectGradients('dense linear', gradCheckLayer(new Dense({ units: 4 }), [5], 3));
  expectGradients('dense softmax', gradCheckLayer(new Dense({ units: 4, activation: 'softmax' }), [5], 3));
});

test('MaxPool2D valid and same with stride 1', () => {
  expectGradients('pool valid', gradCheckLayer(new MaxPool2D({ poolSize: 2 }), [4, 6, 2], 2));
  expectGradients('pool same', gradCheckLayer(new MaxPool2D({ poolSize: 3, strides: 1, padding: 'same' }), [4, 5, 2], 2));
});

test('Flatten passes gradients through unchanged', () => {
  expectGradients('flatten', gradCheckLayer(new Flatten(), [2, 3, 2], 2));
});

test('Dropout in training (fixed mask) and Activation layers', () => {
  expectGradients('dropout', gradCheckLayer(new Dropout({ rate: 0.4 }), [12], 3, 1, true));
  for (const activation of ['relu', 'sigmoid', 'tanh', 'softmax'] as const) {
    expectGradients(`activation ${activation}`, gradCheckLayer(new Activation({ activation }), [2, 5], 2));
  }
});

test('a wrong gradient is caught (the check can fail)', () => {
  const layer = new Dense({ units: 3 });
  const original = layer.backward.bind(layer);
  layer.backward = (ctx, dy, dx, batch) => {
    const r = original(ctx, dy, dx, batch);
    const g = layer.param('kernel').grad;
    ctx.backend.f32()[g] = ctx.backend.f32()[g]! * 1.01;
    return r;
  };
  assert.ok(gradCheckLayer(layer, [4], 2).worst > 1e-4);
});

test.run();
