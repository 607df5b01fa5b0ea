// Float64 finite-difference gradient checks of the layers that apply the new activations:
// the Activation layer, Dense and Conv2D with an `activation` option (for gelu, gelu_new and
// swish these keep the pre-activation values: a path of its own), and LeakyReLU.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { activationNames, type ActivationName } from '../src/activations.js';
import { Activation, Conv2D, Dense, LeakyReLU } from '../src/layers/index.js';
import { gradCheckLayer } from './helpers/gradcheck.js';

const TOLERANCE = 1e-6;
const NEW: ActivationName[] = ['elu', 'selu', 'softplus', 'softsign', 'hardSigmoid', 'relu6', 'exponential', 'gelu', 'gelu_new', 'swish', 'silu', 'mish'];

function expectGradients(label: string, result: ReturnType<typeof gradCheckLayer>): void {
  assert.ok(result.checked > 0, `${label}: nothing checked`);
  assert.ok(result.worst < TOLERANCE, `${label}: worst relative error ${result.worst.toExponential(2)} at ${result.where}`);
}

test('every activation name is covered here or in layers-grad.test.ts', () => {
  assert.equal([...activationNames].sort(), [...NEW, 'linear', 'relu', 'sigmoid', 'tanh', 'softmax'].sort());
});

test('Activation layer with each new activation', () => {
  for (const activation of NEW) expectGradients(`activation ${activation}`, gradCheckLayer(new Activation({ activation }), [2, 5], 2));
});

test('Dense with each new activation (gelu, gelu_new, swish, mish through the kept pre-activation)', () => {
  for (const activation of NEW) expectGradients(`dense ${activation}`, gradCheckLayer(new Dense({ units: 4, activation }), [5], 3));
});

test('Conv2D with the activations it cannot fuse, fused and pointwise', () => {
  for (const activation of ['gelu', 'gelu_new', 'swish', 'mish', 'elu', 'softsign'] as const) {
    expectGradients(`conv ${activation}`, gradCheckLayer(new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', activation }), [4, 4, 2], 2));
    expectGradients(`conv 1x1 ${activation}`, gradCheckLayer(new Conv2D({ filters: 3, kernelSize: 1, activation }), [3, 3, 2], 2));
  }
});

test('LeakyReLU with the TF.js default slope and others', () => {
  for (const alpha of [undefined, 0.01, 0, -0.4, 1.7]) {
    const layer = new LeakyReLU(alpha === undefined ? {} : { alpha });
    expectGradients(`leaky alpha ${alpha}`, gradCheckLayer(layer, [3, 2, 2], 2));
  }
  assert.is(new LeakyReLU().alpha, 0.3);
  assert.throws(() => new LeakyReLU({ alpha: Number.NaN, name: 'lr' }), /LeakyReLU 'lr': alpha must be a finite number, got null/);
});

test('an unknown activation is a clear error naming the layer and the choices', () => {
  assert.throws(() => new Dense({ units: 2, activation: 'leaky_relu' as ActivationName, name: 'd' }), /Dense 'd': unsupported activation 'leaky_relu'; supported: linear, relu, .*gelu_new, swish, silu, mish/);
});

test.run();
