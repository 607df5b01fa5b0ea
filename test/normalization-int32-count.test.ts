// Keras and the TF.js converter write Normalization's `count` weight as int32: a model.json whose
// manifest says so loads (the count read as its value), predicts as the float32 original does,
// and int32 entries anywhere decode to their values while other dtypes stay refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { layers, loadModel, Sequential, tensor, type ModelJson } from '../src/index.js';
import { decodeWeights } from '../src/model/weights-format.js';
import { maxAbsDiff } from './helpers/max-abs-diff.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { throwsWith } from './helpers/rejects.js';
import { saveToMemory } from './helpers/save-memory.js';

const x = tensor(randomArray(mulberry32(9), 5 * 3 * 3 * 2, -2, 4), [5, 3, 3, 2]);

/** The saved model with `count` rewritten as the int32 a Keras conversion writes: manifest dtype and bytes. */
function withInt32Count(saved: { modelJson: ModelJson; weightData: Uint8Array }, name: string): { modelJson: ModelJson; weightData: Uint8Array } {
  const modelJson = JSON.parse(JSON.stringify(saved.modelJson)) as ModelJson;
  const specs = modelJson.weightsManifest[0]!.weights;
  let offset = 0;
  for (const spec of specs) {
    const values = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.name === name) {
      const weightData = saved.weightData.slice();
      const view = new DataView(weightData.buffer, weightData.byteOffset);
      for (let at = offset; at < offset + values * 4; at += 4) view.setInt32(at, view.getFloat32(at, true), true);
      spec.dtype = 'int32';
      return { modelJson, weightData };
    }
    offset += values * 4;
  }
  throw new Error(`no weight ${name}`);
}

test('a Normalization whose count the manifest declares int32 loads with that count and predicts the same', async () => {
  const norm = layers.normalization({ inputShape: [3, 3, 2] });
  norm.adapt(x);
  const model = new Sequential([norm, layers.flatten(), layers.dense({ units: 2 })], { backend: 'js', seed: 2 });
  const expected = (await model.predict(x)).data;
  const saved = withInt32Count(await saveToMemory(model), 'normalization/count');
  assert.is(saved.modelJson.weightsManifest[0]!.weights.find((w) => w.name === 'normalization/count')!.dtype, 'int32');
  const loaded = await loadModel(saved, { backend: 'js' });
  const count = loaded.getWeights().find((w) => w.name === 'normalization/count')!;
  assert.equal(count.shape, []);
  assert.is(count.data[0], 5 * 3 * 3);
  const d = maxAbsDiff((await loaded.predict(x)).data, expected);
  assert.ok(d <= 1e-6, `predictions differ by ${d}`);
});

test('int32 entries decode to their values (negative too); other dtypes are named errors', async () => {
  const model = new Sequential([layers.dense({ units: 3, inputShape: [2] })], { backend: 'js', seed: 3 });
  await model.build();
  model.setWeights([
    { name: 'dense/kernel', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
    { name: 'dense/bias', shape: [3], data: Float32Array.of(-7, 0, 16777216) },
  ]);
  const saved = withInt32Count(await saveToMemory(model), 'dense/bias');
  const bias = decodeWeights(saved.modelJson, [saved.weightData]).find((w) => w.name === 'dense/bias')!;
  assert.equal([...bias.data], [-7, 0, 16777216]);
  saved.modelJson.weightsManifest[0]!.weights[1]!.dtype = 'uint8';
  throwsWith(() => decodeWeights(saved.modelJson, [saved.weightData]), 'unsupported dtype uint8 for weight dense/bias');
});

test.run();
