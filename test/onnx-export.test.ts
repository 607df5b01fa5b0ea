/**
 * ONNX export checked by the real runtime: every layer wasmnn has, in small models with random
 * weights (biases too), and the shipped pretrained model are exported, loaded by onnxruntime-web
 * (which enforces ONNX's structural rules on load) and run at batch 1 and batch 3 through the
 * one symbolic batch dimension; predictions must match wasmnn's within 1e-5.
 */
import { test } from 'uvu';
import { architectureNames, buildArchitecture } from '../src/architectures.js';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { layers, loadModel, Sequential, tensor, type Layer, type NamedWeight } from '../src/index.node.js';
import { toOnnx } from '../src/model/onnx/index.js';
import { maxAbsDiff, ort, runOnnx } from './helpers/onnx-runtime.js';
import { mulberry32, randomArray } from './helpers/random.js';

const TOLERANCE = 1e-5;
const PRETRAINED = fileURLToPath(new URL('../pretrained/compact', import.meta.url));
const rng = mulberry32(16);

/** Exports `model` and compares onnxruntime's output with model.predict at batch 1 and 3. */
async function expectSamePredictions(model: Sequential, inputShape: number[], label: string): Promise<void> {
  const bytes = toOnnx(model);
  const perSample = inputShape.reduce((a, b) => a * b, 1);
  for (const batch of [1, 3]) {
    const x = randomArray(rng, batch * perSample, 0, 1);
    const ours = await model.predict(tensor(x, [batch, ...inputShape]));
    const theirs = await runOnnx(bytes, x, [batch, ...inputShape]);
    assert.equal([...theirs.dims], [...ours.shape], `${label}: output shape at batch ${batch}`);
    const diff = maxAbsDiff(theirs.data, ours.data);
    assert.ok(diff <= TOLERANCE, `${label}: max |Δ| ${diff} at batch ${batch}`);
  }
}

/** A built model whose every weight (biases included) is random, so no term can hide. */
async function randomModel(stack: Layer[]): Promise<Sequential> {
  const model = new Sequential(stack);
  await model.build();
  model.setWeights(model.getWeights().map((w): NamedWeight => ({ ...w, data: randomArray(rng, w.data.length, -0.5, 0.5) })));
  return model;
}

const cases: { name: string; inputShape: number[]; layers: () => Layer[] }[] = [
  {
    name: 'conv valid + maxpool + flatten + dense softmax',
    inputShape: [9, 9, 2],
    layers: () => [
      layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [9, 9, 2] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 5, activation: 'softmax' }),
    ],
  },
  {
    // 8 wide, kernel 3, stride 2, 'same': 4 outputs, one padding column, at the right (TensorFlow's rule).
    name: "conv 'same' stride 2 (asymmetric padding) + tanh",
    inputShape: [8, 7, 3],
    layers: () => [layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh', inputShape: [8, 7, 3] }), layers.flatten(), layers.dense({ units: 2 })],
  },
  {
    name: "conv 'same' even kernel [2, 4], no bias, sigmoid; output stays 4-D (NHWC)",
    inputShape: [5, 6, 2],
    layers: () => [layers.conv2d({ filters: 3, kernelSize: [2, 4], padding: 'same', useBias: false, activation: 'sigmoid', inputShape: [5, 6, 2] })],
  },
  {
    // 5 wide, pool 2, stride 2, 'same': 3 outputs, the last window half outside (padding ignored by max).
    name: "maxpool 'same' over an odd size, then strides 1 'valid'",
    inputShape: [5, 5, 3],
    layers: () => [
      layers.maxPooling2d({ poolSize: 2, padding: 'same', inputShape: [5, 5, 3] }),
      layers.maxPooling2d({ poolSize: [2, 3], strides: 1 }),
      layers.flatten(),
    ],
  },
  {
    name: 'softmax Activation over the channels of a 4-D tensor',
    inputShape: [4, 4, 2],
    layers: () => [
      layers.conv2d({ filters: 5, kernelSize: 1, inputShape: [4, 4, 2] }),
      layers.activation({ activation: 'softmax' }),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'relu' }),
    ],
  },
  {
    name: 'dense stack with every activation, dropout and an unbiased layer',
    inputShape: [6],
    layers: () => [
      layers.dense({ units: 7, activation: 'linear', inputShape: [6] }),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: 7, activation: 'relu' }),
      layers.dense({ units: 7, activation: 'sigmoid', useBias: false }),
      layers.dense({ units: 7, activation: 'tanh' }),
      layers.activation({ activation: 'relu' }),
      layers.dense({ units: 4, activation: 'softmax' }),
    ],
  },
  {
    // Identity at inference: exported to nothing, as the Keras augmentation layers are.
    name: "wasmnn's own augmentation layers (RandomAffine, RandomElastic) before a conv",
    inputShape: [7, 7, 1],
    layers: () => [
      layers.randomAffine({ rotation: 0.1, translation: 0.1, inputShape: [7, 7, 1] }),
      layers.randomElastic({ alpha: 5, sigma: 1.5 }),
      layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu' }),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
];

for (const c of cases) {
  test(`onnx export matches wasmnn: ${c.name}`, async () => {
    const model = await randomModel(c.layers());
    try {
      await expectSamePredictions(model, c.inputShape, c.name);
    } finally {
      model.dispose();
    }
  });
}

test('every named architecture exports and predicts the same; augmentation layers (identity at inference) export to nothing', async () => {
  for (const name of architectureNames()) {
    const model = buildArchitecture(name);
    await model.build();
    // Random weights, variances positive as trained BatchNormalization layers have them.
    model.setWeights(model.getWeights().map((w): NamedWeight => ({ ...w, data: randomArray(rng, w.data.length, w.name.endsWith('moving_variance') ? 0.5 : -0.5, w.name.endsWith('moving_variance') ? 1.5 : 0.5) })));
    try {
      await expectSamePredictions(model, [28, 28, 1], name);
    } finally {
      model.dispose();
    }
  }
});

test('the shipped pretrained model exports and predicts the same in onnxruntime', async () => {
  const model = await loadModel(PRETRAINED);
  try {
    await expectSamePredictions(model, [28, 28, 1], 'pretrained/compact');
  } finally {
    model.dispose();
  }
});

test('the exported graph has a symbolic batch dimension and NHWC input and output', async () => {
  const model = await loadModel(PRETRAINED);
  const session = await ort.InferenceSession.create(toOnnx(model, { inputName: 'image', outputName: 'probabilities' }));
  model.dispose();
  try {
    assert.equal(session.inputNames, ['image']);
    assert.equal(session.outputNames, ['probabilities']);
    const [input] = session.inputMetadata;
    const [output] = session.outputMetadata;
    assert.ok(input?.isTensor && output?.isTensor);
    assert.equal([...input.shape], ['batch', 28, 28, 1]);
    assert.equal([...output.shape], ['batch', 11]); // the shipped open-set model: ten digits and "not a digit"
  } finally {
    await session.release();
  }
});

test('model.toOnnx() is toOnnx(model); after dispose it is a named error', async () => {
  const model = await loadModel(PRETRAINED);
  assert.equal(await model.toOnnx({ inputName: 'x' }), toOnnx(model, { inputName: 'x' }));
  model.dispose();
  await model.toOnnx().then(() => assert.unreachable(), (err: Error) => assert.match(err.message, /toOnnx: the model was disposed/));
});

test.run();
