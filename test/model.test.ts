import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JsBackend } from '../src/kernels/js/index.js';
import { layers, optimizers, Sequential, tensor, oneHot } from '../src/index.js';
import { mulberry32, randomArray } from './helpers/random.js';
import { modelLossGradientError } from './helpers/model-gradcheck.js';
import { rejects } from './helpers/rejects.js';

const quiet = { verbose: 0 as const };

function seedModel(): Sequential {
  return new Sequential(
    [
      layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      layers.flatten(),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { backend: 'js' },
  );
}

test('summary of the seed model prints Keras shapes and 203,434 parameters', () => {
  let text = '';
  seedModel().summary((t) => (text = t));
  const rows = text.split('\n');
  const expect = [
    ['conv2d (Conv2D)', '(None, 26, 26, 64)', '640'],
    ['conv2d_1 (Conv2D)', '(None, 24, 24, 32)', '18,464'],
    ['flatten (Flatten)', '(None, 18432)', '0'],
    ['dense (Dense)', '(None, 10)', '184,330'],
  ];
  for (const [name, shape, params] of expect) {
    const row = rows.find((r) => r.trim().startsWith(name!));
    assert.ok(row, `no row for ${name}`);
    assert.equal(row!.trim().split(/\s{2,}/), [name, shape, params]);
  }
  assert.ok(rows.includes('Total params: 203,434 (794.66 KB)'), text);
  assert.is(seedModel().paramCount, 203434);
});

test('Conv2D forward matches a hand computation', async () => {
  const model = new Sequential([layers.conv2d({ filters: 1, kernelSize: 2, inputShape: [3, 3, 1] })], { backend: 'js' });
  await model.build();
  model.setWeights([
    { name: 'conv2d/kernel', shape: [2, 2, 1, 1], data: Float32Array.from([1, 2, 3, 4]) },
    { name: 'conv2d/bias', shape: [1], data: Float32Array.from([0.5]) },
  ]);
  const y = await model.predict(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]));
  // top-left window [1 2; 4 5]·[1 2; 3 4] = 1+4+12+20 = 37, +0.5
  assert.equal([...y.data], [37.5, 47.5, 67.5, 77.5]);
  assert.equal(y.shape, [1, 2, 2, 1]);
});

test('Dense + MaxPool forward match a hand computation', async () => {
  const model = new Sequential(
    [layers.maxPooling2d({ poolSize: 2, inputShape: [2, 2, 2] }), layers.flatten(), layers.dense({ units: 1, activation: 'relu' })],
    { backend: 'js' },
  );
  await model.build();
  model.setWeights([
    { name: 'dense/kernel', shape: [2, 1], data: Float32Array.from([1, -1]) },
    { name: 'dense/bias', shape: [1], data: Float32Array.from([0]) },
  ]);
  // channel 0 max = 7, channel 1 max = 2 → relu(7 − 2) = 5
  const y = await model.predict(tensor([1, 2, 7, -1, 3, 0, 4, 1], [1, 2, 2, 2]));
  assert.equal([...y.data], [5]);
});

test('loss gradients match finite differences (float64)', async () => {
  assert.ok((await modelLossGradientError('categoricalCrossentropy', 'softmax', 'oneHot')) < 1e-6, 'softmax + CE (fused)');
  assert.ok((await modelLossGradientError('sparseCategoricalCrossentropy', 'softmax', 'sparse')) < 1e-6, 'softmax + sparse CE');
  assert.ok((await modelLossGradientError('categoricalCrossentropy', 'sigmoid', 'oneHot')) < 1e-6, 'sigmoid + CE (unfused)');
  assert.ok((await modelLossGradientError('meanSquaredError', 'tanh', 'regression')) < 1e-6, 'tanh + MSE');
});

async function tinyRun(seed: number): Promise<{ weights: number[]; losses: number[] }> {
  const rng = mulberry32(3);
  const x = tensor(randomArray(rng, 64 * 36, 0, 1), [64, 6, 6, 1]);
  const y = oneHot(Array.from({ length: 64 }, (_, i) => i % 3), 3);
  const model = new Sequential(
    [
      layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }),
      layers.flatten(),
      layers.dropout({ rate: 0.3 }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { seed, backend: 'js' },
  );
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  await model.build();
  const weights = [...model.getWeights()[0]!.data];
  const history = await model.fit(x, y, { batchSize: 16, epochs: 3, ...quiet });
  return { weights, losses: history.history['loss']! };
}

test('the same seed gives the same weights and loss curve; another seed does not', async () => {
  const a = await tinyRun(5);
  const b = await tinyRun(5);
  const c = await tinyRun(6);
  assert.equal(a, b);
  assert.not.equal(a.weights, c.weights);
  assert.not.equal(a.losses, c.losses);
});

/** Loss curve of a small conv + pool model; `predictDuringFit`: every step's callback predicts with a batch 8× fit's. */
async function poolRun(predictDuringFit: boolean): Promise<number[]> {
  const rng = mulberry32(3);
  const x = tensor(randomArray(rng, 64 * 64, 0, 1), [64, 8, 8, 1]);
  const y = oneHot(Array.from({ length: 64 }, (_, i) => i % 3), 3);
  const model = new Sequential(
    [
      layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { seed: 5, backend: 'js' },
  );
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  const callbacks = predictDuringFit ? { onBatchEnd: async () => void (await model.predict(x, { batchSize: 64 })) } : {};
  const history = await model.fit(x, y, { batchSize: 8, epochs: 3, callbacks, ...quiet });
  return history.history['loss']!;
}

// predict/evaluate with a larger batch re-plans the activations; fit must follow the new plan.
test('predicting with a larger batch inside a fit callback leaves training unchanged', async () => {
  assert.equal(await poolRun(true), await poolRun(false));
});

test('wrong shapes and bad arguments fail with errors naming the problem', async () => {
  assert.throws(() => new Sequential([layers.dense({ units: 2 })]).summary(), /needs an inputShape/);
  assert.throws(() => new Sequential([layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 1] }), layers.dense({ units: 2 })]).summary(), /flat input.*Flatten.*\(None, 6, 6, 2\)/);
  assert.throws(() => new Sequential([layers.conv2d({ filters: 2, kernelSize: 5, inputShape: [3, 3, 1] })]).summary(), /5x5 kernel.*does not fit/);
  assert.throws(() => layers.conv2d({ filters: 0, kernelSize: 3 }), /filters must be a positive integer/);
  assert.throws(() => layers.dense({ units: 2, activation: 'hard_swish' as never }), /unsupported activation 'hard_swish'/);
  const model = new Sequential([layers.flatten({ inputShape: [2, 2] }), layers.dense({ units: 3, activation: 'softmax' })], { backend: 'js' });
  await rejects(() => model.fit(tensor(new Float32Array(8), [2, 2, 2]), oneHot([0, 1], 3)), /compile/);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await rejects(() => model.fit(tensor(new Float32Array(6), [2, 3]), oneHot([0, 1], 3)), /x has shape \(2, 3\) but the model expects \(None, 2, 2\)/);
  await rejects(() => model.fit(tensor(new Float32Array(8), [2, 2, 2]), oneHot([0, 1, 2], 3)), /x has 2 samples but y has 3/);
  await rejects(() => model.fit(tensor(new Float32Array(8), [2, 2, 2]), oneHot([0, 1], 4)), /y has shape \(2, 4\) but the model outputs \(2, 3\)/);
  await rejects(() => model.fit(tensor([0, 0, 0, NaN, 0, 0, 0, 0], [2, 2, 2]), oneHot([0, 1], 3)), /x holds NaN at sample 0/);
  await rejects(() => model.fit(tensor(new Float32Array(8), [2, 2, 2]), oneHot([0, 1], 3), { batchSize: 0 }), /batchSize must be a positive integer/);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await rejects(() => model.fit(tensor(new Float32Array(8), [2, 2, 2]), tensor([0, 3])), /label 3 of sample 1/);
  assert.throws(() => model.compile({ optimizer: 'adam', loss: 'poisson' as never }), /unsupported loss 'poisson'/);
  assert.throws(() => model.compile({ optimizer: 'rmsprob' as never, loss: 'meanSquaredError' }), /unknown optimizer 'rmsprob'/);
});

test('a loss that stops being finite stops training with a clear error', async () => {
  const model = new Sequential([layers.dense({ units: 1, inputShape: [1] })], { backend: 'js' });
  model.compile({ optimizer: optimizers.sgd({ learningRate: 1e18 }), loss: 'meanSquaredError' });
  const x = tensor([1, 2, 3, 4], [4, 1]);
  const y = tensor([1, 2, 3, 4], [4, 1]);
  await rejects(() => model.fit(x, y, { batchSize: 1, epochs: 5, ...quiet }), /loss is (NaN|Infinity) at epoch \d+, step \d+; training stopped before this step changed any weight/);
});

test('validationSplit, callbacks and stopTraining', async () => {
  const rng = mulberry32(9);
  const model = new Sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })], { backend: 'js' });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const events: string[] = [];
  const history = await model.fit(tensor(randomArray(rng, 30, -1, 1), [10, 3]), oneHot([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 2), {
    batchSize: 4,
    epochs: 3,
    validationSplit: 0.2,
    ...quiet,
    callbacks: {
      onEpochEnd: (e, logs) => {
        events.push(`epoch ${e} ${Object.keys(logs).join(',')}`);
        if (e === 1) model.stopTraining = true;
      },
    },
  });
  assert.equal(events, ['epoch 0 loss,accuracy,val_loss,val_accuracy,lr', 'epoch 1 loss,accuracy,val_loss,val_accuracy,lr']);
  assert.equal(history.epoch, [0, 1]);
});

test.run();
