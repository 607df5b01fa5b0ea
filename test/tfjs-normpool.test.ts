// BatchNormalization, AveragePooling2D, GlobalAverage/GlobalMaxPooling2D and Reshape as TF.js 4.22
// sees them: a model wasmnn trained and saved loads in TF.js and predicts the same; a model TF.js
// trained (so its moving statistics are not the initial ones) loads in wasmnn and predicts the
// same; and from the same weights, a few SGD steps in each end at the same weights and moving
// statistics (batch statistics, biased variance, the momentum update and the gradients agree).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, oneHot, optimizers, Sequential, tensor, type ModelJson, type Tensor } from '../src/index.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { saveToMemory } from './helpers/save-memory.js';
import { maxAbsDiff as maxDiff } from './helpers/max-abs-diff.js';

const TOLERANCE = 1e-5;
const quiet = { verbose: 0 as const };

const rand = mulberry32(31);
// Off-centre inputs, so the batch statistics are far from the initial moving ones.
const x = tensor(randomArray(rand, 12 * 8 * 8 * 2, 0, 3), [12, 8, 8, 2]);
const y = oneHot(Array.from({ length: 12 }, (_, i) => i % 3), 3);

async function tfjsArtifacts(model: tf.LayersModel): Promise<{ modelJson: ModelJson; weightData: Uint8Array }> {
  let a: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => ((a = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const modelJson = { modelTopology: a!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a!.weightSpecs! }] } as unknown as ModelJson;
  return { modelJson, weightData: new Uint8Array(a!.weightData as ArrayBuffer) };
}

function tfjsLoad(saved: { modelJson: ModelJson; weightData: Uint8Array }): Promise<tf.LayersModel> {
  const specs = saved.modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: saved.modelJson.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: specs, weightData: saved.weightData.slice().buffer }));
}

function tfPredict(model: tf.LayersModel, input: Tensor): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(input.data, [...input.shape])) as tf.Tensor).dataSync() as Float32Array);
}


/** The two architectures, as wasmnn layers: every new layer and BatchNormalization option in use. */
function wasmnnModels(): Sequential[] {
  return [
    new Sequential(
      [
        layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 2] }),
        layers.batchNormalization(),
        layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        layers.conv2d({ filters: 6, kernelSize: 3 }),
        layers.batchNormalization({ center: false, momentum: 0.9, epsilon: 0.01 }),
        layers.globalAveragePooling2d(),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
      { backend: 'wasm', seed: 3, threads: 1 },
    ),
    new Sequential(
      [
        layers.conv2d({ filters: 8, kernelSize: 3, inputShape: [8, 8, 2] }),
        layers.batchNormalization({ scale: false }),
        layers.averagePooling2d({ poolSize: 2 }),
        layers.reshape({ targetShape: [3, -1] }),
        layers.reshape({ targetShape: [3, 3, 8] }),
        layers.globalMaxPooling2d(),
        layers.batchNormalization({ axis: 1 }),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
      { backend: 'wasm', seed: 4, threads: 1 },
    ),
  ];
}

/**
 * The first architecture in TF.js. Training comparisons use 'valid' average pooling: TF.js 4.22's
 * CPU AvgPoolGrad divides by the full window even where 'same' padding cut it (its forward, Keras
 * and wasmnn divide by the in-image count; wasmnn's gradient is checked by finite differences).
 */
function tfjsModel(poolPadding: 'same' | 'valid' = 'same'): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 2] }),
      tf.layers.batchNormalization(),
      tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: poolPadding }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same' }),
      tf.layers.batchNormalization({ momentum: 0.9, epsilon: 0.01 }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.reshape({ targetShape: [2, 3] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

test.before(async () => {
  await tf.setBackend('cpu');
});

test('wasmnn → TF.js: trained models with BatchNormalization, pooling and Reshape load and predict the same', async () => {
  for (const [i, model] of wasmnnModels().entries()) {
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    await model.fit(x, y, { batchSize: 4, epochs: 2, ...quiet });
    const saved = await saveToMemory(model);
    const tfModel = await tfjsLoad(saved);
    const bn = tfModel.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
    assert.equal(bn.nonTrainableWeights.map((w) => w.originalName), [`${bn.name}/moving_mean`, `${bn.name}/moving_variance`]);
    const movingMean = bn.nonTrainableWeights[0]!.read().dataSync();
    assert.ok(movingMean.some((v) => Math.abs(v) > 0.01), `model ${i}: the moving mean is still the initial one`);
    const d = maxDiff((await model.predict(x)).data, tfPredict(tfModel, x));
    assert.ok(d <= TOLERANCE, `model ${i}: predictions differ by ${d}`);
    tfModel.dispose();
  }
});

test('TF.js → wasmnn: a model TF.js trained loads with its moving statistics and predicts the same', async () => {
  const tfModel = tfjsModel();
  tfModel.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
  await tfModel.fit(tf.tensor(x.data, [...x.shape]), tf.tensor(y.data, [...y.shape]), { batchSize: 4, epochs: 2, verbose: 0 });
  const saved = await tfjsArtifacts(tfModel);
  const model = await loadModel(saved, { backend: 'wasm' });
  const weights = new Map(model.getWeights().map((w) => [w.name, w.data]));
  const bnName = tfModel.layers[1]!.name;
  assert.ok(weights.get(`${bnName}/moving_mean`)!.some((v) => Math.abs(v) > 0.01), 'TF.js training left the moving mean at its initial value');
  const d = maxDiff((await model.predict(x)).data, tfPredict(tfModel, x));
  assert.ok(d <= TOLERANCE, `predictions differ by ${d}`);
  tfModel.dispose();
});

test('from the same weights, SGD steps in TF.js and in wasmnn end at the same weights and moving statistics', async () => {
  const tfModel = tfjsModel('valid');
  const start = await tfjsArtifacts(tfModel);
  const model = await loadModel(start, { backend: 'wasm', seed: 1 });
  tfModel.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
  await tfModel.fit(tf.tensor(x.data, [...x.shape]), tf.tensor(y.data, [...y.shape]), { batchSize: 4, epochs: 1, shuffle: false, verbose: 0 });
  await model.fit(x, y, { batchSize: 4, epochs: 1, shuffle: false, ...quiet });
  const theirs = new Map(tfModel.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
  for (const w of model.getWeights()) {
    const ref = theirs.get(w.name);
    assert.ok(ref, `TF.js has no weight ${w.name}`);
    const d = maxDiff(w.data, ref!);
    assert.ok(d <= TOLERANCE, `${w.name}: wasmnn and TF.js differ by ${d} after 3 steps`);
  }
  const bnName = tfModel.layers[4]!.name;
  assert.ok(theirs.get(`${bnName}/moving_variance`)!.some((v) => Math.abs(v - 1) > 0.01), 'the moving variance did not move');
  tfModel.dispose();
});

test.run();
