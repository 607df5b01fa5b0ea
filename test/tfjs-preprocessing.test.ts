// The preprocessing layers as the real TF.js 4.22 sees them. TF.js has Rescaling: a model with
// it loads both ways and predicts the same. TF.js 4.22 has no Normalization layer: a stand-in
// registered under Keras' name (Keras' formula and weights, mean/variance/count, transcribed below)
// shows that TF.js's own loader takes wasmnn's topology and weight manifest for it, and that a
// model TF.js saves with those weights loads in wasmnn and predicts the same. TF.js 4.22 has none
// of the Random* augmentation layers either (asserted, so a TF.js that gains them shows up here);
// registered as what they are at inference, the identity, TF.js loads wasmnn's file with them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, Sequential, tensor, type Layer } from '../src/index.js';
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

const AUGMENTATION_CLASSES = ['RandomFlip', 'RandomRotation', 'RandomTranslation', 'RandomZoom', 'RandomContrast'];

/** An augmentation layer at inference: the identity, under the Keras class name. */
function identityStandIn(className: string): void {
  const cls = class extends tf.layers.Layer {
    static className = className;
    override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      return tf.clone(Array.isArray(inputs) ? inputs[0]! : inputs);
    }
  };
  tf.serialization.registerClass(cls);
}

/** A built wasmnn model: `front`, then a small conv head; and its saved artifacts. */
async function withHead(front: Layer[]): Promise<{ model: Sequential; saved: Awaited<ReturnType<typeof saveToMemory>> }> {
  const head = [layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' }), layers.flatten(), layers.dense({ units: 2, activation: 'softmax' })];
  const model = new Sequential([...front, ...head], { backend: 'wasm', seed: 2, threads: 1 });
  await model.build();
  return { model, saved: await saveToMemory(model) };
}

/** What TF.js's loader throws for `artifacts`, as a string ('' when it loads). */
async function tfjsLoadError(artifacts: Awaited<ReturnType<typeof saveToMemory>>): Promise<string> {
  return tfjsLoad(artifacts).then(
    () => '',
    (err: unknown) => String(err),
  );
}

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

test('TF.js 4.22 lacks the Random* layers; with identity stand-ins it loads a wasmnn model with all five and predicts the same', async () => {
  const { model, saved } = await withHead([
    layers.randomFlip({ mode: 'horizontal', inputShape: [6, 6, 2] }),
    layers.randomRotation({ factor: 0.05, fillMode: 'constant' }),
    layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 }),
    layers.randomZoom({ heightFactor: 0.1 }),
    layers.randomContrast({ factor: 0.2, valueRange: [0, 255] }),
    layers.rescaling({ scale: 1 / 255 }),
  ]);
  // Each class on its own, so every one of them is shown missing, not just the first.
  const alone = [
    layers.randomFlip({ inputShape: [6, 6, 2] }),
    layers.randomRotation({ factor: 0.1, inputShape: [6, 6, 2] }),
    layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, inputShape: [6, 6, 2] }),
    layers.randomZoom({ heightFactor: 0.1, inputShape: [6, 6, 2] }),
    layers.randomContrast({ factor: 0.1, inputShape: [6, 6, 2] }),
  ];
  for (const [i, layer] of alone.entries()) {
    const single = new Sequential([layer], { backend: 'js' });
    await single.build();
    const error = await tfjsLoadError(await saveToMemory(single));
    assert.match(error, `Unknown layer: ${AUGMENTATION_CLASSES[i]}`, `TF.js 4.22 loaded ${AUGMENTATION_CLASSES[i]}: it has the class now, test it for real`);
  }
  for (const className of AUGMENTATION_CLASSES) identityStandIn(className);
  const tfModel = await tfjsLoad(saved);
  assert.equal(tfModel.layers.slice(0, 6).map((l) => l.getClassName()), [...AUGMENTATION_CLASSES, 'Rescaling']);
  const d = maxAbsDiff((await model.predict(x)).data, tfPredict(tfModel, x));
  assert.ok(d <= TOLERANCE, `predictions differ by ${d}`);
  tfModel.dispose();
});

test("wasmnn's own augmentation layers (RandomAffine, RandomElastic) are unknown to TF.js; with identity stand-ins it loads the model and predicts the same", async () => {
  const own = ['RandomAffine', 'RandomElastic'];
  const { model, saved } = await withHead([
    layers.randomAffine({ rotation: 0.05, translation: 0.1, zoom: 0.1, fillMode: 'constant', inputShape: [6, 6, 2] }),
    layers.randomElastic({ alpha: 8, sigma: 2, fillMode: 'constant' }),
  ]);
  assert.match(await tfjsLoadError(saved), 'Unknown layer: RandomAffine');
  for (const className of own) identityStandIn(className);
  const tfModel = await tfjsLoad(saved);
  assert.equal(tfModel.layers.slice(0, 2).map((l) => l.getClassName()), own);
  const d = maxAbsDiff((await model.predict(x)).data, tfPredict(tfModel, x));
  assert.ok(d <= TOLERANCE, `predictions differ by ${d}`);
  tfModel.dispose();
});

test.run();
