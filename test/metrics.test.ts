// Metrics: values against TF.js 4.22's metrics or hand-computed cases, accuracy resolved per loss
// as Keras does, Keras keys in fit/evaluate logs (val_ for validation), and confusionMatrix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { confusionMatrix, layers, metrics, optimizers, Sequential, tensor, oneHot, type Metric, type Tensor } from '../src/index.js';
import { mulberry32, randomArray } from './helpers/random.js';

const quiet = { verbose: 0 as const };

test.before(async () => {
  await tf.setBackend('cpu');
});

/** A metric's value over outputs and targets given in batches of `batch` rows. */
function value(metric: Metric, out: ArrayLike<number>, target: ArrayLike<number>, cols: number, batch = 3): number {
  const rows = out.length / cols;
  const f = new Float32Array(2 * out.length);
  f.set(out, 0);
  f.set(target, out.length);
  const state = metric.create();
  for (let r = 0; r < rows; r += batch) state.update(f, r * cols, out.length + r * cols, Math.min(batch, rows - r), cols);
  return state.result();
}

const close = (a: number, e: number, what: string) => assert.ok(Math.abs(a - e) < 1e-6, `${what}: ${a} vs ${e}`);

test('binaryAccuracy, categoricalAccuracy, precision and recall equal TF.js metrics', async () => {
  const rng = mulberry32(41);
  const rows = 20;
  const cols = 4;
  const p = randomArray(rng, rows * cols, 0, 1);
  const bitsT = Float32Array.from({ length: rows * cols }, () => (rng() < 0.4 ? 1 : 0));
  const labels = Array.from({ length: rows }, () => Math.floor(rng() * cols));
  const oh = oneHot(labels, cols).data;
  const P = tf.tensor2d(p, [rows, cols]);
  const T = tf.tensor2d(bitsT, [rows, cols]);
  const mean = (x: tf.Tensor) => tf.mean(x).dataSync()[0]!;
  close(value(metrics.binaryAccuracy(), p, bitsT, cols), mean(tf.metrics.binaryAccuracy(T, P)), 'binaryAccuracy');
  close(value(metrics.categoricalAccuracy(), p, oh, cols), mean(tf.metrics.categoricalAccuracy(tf.tensor2d(oh, [rows, cols]), P)), 'categoricalAccuracy');
  close(value(metrics.sparseCategoricalAccuracy(), p, oh, cols), mean(tf.metrics.categoricalAccuracy(tf.tensor2d(oh, [rows, cols]), P)), 'sparseCategoricalAccuracy');
  // TF.js' precision and recall count predictions that are exactly 1: give them Keras' thresholded ones.
  const thresholded = tf.cast(tf.greater(P, 0.5), 'float32');
  close(value(metrics.precision(), p, bitsT, cols), tf.metrics.precision(T, thresholded).dataSync()[0]!, 'precision');
  close(value(metrics.recall(), p, bitsT, cols), tf.metrics.recall(T, thresholded).dataSync()[0]!, 'recall');
  const at03 = tf.cast(tf.greater(P, 0.3), 'float32');
  close(value(metrics.precision({ thresholds: 0.3 }), p, bitsT, cols), tf.metrics.precision(T, at03).dataSync()[0]!, 'precision at 0.3');
  close(value(metrics.binaryAccuracy({ threshold: 0.7 }), [0.69, 0.71, 0.9, 0.1], [0, 1, 0, 0], 1), 0.75, 'binaryAccuracy at 0.7');
});

test('precision and recall: hand cases, nothing predicted positive is 0', () => {
  // outputs > 0.5: positions 0, 1, 3; targets positive: 0, 2, 3 → tp 2, fp 1, fn 1
  close(value(metrics.precision(), [0.9, 0.6, 0.2, 0.51], [1, 0, 1, 1], 1), 2 / 3, 'precision');
  close(value(metrics.recall(), [0.9, 0.6, 0.2, 0.51], [1, 0, 1, 1], 1), 2 / 3, 'recall');
  close(value(metrics.precision(), [0.1, 0.2], [1, 1], 1), 0, 'no positive predictions');
});

/** The exact ROC AUC (Mann–Whitney: the probability a positive outscores a negative, ties half). */
function exactAuc(p: ArrayLike<number>, t: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < p.length; i++) {
    for (let j = 0; j < p.length; j++) {
      if (t[i] === 1 && t[j] === 0) {
        pairs++;
        wins += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0;
      }
    }
  }
  return wins / pairs;
}

test('auc: Keras ROC with 200 thresholds is the exact AUC when no bucket holds both classes; coarser thresholds interpolate', () => {
  close(value(metrics.auc(), [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 1), 0.75, 'sklearn example');
  const rng = mulberry32(42);
  // One value per bucket of width 1/199 (its middle), in shuffled order.
  const buckets = Array.from({ length: 150 }, (_, i) => (i + 0.5) / 199);
  for (let i = buckets.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [buckets[i], buckets[j]] = [buckets[j]!, buckets[i]!];
  }
  const p = Float32Array.from(buckets.slice(0, 60));
  const t = Float32Array.from(p, (v) => (rng() < v ? 1 : 0));
  close(value(metrics.auc(), p, t, 1, 7), exactAuc(p, t), 'random scores');
  // With 3 thresholds (−ε, 0.5, 1+ε) the ROC has the points (1,1), (fpr, tpr) at 0.5, (0,0):
  // outputs [0.2, 0.7, 0.6, 0.9], targets [0, 0, 1, 1] → at 0.5: tpr 1, fpr 0.5 → area 0.5·1/2 + 0.5·(1 + 1)/2 = 0.75
  close(value(metrics.auc({ numThresholds: 3 }), [0.2, 0.7, 0.6, 0.9], [0, 0, 1, 1], 1), 0.75, 'three thresholds');
  close(value(metrics.auc(), [0.3, 0.3], [1, 1], 1), 0, 'no negatives');
});

test('topKCategoricalAccuracy: the true class among the k largest, ties at the boundary count as in', () => {
  const out = [0.1, 0.5, 0.3, 0.1, /**/ 0.4, 0.3, 0.2, 0.1, /**/ 0.25, 0.25, 0.25, 0.25];
  const target = [0, 1, 0, 0, /**/ 0, 0, 1, 0, /**/ 0, 0, 0, 1];
  close(value(metrics.topKCategoricalAccuracy({ k: 1 }), out, target, 4), 2 / 3, 'k = 1: row 0 in, row 1 out (two above), row 2 tied (in)');
  close(value(metrics.topKCategoricalAccuracy({ k: 2 }), out, target, 4), 2 / 3, 'k = 2: row 1 still has two above');
  close(value(metrics.topKCategoricalAccuracy({ k: 3 }), out, target, 4), 1, 'k = 3');
  assert.throws(() => metrics.topKCategoricalAccuracy({ k: 0 }), /k must be a positive integer, got 0/);
  assert.throws(() => metrics.auc({ numThreshold: 5 } as never), /metrics\.auc: unknown option 'numThreshold'; options: numThresholds, name/);
});

async function logsOf(units: number, activation: 'sigmoid' | 'softmax', loss: string, y: Tensor, metricList: Parameters<Sequential['compile']>[0]['metrics']) {
  const rng = mulberry32(43);
  const x = tensor(randomArray(rng, y.shape[0]! * 3), [y.shape[0]!, 3]);
  const model = new Sequential([layers.dense({ units, activation, inputShape: [3] })], { backend: 'js', seed: 2 });
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss: loss as never, metrics: metricList ?? [] });
  const h = await model.fit(x, y, { batchSize: 4, validationData: [x, y], ...quiet });
  return { h, model, x };
}

test("'accuracy' resolves per loss as Keras does; logs use Keras keys, val_ for validation", async () => {
  // Binary cross-entropy on 3 units (multi-label): binary accuracy per value, not argmax.
  const yBits = tensor([1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0], [4, 3]);
  const bin = await logsOf(3, 'sigmoid', 'binaryCrossentropy', yBits, ['accuracy', 'binary_accuracy', 'categoricalAccuracy']);
  const outB = (await bin.model.predict(bin.x)).data;
  close(bin.h.history['accuracy']![0]!, value(metrics.binaryAccuracy(), outB, yBits.data, 3), 'BCE accuracy is binary accuracy');
  close(bin.h.history['binary_accuracy']![0]!, bin.h.history['accuracy']![0]!, 'binary_accuracy');
  // (`lr` is the optimizer's rate, logged every epoch as Keras does.)
  assert.equal(Object.keys(bin.h.history).sort(), ['accuracy', 'binary_accuracy', 'categorical_accuracy', 'loss', 'lr', 'val_accuracy', 'val_binary_accuracy', 'val_categorical_accuracy', 'val_loss']);
  // Sparse labels: sparse categorical accuracy, the same argmax match.
  const labels = tensor([0, 2, 1, 2]);
  const sp = await logsOf(3, 'softmax', 'sparseCategoricalCrossentropy', labels, ['acc', 'sparse_categorical_accuracy', metrics.topKCategoricalAccuracy({ k: 2, name: 'top2' })]);
  const outS = (await sp.model.predict(sp.x)).data;
  const oh = oneHot([0, 2, 1, 2], 3).data;
  close(sp.h.history['accuracy']![0]!, value(metrics.categoricalAccuracy(), outS, oh, 3), 'sparse accuracy');
  close(sp.h.history['val_top2']![0]!, value(metrics.topKCategoricalAccuracy({ k: 2 }), outS, oh, 3), 'named top-2');
  // A one-unit output with MSE: binary accuracy (Keras' rule for a last dimension of 1).
  const y1 = tensor([1, 0, 0, 1], [4, 1]);
  const one = await logsOf(1, 'sigmoid', 'meanSquaredError', y1, ['accuracy', 'precision', 'recall', 'auc', 'mse']);
  const out1 = (await one.model.predict(one.x)).data;
  close(one.h.history['accuracy']![0]!, value(metrics.binaryAccuracy(), out1, y1.data, 1), 'one-unit accuracy');
  for (const [key, m] of [['precision', metrics.precision()], ['recall', metrics.recall()], ['auc', metrics.auc()]] as const) {
    close(one.h.history[`val_${key}`]![0]!, value(m, out1, y1.data, 1, 4), `val_${key}`);
  }
  const evaluated = await one.model.evaluate(one.x, y1);
  assert.equal(Object.keys(evaluated), ['loss', 'accuracy', 'precision', 'recall', 'auc', 'mse']);
});

test('evaluate from a callback during fit leaves fit\'s running metrics alone', async () => {
  const run = async (evaluateInCallback: boolean) => {
    const rng = mulberry32(44);
    const x = tensor(randomArray(rng, 16 * 3), [16, 3]);
    const y = tensor(Array.from({ length: 16 }, (_, i) => (i * 3) % 2), [16, 1]);
    const model = new Sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [3] })], { backend: 'js', seed: 5 });
    model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'binaryCrossentropy', metrics: ['accuracy', 'auc'] });
    const onBatchEnd = async () => void (evaluateInCallback && (await model.evaluate(x.slice(0, 3), y.slice(0, 3))));
    return (await model.fit(x, y, { batchSize: 4, epochs: 2, shuffle: false, callbacks: { onBatchEnd }, ...quiet })).history;
  };
  assert.equal(await run(true), await run(false));
});

test('confusionMatrix equals tf.math.confusionMatrix; takes indices or scores; errors name the problem', () => {
  const truth = [0, 1, 2, 2, 1, 0, 2];
  const predicted = [0, 2, 2, 1, 1, 0, 0];
  const theirs = Array.from(tf.math.confusionMatrix(tf.tensor1d(truth, 'int32'), tf.tensor1d(predicted, 'int32'), 3).dataSync());
  const ours = confusionMatrix(truth, predicted, 3);
  assert.equal(ours.shape, [3, 3]);
  assert.equal(Array.from(ours.data), theirs);
  // One-hot truth and a model's scores, read as their argmax.
  const scores = tensor(predicted.flatMap((k) => [0, 1, 2].map((c) => (c === k ? 0.7 : 0.1))), [7, 3]);
  assert.equal(Array.from(confusionMatrix(oneHot(truth, 3), scores, 3).data), theirs);
  assert.throws(() => confusionMatrix([0, 3], [0, 1], 3), /yTrue\[1\] is 3, not a class index in \[0, 3\)/);
  assert.throws(() => confusionMatrix([0, 1], [0], 3), /yTrue has 2 samples but yPred has 1/);
  assert.throws(() => confusionMatrix(tensor([0, 1, 0, 1], [2, 2]), [0, 1], 3), /yTrue must be class indices \[n\] or scores \[n, 3\], got shape \[2, 2\]/);
});

test.run();
