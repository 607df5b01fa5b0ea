// predict folds each BatchNormalization into the Conv2D / DepthwiseConv2D / SeparableConv2D /
// Dense (linear) before it: the same predictions as without folding (max |Δ| ≤ 1e-5), the BN
// passes really gone (counted on the backend), refolded after training, setWeights and a larger
// batch plan, and nothing folded where it would change the result.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { layers, oneHot, Sequential, tensor, type Layer, type NamedWeight } from '../src/index.js';
import { createBackend, type Backend } from '../src/kernels/index.js';
import { maxAbsDiff } from './helpers/max-abs-diff.js';
import { mulberry32, randomArray } from './helpers/random.js';

const rng = mulberry32(57);
const INPUT = [8, 8, 3];
const x = tensor(randomArray(rng, 40 * 8 * 8 * 3, -1, 1), [40, ...INPUT]);
const labels = oneHot(Array.from({ length: 40 }, (_, i) => i % 3), 3);

/** A backend that counts channelAffine(Relu) calls (BatchNormalization's inference pass, with a fused relu or not). */
async function countingBackend(): Promise<{ backend: Backend; affineCalls: () => number }> {
  const inner = await createBackend('wasm');
  let calls = 0;
  const backend = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'channelAffine' || key === 'channelAffineRelu') calls++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { backend, affineCalls: () => calls };
}

function foldableModel(backend: Backend): Sequential {
  return new Sequential(
    [
      layers.conv2d({ filters: 6, kernelSize: 3, useBias: false, inputShape: INPUT }),
      layers.batchNormalization(),
      layers.activation({ activation: 'relu' }),
      layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
      layers.batchNormalization({ center: false }),
      layers.separableConv2d({ filters: 5, kernelSize: 3 }),
      layers.batchNormalization({ scale: false, epsilon: 0.01 }),
      layers.globalAveragePooling2d(),
      layers.dense({ units: 7 }),
      layers.batchNormalization(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { backend, seed: 3 },
  );
}

/** Random weights with moving statistics far from their initial 0 and 1, so folding has work to do. */
function randomize(model: Sequential): void {
  model.setWeights(
    model.getWeights().map((w): NamedWeight => {
      const variance = w.name.endsWith('moving_variance');
      return { ...w, data: randomArray(rng, w.data.length, variance ? 0.3 : -0.8, variance ? 2 : 0.8) };
    }),
  );
}

/** The foldable model on a counting backend, built, with random weights. */
async function builtFoldableModel(): Promise<{ model: Sequential; affineCalls: () => number }> {
  const { backend, affineCalls } = await countingBackend();
  const model = foldableModel(backend);
  await model.build();
  randomize(model);
  return { model, affineCalls };
}

async function predictBoth(model: Sequential, input = x, batchSize = 16): Promise<{ folded: Float32Array; plain: Float32Array }> {
  model.foldBatchNorm = true;
  const folded = (await model.predict(input, { batchSize })).data;
  model.foldBatchNorm = false;
  const plain = (await model.predict(input, { batchSize })).data;
  model.foldBatchNorm = true;
  return { folded, plain };
}

function assertSame({ folded, plain }: { folded: Float32Array; plain: Float32Array }, what: string): void {
  const spread = Math.max(...plain) - Math.min(...plain);
  assert.ok(spread > 0.05, `${what}: predictions nearly constant`);
  const diff = maxAbsDiff(folded, plain);
  assert.ok(diff <= 1e-5, `${what}: max |folded − unfolded| = ${diff}`);
}

test('every BatchNormalization after a linear Conv2D, DepthwiseConv2D, SeparableConv2D or Dense folds; predictions unchanged', async () => {
  const { model, affineCalls } = await builtFoldableModel();
  const before = affineCalls();
  model.foldBatchNorm = false;
  await model.predict(x, { batchSize: 40 });
  assert.is(affineCalls() - before, 4, 'unfolded: one channelAffine per BatchNormalization');
  model.foldBatchNorm = true;
  const mid = affineCalls();
  await model.predict(x, { batchSize: 40 });
  assert.is(affineCalls() - mid, 0, 'folded: no BatchNormalization pass left');
  assertSame(await predictBoth(model), 'random weights');
  const weights = model.getWeights();
  await model.predict(x);
  assert.equal(model.getWeights(), weights, 'folding leaves the model weights as they were');
  model.dispose();
});

test('refolded after fit steps, after setWeights and when a larger batch re-plans memory', async () => {
  const { model } = await builtFoldableModel();
  assertSame(await predictBoth(model, x, 4), 'first fold');
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const beforeFit = (await model.predict(x)).data;
  await model.fit(x, labels, { epochs: 2, batchSize: 8, verbose: 0 });
  const afterFit = await predictBoth(model, x, 4);
  assert.ok(maxAbsDiff(afterFit.folded, beforeFit) > 1e-3, 'training changed the predictions');
  assertSame(afterFit, 'after fit');
  randomize(model);
  assertSame(await predictBoth(model, x, 4), 'after setWeights');
  assertSame(await predictBoth(model, x, 40), 'after a larger batch plan');
  model.dispose();
});

test('predict from a callback between fit steps sees the weights of that step', async () => {
  const { model } = await builtFoldableModel();
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const diffs: number[] = [];
  const probe = x.slice(0, 5);
  await model.fit(x, labels, {
    epochs: 1,
    batchSize: 10,
    verbose: 0,
    callbacks: [{ onBatchEnd: async () => {
      const { folded, plain } = await predictBoth(model, probe, 5);
      diffs.push(maxAbsDiff(folded, plain));
    } }],
  });
  assert.is(diffs.length, 4);
  assert.ok(Math.max(...diffs) <= 1e-5, `folded vs unfolded within fit: ${diffs.join(', ')}`);
  model.dispose();
});

test('nothing folds where it would change the result: an activation in between, or a BatchNormalization first', async () => {
  const { backend, affineCalls } = await countingBackend();
  const model = new Sequential(
    [
      layers.batchNormalization({ inputShape: INPUT }),
      layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
      layers.batchNormalization(),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'tanh' }),
      layers.batchNormalization(),
    ] as Layer[],
    { backend, seed: 5 },
  );
  await model.build();
  randomize(model);
  const before = affineCalls();
  const { folded, plain } = await predictBoth(model, x, 40);
  assert.is(affineCalls() - before, 6, 'three BatchNormalization passes in each predict (one batch)');
  assert.is(maxAbsDiff(folded, plain), 0);
  model.dispose();
});

test.run();
