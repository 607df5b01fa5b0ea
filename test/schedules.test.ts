// Learning-rate schedules: values against Keras' formulas worked by hand, the recipe's schedule,
// use as an optimizer's learningRate in fit (one rate per step, logged as 'lr'), and bad options.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cosineDecay, exponentialDecay, layers, linearWarmupDecay, oneCycle, oneHot, optimizers, piecewiseConstant, Sequential, tensor } from '../src/index.js';

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);
}

test('exponentialDecay: continuous and staircase (Keras ExponentialDecay)', () => {
  const smooth = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
  close(smooth(0), 0.1, 'step 0');
  close(smooth(5), 0.1 * Math.SQRT1_2, 'step 5');
  close(smooth(20), 0.025, 'step 20');
  const stairs = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
  assert.equal([0, 9, 10, 19, 20].map(stairs), [0.1, 0.1, 0.05, 0.05, 0.025]);
});

test('piecewiseConstant: values[i] up to and including boundaries[i] (Keras PiecewiseConstantDecay)', () => {
  const s = piecewiseConstant({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
  assert.equal([0, 10, 11, 20, 21, 1000].map(s), [1, 1, 0.5, 0.5, 0.1, 0.1]);
});

test('cosineDecay: linear warm-up to the target, then the cosine fall to alpha·peak (Keras CosineDecay)', () => {
  const s = cosineDecay({ initialLearningRate: 0.01, warmupTarget: 0.1, warmupSteps: 10, decaySteps: 100, alpha: 0.1 });
  close(s(0), 0.01, 'start of warm-up');
  close(s(5), 0.055, 'half-way up');
  close(s(10), 0.1, 'peak');
  close(s(60), 0.1 * (0.9 * 0.5 + 0.1), 'half-way down');
  close(s(110), 0.01, 'end: alpha·peak');
  close(s(500), 0.01, 'after the end');
  const plain = cosineDecay({ initialLearningRate: 0.2, decaySteps: 4 });
  assert.equal([0, 2, 4].map((t) => +plain(t).toFixed(12)), [0.2, 0.1, 0]);
});

test('linearWarmupDecay: rises to the peak over warmupSteps, then falls linearly to 0 after the last step', () => {
  const s = linearWarmupDecay({ learningRate: 1, totalSteps: 10, warmupSteps: 2 });
  assert.equal(Array.from({ length: 11 }, (_, t) => +s(t).toFixed(12)), [0.5, 1, 8 / 9, 7 / 9, 6 / 9, 5 / 9, 4 / 9, 3 / 9, 2 / 9, 1 / 9, 0].map((v) => +v.toFixed(12)));
  // Default warm-up: 10% of the steps.
  const d = linearWarmupDecay({ learningRate: 1, totalSteps: 100 });
  close(d(9), 1, 'end of the default warm-up');
});

test('oneCycle: cosine rise from max/25 to max at 30% of the steps, then down to max/25/1e4 (PyTorch OneCycleLR)', () => {
  const s = oneCycle({ maxLearningRate: 1, totalSteps: 101, pctStart: 0.3 });
  const peak = 0.3 * 101 - 1;
  close(s(0), 1 / 25, 'start');
  close(s(peak), 1, 'peak');
  close(s(100), 1 / 25 / 1e4, 'last step');
  close(s(peak / 2), 1 / 25 + (1 - 1 / 25) / 2, 'half-way up');
  for (let t = 1; t <= 29; t++) assert.ok(s(t) > s(t - 1), `rises at ${t}`);
  // The peak (step 29.3) lies between steps 29 and 30.
  for (let t = 31; t <= 100; t++) assert.ok(s(t) < s(t - 1), `falls at ${t}`);
});

test("any optimizer follows a schedule per step in fit; the logs' lr is the last step's rate", async () => {
  const x = tensor(new Float32Array(40).map((_, i) => Math.sin(i)), [20, 2]);
  const y = oneHot(Array.from({ length: 20 }, (_, i) => i % 2), 2);
  const schedule = piecewiseConstant({ boundaries: [4, 8], values: [0.1, 0.05, 0.01] });
  for (const make of [optimizers.sgd, optimizers.rmsprop, optimizers.adagrad, optimizers.adamax, optimizers.nadam, optimizers.adam]) {
    const optimizer = make({ learningRate: schedule });
    const model = new Sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })], { backend: 'js', seed: 1 });
    model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    const seen: number[] = [];
    const history = await model.fit(x, y, { batchSize: 5, epochs: 3, verbose: 0, callbacks: { onBatchEnd: () => void seen.push(optimizer.learningRate) } });
    assert.equal(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(schedule), optimizer.className);
    assert.equal(history.history['lr'], [schedule(3), schedule(7), schedule(11)], `${optimizer.className} lr logs`);
  }
});

test('bad schedule options are errors naming them', () => {
  assert.throws(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }), /exponentialDecay: decaySteps must be a finite number > 0, got 0/);
  assert.throws(() => piecewiseConstant({ boundaries: [10], values: [1] }), /needs one more value than boundaries, got 1 values for 1 boundaries/);
  assert.throws(() => piecewiseConstant({ boundaries: [10, 5], values: [1, 2, 3] }), /boundaries must increase, got 10 then 5/);
  assert.throws(() => cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 2 }), /alpha must be in \[0, 1\], got 2/);
  assert.throws(() => linearWarmupDecay({ learningRate: 0.1, totalSteps: 10, warmupSteps: 11 }), /warmupSteps 11 exceeds totalSteps 10/);
  assert.throws(() => oneCycle({ maxLearningRate: 0.1, totalSteps: 10, pctStart: 1 }), /pctStart must be in \(0, 1\), got 1/);
});

test.run();
