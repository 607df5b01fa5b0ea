import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { oneHot, tensor } from '../src/index.js';
import { architectureNames, buildArchitecture, compileWithRecipe, DEFAULT_ARCHITECTURE, learningRateAt, recipe, WARMUP_FRACTION } from '../src/architectures.js';

test('the default architecture comes first and builds', () => {
  assert.is(architectureNames()[0], DEFAULT_ARCHITECTURE);
  const model = buildArchitecture(DEFAULT_ARCHITECTURE);
  assert.equal(model.outputShape, [10]);
});

test("the 'linear' schedule warms up to the peak, then falls to nearly 0 at the last step", () => {
  const r = recipe('compact', { schedule: 'linear', epochs: 2, learningRate: 0.01 });
  const perEpoch = 50;
  const total = 2 * perEpoch;
  const warmup = Math.round(WARMUP_FRACTION * total);
  const rates = Array.from({ length: total }, (_, step) => learningRateAt(r, step, perEpoch));
  assert.ok(Math.abs(rates[0]! - 0.01 / warmup) < 1e-12, `first step ${rates[0]}`);
  assert.ok(Math.abs(rates[warmup - 1]! - 0.01) < 1e-12, `end of warm-up ${rates[warmup - 1]}`);
  for (let s = 1; s < warmup; s++) assert.ok(rates[s]! > rates[s - 1]!, `rises at step ${s}`);
  for (let s = warmup; s < total; s++) assert.ok(rates[s]! < rates[s - 1]!, `falls at step ${s}`);
  assert.ok(rates[total - 1]! > 0 && rates[total - 1]! < 0.01 / 50, `last step ${rates[total - 1]}`);
  assert.ok(Math.max(...rates) <= 0.01 + 1e-12, 'never above the peak');
});

test("the 'cosine' schedule warms up like 'linear', then follows a half cosine to 0", () => {
  const r = recipe('compact', { schedule: 'cosine', epochs: 2, learningRate: 0.01 });
  const perEpoch = 50;
  const total = 2 * perEpoch;
  const warmup = Math.round(WARMUP_FRACTION * total);
  const rates = Array.from({ length: total }, (_, step) => learningRateAt(r, step, perEpoch));
  assert.ok(Math.abs(rates[0]! - 0.01 / warmup) < 1e-12, `first step ${rates[0]}`);
  assert.ok(Math.abs(rates[warmup]! - 0.01) < 1e-12, `peak after warm-up ${rates[warmup]}`);
  for (let s = 1; s <= warmup; s++) assert.ok(rates[s]! > rates[s - 1]!, `rises at step ${s}`);
  for (let s = warmup + 1; s < total; s++) assert.ok(rates[s]! < rates[s - 1]!, `falls at step ${s}`);
  const mid = warmup + (total - warmup) / 2;
  assert.ok(Math.abs(rates[mid]! - 0.005) < 1e-12, `half the peak halfway through the fall: ${rates[mid]}`);
  assert.ok(rates[total - 1]! < 0.01 * 1e-3, `last step ${rates[total - 1]}`);
});

test("the 'epoch-decay' schedule is constant within an epoch and decays between epochs", () => {
  const r = recipe('lenet', { schedule: 'epoch-decay', lrDecay: 0.5, learningRate: 0.1 });
  assert.is(learningRateAt(r, 0, 10), 0.1);
  assert.is(learningRateAt(r, 9, 10), 0.1);
  assert.is(learningRateAt(r, 10, 10), 0.05);
  assert.is(learningRateAt(r, 25, 10), 0.025);
});

test('bad recipe overrides fail with errors naming them', () => {
  assert.throws(() => recipe('compact', { schedule: 'step' as never }), /lr schedule must be one of epoch-decay, linear, cosine, got 'step'/);
  assert.throws(() => recipe('compact', { lrDecay: 1.5 }), /lr decay must be in \(0, 1\], got 1.5/);
  assert.throws(() => recipe('nope'), /unknown architecture 'nope'; choose one of: accurate, compact, lenet, seed/);
});

test("compileWithRecipe's optimizer trains every step at the recipe's rate", async () => {
  const r = recipe('compact', { epochs: 2, batchSize: 10, learningRate: 0.02 });
  const model = buildArchitecture('compact', { backend: 'js' });
  const optimizer = compileWithRecipe(model, r, 95); // 10 steps per epoch, the last one short
  const seen: number[] = [];
  const x = tensor(new Float32Array(95 * 784).fill(0.5), [95, 28, 28, 1]);
  const y = oneHot(Array.from({ length: 95 }, (_, i) => i % 10), 10);
  await model.fit(x, y, { batchSize: 10, epochs: 2, verbose: 0, callbacks: { onBatchEnd: () => void seen.push(optimizer.learningRate) } });
  assert.equal(seen, Array.from({ length: 20 }, (_, s) => learningRateAt(r, s, 10)));
});

test.run();
