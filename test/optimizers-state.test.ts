// The new optimizers in model files, judged by TF.js 4.22: a model compiled with one and saved
// with its optimizer state is compiled by TF.js with the same optimizer and options; loaded back
// in wasmnn it resumes exactly; and a model TF.js trained with RMSprop or Adagrad, given TF.js'
// slots, takes the same next step as TF.js (max |Δ| ≤ 1e-5). (TF.js 4.22 writes no trainingConfig
// for Adamax and cannot save its state, so Adamax goes one way only.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from './helpers/rejects.js';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, oneHot, optimizers, Sequential, tensor, type ModelArtifacts, type NamedWeight, type Optimizer } from '../src/index.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { maxAbsDiff as maxDiff } from './helpers/max-abs-diff.js';

const rand = mulberry32(17);
const x = tensor(randomArray(rand, 12 * 4), [12, 4]);
const labels = [0, 1, 2, 0, 1, 2, 2, 1, 0, 0, 1, 2];
const y = oneHot(labels, 3);

function model(): Sequential {
  return new Sequential([layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), layers.dense({ units: 3, activation: 'softmax' })], { backend: 'js', seed: 3 });
}

async function artifactsOf(m: Sequential): Promise<{ modelJson: ModelArtifacts['modelJson']; weightData: Uint8Array }> {
  let out: ModelArtifacts | undefined;
  await m.save((a) => void (out = a), { includeOptimizer: true });
  const data = out!.weightData;
  return { modelJson: out!.modelJson, weightData: data instanceof Uint8Array ? data : data[0]! };
}


function assertSame(a: NamedWeight[], b: NamedWeight[], what: string): void {
  assert.equal(a.map((w) => w.name), b.map((w) => w.name), `${what}: names`);
  a.forEach((w, i) => assert.equal([...w.data], [...b[i]!.data], `${what}: ${w.name}`));
}

test.before(async () => {
  await tf.setBackend('cpu');
});

const NAMED: [string, () => Optimizer, string, Record<string, unknown>][] = [
  ['rmsprop', () => optimizers.rmsprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true }), 'RMSProp', { learningRate: 0.01, decay: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true }],
  ['adagrad', () => optimizers.adagrad({ learningRate: 0.02, initialAccumulatorValue: 0.3 }), 'Adagrad', { learningRate: 0.02, initialAccumulatorValue: 0.3 }],
  ['adamax', () => optimizers.adamax({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }), 'Adamax', { learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, decay: 0 }],
];

for (const [name, make, tfjsClass, tfjsConfig] of NAMED) {
  test(`${name}: TF.js compiles a saved model with ${tfjsClass} and its options; wasmnn resumes from the saved state exactly`, async () => {
    const m = model();
    m.compile({ optimizer: make(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await m.fit(x, y, { batchSize: 4, epochs: 2, verbose: 0 });
    const saved = await artifactsOf(m);

    const tfModel = await tf.loadLayersModel(tf.io.fromMemory(saved.modelJson as unknown as tf.io.ModelArtifacts['modelTopology'] & object));
    assert.is(tfModel.optimizer.getClassName(), tfjsClass);
    const config = tfModel.optimizer.getConfig() as Record<string, unknown>;
    for (const [k, v] of Object.entries(tfjsConfig)) assert.is(config[k], v, `${tfjsClass} ${k}`);
    tfModel.dispose();

    const back = await loadModel(saved, { backend: 'js' });
    assert.is(back.optimizer!.className, m.optimizer!.className);
    assertSame(back.getOptimizerWeights(), m.getOptimizerWeights(), 'slots after loading');
    await m.fit(x, y, { batchSize: 4, epochs: 3, initialEpoch: 2, verbose: 0 });
    await back.fit(x, y, { batchSize: 4, epochs: 3, initialEpoch: 2, verbose: 0 });
    assertSame(back.getWeights(), m.getWeights(), 'weights after one more epoch');
  });
}

test('clipping and weight decay are kept in trainingConfig (TF.js ignores them) and read back', async () => {
  const m = model();
  m.compile({ optimizer: optimizers.adamax({ learningRate: 0.02, clipNorm: 0.5, weightDecay: 0.01 }), loss: 'categoricalCrossentropy' });
  await m.fit(x, y, { batchSize: 4, epochs: 1, verbose: 0 });
  const saved = await artifactsOf(m);
  const config = (saved.modelJson['trainingConfig'] as { optimizer_config: { config: Record<string, unknown> } }).optimizer_config.config;
  assert.is(config['clipNorm'], 0.5);
  assert.is(config['weightDecay'], 0.01);
  const back = await loadModel(saved, { backend: 'js' });
  await m.fit(x, y, { batchSize: 4, epochs: 2, initialEpoch: 1, verbose: 0 });
  await back.fit(x, y, { batchSize: 4, epochs: 2, initialEpoch: 1, verbose: 0 });
  assertSame(back.getWeights(), m.getWeights(), 'weights after resuming with clipping and decay');
});

test('Nadam has no TF.js form: saving its state is a named error; the model itself saves', async () => {
  const m = model();
  m.compile({ optimizer: 'nadam', loss: 'categoricalCrossentropy' });
  await m.fit(x, y, { batchSize: 4, epochs: 1, verbose: 0 });
  await rejects(() => artifactsOf(m), /includeOptimizer needs an optimizer model files can name; Nadam/);
  let plain: ModelArtifacts | undefined;
  await m.save((a) => void (plain = a));
  assert.is((plain!.modelJson['trainingConfig'] as Record<string, unknown>)['optimizer_config'], undefined);
});

const FROM_TFJS: [string, () => tf.Optimizer, string][] = [
  ['RMSProp with momentum', () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7, false), 'RMSprop'],
  ['RMSProp', () => tf.train.rmsprop(0.01, 0.8, 0, 1e-7, false), 'RMSprop'],
  ['Adagrad', () => tf.train.adagrad(0.05, 0.2), 'Adagrad'],
];

async function tfjsModelWith(optimizer: tf.Optimizer, includeOptimizer: boolean) {
  const tfModel = tf.sequential({ layers: [tf.layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
  tfModel.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const tx = tf.tensor(x.data, [12, 4]);
  const ty = tf.tensor(y.data, [12, 3]);
  await tfModel.fit(tx, ty, { epochs: 2, batchSize: 12, shuffle: false, verbose: 0 });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await tfModel.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { includeOptimizer });
  const modelJson = { modelTopology: artifacts!.modelTopology, trainingConfig: artifacts!.trainingConfig, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts!.weightSpecs }] };
  const back = await loadModel({ modelJson, weightData: new Uint8Array(artifacts!.weightData as ArrayBuffer) } as never, { backend: 'js' });
  return { tfModel, tx, ty, back };
}

for (const [name, make, ours] of FROM_TFJS) {
  test(`TF.js → wasmnn: a model trained with ${name} compiles with it; given TF.js' slots, wasmnn takes the same next step`, async () => {
    const { tfModel, tx, ty, back } = await tfjsModelWith(make(), true);
    assert.is(back.optimizer!.className, ours);
    // wasmnn's loader skips optimizer state TF.js saved; TF.js' own optimizer weights (its slot
    // names and step count) go through the public setOptimizerWeights.
    const state = await tfModel.optimizer.getWeights();
    back.setOptimizerWeights(state.map((w) => ({ name: w.name, shape: w.tensor.shape, data: w.tensor.dataSync() as Float32Array })));
    assert.equal(back.getOptimizerWeights().map((w) => w.name).sort(), state.filter((w) => w.name !== 'iter').map((w) => w.name).sort());
    await tfModel.fit(tx, ty, { epochs: 1, batchSize: 12, shuffle: false, verbose: 0 });
    await back.fit(x, y, { batchSize: 12, epochs: 1, shuffle: false, verbose: 0 });
    const theirs = tfModel.getWeights().map((w) => w.dataSync());
    back.getWeights().forEach((w, i) => assert.ok(maxDiff(w.data, theirs[i]!) <= 1e-5, `${name} ${w.name}: max |Δ| ${maxDiff(w.data, theirs[i]!)}`));
    tf.dispose([tx, ty]);
    tfModel.dispose();
  });
}

test.run();
