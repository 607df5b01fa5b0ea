// The activations and LeakyReLU as TF.js 4.22 sees them: a model using each, saved by wasmnn,
// loads in TF.js and predicts the same (max |Δ| ≤ 1e-5), and the reverse. wasmnn predicts on
// its default (WASM) backend, so the fast kernels are what TF.js is compared with.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, Sequential, tensor, type ActivationName } from '../src/index.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { maxAbsDiff as maxDiff } from './helpers/max-abs-diff.js';

const TOLERANCE = 1e-5;
/** Every activation TF.js 4.22 reads from a file, beyond the original five. */
const TFJS_ACTIVATIONS = ['elu', 'selu', 'softplus', 'softsign', 'hardSigmoid', 'relu6', 'gelu', 'swish', 'mish'] as const;

const rng = mulberry32(7);
const x = tensor(randomArray(rng, 5 * 6 * 6 * 2, -3, 3), [5, 6, 6, 2]);

test.before(async () => {
  await tf.setBackend('cpu');
});


/** Predictions that differ across samples and outputs (a model that outputs constants would prove nothing). */
function assertInformative(values: ArrayLike<number>, what: string): void {
  const v = Array.from(values);
  assert.ok(v.every(Number.isFinite), `${what}: non-finite prediction`);
  assert.ok(Math.max(...v) - Math.min(...v) > 0.05, `${what}: predictions are nearly constant`);
}

/** Conv2D, Dense and Activation layers with one activation, and a LeakyReLU: every place it can appear. */
function wasmnnModel(activation: ActivationName, seed: number): Sequential {
  return new Sequential(
    [
      layers.conv2d({ filters: 4, kernelSize: 3, activation, inputShape: [6, 6, 2] }),
      layers.leakyReLU({ alpha: 0.15 }),
      layers.flatten(),
      layers.dense({ units: 8, activation }),
      layers.activation({ activation }),
      layers.dense({ units: 3 }),
    ],
    { seed },
  );
}

function tfPredict(m: tf.LayersModel): Float32Array {
  return tf.tidy(() => (m.predict(tf.tensor(x.data, [...x.shape])) as tf.Tensor).dataSync() as Float32Array);
}

test('wasmnn → TF.js: each activation on Conv2D, Dense and Activation, with LeakyReLU', async () => {
  for (const [i, activation] of TFJS_ACTIVATIONS.entries()) {
    const m = wasmnnModel(activation, 100 + i);
    const ours = (await m.predict(x)).data;
    const { modelJson, weightData } = m.toArtifacts();
    const layerConfigs = (modelJson.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    assert.equal(layerConfigs.map((l) => l.config['activation'] ?? l.config['alpha']).filter((v) => v !== undefined), [activation, 0.15, activation, activation, 'linear']);
    const specs = modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[];
    const theirs = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData: weightData.slice().buffer }));
    assert.equal(theirs.layers.map((l) => l.getClassName()), ['Conv2D', 'LeakyReLU', 'Flatten', 'Dense', 'Activation', 'Dense']);
    const tfOut = tfPredict(theirs);
    assertInformative(ours, activation);
    const diff = maxDiff(ours, tfOut);
    assert.ok(diff <= TOLERANCE, `${activation}: max |wasmnn − TF.js| = ${diff}`);
    theirs.dispose();
    m.dispose();
  }
});

test("wasmnn saves 'silu' under TF.js' name 'swish'", async () => {
  const m = new Sequential([layers.dense({ units: 2, activation: 'silu', inputShape: [3] })], { seed: 1 });
  await m.build();
  assert.is(m.layers[0]!.getConfig()['activation'], 'swish');
  m.dispose();
});

function tfjsModel(activation: (typeof TFJS_ACTIVATIONS)[number] | 'gelu_new', leakyAlpha: number | undefined): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, activation, inputShape: [6, 6, 2], biasInitializer: 'randomNormal' }),
      tf.layers.leakyReLU(leakyAlpha === undefined ? {} : { alpha: leakyAlpha }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 8, activation, biasInitializer: 'randomNormal' }),
      tf.layers.activation({ activation }),
      tf.layers.dense({ units: 3 }),
    ],
  });
}

test('TF.js → wasmnn: each activation on Conv2D, Dense and Activation, LeakyReLU with its default and a set alpha', async () => {
  for (const [i, activation] of [...TFJS_ACTIVATIONS, 'gelu_new' as const].entries()) {
    const leakyAlpha = i % 2 === 0 ? undefined : 0.05;
    const tfModel = tfjsModel(activation, leakyAlpha);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await tfModel.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const modelJson = { modelTopology: artifacts!.modelTopology as object, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts!.weightSpecs! }] };
    const ours = await loadModel({ modelJson, weightData: new Uint8Array(artifacts!.weightData as ArrayBuffer) });
    assert.is((ours.layers[1] as unknown as { alpha: number }).alpha, leakyAlpha ?? 0.3);
    const theirs = tfPredict(tfModel);
    const mine = (await ours.predict(x)).data;
    assertInformative(theirs, activation);
    const diff = maxDiff(mine, theirs);
    assert.ok(diff <= TOLERANCE, `${activation}: max |wasmnn − TF.js| = ${diff}`);
    // And back: what wasmnn re-saves is the same model.
    const again = await loadModel(ours.toArtifacts());
    assert.ok(maxDiff((await again.predict(x)).data, mine) === 0, `${activation}: re-saved model predicts differently`);
    tfModel.dispose();
    ours.dispose();
    again.dispose();
  }
});

test('exponential and gelu_new: wasmnn saves and loads them; TF.js 4.22 refuses both names', async () => {
  for (const [activation, tfName] of [['exponential', 'exponential'], ['gelu_new', 'geluNew']] as const) {
    const m = new Sequential([layers.dense({ units: 4, activation, inputShape: [72] }), layers.dense({ units: 3 })], { seed: 9 });
    const flat = x.reshape([5, 72]);
    const ours = (await m.predict(flat)).data;
    assertInformative(ours, activation);
    const artifacts = m.toArtifacts();
    const back = await loadModel(artifacts);
    assert.is(maxDiff((await back.predict(flat)).data, ours), 0, `${activation}: reloaded model predicts differently`);
    const specs = artifacts.modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[];
    // When this starts to load, TF.js reads the name: move it into TFJS_ACTIVATIONS.
    let error: unknown;
    await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: artifacts.modelJson.modelTopology, weightSpecs: specs, weightData: artifacts.weightData.slice().buffer })).catch((e: unknown) => (error = e));
    assert.match(String(error), new RegExp(`Unknown activation: ${tfName}`));
    m.dispose();
    back.dispose();
  }
});

test("TF.js saves hardSigmoid as 'hard_sigmoid'; wasmnn reads both spellings as the same function", async () => {
  const tfModel = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: 'hardSigmoid', inputShape: [72] })] });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await tfModel.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const topology = artifacts!.modelTopology as { config: { layers: { config: { activation: string } }[] } };
  assert.is(topology.config.layers[0]!.config.activation, 'hard_sigmoid');
  const ours = await loadModel({ modelJson: { modelTopology: topology, weightsManifest: [{ paths: ['w.bin'], weights: artifacts!.weightSpecs! }] }, weightData: new Uint8Array(artifacts!.weightData as ArrayBuffer) });
  assert.is(ours.layers[0]!.getConfig()['activation'], 'hardSigmoid');
  tfModel.dispose();
  ours.dispose();
});

test.run();
