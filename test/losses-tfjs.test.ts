// Every loss's value against TF.js 4.22's own implementation on the same data (≤ 1e-5 relative),
// on the JS reference and on the WASM backend: the layers losses TF.js compiles by name (through
// a TF.js model's evaluate), and tf.losses where only it has the loss or the option.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Loss, losses } from '../src/index.js';
import { lossForwardBackward, type LossFusion } from '../src/losses.js';
import { createJsBackend } from '../src/kernels/js/index.js';
import { createWasmBackend } from '../src/kernels/wasm/index.js';
import type { Backend } from '../src/kernels/backend.js';
import { MemoryPlan } from '../src/memory-plan.js';
import { mulberry32, randomArray, type Rng } from './helpers/random.js';

const ROWS = 6;
const COLS = 5;
const TOLERANCE = 1e-5;

let backends: Backend[] = [];

test.before(async () => {
  await tf.setBackend('cpu');
  backends = [createJsBackend(), await createWasmBackend()];
});

/** wasmnn's loss of predictions p against targets t on a backend. */
function wasmnnLoss(be: Backend, loss: Loss, p: Float32Array, t: Float32Array, fusion: LossFusion = 'none'): number {
  const plan = new MemoryPlan(be.base);
  const [pp, tp, gp] = [plan.alloc(p.length), plan.alloc(t.length), plan.alloc(p.length)];
  be.reserve(plan.end);
  be.f32().set(p, pp);
  be.f32().set(t, tp);
  return lossForwardBackward(be, loss, fusion, pp, tp, gp, -1, ROWS, COLS);
}

/** TF.js' loss by the name its model.compile takes, through evaluate on an identity model. */
async function tfjsNamedLoss(name: string, p: Float32Array, t: Float32Array | tf.Tensor): Promise<number> {
  const model = tf.sequential({ layers: [tf.layers.activation({ activation: 'linear', inputShape: [COLS] })] });
  model.compile({ optimizer: 'sgd', loss: name });
  const y = t instanceof tf.Tensor ? t : tf.tensor2d(t, [ROWS, COLS]);
  const result = model.evaluate(tf.tensor2d(p, [ROWS, COLS]), y, { batchSize: ROWS }) as tf.Scalar;
  return (await result.data())[0]!;
}

async function scalar(x: tf.Tensor): Promise<number> {
  return (await x.data())[0]!;
}

function check(what: string, ours: number, theirs: number): void {
  assert.ok(Math.abs(ours - theirs) <= TOLERANCE * Math.abs(theirs), `${what}: wasmnn ${ours}, TF.js ${theirs}`);
}

const probabilities = (rng: Rng): Float32Array => randomArray(rng, ROWS * COLS, 0.01, 0.99);
const bits = (rng: Rng): Float32Array => Float32Array.from({ length: ROWS * COLS }, () => (rng() < 0.5 ? 0 : 1));
const oneHot = (rng: Rng): { labels: number[]; t: Float32Array } => {
  const labels = Array.from({ length: ROWS }, () => Math.floor(rng() * COLS));
  const t = new Float32Array(ROWS * COLS);
  labels.forEach((k, r) => (t[r * COLS + k] = 1));
  return { labels, t };
};
const softmaxRows = (z: Float32Array): Float32Array => tf.softmax(tf.tensor2d(z, [ROWS, COLS])).dataSync() as Float32Array;

test('losses TF.js compiles by name: the same mean loss', async () => {
  const rng = mulberry32(31);
  const cases: [Loss, string, Float32Array, Float32Array][] = [
    [losses.meanSquaredError(), 'meanSquaredError', randomArray(rng, ROWS * COLS, -2, 2), randomArray(rng, ROWS * COLS, -2, 2)],
    [losses.meanAbsoluteError(), 'meanAbsoluteError', randomArray(rng, ROWS * COLS, -2, 2), randomArray(rng, ROWS * COLS, -2, 2)],
    [losses.meanSquaredLogarithmicError(), 'meanSquaredLogarithmicError', randomArray(rng, ROWS * COLS, 0, 3), randomArray(rng, ROWS * COLS, 0, 3)],
    [losses.hinge(), 'hinge', randomArray(rng, ROWS * COLS, -2, 2), bits(rng).map((b) => 2 * b - 1)],
    [losses.binaryCrossentropy(), 'binaryCrossentropy', probabilities(rng), bits(rng)],
    [losses.binaryCrossentropy(), 'binaryCrossentropy', probabilities(rng), probabilities(rng)],
    [losses.categoricalCrossentropy(), 'categoricalCrossentropy', softmaxRows(randomArray(rng, ROWS * COLS, -3, 3)), oneHot(rng).t],
    // Rows that are not distributions: both normalize them.
    [losses.categoricalCrossentropy(), 'categoricalCrossentropy', probabilities(rng), oneHot(rng).t],
    [losses.kld(), 'kullbackLeiblerDivergence', softmaxRows(randomArray(rng, ROWS * COLS, -2, 2)), softmaxRows(randomArray(rng, ROWS * COLS, -2, 2))],
  ];
  for (const [loss, tfjsName, p, t] of cases) {
    const theirs = await tfjsNamedLoss(tfjsName, p, t);
    for (const be of backends) check(`${loss.name} (${be.name})`, wasmnnLoss(be, loss, p, t), theirs);
  }
});

test('sparse categorical crossentropy: one-hot targets in wasmnn, integer labels in TF.js', async () => {
  const rng = mulberry32(32);
  const p = softmaxRows(randomArray(rng, ROWS * COLS, -3, 3));
  const { labels, t } = oneHot(rng);
  const theirs = await tfjsNamedLoss('sparseCategoricalCrossentropy', p, tf.tensor2d(labels, [ROWS, 1]));
  for (const be of backends) check(`sparse (${be.name})`, wasmnnLoss(be, losses.sparseCategoricalCrossentropy(), p, t), theirs);
});

test('the fused forms give the value of the unfused loss (sigmoid + BCE, softmax + CE)', async () => {
  const rng = mulberry32(33);
  const sig = tf.sigmoid(tf.tensor2d(randomArray(rng, ROWS * COLS, -4, 4), [ROWS, COLS])).dataSync() as Float32Array;
  const t = bits(rng);
  const bce = await tfjsNamedLoss('binaryCrossentropy', sig, t);
  const p = softmaxRows(randomArray(rng, ROWS * COLS, -3, 3));
  const { t: t2 } = oneHot(rng);
  const cce = await tfjsNamedLoss('categoricalCrossentropy', p, t2);
  for (const be of backends) {
    check(`sigmoid-fused BCE (${be.name})`, wasmnnLoss(be, losses.binaryCrossentropy(), sig, t, 'sigmoid'), bce);
    check(`softmax-fused CE (${be.name})`, wasmnnLoss(be, losses.categoricalCrossentropy(), p, t2, 'softmax'), cce);
  }
});

test('options TF.js has only in tf.losses: fromLogits, labelSmoothing, huber delta, hinge on 0/1 labels', async () => {
  const rng = mulberry32(34);
  const z = randomArray(rng, ROWS * COLS, -5, 5);
  const zT = tf.tensor2d(z, [ROWS, COLS]);
  const t = bits(rng);
  const tT = tf.tensor2d(t, [ROWS, COLS]);
  const { t: oh } = oneHot(rng);
  const ohT = tf.tensor2d(oh, [ROWS, COLS]);
  const d = randomArray(rng, ROWS * COLS, -3, 3);
  const cases: [string, Loss, Float32Array, Float32Array, tf.Tensor][] = [
    ['BCE fromLogits', losses.binaryCrossentropy({ fromLogits: true }), z, t, tf.losses.sigmoidCrossEntropy(tT, zT)],
    ['BCE fromLogits, smoothing 0.2', losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }), z, t, tf.losses.sigmoidCrossEntropy(tT, zT, undefined, 0.2)],
    ['CE fromLogits', losses.categoricalCrossentropy({ fromLogits: true }), z, oh, tf.losses.softmaxCrossEntropy(ohT, zT)],
    ['CE fromLogits, smoothing 0.1', losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), z, oh, tf.losses.softmaxCrossEntropy(ohT, zT, undefined, 0.1)],
    ['sparse CE fromLogits, smoothing 0.1', losses.sparseCategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), z, oh, tf.losses.softmaxCrossEntropy(ohT, zT, undefined, 0.1)],
    ['huber δ=1', losses.huber(), d, randomArray(rng, ROWS * COLS, -3, 3), tf.tensor(0)],
    ['huber δ=0.5', losses.huber({ delta: 0.5 }), d, randomArray(rng, ROWS * COLS, -3, 3), tf.tensor(0)],
    ['hinge on 0/1 labels', losses.hinge(), d, t, tf.losses.hingeLoss(tT, tf.tensor2d(d, [ROWS, COLS]))],
  ];
  for (const [what, loss, p, target, theirsTensor] of cases) {
    const theirs = what.startsWith('huber')
      ? await scalar(tf.losses.huberLoss(tf.tensor2d(target, [ROWS, COLS]), tf.tensor2d(p, [ROWS, COLS]), undefined, loss.delta))
      : await scalar(theirsTensor);
    for (const be of backends) check(`${what} (${be.name})`, wasmnnLoss(be, loss, p, target), theirs);
  }
});

test('fromLogits stays finite and exact where probabilities would saturate', () => {
  const be = backends[0]!;
  const z = new Float32Array(ROWS * COLS).fill(40);
  const t = new Float32Array(ROWS * COLS);
  // max(z,0) − z·0 + log1p(exp(−40)) = 40 (a probability would be 1 and clip at −log(1e-7) ≈ 16.1)
  assert.ok(Math.abs(wasmnnLoss(be, losses.binaryCrossentropy({ fromLogits: true }), z, t) - 40) < 1e-9);
});

test.run();
