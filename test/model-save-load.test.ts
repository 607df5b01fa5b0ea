/**
 * wasmnn's own save → load round trip, and model files that are wrong in one way each:
 * loading must fail with an error that names the problem (never a silently wrong model).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { adam, adamw, layers, loadMnist, loadModel, Sequential, type Mnist, type ModelArtifacts, type NamedWeight } from '../src/index.node.js';

let mnist: Mnist;
let tmp: string;
let dirCount = 0;

test.before(async () => {
  mnist = await loadMnist({ trainLimit: 64, testLimit: 32 });
  tmp = await mkdtemp(join(tmpdir(), 'wasmnn-save-load-'));
});

test.after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function freshDir(): string {
  return join(tmp, `m${++dirCount}`);
}

function lenet(seed = 3): Sequential {
  return new Sequential(
    [
      layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.dropout({ rate: 0.2 }),
      layers.flatten(),
      layers.dense({ units: 16, activation: 'tanh' }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { backend: 'js', seed, name: 'small_lenet' },
  );
}

function summaryOf(model: Sequential): string {
  let text = '';
  model.summary((t) => (text = t));
  return text;
}

function assertBitIdentical(a: Float32Array, b: Float32Array, what: string): void {
  assert.is(a.length, b.length, `${what}: lengths differ`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.unreachable(`${what} differ at ${i}: ${a[i]} vs ${b[i]}`);
  }
}

function assertSameWeights(actual: NamedWeight[], expected: NamedWeight[]): void {
  assert.equal(actual.map((w) => w.name), expected.map((w) => w.name));
  actual.forEach((w, i) => {
    assert.equal(w.shape, expected[i]!.shape, w.name);
    assertBitIdentical(w.data, expected[i]!.data, `weight ${w.name}`);
  });
}

async function rejects(promise: Promise<unknown>, ...patterns: RegExp[]): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const msg = (err as Error).message;
    for (const p of patterns) assert.match(msg, p, `message "${msg}" should match ${p}`);
    return msg;
  }
  assert.unreachable(`expected an error matching ${patterns.join(' and ')}`);
  return '';
}

// --- round trip ---------------------------------------------------------------

test('save → load round trip: identical predictions, weights, summary and topology; trainingConfig saved', async () => {
  const model = lenet();
  model.compile({ optimizer: adam({ learningRate: 0.003 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(mnist.train.x, mnist.train.y, { batchSize: 16, epochs: 1, verbose: 0 });
  const dir = freshDir();
  await model.save(dir);
  assert.equal((await readdir(dir)).sort(), ['group1-shard1of1.bin', 'model.json'], 'save left other files behind');

  const loaded = await loadModel(dir, { backend: 'js' });
  assert.is(loaded.name, 'small_lenet');
  assert.is(summaryOf(loaded), summaryOf(model));
  assert.equal(loaded.toTopology(), model.toTopology());
  assertSameWeights(loaded.getWeights(), model.getWeights());
  const x = mnist.test.x;
  const expected = (await model.predict(x)).data;
  assertBitIdentical((await loaded.predict(x)).data, expected, 'predictions');
  // Not trivially identical: the trained model predicts different classes for different digits.
  const argmax = (p: Float32Array, r: number) => p.subarray(r * 10, r * 10 + 10).reduce((best, v, i, row) => (v > row[best]! ? i : best), 0);
  assert.ok(new Set(Array.from({ length: 32 }, (_, r) => argmax(expected, r))).size > 1, 'predictions do not depend on the input');

  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  assert.is(json.format, 'layers-model');
  assert.equal(json.trainingConfig, {
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
    optimizer_config: { class_name: 'Adam', config: { learningRate: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
  });
  // Loading compiles the model as it was saved, so it can be evaluated straight away.
  const evaluated = await loaded.evaluate(x, mnist.train.y.slice(0, 32));
  assert.ok(evaluated.accuracy !== undefined && Number.isFinite(evaluated.loss));
});

test('AdamW has no TF.js counterpart: saved without optimizer_config, still loadable', async () => {
  const model = lenet();
  model.compile({ optimizer: adamw(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.build();
  const dir = freshDir();
  await model.save(dir);
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  assert.equal(json.trainingConfig, { loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  await loadModel(dir, { backend: 'js' });
});

test('a loaded model can be compiled and trained further', async () => {
  const model = lenet();
  await model.build();
  const dir = freshDir();
  await model.save(dir);
  const loaded = await loadModel(dir, { backend: 'js' });
  loaded.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const before = loaded.getWeights();
  const history = await loaded.fit(mnist.train.x.slice(0, 16), mnist.train.y.slice(0, 16), { batchSize: 16, verbose: 0 });
  assert.ok(Number.isFinite(history.history['loss']![0]));
  assert.ok(loaded.getWeights().some((w, i) => w.data.some((v, j) => v !== before[i]!.data[j])), 'fit changed no weight');
});

test('an uncompiled model saves no trainingConfig', async () => {
  const model = lenet();
  await model.build();
  const dir = freshDir();
  await model.save(dir);
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  assert.is(json.trainingConfig, undefined);
  assert.ok(json.modelTopology && json.weightsManifest);
});

test('save and load through file:// URLs, a model.json path and a save function', async () => {
  const model = lenet();
  await model.build();
  const dir = freshDir();
  await model.save(pathToFileURL(dir).href);
  const viaJsonPath = await loadModel(join(dir, 'model.json'), { backend: 'js' });
  const viaUrl = await loadModel(pathToFileURL(dir).href, { backend: 'js' });
  let saved: ModelArtifacts | undefined;
  await model.save((artifacts) => {
    saved = artifacts;
  });
  const viaBytes = await loadModel(saved!, { backend: 'js' });
  for (const loaded of [viaJsonPath, viaUrl, viaBytes]) assertSameWeights(loaded.getWeights(), model.getWeights());
});

test('saving a model that has no weights yet is an error that says what to do', async () => {
  const dir = freshDir();
  await rejects(lenet().save(dir), /no weights yet/, /build\(\)/);
  await rejects(readdir(dir), /ENOENT/);
});

// --- bad files ----------------------------------------------------------------

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A small model's files: conv2d (3x3x1x4 kernel) → flatten → dense (weights conv2d/kernel, conv2d/bias, dense/kernel, dense/bias). */
async function baseFiles(): Promise<{ modelJson: Json; weightData: Uint8Array }> {
  const model = new Sequential(
    [layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }), layers.flatten(), layers.dense({ units: 3, activation: 'softmax' })],
    { backend: 'js', seed: 5 },
  );
  await model.build();
  const { modelJson, weightData } = model.toArtifacts();
  return { modelJson: structuredClone(modelJson) as Json, weightData: weightData.slice() };
}

function topologyLayers(modelJson: Json): Json[] {
  return modelJson['modelTopology'].config.layers;
}

function specs(modelJson: Json): Json[] {
  return modelJson['weightsManifest'][0].weights;
}

test('bad file sanity: the unmodified base files load', async () => {
  const model = await loadModel(await baseFiles(), { backend: 'js' });
  assert.equal(model.getWeights().map((w) => w.name), ['conv2d/kernel', 'conv2d/bias', 'dense/kernel', 'dense/bias']);
});

test('unsupported layer class: names the class and the layer', async () => {
  const files = await baseFiles();
  topologyLayers(files.modelJson)[1] = { class_name: 'LSTM', config: { name: 'lstm_1', units: 4 } };
  await rejects(loadModel(files), /unsupported layer class 'LSTM'/, /'lstm_1'/, /supports Conv2D, Dense/);
});

test('unsupported options: dilation_rate, groups, channels_first, padding, activation', async () => {
  const cases: [Json, RegExp][] = [
    // Dilation is supported, but not with strides (Keras refuses the combination too).
    [{ dilation_rate: [2, 2], strides: [2, 2] }, /'conv2d'.*`strides > 1` not supported in conjunction with `dilation_rate > 1`/],
    [{ groups: 2 }, /'conv2d'.*groups 2 is not supported/],
    [{ data_format: 'channels_first' }, /'conv2d'.*data_format 'channels_first' is not supported/],
    [{ padding: 'causal' }, /conv2d.*padding must be 'valid' or 'same', got "causal"/],
    [{ activation: 'hard_swish' }, /'conv2d'.*unsupported activation 'hard_swish'/],
  ];
  for (const [change, pattern] of cases) {
    const files = await baseFiles();
    Object.assign(topologyLayers(files.modelJson)[0]!['config'], change);
    await rejects(loadModel(files), pattern);
  }
  // Flatten (whose NHWC order matters) refuses channels_first too.
  const files = await baseFiles();
  topologyLayers(files.modelJson)[1]!['config'].data_format = 'channels_first';
  await rejects(loadModel(files), /'flatten'.*data_format 'channels_first' is not supported/);
});

test('a non-Sequential model is refused by class name', async () => {
  const files = await baseFiles();
  files.modelJson['modelTopology'].class_name = 'Functional';
  await rejects(loadModel(files), /only Sequential models are supported, got class_name 'Functional'/);
  const wrapped = await baseFiles();
  wrapped.modelJson['modelTopology'] = { model_config: { ...wrapped.modelJson['modelTopology'], class_name: 'Model' } };
  await rejects(loadModel(wrapped), /only Sequential models are supported, got class_name 'Model'/);
});

test('a topology without layers, or whose first layer has no input shape', async () => {
  const empty = await baseFiles();
  topologyLayers(empty.modelJson).length = 0;
  await rejects(loadModel(empty), /config\.layers is missing or empty/);
  const noInput = await baseFiles();
  delete topologyLayers(noInput.modelJson)[0]!['config'].batch_input_shape;
  await rejects(loadModel(noInput), /first layer \('conv2d'\) needs an inputShape/);
});

test('wrong weight shape (a kernel with swapped dims): names the weight and both shapes', async () => {
  const files = await baseFiles();
  specs(files.modelJson)[0]!['shape'] = [3, 3, 4, 1];
  await rejects(loadModel(files), /weight 'conv2d\/kernel' has shape \[3, 3, 4, 1\] but the layer needs \[3, 3, 1, 4\]/);
});

test('a missing weight and an extra weight are named', async () => {
  const missing = await baseFiles();
  specs(missing.modelJson).pop();
  missing.weightData = missing.weightData.subarray(0, missing.weightData.byteLength - 3 * 4);
  await rejects(loadModel(missing), /no weight named 'dense\/bias'/);

  const extra = await baseFiles();
  specs(extra.modelJson).push({ name: 'dense/gamma', shape: [3], dtype: 'float32' });
  const longer = new Uint8Array(extra.weightData.byteLength + 12);
  longer.set(extra.weightData);
  extra.weightData = longer;
  await rejects(loadModel(extra), /unexpected weights dense\/gamma/);
});

test('a truncated or too long weights file gives both byte counts', async () => {
  const files = await baseFiles();
  const need = files.weightData.byteLength;
  await rejects(loadModel({ ...files, weightData: files.weightData.subarray(0, need - 4) }), new RegExp(`weights file truncated: need ${need} bytes, have ${need - 4}`));
  const longer = new Uint8Array(need + 8);
  longer.set(files.weightData);
  await rejects(loadModel({ ...files, weightData: longer }), new RegExp(`weights file too long: need ${need} bytes, have ${need + 8}`));
  await rejects(loadModel({ ...files, weightData: [files.weightData, files.weightData] }), /lists 1 weight file\(s\) but 2 were given/);
});

test('NaN or Infinity in the weights is refused, naming the weight and index', async () => {
  for (const [value, label] of [[NaN, 'NaN'], [-Infinity, '-Infinity']] as const) {
    const files = await baseFiles();
    const floats = new Float32Array(files.weightData.buffer, files.weightData.byteOffset, files.weightData.byteLength / 4);
    floats[36 + 2] = value; // conv2d/bias[2], after the 36 kernel values
    await rejects(loadModel(files), new RegExp(`weight conv2d/bias holds ${label} at index 2; the weights are corrupt`));
  }
});

test('unsupported dtypes are refused by name; a quantized entry that does not fit the shard too', async () => {
  // int32 is read (Normalization's count as Keras writes it: test/normalization-int32-count.test.ts).
  const wide = await baseFiles();
  specs(wide.modelJson)[1]!['dtype'] = 'float64';
  await rejects(loadModel(wide), /unsupported dtype float64 for weight conv2d\/bias/);
  const quantized = await baseFiles();
  specs(quantized.modelJson)[0]!['quantization'] = { dtype: 'uint8', scale: 0.1, min: -1 };
  await rejects(loadModel(quantized), /weights file too long: need \d+ bytes, have \d+/);
});

test('model.json missing modelTopology or weightsManifest, or not an object', async () => {
  for (const key of ['modelTopology', 'weightsManifest']) {
    const files = await baseFiles();
    delete files.modelJson[key];
    await rejects(loadModel(files), new RegExp(`model\\.json has no ${key}`));
  }
  const files = await baseFiles();
  await rejects(loadModel({ modelJson: [files.modelJson], weightData: files.weightData }), /model\.json must hold a JSON object, got an array/);
});

async function writeFiles(files: { modelJson: Json; weightData: Uint8Array }): Promise<string> {
  const dir = freshDir();
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), JSON.stringify(files.modelJson));
  await writeFile(join(dir, 'group1-shard1of1.bin'), files.weightData);
  return dir;
}

test('on disk: model.json that is not JSON, missing model.json, missing shard, truncated shard, missing directory', async () => {
  const files = await baseFiles();
  const notJson = await writeFiles(files);
  await writeFile(join(notJson, 'model.json'), '{"modelTopology": {"class_name": "Sequential"');
  await rejects(loadModel(notJson), /model\.json is not valid JSON/);

  const noJson = await writeFiles(files);
  await rm(join(noJson, 'model.json'));
  await rejects(loadModel(noJson), /model\.json is missing/);

  const noShard = await writeFiles(files);
  await rm(join(noShard, 'group1-shard1of1.bin'));
  await rejects(loadModel(noShard), /weights file group1-shard1of1\.bin listed in .*model\.json is missing/);

  const truncated = await writeFiles({ ...files, weightData: files.weightData.subarray(0, 100) });
  await rejects(loadModel(truncated), /weights file truncated: need \d+ bytes, have 100 \(group1-shard1of1\.bin\)/);

  const noTopology = await writeFiles(files);
  const json = structuredClone(files.modelJson);
  delete json['modelTopology'];
  await writeFile(join(noTopology, 'model.json'), JSON.stringify(json));
  await rejects(loadModel(noTopology), /model\.json: model\.json has no modelTopology|model\.json.*has no modelTopology/);

  await rejects(loadModel(join(tmp, 'does-not-exist')), /no model found at .*does-not-exist/);
});

test('on disk: a weights path that leaves the model directory is refused', async () => {
  const files = await baseFiles();
  files.modelJson['weightsManifest'][0].paths = ['../elsewhere.bin'];
  const dir = await writeFiles(files);
  await rejects(loadModel(dir), /weights path \.\.\/elsewhere\.bin in model\.json must be relative to the model directory/);
});

test('browser core: saving or loading a path without a registered file system is an error', async () => {
  const core = pathToFileURL(fileURLToPath(new URL('../src/index.ts', import.meta.url))).href;
  const target = join(tmp, 'browser-save');
  const script = `
    const { Sequential, layers, loadModel } = await import(${JSON.stringify(core)});
    const model = new Sequential([layers.dense({ units: 2, inputShape: [3] })], { backend: 'js' });
    await model.build();
    for (const run of [() => model.save(${JSON.stringify(target)}), () => loadModel(${JSON.stringify(target)})]) {
      try { await run(); console.log('NO ERROR'); } catch (err) { console.log(err.message); }
    }`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  const lines = stdout.trim().split('\n');
  assert.is(lines.length, 2, stdout);
  for (const line of lines) assert.match(line, new RegExp(`cannot use '${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}': no file system in this environment`));
  await rejects(readdir(target), /ENOENT/);
});

test.run();
