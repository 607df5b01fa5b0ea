// The Keras ReLU layer (max_value, negative_slope, threshold): float64 finite-difference
// gradients, save → load, TF.js 4.22 both ways (it reads max_value only), ONNX export judged by
// onnxruntime, and its errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, ReLU, Sequential, tensor, type NamedWeight } from '../src/index.js';
import { toOnnx } from '../src/model/onnx/index.js';
import { gradCheckLayer } from './helpers/gradcheck.js';
import { maxAbsDiff } from './helpers/max-abs-diff.js';
import { runOnnx } from './helpers/onnx-runtime.js';
import { mulberry32, randomArray } from './helpers/random.js';

const OPTION_SETS = [{}, { maxValue: 0.6 }, { negativeSlope: 0.2 }, { threshold: 0.3 }, { maxValue: 0.7, negativeSlope: 0.1, threshold: 0.25 }];
const rng = mulberry32(41);
const x = tensor(randomArray(rng, 4 * 5 * 5 * 2, -2, 2), [4, 5, 5, 2]);

/** ReLU first, so its input is x in [-2, 2]: every branch (below threshold, between, above max) is taken. */
function model(options: object, seed: number): Sequential {
  return new Sequential([layers.reLU({ ...options, inputShape: [5, 5, 2] }), layers.conv2d({ filters: 3, kernelSize: 3 }), layers.flatten(), layers.dense({ units: 4 })], { seed });
}

test('gradients equal finite differences (float64) for every option set', () => {
  for (const options of OPTION_SETS) {
    const result = gradCheckLayer(new ReLU(options), [3, 4, 2], 2);
    assert.ok(result.checked === 48 && result.worst < 1e-6, `${JSON.stringify(options)}: ${result.worst} at ${result.where}`);
  }
});

test('save → load keeps the options and the predictions; the config uses Keras names', async () => {
  for (const [i, options] of OPTION_SETS.entries()) {
    const m = model(options, 10 + i);
    const ours = (await m.predict(x)).data;
    const artifacts = m.toArtifacts();
    const config = (artifacts.modelJson.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0]!;
    assert.is(config.class_name, 'ReLU');
    const expected = { maxValue: null, negativeSlope: 0, threshold: 0, ...options };
    assert.equal([config.config['max_value'], config.config['negative_slope'], config.config['threshold']], [expected.maxValue, expected.negativeSlope, expected.threshold]);
    const back = await loadModel(artifacts);
    assert.is(maxAbsDiff((await back.predict(x)).data, ours), 0, JSON.stringify(options));
    m.dispose();
    back.dispose();
  }
});

test('wasmnn → TF.js and TF.js → wasmnn: ReLU with and without max_value predicts the same', async () => {
  await tf.setBackend('cpu');
  for (const [i, maxValue] of [undefined, 0.6, 1.5].entries()) {
    const m = model(maxValue === undefined ? {} : { maxValue }, 20 + i);
    const ours = (await m.predict(x)).data;
    const { modelJson, weightData } = m.toArtifacts();
    const specs = modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[];
    const theirs = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData: weightData.slice().buffer }));
    assert.is(theirs.layers[0]!.getClassName(), 'ReLU');
    const tfOut = tf.tidy(() => (theirs.predict(tf.tensor(x.data, [...x.shape])) as tf.Tensor).dataSync());
    assert.ok(maxAbsDiff(ours, tfOut) <= 1e-5, `wasmnn → TF.js, maxValue ${maxValue}: ${maxAbsDiff(ours, tfOut)}`);
    theirs.dispose();
    m.dispose();

    const tfModel = tf.sequential({
      layers: [
        tf.layers.reLU({ inputShape: [5, 5, 2], ...(maxValue !== undefined && { maxValue }) }),
        tf.layers.conv2d({ filters: 3, kernelSize: 3, biasInitializer: 'randomNormal' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4 }),
      ],
    });
    let saved: tf.io.ModelArtifacts | undefined;
    await tfModel.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await loadModel({ modelJson: { modelTopology: saved!.modelTopology as object, weightsManifest: [{ paths: ['w.bin'], weights: saved!.weightSpecs! }] }, weightData: new Uint8Array(saved!.weightData as ArrayBuffer) });
    assert.is((loaded.layers[0] as ReLU).maxValue, maxValue ?? null);
    const expected = tf.tidy(() => (tfModel.predict(tf.tensor(x.data, [...x.shape])) as tf.Tensor).dataSync());
    const mine = (await loaded.predict(x)).data;
    assert.ok(maxAbsDiff(mine, expected) <= 1e-5, `TF.js → wasmnn, maxValue ${maxValue}: ${maxAbsDiff(mine, expected)}`);
    tfModel.dispose();
    loaded.dispose();
  }
});

test('ONNX export of every option set predicts as wasmnn does (onnxruntime)', async () => {
  for (const [i, options] of OPTION_SETS.entries()) {
    const m = model(options, 30 + i);
    await m.build();
    m.setWeights(m.getWeights().map((w): NamedWeight => ({ ...w, data: randomArray(rng, w.data.length, -0.5, 0.5) })));
    const ours = await m.predict(x);
    const theirs = await runOnnx(toOnnx(m), x.data, [...x.shape]);
    assert.ok(maxAbsDiff(theirs.data, ours.data) <= 1e-5, `${JSON.stringify(options)}: ${maxAbsDiff(theirs.data, ours.data)}`);
    m.dispose();
  }
});

test('bad options are errors naming the layer, the option and the value', () => {
  assert.throws(() => new ReLU({ name: 'r', maxValue: -1 }), /ReLU 'r': maxValue must be a finite number ≥ 0, got -1/);
  assert.throws(() => new ReLU({ negativeSlope: -0.1 }), /ReLU: negativeSlope must be a finite number ≥ 0, got -0.1/);
  assert.throws(() => new ReLU({ threshold: Number.NaN }), /ReLU: threshold must be a finite number ≥ 0, got NaN/);
  assert.throws(() => new ReLU({ maxValue: Infinity }), /maxValue must be a finite number ≥ 0, got Infinity/);
  assert.throws(() => new ReLU({ threshold: '1' as unknown as number }), /threshold must be a finite number ≥ 0, got 1/);
});

test.run();
