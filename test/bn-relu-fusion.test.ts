// A relu layer right after a BatchNormalization is applied inside the BatchNormalization's own
// passes (model/activation-absorption.ts): float64 finite-difference gradients of the fused layer,
// which layers absorb and which do not, the same training and predictions as with the relu run on
// its own, the model as the user built it (topology, summary), and TF.js 4.22 both ways,
// predictions and SGD steps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { BatchNormalization } from '../src/layers/index.js';
import { layers, loadModel, oneHot, optimizers, Sequential, tensor, type Layer, type ModelJson, type Tensor } from '../src/index.js';
import { gradCheckLayer } from './helpers/gradcheck.js';
import { maxAbsDiff } from './helpers/max-abs-diff.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { saveToMemory } from './helpers/save-memory.js';

const TOLERANCE = 1e-5;
const quiet = { verbose: 0 as const };
const INPUT = [6, 6, 2];
const rand = mulberry32(71);
const x = tensor(randomArray(rand, 16 * 6 * 6 * 2, -1, 2), [16, ...INPUT]);
const y = oneHot(Array.from({ length: 16 }, (_, i) => i % 3), 3);

/** A BatchNormalization that took over a following relu, as the model makes it. */
function fused(args: ConstructorParameters<typeof BatchNormalization>[0] = {}): BatchNormalization {
  const layer = new BatchNormalization(args);
  assert.ok(layer.absorbFollowingActivation('relu'), 'BatchNormalization absorbs relu');
  return layer;
}

function expectGradients(label: string, result: ReturnType<typeof gradCheckLayer>): void {
  assert.ok(result.checked > 0, `${label}: nothing checked`);
  assert.ok(result.worst < 1e-6, `${label}: worst relative error ${result.worst.toExponential(2)} at ${result.where}`);
}

test('fused BatchNormalization + relu: float64 finite-difference gradients of input, gamma and beta, training and frozen', () => {
  expectGradients('nhwc', gradCheckLayer(fused(), [3, 4, 5], 2, 1, true));
  expectGradients('2-D, epsilon', gradCheckLayer(fused({ epsilon: 0.01 }), [7], 5, 2, true));
  expectGradients('no center', gradCheckLayer(fused({ center: false }), [2, 2, 3], 3, 3, true));
  expectGradients('no scale, no center', gradCheckLayer(fused({ center: false, scale: false }), [6], 4, 4, true));
  expectGradients('frozen', gradCheckLayer(fused({ trainable: false }), [2, 3, 4], 2, 5, true, false));
});

test('only a BatchNormalization absorbs, and only a plain relu right after it', async () => {
  const built = async (ls: Layer[]): Promise<boolean[]> => {
    const model = new Sequential(ls, { backend: 'js' });
    await model.build();
    const absorbed = model.layers.map((l) => l.absorbedByPrevious);
    model.dispose();
    return absorbed;
  };
  const conv = () => layers.conv2d({ filters: 3, kernelSize: 3, inputShape: INPUT });
  assert.equal(await built([conv(), layers.batchNormalization(), layers.activation({ activation: 'relu' })]), [false, false, true]);
  assert.equal(await built([conv(), layers.batchNormalization(), layers.reLU()]), [false, false, true]);
  assert.equal(await built([conv(), layers.batchNormalization(), layers.reLU({ maxValue: 6 })]), [false, false, false], 'ReLU with a ceiling');
  assert.equal(await built([conv(), layers.batchNormalization(), layers.activation({ activation: 'elu' })]), [false, false, false], 'not relu');
  assert.equal(await built([conv(), layers.activation({ activation: 'relu' }), layers.batchNormalization()]), [false, false, false], 'relu before BN');
  assert.equal(
    await built([conv(), layers.batchNormalization(), layers.activation({ activation: 'relu' }), layers.activation({ activation: 'relu' })]),
    [false, false, true, false],
    'a second relu stays a layer of its own',
  );
});

/** conv → BN → relu twice; `relu` makes the relu layers (an absorbable one, or an equivalent one that is not). */
function convBnRelu(relu: () => Layer, seed: number): Sequential {
  return new Sequential(
    [
      layers.conv2d({ filters: 4, kernelSize: 3, useBias: false, inputShape: INPUT }),
      layers.batchNormalization(),
      relu(),
      layers.conv2d({ filters: 5, kernelSize: 3, useBias: false }),
      layers.batchNormalization({ center: false }),
      relu(),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { backend: 'wasm', seed, threads: 1 },
  );
}

test('training and predictions with the relu fused equal those with the relu as a layer of its own', async () => {
  const fusedModel = convBnRelu(() => layers.activation({ activation: 'relu' }), 5);
  // A ceiling no value reaches: the same function, but not a plain relu, so nothing absorbs it.
  const separate = convBnRelu(() => layers.reLU({ maxValue: 3e38 }), 5);
  for (const model of [fusedModel, separate]) {
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy' });
    await model.fit(x, y, { batchSize: 8, epochs: 3, shuffle: false, ...quiet });
  }
  assert.ok(fusedModel.layers[2]!.absorbedByPrevious && fusedModel.layers[5]!.absorbedByPrevious, 'the relu layers are absorbed');
  assert.ok(!separate.layers[2]!.absorbedByPrevious, 'the capped relu is not absorbed');
  const theirs = new Map(separate.getWeights().map((w) => [w.name, w.data]));
  for (const w of fusedModel.getWeights()) {
    const d = maxAbsDiff(w.data, theirs.get(w.name)!);
    assert.ok(d <= TOLERANCE, `${w.name}: fused and separate training differ by ${d}`);
  }
  const start = (await separate.predict(x)).data;
  assert.ok(start.some((v) => v > 0.4), 'the model learned something');
  for (const fold of [true, false]) {
    fusedModel.foldBatchNorm = fold;
    const d = maxAbsDiff((await fusedModel.predict(x)).data, start);
    assert.ok(d <= TOLERANCE, `predict (fold ${fold}): fused and separate differ by ${d}`);
  }
  const evaluated = [await fusedModel.evaluate(x, y), await separate.evaluate(x, y)].map((r) => r.loss);
  assert.ok(Math.abs(evaluated[0]! - evaluated[1]!) <= TOLERANCE, `evaluate: ${evaluated.join(' vs ')}`);
  fusedModel.dispose();
  separate.dispose();
});

test('the saved model and summary keep the relu layer as the user built it', async () => {
  const model = convBnRelu(() => layers.activation({ activation: 'relu' }), 6);
  await model.build();
  const { modelJson } = await saveToMemory(model);
  const topology = modelJson.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  assert.equal(
    topology.config.layers.map((l) => l.class_name),
    ['Conv2D', 'BatchNormalization', 'Activation', 'Conv2D', 'BatchNormalization', 'Activation', 'Flatten', 'Dense'],
  );
  assert.is(topology.config.layers[2]!.config['activation'], 'relu');
  let text = '';
  model.summary((t) => void (text += t));
  assert.match(text, /activation \(Activation\)/);
  assert.match(text, /activation_1 \(Activation\)/);
  model.dispose();
});

// ------------------------------------------------------------------------------- TF.js 4.22

function tfjsLoad(saved: { modelJson: ModelJson; weightData: Uint8Array }): Promise<tf.LayersModel> {
  const specs = saved.modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: saved.modelJson.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: specs, weightData: saved.weightData.slice().buffer }));
}

async function tfjsArtifacts(model: tf.LayersModel): Promise<{ modelJson: ModelJson; weightData: Uint8Array }> {
  let a: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => ((a = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const modelJson = { modelTopology: a!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a!.weightSpecs! }] } as unknown as ModelJson;
  return { modelJson, weightData: new Uint8Array(a!.weightData as ArrayBuffer) };
}

function tfPredict(model: tf.LayersModel, input: Tensor): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(input.data, [...input.shape])) as tf.Tensor).dataSync() as Float32Array);
}

function tfjsConvBnRelu(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, useBias: false, inputShape: INPUT }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.conv2d({ filters: 3, kernelSize: 3 }),
      tf.layers.batchNormalization({ momentum: 0.9 }),
      tf.layers.reLU(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

test.before(async () => {
  await tf.setBackend('cpu');
});

test('wasmnn → TF.js: a trained conv → BN → relu model loads and predicts the same', async () => {
  const model = convBnRelu(() => layers.reLU(), 7);
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy' });
  await model.fit(x, y, { batchSize: 8, epochs: 2, ...quiet });
  assert.ok(model.layers[2]!.absorbedByPrevious, 'the relu is fused');
  const tfModel = await tfjsLoad(await saveToMemory(model));
  assert.equal(tfModel.layers.map((l) => l.getClassName()), ['Conv2D', 'BatchNormalization', 'ReLU', 'Conv2D', 'BatchNormalization', 'ReLU', 'Flatten', 'Dense']);
  for (const fold of [true, false]) {
    model.foldBatchNorm = fold;
    const d = maxAbsDiff((await model.predict(x)).data, tfPredict(tfModel, x));
    assert.ok(d <= TOLERANCE, `fold ${fold}: predictions differ by ${d}`);
  }
  tfModel.dispose();
  model.dispose();
});

test('TF.js → wasmnn: a conv → BN → relu model TF.js trained predicts the same, and SGD steps from it end at the same weights', async () => {
  const tfModel = tfjsConvBnRelu();
  tfModel.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
  const xs = tf.tensor(x.data, [...x.shape]);
  const ys = tf.tensor(y.data, [...y.shape]);
  await tfModel.fit(xs, ys, { batchSize: 4, epochs: 2, verbose: 0 });
  const model = await loadModel(await tfjsArtifacts(tfModel), { backend: 'wasm', seed: 1 });
  for (const fold of [true, false]) {
    model.foldBatchNorm = fold;
    const d = maxAbsDiff((await model.predict(x)).data, tfPredict(tfModel, x));
    assert.ok(d <= TOLERANCE, `fold ${fold}: predictions differ by ${d}`);
  }
  assert.ok(model.layers[2]!.absorbedByPrevious && model.layers[5]!.absorbedByPrevious, 'both relu layers are fused');
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
  tfModel.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  await tfModel.fit(xs, ys, { batchSize: 4, epochs: 1, shuffle: false, verbose: 0 });
  await model.fit(x, y, { batchSize: 4, epochs: 1, shuffle: false, ...quiet });
  const theirs = new Map(tfModel.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
  for (const w of model.getWeights()) {
    const d = maxAbsDiff(w.data, theirs.get(w.name)!);
    assert.ok(d <= TOLERANCE, `${w.name}: wasmnn and TF.js differ by ${d} after 4 SGD steps`);
  }
  tf.dispose([xs, ys]);
  tfModel.dispose();
  model.dispose();
});

test.run();
