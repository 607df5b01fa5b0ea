/**
 * The exporter's converters for Keras layers wasmnn does not have yet (BatchNormalization,
 * DepthwiseConv2D, SeparableConv2D, dilated Conv2D, AveragePooling2D, global pooling, Reshape,
 * ZeroPadding2D, LeakyReLU/ELU/ReLU/Softmax layers, every TF.js activation), checked with TF.js
 * as the reference: a tf.sequential model with random weights is saved through TF.js' own save
 * path, its model.json topology and weights are exported, and onnxruntime-web must predict what
 * TF.js predicts (max |Δ| ≤ 1e-5) at batch 1 and batch 3.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { decodeWeights, type NamedWeight } from '../src/index.node.js';
import { toOnnx } from '../src/model/onnx/index.js';
import { maxAbsDiff, runOnnx } from './helpers/onnx-runtime.js';
import { mulberry32, randomArray } from './helpers/random.js';

const TOLERANCE = 1e-5;
const rng = mulberry32(1616);

test.before(async () => {
  assert.ok(await tf.setBackend('cpu'), 'the TF.js cpu backend did not initialize');
});

/** The modelTopology and named weights TF.js writes for `model` (its model.json content). */
async function tfjsSerialized(model: tf.LayersModel): Promise<{ modelTopology: object; weights: NamedWeight[] }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const { modelTopology, weightSpecs, weightData } = saved!;
  const modelJson = { modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }] };
  return { modelTopology: modelTopology as object, weights: decodeWeights(modelJson, [new Uint8Array(weightData as ArrayBuffer)]) };
}

/** Random weights everywhere; variances positive, as trained BatchNormalization layers have them. */
function randomizeWeights(model: tf.LayersModel): void {
  model.setWeights(
    model.weights.map((w) => {
      const shape = w.shape as number[]; // a layer weight's shape is fully known
      const n = shape.reduce((a, b) => a * b, 1);
      const positive = w.name.endsWith('moving_variance');
      return tf.tensor(randomArray(rng, n, positive ? 0.5 : -0.8, positive ? 1.5 : 0.8), shape);
    }),
  );
}

async function expectSameAsTfjs(label: string, inputShape: number[], stack: tf.layers.Layer[]): Promise<void> {
  const model = tf.sequential({ layers: stack });
  randomizeWeights(model);
  const bytes = toOnnx(await tfjsSerialized(model));
  const perSample = inputShape.reduce((a, b) => a * b, 1);
  for (const batch of [1, 3]) {
    const x = randomArray(rng, batch * perSample, -1, 1);
    const expected = tf.tidy(() => (model.predict(tf.tensor(x, [batch, ...inputShape])) as tf.Tensor).dataSync());
    const expectedShape = [batch, ...(model.outputs[0]!.shape.slice(1) as number[])];
    const got = await runOnnx(bytes, x, [batch, ...inputShape]);
    assert.equal([...got.dims], expectedShape, `${label}: output shape at batch ${batch}`);
    const diff = maxAbsDiff(got.data, expected);
    assert.ok(diff <= TOLERANCE, `${label}: max |Δ| ${diff} at batch ${batch}`);
  }
  model.dispose();
}

test('BatchNormalization after a conv (NCHW inside) and after a dense layer, with and without center/scale', async () => {
  await expectSameAsTfjs('batchnorm', [5, 5, 3], [
    tf.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [5, 5, 3] }),
    tf.layers.batchNormalization({ epsilon: 0.01 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 6 }),
    tf.layers.batchNormalization({ center: false }),
    tf.layers.batchNormalization({ scale: false }),
  ]);
});

test("DepthwiseConv2D (depth multiplier 2, stride 2, 'same') and SeparableConv2D", async () => {
  await expectSameAsTfjs('depthwise', [8, 7, 3], [
    tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu6', inputShape: [8, 7, 3] }),
    tf.layers.separableConv2d({ filters: 5, kernelSize: [2, 3], depthMultiplier: 2, padding: 'same', activation: 'elu' }),
    tf.layers.flatten(),
  ]);
});

test("Conv2D with dilation 2, 'same' and 'valid'", async () => {
  await expectSameAsTfjs('dilation', [9, 8, 2], [
    tf.layers.conv2d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', inputShape: [9, 8, 2] }),
    tf.layers.conv2d({ filters: 2, kernelSize: [2, 3], dilationRate: [2, 1], activation: 'softplus' }),
  ]);
});

test("AveragePooling2D 'same' (padding left out of the average), ZeroPadding2D, global average and max pooling", async () => {
  await expectSameAsTfjs('average pool', [5, 7, 3], [
    tf.layers.averagePooling2d({ poolSize: 2, padding: 'same', inputShape: [5, 7, 3] }),
    tf.layers.zeroPadding2d({ padding: [[1, 0], [2, 1]] }),
    tf.layers.averagePooling2d({ poolSize: [2, 3], strides: 1 }),
    tf.layers.globalAveragePooling2d({}),
  ]);
  await expectSameAsTfjs('global max pool', [4, 3, 5], [tf.layers.globalMaxPooling2d({ inputShape: [4, 3, 5] }), tf.layers.dense({ units: 2 })]);
});

test('Reshape of a conv output (back to Keras order), Dense on a 3-D input (MatMul on the last axis)', async () => {
  await expectSameAsTfjs('reshape', [4, 4, 2], [
    tf.layers.conv2d({ filters: 3, kernelSize: 1, inputShape: [4, 4, 2] }),
    tf.layers.reshape({ targetShape: [8, 6] }),
    tf.layers.dense({ units: 5, activation: 'tanh' }),
    tf.layers.reshape({ targetShape: [2, 4, 5] }),
    tf.layers.conv2d({ filters: 2, kernelSize: 2 }),
    tf.layers.flatten(),
  ]);
});

test('activation layers: LeakyReLU, ELU, ReLU with max value, Softmax over the channels of a 4-D tensor and (the TF.js default, axis 1) of a flat one', async () => {
  await expectSameAsTfjs('activation layers', [3, 3, 4], [
    tf.layers.leakyReLU({ alpha: 0.2, inputShape: [3, 3, 4] }),
    tf.layers.conv2d({ filters: 4, kernelSize: 1 }),
    tf.layers.elu({}),
    tf.layers.conv2d({ filters: 4, kernelSize: 1 }),
    tf.layers.reLU({ maxValue: 0.3 }),
    tf.layers.conv2d({ filters: 3, kernelSize: 1 }),
    tf.layers.softmax({ axis: -1 }),
    tf.layers.flatten(),
    tf.layers.softmax({}),
  ]);
});

const activations = ['linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'tanh', 'softmax', 'logSoftmax', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'mish', 'gelu'] as const;

test(`every TF.js activation the exporter maps: ${activations.join(', ')}`, async () => {
  for (const activation of activations) {
    // Inputs in [-1, 1] times weights up to 0.8 over 6 terms reach both sides of every kink.
    await expectSameAsTfjs(`activation ${activation}`, [6], [tf.layers.dense({ units: 5, activation: activation as Parameters<typeof tf.layers.dense>[0]['activation'], inputShape: [6] })]);
  }
});

test.run();
