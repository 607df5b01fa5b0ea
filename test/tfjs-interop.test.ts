/**
 * Model files interoperate with TensorFlow.js: wasmnn saves → TF.js loads, TF.js saves →
 * wasmnn loads, both computing the same predictions on real MNIST test images.
 *
 * Time budget: wasmnn runs on its plain-JS reference backend (a naive GEMM), where training
 * the full-size seed CNN (conv 64 → conv 32) costs ~0.8 s per sample, so it takes only 2
 * small steps; a reduced-width copy of the same layer sequence trains on 96 images. TF.js
 * runs on its WASM backend (XNNPACK): its CPU backend is far slower on the 64-filter conv
 * and gives the same values (its CPU backend is used where the WASM one lacks a kernel).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { layers, loadMnist, loadModel, adam, Sequential, Tensor, type Mnist, type NamedWeight } from '../src/index.node.js';
import { mulberry32, type Rng } from './helpers/random.js';

const TOLERANCE = 1e-5;
const TEST_IMAGES = 64;

let mnist: Mnist;
let tmp: string;

test.before(async () => {
  assert.ok(await tf.setBackend('wasm'), 'the TF.js wasm backend did not initialize');
  await tf.ready();
  mnist = await loadMnist({ trainLimit: 96, testLimit: TEST_IMAGES });
  tmp = await mkdtemp(join(tmpdir(), 'wasmnn-tfjs-'));
});

test.after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

// --- helpers ------------------------------------------------------------------

type TfWeightSpec = tf.io.WeightsManifestEntry;

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

/** A TF.js IOHandler reading a model directory (model.json + shards) the way TF.js' own file/http loaders do. */
function tfjsDirectoryHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((g) => g.weights);
        const shards = await Promise.all(manifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p))));
        return [specs, concatBytes(shards).slice().buffer];
      });
    },
  };
}

/** Captures what TF.js' model.save hands an IOHandler. */
async function tfjsArtifacts(model: tf.LayersModel, includeOptimizer = false): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
  return captured!;
}

/** TF.js artifacts → model.json + one shard, laid out as TF.js' file/http savers write them. */
function toModelFiles(artifacts: tf.io.ModelArtifacts): { modelJson: Record<string, unknown>; weightData: Uint8Array } {
  const data = artifacts.weightData!;
  const weightData = Array.isArray(data) ? concatBytes(data.map((b) => new Uint8Array(b))) : new Uint8Array(data);
  const modelJson: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  if (artifacts.trainingConfig) modelJson['trainingConfig'] = artifacts.trainingConfig;
  return { modelJson, weightData };
}

async function writeModelDir(name: string, files: { modelJson: Record<string, unknown>; weightData: Uint8Array }): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(dir, { recursive: true });
  const paths = (files.modelJson['weightsManifest'] as { paths: string[] }[])[0]!.paths;
  await writeFile(join(dir, paths[0]!), files.weightData);
  await writeFile(join(dir, 'model.json'), JSON.stringify(files.modelJson));
  return dir;
}

function tfPredict(model: tf.LayersModel, x: Tensor): Float32Array {
  return tf.tidy(() => {
    const out = model.predict(tf.tensor(x.data, [...x.shape])) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.is(a.length, b.length, 'prediction sizes differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function testImages(n: number): Tensor {
  return mnist.test.x.slice(0, n);
}

/** Predictions must be close AND meaningful (each row a distribution, not all equal). */
function assertSamePredictions(ours: Float32Array, theirs: Float32Array, images: number, classes = 10): void {
  const diff = maxAbsDiff(ours, theirs);
  assert.ok(diff <= TOLERANCE, `max |wasmnn - tfjs| = ${diff} > ${TOLERANCE}`);
  assert.is(ours.length, images * classes);
  const rowSum = ours.subarray(0, classes).reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(rowSum - 1) < 1e-4, `softmax row sums to ${rowSum}`);
  assert.ok(Math.max(...ours) - Math.min(...ours) > 0.05, 'predictions are degenerate (all nearly equal)');
}

function assertWeightsEqual(ours: NamedWeight[], theirs: { name: string; shape: number[]; data: Float32Array }[]): void {
  assert.equal(ours.map((w) => w.name), theirs.map((w) => w.name));
  ours.forEach((w, i) => {
    assert.equal(w.shape, theirs[i]!.shape, w.name);
    assert.ok(w.data.every((v, j) => Object.is(v, theirs[i]!.data[j])), `weight ${w.name} differs`);
  });
}

function tfWeights(model: tf.LayersModel): { name: string; shape: number[]; data: Float32Array }[] {
  return model.weights.map((w) => ({ name: w.originalName, shape: w.shape as number[], data: w.read().dataSync() as Float32Array }));
}

/** Deterministic TF.js weights: uniform in ±He limit sqrt(6 / fanIn) (kernels) or ±0.1 (biases). */
function seedTfjsWeights(model: tf.LayersModel, rng: Rng): void {
  const values = model.weights.map((w) => {
    const shape = w.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    let limit = 0.1;
    if (shape.length >= 2) {
      const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
      limit = Math.sqrt(6 / (shape[shape.length - 2]! * receptive));
    }
    return tf.tensor(Float32Array.from({ length: size }, () => (2 * rng() - 1) * limit), shape);
  });
  model.setWeights(values);
  tf.dispose(values);
}

// --- architectures ------------------------------------------------------------

/** The seed CNN; `filters` narrows it (same layer sequence) to fit the time budget. */
function wasmnnSeed(filters: [number, number] = [64, 32]): Sequential {
  return new Sequential(
    [
      layers.conv2d({ filters: filters[0], kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      layers.conv2d({ filters: filters[1], kernelSize: 3, activation: 'relu' }),
      layers.flatten(),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { backend: 'js', seed: 7 },
  );
}

/** Exercises 'same' padding with asymmetric pads (stride 2 on even sizes, pooling of an odd size), dropout, dense relu. */
function wasmnnLenet(): Sequential {
  return new Sequential(
    [
      layers.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.conv2d({ filters: 12, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same' }),
      layers.dropout({ rate: 0.25 }),
      layers.flatten(),
      layers.dense({ units: 32, activation: 'relu' }),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { backend: 'js', seed: 11, name: 'lenet' },
  );
}

type TfLayerName = (n: string) => { name?: string };

function tfjsSeed(named: boolean, filters: [number, number] = [64, 32]): tf.Sequential {
  const nm: TfLayerName = (n) => (named ? { name: n } : {});
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: filters[0], kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1], ...nm('first_conv') }),
      tf.layers.conv2d({ filters: filters[1], kernelSize: 3, activation: 'relu', ...nm('second_conv') }),
      tf.layers.flatten(nm('flat')),
      tf.layers.dense({ units: 10, activation: 'softmax', ...nm('probs') }),
    ],
  });
}

function tfjsLenet(named: boolean, inputLayer = false): tf.Sequential {
  const nm: TfLayerName = (n) => (named ? { name: n } : {});
  const input = inputLayer ? {} : { inputShape: [28, 28, 1] };
  return tf.sequential({
    layers: [
      ...(inputLayer ? [tf.layers.inputLayer({ inputShape: [28, 28, 1] })] : []),
      tf.layers.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', ...input, ...nm('c1') }),
      tf.layers.maxPooling2d({ poolSize: 2, ...nm('p1') }),
      tf.layers.conv2d({ filters: 12, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', ...nm('c2') }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same', ...nm('p2') }),
      tf.layers.dropout({ rate: 0.25, ...nm('d1') }),
      tf.layers.flatten(nm('f')),
      tf.layers.dense({ units: 32, activation: 'relu', ...nm('fc1') }),
      tf.layers.dropout({ rate: 0.5, ...nm('d2') }),
      tf.layers.dense({ units: 10, activation: 'softmax', ...nm('fc2') }),
    ],
  });
}

// --- wasmnn → TF.js -----------------------------------------------------------

/** Trains `model` for a few steps on `trainSamples` MNIST images, saves it to a directory and loads that in TF.js. */
async function wasmnnToTfjs(model: Sequential, dirName: string, trainSamples: number, batchSize: number, images: number): Promise<void> {
  model.compile({ optimizer: adam({ learningRate: 0.002 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.build();
  const initial = model.getWeights();
  await model.fit(mnist.train.x.slice(0, trainSamples), mnist.train.y.slice(0, trainSamples), { batchSize, epochs: 1, verbose: 0 });
  assert.ok(model.getWeights().some((w, i) => w.data.some((v, j) => v !== initial[i]!.data[j])), 'fit changed no weight');
  const dir = join(tmp, dirName);
  await model.save(dir);

  const tfModel = await tf.loadLayersModel(tfjsDirectoryHandler(dir));
  assert.equal(tfModel.layers.map((l) => l.name), model.layers.map((l) => l.name));
  assert.equal(tfModel.layers.map((l) => l.getClassName()), model.layers.map((l) => l.className));
  assertWeightsEqual(model.getWeights(), tfWeights(tfModel));
  // TF.js read the training config: it compiled the model with wasmnn's optimizer and loss.
  assert.ok(tfModel.optimizer, 'TF.js did not compile the model from trainingConfig');
  assert.is(tfModel.optimizer.getClassName(), 'Adam');
  assert.is((tfModel.optimizer.getConfig() as { learningRate: number }).learningRate, 0.002);

  const x = testImages(images);
  assertSamePredictions((await model.predict(x)).data, tfPredict(tfModel, x), images);
  tfModel.dispose();
}

test('wasmnn → TF.js: seed CNN at full size (conv 64 → conv 32 → dense softmax), 2 training steps', async () => {
  await wasmnnToTfjs(wasmnnSeed(), 'wasmnn-seed', 4, 2, TEST_IMAGES);
});

test('wasmnn → TF.js: seed layer sequence at reduced width, 3 training steps', async () => {
  await wasmnnToTfjs(wasmnnSeed([8, 4]), 'wasmnn-seed-slim', 96, 32, TEST_IMAGES);
});

test('wasmnn → TF.js: lenet-style CNN with same padding, strides, pooling and dropout', async () => {
  await wasmnnToTfjs(wasmnnLenet(), 'wasmnn-lenet', 96, 32, TEST_IMAGES);
});

test('wasmnn → TF.js → wasmnn: a model TF.js re-saves loads back unchanged', async () => {
  const model = wasmnnLenet();
  await model.build();
  const dir = join(tmp, 'wasmnn-lenet-untrained');
  await model.save(dir);
  const tfModel = await tf.loadLayersModel(tfjsDirectoryHandler(dir));
  const back = await loadModel(toModelFiles(await tfjsArtifacts(tfModel)), { backend: 'js' });
  assert.equal(back.toTopology(), model.toTopology());
  assertWeightsEqual(back.getWeights(), model.getWeights());
  tfModel.dispose();
});

// --- TF.js → wasmnn -----------------------------------------------------------

/**
 * Gives `tfModel` seeded weights, captures what TF.js saves, and loads that in wasmnn both from
 * bytes and from a directory on disk: same layer names, same weights, same predictions.
 */
async function tfjsToWasmnn(tfModel: tf.LayersModel, seed: number, dirName: string, images = TEST_IMAGES): Promise<Sequential> {
  seedTfjsWeights(tfModel, mulberry32(seed));
  const files = toModelFiles(await tfjsArtifacts(tfModel));
  const tfNames = tfModel.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name);
  const x = testImages(images);
  const theirs = tfPredict(tfModel, x);

  const fromBytes = await loadModel({ modelJson: files.modelJson, weightData: files.weightData }, { backend: 'js' });
  const fromDir = await loadModel(await writeModelDir(dirName, files), { backend: 'js' });
  assertWeightsEqual(fromDir.getWeights(), fromBytes.getWeights());
  assert.equal(fromDir.toTopology(), fromBytes.toTopology());
  assert.equal(fromDir.layers.map((l) => l.name), tfNames);
  assertWeightsEqual(fromDir.getWeights(), tfWeights(tfModel));
  assertSamePredictions((await fromDir.predict(x)).data, theirs, images);
  return fromDir;
}

test('TF.js → wasmnn: full-size seed CNN, unnamed layers, VarianceScaling initializers', async () => {
  const tfModel = tfjsSeed(false);
  const topology = (await tfjsArtifacts(tfModel)).modelTopology as { config: { layers: { config: Record<string, { class_name?: string }> }[] } };
  assert.is(topology.config.layers[0]!.config['kernel_initializer']!.class_name, 'VarianceScaling');
  const model = await tfjsToWasmnn(tfModel, 1, 'tfjs-seed-unnamed', TEST_IMAGES);
  const names = model.layers.map((l) => l.name!);
  [/^conv2d_Conv2D\d+$/, /^conv2d_Conv2D\d+$/, /^flatten_Flatten\d+$/, /^dense_Dense\d+$/].forEach((re, i) => assert.match(names[i]!, re));
  assert.match(model.getWeights()[0]!.name, /^conv2d_Conv2D\d+\/kernel$/);
  tfModel.dispose();
});

test('TF.js → wasmnn: seed layer sequence at reduced width, named layers', async () => {
  const tfModel = tfjsSeed(true, [8, 4]);
  const model = await tfjsToWasmnn(tfModel, 2, 'tfjs-seed-named');
  assert.equal(model.getWeights().map((w) => w.name), ['first_conv/kernel', 'first_conv/bias', 'second_conv/kernel', 'second_conv/bias', 'probs/kernel', 'probs/bias']);
  tfModel.dispose();
});

test('TF.js → wasmnn: lenet-style CNN, unnamed and named', async () => {
  for (const named of [false, true]) {
    const tfModel = tfjsLenet(named);
    const model = await tfjsToWasmnn(tfModel, 3, `tfjs-lenet-${named}`);
    if (named) assert.equal(model.layers.map((l) => l.name), ['c1', 'p1', 'c2', 'p2', 'd1', 'f', 'fc1', 'd2', 'fc2']);
    else assert.match(model.layers[1]!.name!, /^max_pooling2d_MaxPooling2D\d+$/);
    tfModel.dispose();
  }
});

test('TF.js → wasmnn: InputLayer-first topology from tf.layers.inputLayer', async () => {
  const tfModel = tfjsLenet(true, true);
  const files = toModelFiles(await tfjsArtifacts(tfModel));
  const first = (files.modelJson['modelTopology'] as { config: { layers: { class_name: string }[] } }).config.layers[0]!;
  assert.is(first.class_name, 'InputLayer', 'TF.js no longer writes an InputLayer entry; this test would not test it');
  const model = await tfjsToWasmnn(tfModel, 4, 'tfjs-inputlayer');
  assert.equal(model.inputShape, [28, 28, 1]);
  assert.is(model.layers.length, 9);
  assert.is(model.layers[0]!.name, 'c1');
  tfModel.dispose();
});

test('both ways: bias-free layers, a separate Activation layer, tanh and sigmoid', async () => {
  const tfModel = tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, useBias: false, inputShape: [28, 28, 1] }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 3 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 12, activation: 'tanh', useBias: false }),
      tf.layers.dense({ units: 12, activation: 'sigmoid' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const model = await tfjsToWasmnn(tfModel, 8, 'tfjs-nobias');
  assert.equal(model.layers.map((l) => l.params.length), [1, 0, 0, 0, 1, 2, 2]);
  tfModel.dispose();

  const dir = join(tmp, 'wasmnn-nobias');
  await model.save(dir);
  const back = await tf.loadLayersModel(tfjsDirectoryHandler(dir));
  assertWeightsEqual(model.getWeights(), tfWeights(back));
  const x = testImages(TEST_IMAGES);
  assertSamePredictions((await model.predict(x)).data, tfPredict(back, x), TEST_IMAGES);
  back.dispose();
});

test('TF.js → wasmnn: trained, compiled model saved with optimizer state and trainingConfig', async () => {
  // The TF.js wasm backend has no convolution gradients: train on its CPU backend.
  await tf.setBackend('cpu');
  try {
    await trainedTfjsModelLoads();
  } finally {
    await tf.setBackend('wasm');
  }
});

async function trainedTfjsModelLoads(): Promise<void> {
  const tfModel = tfjsSeed(true, [8, 4]);
  seedTfjsWeights(tfModel, mulberry32(6));
  tfModel.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor(mnist.train.x.data.subarray(0, 16 * 784), [16, 28, 28, 1]);
  const y = tf.tensor(mnist.train.y.data.subarray(0, 16 * 10), [16, 10]);
  await tfModel.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  const artifacts = await tfjsArtifacts(tfModel, true);
  assert.ok(artifacts.weightSpecs!.some((s: TfWeightSpec) => s.group === 'optimizer'), 'TF.js saved no optimizer weights');
  assert.ok(artifacts.trainingConfig, 'TF.js saved no trainingConfig');
  const model = await loadModel(toModelFiles(artifacts), { backend: 'js' });
  assert.is(model.getWeights().length, 6);
  assertWeightsEqual(model.getWeights(), tfWeights(tfModel));
  const images = testImages(TEST_IMAGES);
  assertSamePredictions((await model.predict(images)).data, tfPredict(tfModel, images), TEST_IMAGES);
  tfModel.dispose();
}

/**
 * A model.json as the TF.js converter writes it for a Keras (Python) Sequential model:
 * modelTopology wraps model_config, the first entry is an InputLayer, weights are named 'conv2d/kernel'.
 */
function kerasModelJson(inputLayerKey: 'batch_input_shape' | 'batch_shape'): Record<string, unknown> {
  const init = (cls: string) => ({ module: 'keras.initializers', class_name: cls, config: cls === 'Zeros' ? {} : { seed: null }, registered_name: null });
  return {
    format: 'layers-model',
    generatedBy: 'keras v2.15.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      keras_version: '2.15.0',
      backend: 'tensorflow',
      model_config: {
        class_name: 'Sequential',
        config: {
          name: 'sequential',
          layers: [
            { class_name: 'InputLayer', config: { [inputLayerKey]: [null, 28, 28, 1], dtype: 'float32', sparse: false, ragged: false, name: 'conv2d_input' } },
            {
              class_name: 'Conv2D',
              config: {
                name: 'conv2d', trainable: true, dtype: 'float32', filters: 8, kernel_size: [3, 3], strides: [2, 2], padding: 'same',
                data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'relu', use_bias: true,
                kernel_initializer: init('GlorotUniform'), bias_initializer: init('Zeros'),
                kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
              },
            },
            { class_name: 'MaxPooling2D', config: { name: 'max_pooling2d', trainable: true, dtype: 'float32', pool_size: [2, 2], padding: 'valid', strides: [2, 2], data_format: 'channels_last' } },
            { class_name: 'Flatten', config: { name: 'flatten', trainable: true, dtype: 'float32', data_format: 'channels_last' } },
            {
              class_name: 'Dense',
              config: {
                name: 'dense', trainable: true, dtype: 'float32', units: 10, activation: 'softmax', use_bias: true,
                kernel_initializer: init('GlorotUniform'), bias_initializer: init('Zeros'),
                kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
              },
            },
          ],
        },
      },
      training_config: { loss: 'categorical_crossentropy', metrics: ['accuracy'], optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.001 } } },
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'conv2d/kernel', shape: [3, 3, 1, 8], dtype: 'float32' },
          { name: 'conv2d/bias', shape: [8], dtype: 'float32' },
          { name: 'dense/kernel', shape: [392, 10], dtype: 'float32' },
          { name: 'dense/bias', shape: [10], dtype: 'float32' },
        ],
      },
    ],
  };
}

test('Keras-converter model.json (model_config wrapper, InputLayer first) loads in wasmnn and TF.js alike', async () => {
  const rng = mulberry32(5);
  const count = 3 * 3 * 8 + 8 + 392 * 10 + 10;
  const weightData = new Uint8Array(Float32Array.from({ length: count }, () => (2 * rng() - 1) * 0.3).buffer);
  const modelJson = kerasModelJson('batch_input_shape');
  const dir = await writeModelDir('keras-converted', { modelJson, weightData });

  const tfModel = await tf.loadLayersModel(tfjsDirectoryHandler(dir));
  const theirs = tfPredict(tfModel, mnist.test.x);
  for (const model of [await loadModel(dir, { backend: 'js' }), await loadModel({ modelJson: kerasModelJson('batch_shape'), weightData }, { backend: 'js' })]) {
    assert.equal(model.layers.map((l) => l.name), ['conv2d', 'max_pooling2d', 'flatten', 'dense']);
    assert.equal(model.inputShape, [28, 28, 1]);
    assertWeightsEqual(model.getWeights(), tfWeights(tfModel));
    assertSamePredictions((await model.predict(mnist.test.x)).data, theirs, TEST_IMAGES);
  }
  tfModel.dispose();
});

test.run();
