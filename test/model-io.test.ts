import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { decodeWeights, encodeArtifacts } from '../src/model/weights-format.js';
import type { ModelJson, NamedWeight } from '../src/model/weights-format.js';
import { loadArtifactsFromDirectory, saveArtifactsToDirectory, toFilePath } from '../src/model/io-node.js';
import { rejectsWith, throwsWith } from './helpers/rejects.js';

const topology = { class_name: 'Sequential', config: { name: 'sequential', layers: [] } };

function sampleWeights(): NamedWeight[] {
  return [
    { name: 'conv2d/kernel', shape: [3, 3, 1, 2], data: Float32Array.from({ length: 18 }, (_, i) => i / 7 - 1) },
    { name: 'conv2d/bias', shape: [2], data: new Float32Array([0.5, -0.25]) },
    { name: 'dense/kernel', shape: [2, 3], data: Float32Array.from({ length: 6 }, (_, i) => -i * 1e-3) },
    { name: 'dense/bias', shape: [3], data: new Float32Array([1e-30, 3e38, -0]) },
  ];
}


function assertSameWeights(actual: NamedWeight[], expected: NamedWeight[]): void {
  assert.equal(actual.map((w) => w.name), expected.map((w) => w.name));
  actual.forEach((w, i) => {
    assert.equal(w.shape, expected[i]!.shape, w.name);
    assert.instance(w.data, Float32Array);
    assert.equal(Array.from(w.data), Array.from(expected[i]!.data), w.name);
  });
}

test('encodeArtifacts writes the TF.js layers-model layout', () => {
  const { modelJson, weightData } = encodeArtifacts(topology, sampleWeights(), { trainingConfig: { loss: 'categorical_crossentropy' } });
  assert.is(modelJson.format, 'layers-model');
  assert.is(modelJson.generatedBy, 'wasmnn 0.1.0');
  assert.is(modelJson.convertedBy, null);
  assert.is(modelJson.modelTopology, topology);
  assert.equal(modelJson.trainingConfig, { loss: 'categorical_crossentropy' });
  assert.equal(modelJson.weightsManifest, [
    {
      paths: ['group1-shard1of1.bin'],
      weights: [
        { name: 'conv2d/kernel', shape: [3, 3, 1, 2], dtype: 'float32' },
        { name: 'conv2d/bias', shape: [2], dtype: 'float32' },
        { name: 'dense/kernel', shape: [2, 3], dtype: 'float32' },
        { name: 'dense/bias', shape: [3], dtype: 'float32' },
      ],
    },
  ]);
  assert.is(weightData.byteLength, (18 + 2 + 6 + 3) * 4);
  // little-endian float32: 0.5 is 00 00 00 3f
  assert.equal(Array.from(weightData.subarray(18 * 4, 19 * 4)), [0, 0, 0, 0x3f]);
  assert.not.ok('trainingConfig' in encodeArtifacts(topology, []).modelJson);
});

test('encodeArtifacts rejects bad weights', () => {
  throwsWith(() => encodeArtifacts(topology, [{ name: 'w', shape: [2, 2], data: new Float32Array(3) }]), 'w', '4 values', 'holds 3');
  throwsWith(() => encodeArtifacts(topology, [{ name: 'w', shape: [1], data: new Float32Array([NaN]) }]), 'weight w', 'NaN');
  const w = { name: 'w', shape: [1], data: new Float32Array(1) };
  throwsWith(() => encodeArtifacts(topology, [w, w]), 'duplicate weight name w');
});

test('decodeWeights round-trips encodeArtifacts, from unaligned and split shards', () => {
  const weights = sampleWeights();
  const { modelJson, weightData } = encodeArtifacts(topology, weights);
  assertSameWeights(decodeWeights(modelJson, [weightData]), weights);

  const unaligned = new Uint8Array(weightData.length + 1);
  unaligned.set(weightData, 1);
  const decoded = decodeWeights(modelJson, [unaligned.subarray(1)]);
  assertSameWeights(decoded, weights);
  assert.is(decoded[0]!.data.byteOffset, 0);

  // The same bytes split over three shard files (TF.js splits at 4 MB, not at weight boundaries).
  const split = JSON.parse(JSON.stringify(modelJson)) as ModelJson;
  split.weightsManifest[0]!.paths = ['a.bin', 'b.bin', 'c.bin'];
  assertSameWeights(decodeWeights(split, [weightData.subarray(0, 5), weightData.subarray(5, 50), weightData.subarray(50)]), weights);
});

test('decodeWeights reads several manifest groups and skips optimizer state', () => {
  const a = encodeArtifacts(topology, sampleWeights().slice(0, 2));
  const b = encodeArtifacts(topology, sampleWeights().slice(2));
  const iter = new Uint8Array(new Int32Array([42]).buffer);
  const modelJson: ModelJson = {
    modelTopology: topology,
    weightsManifest: [
      a.modelJson.weightsManifest[0]!,
      { paths: ['g2.bin', 'g2-opt.bin'], weights: [...b.modelJson.weightsManifest[0]!.weights, { name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' }] },
    ],
  };
  assertSameWeights(decodeWeights(modelJson, [a.weightData, b.weightData, iter]), sampleWeights());
});

test('decodeWeights names each problem', () => {
  const { modelJson, weightData } = encodeArtifacts(topology, sampleWeights());
  const clone = () => JSON.parse(JSON.stringify(modelJson)) as ModelJson;

  throwsWith(() => decodeWeights(null, [weightData]), 'JSON object');
  throwsWith(() => decodeWeights([], [weightData]), 'JSON object', 'array');
  throwsWith(() => decodeWeights({ weightsManifest: [] }, []), 'no modelTopology');
  throwsWith(() => decodeWeights({ modelTopology: {} }, []), 'no weightsManifest');
  throwsWith(() => decodeWeights({}, []), 'no modelTopology and no weightsManifest');
  throwsWith(() => decodeWeights({ modelTopology: {}, weightsManifest: {} }, []), 'weightsManifest must be an array');
  throwsWith(() => decodeWeights({ modelTopology: {}, weightsManifest: [{ weights: [] }] }, []), 'weightsManifest[0].paths');

  // int32 entries are read (counts, test/normalization-int32-count.test.ts); other dtypes are not.
  const float64 = clone();
  float64.weightsManifest[0]!.weights[1]!.dtype = 'float64';
  throwsWith(() => decodeWeights(float64, [weightData]), 'unsupported dtype float64 for weight conv2d/bias', 'float32 and int32');

  const quantized = clone();
  quantized.weightsManifest[0]!.weights[2]!.quantization = { dtype: 'uint8', scale: 0.1, min: -1 };
  // Quantized weights are read (test/model-quantized.test.ts); one byte a value here leaves the
  // float32 shard too long for the manifest, which is named.
  throwsWith(() => decodeWeights(quantized, [weightData]), 'weights file too long');

  const badShape = clone();
  badShape.weightsManifest[0]!.weights[0]!.shape = [3, -1];
  throwsWith(() => decodeWeights(badShape, [weightData]), 'conv2d/kernel', 'invalid shape');

  const need = weightData.byteLength;
  throwsWith(() => decodeWeights(modelJson, [weightData.subarray(0, need - 4)]), `weights file truncated: need ${need} bytes, have ${need - 4}`);
  throwsWith(() => decodeWeights(modelJson, [new Uint8Array(need + 4)]), 'too long', `need ${need} bytes, have ${need + 4}`);
  throwsWith(() => decodeWeights(modelJson, []), 'lists 1 weight file(s) but 0 were given');

  for (const bad of [NaN, Infinity, -Infinity]) {
    const corrupt = weightData.slice();
    new DataView(corrupt.buffer).setFloat32(20 * 4, bad, true); // dense/kernel[0]
    throwsWith(() => decodeWeights(modelJson, [corrupt]), 'weight dense/kernel', String(bad), 'index 0');
  }

  const dup = clone();
  dup.weightsManifest[0]!.weights[3]!.name = 'dense/kernel';
  dup.weightsManifest[0]!.weights[3]!.shape = [3];
  throwsWith(() => decodeWeights(dup, [weightData]), 'duplicate weight name dense/kernel');
});

test('directory round trip: plain path, file:// URL, model.json path', async () => {
  const root = await mkdtemp(join(tmpdir(), 'wasmnn-model-'));
  try {
    const dir = join(root, 'nested', 'model');
    const artifacts = encodeArtifacts(topology, sampleWeights());
    const saved = await saveArtifactsToDirectory(dir, artifacts);
    assert.equal((await readdir(dir)).sort(), ['group1-shard1of1.bin', 'model.json']);
    assert.is(saved.modelJsonPath, join(dir, 'model.json'));
    const text = await readFile(join(dir, 'model.json'), 'utf8');
    assert.ok(text.includes('\n  "format": "layers-model"'), 'pretty-printed');

    for (const location of [dir, pathToFileURL(dir), pathToFileURL(dir).href, join(dir, 'model.json')]) {
      const loaded = await loadArtifactsFromDirectory(location);
      assert.equal(loaded.modelJson, artifacts.modelJson);
      assertSameWeights(decodeWeights(loaded.modelJson, loaded.shards), sampleWeights());
    }

    // Saving again over an existing model replaces it and leaves no temp files.
    const changed = sampleWeights();
    changed[1]!.data[0] = 9;
    await saveArtifactsToDirectory(pathToFileURL(dir), encodeArtifacts(topology, changed));
    assert.equal((await readdir(dir)).sort(), ['group1-shard1of1.bin', 'model.json']);
    const again = await loadArtifactsFromDirectory(dir);
    assert.is(decodeWeights(again.modelJson, again.shards)[1]!.data[0], 9);

    await rejectsWith(saveArtifactsToDirectory(dir, { modelJson: artifacts.modelJson, weightData: [] }), 'lists 1 weight file(s) but 0');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('toFilePath accepts TF.js-style relative file:// URLs', () => {
  assert.is(toFilePath('file://./model'), './model');
  assert.is(toFilePath('file:///tmp/my%20model'), '/tmp/my model');
  assert.is(toFilePath('models/a'), 'models/a');
});

test('loadArtifactsFromDirectory names missing and corrupt files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmnn-model-'));
  try {
    await rejectsWith(loadArtifactsFromDirectory(join(dir, 'absent')), 'no model found', join(dir, 'absent'));
    await rejectsWith(loadArtifactsFromDirectory(dir), join(dir, 'model.json'), 'model.json is missing');

    await writeFile(join(dir, 'model.json'), '{"modelTopology": {}, "weightsManifest": [');
    await rejectsWith(loadArtifactsFromDirectory(dir), 'model.json is not valid JSON', 'JSON');

    await writeFile(join(dir, 'model.json'), '{"modelTopology": {}}');
    await rejectsWith(loadArtifactsFromDirectory(dir), 'no weightsManifest');

    const { modelJson } = encodeArtifacts(topology, sampleWeights());
    await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
    await rejectsWith(loadArtifactsFromDirectory(dir), 'weights file group1-shard1of1.bin', 'is missing');

    modelJson.weightsManifest[0]!.paths = ['../outside.bin'];
    await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
    await rejectsWith(loadArtifactsFromDirectory(dir), '../outside.bin', 'must be relative');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Captures what TF.js's LayersModel.save() produces, without touching the file system. */
async function tfjsArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return captured!;
}

function tfjsModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

test('decodeWeights reads a model saved by TF.js', async () => {
  await tf.setBackend('cpu');
  const model = tfjsModel();
  const artifacts = await tfjsArtifacts(model);
  const topo = artifacts.modelTopology as { class_name: string; keras_version: string; backend: string; config: { layers: { class_name: string; config: { name: string } }[] } };
  assert.is(topo.class_name, 'Sequential');
  assert.equal(topo.config.layers.map((l) => l.class_name), ['Conv2D', 'Flatten', 'Dense']);

  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  const decoded = decodeWeights(modelJson, [new Uint8Array(artifacts.weightData as ArrayBuffer)]);

  const layerNames = topo.config.layers.map((l) => l.config.name);
  assert.equal(decoded.map((w) => w.name), [`${layerNames[0]}/kernel`, `${layerNames[0]}/bias`, `${layerNames[2]}/kernel`, `${layerNames[2]}/bias`]);
  assert.equal(decoded.map((w) => w.shape), [[3, 3, 1, 4], [4], [64, 3], [3]]);
  model.weights.forEach((w, i) => {
    assert.is(decoded[i]!.name, w.originalName);
    assert.equal(Array.from(decoded[i]!.data), Array.from(w.read().dataSync()), w.name);
  });
});

test('TF.js loads weights written by encodeArtifacts, matched by name', async () => {
  await tf.setBackend('cpu');
  const source = tfjsModel();
  const artifacts = await tfjsArtifacts(source);
  const ours: NamedWeight[] = source.weights.map((w, i) => ({
    name: w.originalName,
    shape: [...w.shape] as number[],
    data: Float32Array.from(w.read().dataSync(), (v, j) => v + i + j * 1e-3),
  }));
  // Reverse the order: TF.js matches weights to layers by name, not position.
  const { modelJson, weightData } = encodeArtifacts(artifacts.modelTopology as object, [...ours].reverse());
  const loaded = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[], weightData: weightData.slice().buffer }),
  );
  loaded.weights.forEach((w, i) => {
    assert.is(w.originalName, ours[i]!.name);
    const got = w.read().dataSync();
    assert.equal(Array.from(got), Array.from(ours[i]!.data), w.originalName);
  });

  // A weight name with no matching layer is refused by TF.js (strict loading).
  const renamed = ours.map((w, i) => (i === 0 ? { ...w, name: 'nope/kernel' } : w));
  const bad = encodeArtifacts(artifacts.modelTopology as object, renamed);
  await rejectsWith(
    tf.loadLayersModel(tf.io.fromMemory({ modelTopology: bad.modelJson.modelTopology, weightSpecs: bad.modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[], weightData: bad.weightData.slice().buffer })),
    'nope/kernel',
  );
});

test.run();
