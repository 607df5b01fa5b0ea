// Rescaling and Normalization as the real TF.js 4.22 sees them. TF.js has Rescaling: a model with
// it loads both ways and predicts the same. TF.js 4.22 has no Normalization layer: a stand-in
// registered under Keras' name (Keras' formula and weights, mean/variance/count, transcribed below)
// shows that TF.js's own loader takes wasmnn's topology and weight manifest for it, and that a
// model TF.js saves with those weights loads in wasmnn and predicts the same.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, Sequential, tensor } from '../src/index.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { tfjsArtifacts, tfjsLoad, tfPredict } from './helpers/tfjs-io.js';
import { maxAbsDiff } from './helpers/max-abs-diff.js';
import { saveToMemory } from './helpers/save-memory.js';

const TOLERANCE = 1e-5;
const rand = mulberry32(11);
const x = tensor(randomArray(rand, 5 * 6 * 6 * 2, 0, 255), [5, 6, 6, 2]);

/** Keras' Normalization at inference, in TF.js ops: (x − mean)/max(√variance, 1e-7). */
class KerasNormalization extends tf.layers.Layer {
  static className = 'Normalization';
  private mean: tf.LayerVariable | null = null;
  private variance: tf.LayerVariable | null = null;

  override build(inputShape: tf.Shape): void {
    const c = inputShape[inputShape.length - 1]!;
    this.mean = this.addWeight('mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
    this.variance = this.addWeight('variance', [c], 'float32', tf.initializers.ones(), undefined, false);
    this.addWeight('count', [], 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const input = Array.isArray(inputs) ? inputs[0]! : inputs;
      return input.sub(this.mean!.read()).div(tf.maximum(this.variance!.read().sqrt(), 1e-7));
    });
  }
}
tf.serialization.registerClass(KerasNormalization);

test.before(async () => {
  await tf.setBackend('cpu');
});

function wasmnnModel(): Sequential {
  const norm = layers.normalization({ inputShape: [6, 6, 2] });
  norm.adapt(tensor(randomArray(rand, 40 * 6 * 6 * 2, 0, 255), [40, 6, 6, 2]));
  return new Sequential(
    [
      norm,
      layers.rescaling({ scale: 0.25, offset: -0.5 }),
      layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { backend: 'wasm', seed: 5, threads: 1 },
  );
}

test('wasmnn → TF.js: Rescaling (TF.js\'s own) and the adapted Normalization weights load and predict the same', async () => {
  const model = wasmnnModel();
  await model.build();
  const saved = await saveToMemory(model);
  const tfModel = await tfjsLoad(saved);
  assert.equal(tfModel.layers.map((l) => l.getClassName()), ['Normalization', 'Rescaling', 'Conv2D', 'Flatten', 'Dense']);
  const mean = tfModel.layers[0]!.getWeights()[0]!.dataSync();
  assert.ok(mean.every((v) => v > 100 && v < 155), `TF.js read the adapted mean ${Array.from(mean)}`);
  const d = maxAbsDiff((await model.predict(x)).data, tfPredict(tfModel, x));
  assert.ok(d <= TOLERANCE, `predictions differ by ${d}`);
  tfModel.dispose();
});

test('TF.js → wasmnn: a model TF.js saved with Rescaling and Normalization weights loads and predicts the same', async () => {
  const tfModel = tf.sequential({
    layers: [
      new KerasNormalization({ inputShape: [6, 6, 2] }),
      tf.layers.rescaling({ scale: 0.5, offset: 1 }),
      tf.layers.conv2d({ filters: 3, kernelSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
  });
  tfModel.layers[0]!.setWeights([tf.tensor1d([120, 130]), tf.tensor1d([5000, 4000]), tf.scalar(1000)]);
  const saved = await tfjsArtifacts(tfModel);
  const model = await loadModel(saved, { backend: 'wasm' });
  assert.equal(model.layers.map((l) => l.className), ['Normalization', 'Rescaling', 'Conv2D', 'Flatten', 'Dense']);
  const d = maxAbsDiff((await model.predict(x)).data, tfPredict(tfModel, x));
  assert.ok(d <= TOLERANCE, `predictions differ by ${d}`);
  tfModel.dispose();
});

test.run();
