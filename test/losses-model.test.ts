// Losses in a model: names and options at compile, losses that do not fit the output, the fusion
// decision, gradients through fit in float64, sampleWeight / classWeight, and compile settings
// through model files — read back by wasmnn and by TF.js 4.22 (which also predicts the same).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, losses, metrics, optimizers, Sequential, tensor, oneHot, type ModelArtifacts, type LossSpec } from '../src/index.js';
import { decideLossFusion } from '../src/model/loss-fusion.js';
import { checkLoss } from '../src/losses.js';
import { modelLossGradientError } from './helpers/model-gradcheck.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { rejects } from './helpers/rejects.js';

const quiet = { verbose: 0 as const };

function dense(units: number, activation: 'sigmoid' | 'softmax' | 'linear' | 'tanh', inputs = 4): Sequential {
  return new Sequential([layers.dense({ units, activation, inputShape: [inputs] })], { backend: 'js', seed: 3 });
}

test.before(async () => {
  await tf.setBackend('cpu');
});

test('compile takes camelCase, snake_case, Keras class names, aliases and loss objects', () => {
  for (const name of ['binaryCrossentropy', 'binary_crossentropy', 'BinaryCrossentropy', 'mae', 'msle', 'huber', 'huber_loss', 'kld', 'kl_divergence', 'kullback_leibler_divergence', 'hinge']) {
    assert.ok(checkLoss(name), name);
  }
  assert.is(checkLoss('kl_divergence').name, 'kld');
  assert.is(checkLoss('mean_squared_logarithmic_error').name, 'meanSquaredLogarithmicError');
  const m = dense(1, 'sigmoid');
  m.compile({ optimizer: 'sgd', loss: losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }) });
  m.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
});

test('bad losses and options are named errors', () => {
  assert.throws(() => losses.binaryCrossentropy({ fromLogit: true } as never), /losses\.binaryCrossentropy: unknown option 'fromLogit'; options: fromLogits, labelSmoothing/);
  assert.throws(() => losses.huber({ delta: 0 }), /losses\.huber: delta must be a positive number, got 0/);
  assert.throws(() => losses.categoricalCrossentropy({ labelSmoothing: 1.5 }), /labelSmoothing must be in \[0, 1\], got 1\.5/);
  assert.throws(() => losses.hinge({ margin: 1 } as never), /losses\.hinge: unknown option 'margin'; it takes no options/);
  assert.throws(() => dense(2, 'softmax').compile({ optimizer: 'sgd', loss: 'poisson' as never }), /unsupported loss 'poisson'; supported: binaryCrossentropy/);
  assert.throws(() => dense(1, 'sigmoid').compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' }), /categoricalCrossentropy compares distributions over classes, but the model outputs 1 value/);
  assert.throws(() => dense(1, 'sigmoid').compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' }), /sparseCategoricalCrossentropy compares distributions/);
});

test('targets that do not fit the loss and output are named errors', async () => {
  const x = tensor(randomArray(mulberry32(1), 12), [3, 4]);
  const sparse = dense(10, 'softmax');
  sparse.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  await rejects(() => sparse.fit(x, tensor([1, 12, 3]), quiet), /label 12 of sample 1 is not a class index in \[0, 10\) \(sparseCategoricalCrossentropy on 10 output units\)/);
  const binary = dense(10, 'sigmoid');
  binary.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
  await rejects(() => binary.fit(x, oneHot([0, 1, 2], 3), quiet), /y has shape \(3, 3\) but the model outputs \(3, 10\) \(loss binaryCrossentropy\)/);
  const labels = new Float32Array(30);
  labels[14] = 2;
  await rejects(() => binary.fit(x, tensor(labels, [3, 10]), quiet), /binaryCrossentropy needs targets in \[0, 1\], got 2 at sample 1/);
});

test('the fusion is decided by the last activation and the loss', () => {
  const cases: [ReturnType<typeof dense>, LossSpec, string][] = [
    [dense(3, 'softmax'), 'categoricalCrossentropy', 'softmax'],
    [dense(3, 'softmax'), 'sparseCategoricalCrossentropy', 'softmax'],
    [dense(3, 'sigmoid'), 'binaryCrossentropy', 'sigmoid'],
    [dense(3, 'sigmoid'), losses.binaryCrossentropy({ labelSmoothing: 0.1 }), 'sigmoid'],
    [dense(3, 'sigmoid'), losses.binaryCrossentropy({ fromLogits: true }), 'none'],
    [dense(3, 'linear'), 'binaryCrossentropy', 'none'],
    [dense(3, 'sigmoid'), 'categoricalCrossentropy', 'none'],
    [dense(3, 'softmax'), 'binaryCrossentropy', 'none'],
    [dense(3, 'softmax'), losses.categoricalCrossentropy({ fromLogits: true }), 'none'],
  ];
  for (const [model, loss, expected] of cases) {
    assert.is(decideLossFusion(model.layers, checkLoss(loss)), expected, `${model.layers[0]!.outputActivation} + ${String((loss as { name?: string }).name ?? loss)}`);
  }
});

test('gradients through fit match finite differences (float64): fused, from logits, smoothed, weighted', async () => {
  const cases: [string, Promise<number>][] = [
    ['sigmoid + BCE (fused)', modelLossGradientError('binaryCrossentropy', 'sigmoid', 'bits')],
    ['sigmoid + BCE smoothing 0.1 (fused)', modelLossGradientError(losses.binaryCrossentropy({ labelSmoothing: 0.1 }), 'sigmoid', 'bits')],
    ['tanh + MAE', modelLossGradientError('meanAbsoluteError', 'tanh', 'regression')],
    ['linear + BCE fromLogits', modelLossGradientError(losses.binaryCrossentropy({ fromLogits: true }), 'linear', 'bits')],
    ['linear + CE fromLogits smoothing 0.2', modelLossGradientError(losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }), 'linear', 'oneHot')],
    ['softmax + sparse CE smoothing 0.1 (fused)', modelLossGradientError(losses.sparseCategoricalCrossentropy({ labelSmoothing: 0.1 }), 'softmax', 'sparse')],
    ['softmax + KLD', modelLossGradientError('kld', 'softmax', 'oneHot')],
    ['tanh + huber δ=0.2', modelLossGradientError(losses.huber({ delta: 0.2 }), 'tanh', 'regression')],
    ['sigmoid + MSLE', modelLossGradientError('msle', 'sigmoid', 'regression')],
    ['tanh + hinge', modelLossGradientError('hinge', 'tanh', 'bits')],
    ['softmax + CE, sampleWeight', modelLossGradientError('categoricalCrossentropy', 'softmax', 'oneHot', { sampleWeight: [0.5, 2, 0, 1.25] })],
    ['sigmoid + BCE, classWeight', modelLossGradientError('binaryCrossentropy', 'sigmoid', 'bits', { classWeight: { 0: 3, 1: 0.5, 2: 1 } })],
  ];
  for (const [what, error] of cases) {
    const worst = await error;
    assert.ok(worst < 1e-6, `${what}: worst relative difference ${worst}`);
  }
});

test('sampleWeight and classWeight: the loss is Σ weight·sample loss / batch size (Keras), metrics unweighted', async () => {
  const rng = mulberry32(5);
  const x = tensor(randomArray(rng, 6 * 4), [6, 4]);
  const labels = [0, 1, 2, 1, 0, 2];
  const y = oneHot(labels, 3);
  const model = dense(3, 'softmax');
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const perSample: number[] = [];
  for (let i = 0; i < 6; i++) perSample.push((await model.evaluate(x.slice(i, i + 1), y.slice(i, i + 1))).loss);
  const weights = [1, 0, 2, 0.5, 3, 1];
  const classWeight = { 0: 2, 1: 0.25, 2: 1 };
  const expectBoth = perSample.reduce((s, l, i) => s + l * weights[i]! * classWeight[labels[i] as 0 | 1 | 2], 0) / 6;
  const h = await model.fit(x, y, { batchSize: 6, shuffle: false, sampleWeight: weights, classWeight, ...quiet });
  assert.ok(Math.abs(h.history['loss']![0]! - expectBoth) < 1e-6, `weighted loss ${h.history['loss']![0]} vs ${expectBoth}`);
  const plain = await model.evaluate(x, y);
  assert.ok(Math.abs(h.history['accuracy']![0]! - plain['accuracy']!) < 1e-12, 'accuracy is not weighted');
  // Over several batches each batch's mean is weighted the same way: the epoch's loss is the sample-weighted sum / n.
  const h2 = await model.fit(x, y, { batchSize: 4, shuffle: false, sampleWeight: tensor(weights, [6, 1]), ...quiet });
  const expectSample = perSample.reduce((s, l, i) => s + l * weights[i]!, 0) / 6;
  assert.ok(Math.abs(h2.history['loss']![0]! - expectSample) < 1e-6, `weighted loss over batches ${h2.history['loss']![0]} vs ${expectSample}`);
  // Sparse labels and a one-unit binary output find each sample's class too.
  const sparse = dense(3, 'softmax');
  sparse.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'sparseCategoricalCrossentropy' });
  const hs = await sparse.fit(x, tensor(labels), { batchSize: 6, classWeight: { 0: 0, 1: 0, 2: 0 }, ...quiet });
  assert.is(hs.history['loss']![0], 0);
  const binary = dense(1, 'sigmoid');
  binary.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'binaryCrossentropy' });
  const yb = tensor([0, 1, 1, 0, 1, 0], [6, 1]);
  const onlyOnes = (await binary.fit(x, yb, { batchSize: 6, classWeight: { 0: 0, 1: 1 }, ...quiet })).history['loss']![0]!;
  const ones = tensor([...x.data.subarray(4, 12), ...x.data.subarray(16, 20)], [3, 4]);
  const expected = ((await binary.evaluate(ones, tensor([1, 1, 1], [3, 1]))).loss * 3) / 6;
  assert.ok(Math.abs(onlyOnes - expected) < 1e-6, `binary classWeight ${onlyOnes} vs ${expected}`);
});

test('sampleWeight and classWeight errors name the problem', async () => {
  const x = tensor(randomArray(mulberry32(6), 12), [3, 4]);
  const y = oneHot([0, 1, 1], 3);
  const model = dense(3, 'softmax');
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  await rejects(() => model.fit(x, y, { sampleWeight: [1, 2], ...quiet }), /sampleWeight must hold one weight per sample, shape \[3\] or \[3, 1\], got \[2\]/);
  await rejects(() => model.fit(x, y, { sampleWeight: [1, -2, 1], ...quiet }), /sampleWeight\[1\] must be a finite number ≥ 0, got -2/);
  await rejects(() => model.fit(x, y, { classWeight: { 0: 1, 1: 1, 5: 2 }, ...quiet }), /classWeight key '5' is not a class index of this output \(0 to 2\)/);
  await rejects(() => model.fit(x, y, { classWeight: { 0: 1 }, ...quiet }), /classWeight has no weight for class 1 \(sample 1\)/);
  await rejects(() => model.fit(x, y, { classWeight: { 0: 1, 1: NaN }, ...quiet }), /classWeight\[1\] must be a finite number ≥ 0, got NaN/);
});

test('validationSplit keeps each training sample with its weight', async () => {
  const x = tensor(randomArray(mulberry32(8), 8 * 4), [8, 4]);
  const y = oneHot([0, 1, 2, 1, 0, 2, 1, 1], 3);
  const model = dense(3, 'softmax');
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: 'categoricalCrossentropy' });
  const h = await model.fit(x, y, { batchSize: 8, shuffle: false, validationSplit: 0.25, sampleWeight: [0, 0, 0, 0, 0, 0, 5, 5], ...quiet });
  assert.is(h.history['loss']![0], 0, 'the weighted samples went to validation, the training ones weigh 0');
  assert.ok(h.history['val_loss']![0]! > 0, 'validation is unweighted');
});

/** TF.js loads wasmnn's artifacts from memory (with trainingConfig and metadata as saved). */
async function tfjsLoad(artifacts: { modelJson: ModelArtifacts['modelJson']; weightData: Uint8Array }): Promise<tf.LayersModel> {
  const json = artifacts.modelJson as Record<string, unknown>;
  const manifest = json['weightsManifest'] as { weights: tf.io.WeightsManifestEntry[] }[];
  const bytes = artifacts.weightData;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json['modelTopology'] as object,
      weightSpecs: manifest.flatMap((g) => g.weights),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      trainingConfig: json['trainingConfig'] as tf.io.TrainingConfig | undefined,
      userDefinedMetadata: json['userDefinedMetadata'] as object | undefined,
    }),
  );
}

async function trainedBinaryModel(loss: LossSpec, metricList: Parameters<Sequential['compile']>[0]['metrics']): Promise<Sequential> {
  const rng = mulberry32(9);
  const model = new Sequential([layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), layers.dense({ units: 1, activation: 'sigmoid' })], { backend: 'js', seed: 4 });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss, metrics: metricList ?? [] });
  await model.fit(tensor(randomArray(rng, 32 * 4), [32, 4]), tensor(Float32Array.from({ length: 32 }, (_, i) => i % 2), [32, 1]), { epochs: 2, batchSize: 8, ...quiet });
  return model;
}

test('compile settings round-trip through model files; TF.js loads them, compiles what it can, predicts the same', async () => {
  const x = tensor(randomArray(mulberry32(10), 16 * 4), [16, 4]);
  const y = tensor(Float32Array.from({ length: 16 }, (_, i) => (i * 5) % 2), [16, 1]);
  const cases: [string, LossSpec, Parameters<Sequential['compile']>[0]['metrics'], boolean][] = [
    // TF.js has the loss and the metrics: trainingConfig alone, exactly as TF.js writes it.
    ['binary_crossentropy', 'binaryCrossentropy', ['accuracy', 'binaryAccuracy', 'mae'], true],
    // Metrics TF.js lacks stay out of its list and are kept in wasmnn's settings.
    ['binary_crossentropy', 'binaryCrossentropy', ['accuracy', 'auc', 'precision', metrics.recall({ thresholds: 0.3 })], true],
    // An option TF.js' losses lack: no trainingConfig (TF.js loads the model uncompiled).
    ['BinaryCrossentropy from_logits', losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.05 }), ['accuracy'], false],
    ['Huber', losses.huber({ delta: 0.5 }), ['mse'], false],
  ];
  for (const [what, loss, metricList, tfjsCompiles] of cases) {
    const model = await trainedBinaryModel(loss, metricList);
    const artifacts = model.toArtifacts();
    const json = artifacts.modelJson as Record<string, unknown>;
    const loaded = await loadModel(artifacts, { backend: 'js' });
    assert.equal(loaded.trainingConfig(), model.trainingConfig(), `${what}: trainingConfig`);
    const [ours, again] = [await model.evaluate(x, y), await loaded.evaluate(x, y)];
    assert.equal(Object.keys(again), Object.keys(ours), `${what}: the same metrics after loading`);
    for (const key of Object.keys(ours)) assert.ok(Math.abs(ours[key]! - again[key]!) < 1e-6, `${what}: ${key} ${ours[key]} vs ${again[key]}`);

    const tfModel = await tfjsLoad(artifacts);
    const theirs = (tfModel.predict(tf.tensor2d(x.data, [16, 4])) as tf.Tensor).dataSync();
    const ourPrediction = (await model.predict(x)).data;
    const diff = Math.max(...Array.from(ourPrediction, (v, i) => Math.abs(v - theirs[i]!)));
    assert.ok(diff <= 1e-5, `${what}: TF.js predicts max |Δ| ${diff}`);
    assert.is(Boolean(json['trainingConfig']), tfjsCompiles, `${what}: trainingConfig written`);
    assert.is(Boolean(tfModel.optimizer), tfjsCompiles, `${what}: TF.js compiled from trainingConfig`);
    if (tfjsCompiles) {
      const tc = json['trainingConfig'] as { loss: string; metrics: string[] };
      assert.is(tc.loss, 'binary_crossentropy');
      assert.ok(tc.metrics.every((m) => ['accuracy', 'binary_accuracy', 'mae'].includes(m)), `${what}: TF.js metrics ${tc.metrics}`);
      // TF.js computes the same loss with what it compiled.
      const tfLoss = (tfModel.evaluate(tf.tensor2d(x.data, [16, 4]), tf.tensor2d(y.data, [16, 1]), { batchSize: 16 }) as tf.Scalar[])[0]!.dataSync()[0]!;
      assert.ok(Math.abs(tfLoss - ours.loss) <= 1e-5 * ours.loss, `${what}: TF.js loss ${tfLoss} vs ${ours.loss}`);
    }
  }
});

test('TF.js → wasmnn: a model TF.js compiled with binaryCrossentropy and binaryAccuracy loads compiled the same', async () => {
  const tfModel = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: 'relu', inputShape: [4] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
  tfModel.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy', metrics: ['binaryAccuracy', 'accuracy'] });
  let saved: tf.io.ModelArtifacts | undefined;
  // TF.js writes its trainingConfig only with the optimizer.
  await tfModel.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { includeOptimizer: true });
  const weightData = new Uint8Array(saved!.weightData as ArrayBuffer);
  const modelJson = { modelTopology: saved!.modelTopology, trainingConfig: saved!.trainingConfig, weightsManifest: [{ paths: ['w.bin'], weights: saved!.weightSpecs }] };
  const model = await loadModel({ modelJson, weightData }, { backend: 'js' });
  assert.equal(saved!.trainingConfig!.loss, 'binary_crossentropy');
  const x = tensor(randomArray(mulberry32(11), 8 * 4), [8, 4]);
  const y = tensor([0, 1, 1, 0, 1, 0, 0, 1], [8, 1]);
  const ours = await model.evaluate(x, y);
  assert.equal(Object.keys(ours), ['loss', 'binary_accuracy', 'accuracy']);
  const theirs = (tfModel.evaluate(tf.tensor2d(x.data, [8, 4]), tf.tensor2d(y.data, [8, 1]), { batchSize: 8 }) as tf.Scalar[]).map((s) => s.dataSync()[0]!);
  assert.ok(Math.abs(ours.loss - theirs[0]!) <= 1e-5 * theirs[0]!, `loss ${ours.loss} vs TF.js ${theirs[0]}`);
  assert.ok(Math.abs(ours['binary_accuracy']! - theirs[1]!) < 1e-6, `binary accuracy ${ours['binary_accuracy']} vs TF.js ${theirs[1]}`);
  assert.ok(Math.abs(ours['accuracy']! - theirs[2]!) < 1e-6, `accuracy ${ours['accuracy']} vs TF.js ${theirs[2]}`);
});

test('a binary classifier trains with sigmoid + binaryCrossentropy (fused) on the WASM backend', async () => {
  const rng = mulberry32(12);
  const n = 256;
  const x = tensor(randomArray(rng, n * 2, -1, 1), [n, 2]);
  // Inside or outside a circle: not linearly separable.
  const y = tensor(Array.from({ length: n }, (_, i) => (x.data[2 * i]! ** 2 + x.data[2 * i + 1]! ** 2 < 0.5 ? 1 : 0)), [n, 1]);
  const model = new Sequential([layers.dense({ units: 16, activation: 'tanh', inputShape: [2] }), layers.dense({ units: 1, activation: 'sigmoid' })], { seed: 1 });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy', 'auc'] });
  const h = await model.fit(x, y, { epochs: 30, batchSize: 32, validationSplit: 0.25, ...quiet });
  const last = (k: string) => h.history[k]![h.history[k]!.length - 1]!;
  assert.ok(last('loss') < h.history['loss']![0]! * 0.6, `loss fell from ${h.history['loss']![0]} to ${last('loss')}`);
  assert.ok(last('val_accuracy') > 0.85, `validation accuracy ${last('val_accuracy')}`);
  assert.ok(last('val_auc') > 0.9, `validation AUC ${last('val_auc')}`);
  model.dispose();
});

test.run();
