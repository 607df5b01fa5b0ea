// DepthwiseConv2D, SeparableConv2D and dilated Conv2D judged by TF.js 4.22 itself: a model using
// them, trained and saved by wasmnn, loads in TF.js and predicts the same (max |Δ| ≤ 1e-5), and a
// model built and saved by TF.js loads in wasmnn and predicts the same. TF.js's DepthwiseConv2D
// layer ignores dilationRate (its call passes no dilation), so a dilated depthwise layer is
// checked against TF.js's depthwiseConv2d op instead. TF.js's SeparableConv2D does not write
// depthMultiplier into its config (TF.js cannot reload its own multiplier-2 layer either), so
// that direction uses multiplier 1; wasmnn writes it, and TF.js reads it back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, optimizers, Sequential, tensor, type ModelArtifacts, type Tensor } from '../src/index.js';
import { mulberry32, randomArray } from './helpers/random.js';

const TOLERANCE = 1e-5;
const INPUT: [number, number, number] = [12, 12, 3];
const rng = mulberry32(21);
const images = tensor(randomArray(rng, 8 * 12 * 12 * 3, 0, 1), [8, ...INPUT]);

test.before(async () => {
  await tf.setBackend('cpu');
});

function tfPredict(model: tf.LayersModel, x: Tensor): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(x.data, [...x.shape])) as tf.Tensor).dataSync() as Float32Array);
}

function assertClose(ours: Float32Array, theirs: Float32Array, what: string): void {
  assert.is(ours.length, theirs.length, `${what}: sizes`);
  let diff = 0;
  for (let i = 0; i < ours.length; i++) diff = Math.max(diff, Math.abs(ours[i]! - theirs[i]!));
  assert.ok(diff <= TOLERANCE, `${what}: max |wasmnn − TF.js| = ${diff} > ${TOLERANCE}`);
  assert.ok(Math.max(...ours) - Math.min(...ours) > 0.05, `${what}: outputs are degenerate (all nearly equal)`);
}

/** What TF.js's model.save hands an IOHandler, as wasmnn's loadModel takes it. */
async function tfjsArtifacts(model: tf.LayersModel): Promise<{ modelJson: unknown; weightData: Uint8Array }> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((captured = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const data = captured!.weightData!;
  const modelJson = { modelTopology: captured!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: captured!.weightSpecs }] };
  return { modelJson, weightData: new Uint8Array(Array.isArray(data) ? data[0]! : data) };
}

function toTfjs(artifacts: { modelJson: ModelArtifacts['modelJson']; weightData: Uint8Array }): Promise<tf.LayersModel> {
  const specs = artifacts.modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  return tf.loadLayersModel(tf.io.fromMemory(artifacts.modelJson.modelTopology, specs, artifacts.weightData.slice().buffer));
}

test('wasmnn → TF.js: depthwise (multiplier 2, stride 2), separable (multiplier 2, dilated), dilated conv, trained on WASM', async () => {
  const model = new Sequential(
    [
      layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', inputShape: INPUT }),
      layers.separableConv2d({ filters: 8, kernelSize: 3, depthMultiplier: 2, dilationRate: 2, padding: 'same', activation: 'relu' }),
      layers.conv2d({ filters: 6, kernelSize: 2, dilationRate: 2, activation: 'tanh' }),
      layers.depthwiseConv2d({ kernelSize: 2, useBias: false }),
      layers.flatten(),
      layers.dense({ units: 4 }),
    ],
    { backend: 'wasm', seed: 3 },
  );
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
  await model.fit(images, tensor(randomArray(rng, 8 * 4, -1, 1), [8, 4]), { batchSize: 4, epochs: 2, verbose: 0 });

  const tfModel = await toTfjs(model.toArtifacts());
  assert.equal(tfModel.layers.map((l) => l.getClassName()), ['DepthwiseConv2D', 'SeparableConv2D', 'Conv2D', 'DepthwiseConv2D', 'Flatten', 'Dense']);
  const ours = model.getWeights();
  assert.equal(tfModel.weights.map((w) => w.originalName), ours.map((w) => w.name));
  tfModel.weights.forEach((w, i) => assert.ok(w.read().dataSync().every((v, j) => v === ours[i]!.data[j]), `weight ${w.originalName} differs`));
  assertClose((await model.predict(images)).data, tfPredict(tfModel, images), 'predictions');
  tfModel.dispose();
});

test('TF.js → wasmnn: depthwise (multiplier 2), separable (dilated), dilated conv, unnamed layers', async () => {
  const tfModel = tf.sequential({
    layers: [
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu', inputShape: INPUT }),
      tf.layers.separableConv2d({ filters: 5, kernelSize: 3, dilationRate: 2, activation: 'relu' }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, dilationRate: [2, 1], padding: 'same' }),
      tf.layers.depthwiseConv2d({ kernelSize: 2, strides: 2, useBias: false, activation: 'tanh' }),
      tf.layers.flatten(),
    ],
  });
  // Non-zero biases, so a bias read from the wrong place shows.
  tfModel.setWeights(tfModel.weights.map((w) => {
    const shape = w.shape as number[];
    return tf.tensor(randomArray(rng, shape.reduce((a, b) => a * b, 1), -0.5, 0.5), shape);
  }));
  const model = await loadModel(await tfjsArtifacts(tfModel), { backend: 'wasm' });
  assert.equal(model.layers.map((l) => l.className), ['DepthwiseConv2D', 'SeparableConv2D', 'Conv2D', 'DepthwiseConv2D', 'Flatten']);
  assert.match(model.layers[1]!.name!, /^separable_conv2d/);
  assertClose((await model.predict(images)).data, tfPredict(tfModel, images), 'raw outputs');
  tfModel.dispose();
});

test('a dilated DepthwiseConv2D equals TF.js depthwiseConv2d with dilations (its layer ignores them)', async () => {
  const cases: [[number, number], 'same' | 'valid'][] = [[[2, 2], 'same'], [[3, 2], 'valid']];
  for (const [dilationRate, padding] of cases) {
    const model = new Sequential([layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, dilationRate, padding, inputShape: INPUT })], { backend: 'wasm', seed: 4 });
    await model.build();
    const [kernel, bias] = model.getWeights();
    model.setWeights([kernel!, { ...bias!, data: randomArray(rng, bias!.data.length, -0.5, 0.5) }]);
    const theirs = tf.tidy(() => {
      const x = tf.tensor4d(images.data, [8, ...INPUT]);
      const y = tf.depthwiseConv2d(x, tf.tensor4d(kernel!.data, kernel!.shape as [number, number, number, number]), 1, padding, 'NHWC', dilationRate);
      return tf.add(y, tf.tensor1d(model.getWeights()[1]!.data)).dataSync() as Float32Array;
    });
    assertClose((await model.predict(images)).data, theirs, `dilation ${dilationRate.join('x')} ${padding}`);
  }
});

test.run();
