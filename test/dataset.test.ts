// Dataset (fromArrays, fromGenerator, shuffle, batch, map, take, prefetch) and fitDataset /
// evaluateDataset, checked against fit/evaluate on the same batches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from './helpers/rejects.js';
import { Dataset, layers, oneHot, optimizers, Sequential, tensor, type Batch, type Tensor } from '../src/index.js';
import { mulberry32, randomArray } from './helpers/random.js';

const rand = mulberry32(41);
const N = 10;
const x = tensor(randomArray(rand, N * 3), [N, 3]);
const labels = Array.from({ length: N }, (_, i) => i % 3);
const y = oneHot(labels, 3);
const ids = tensor(Array.from({ length: N }, (_, i) => i), [N]);

async function collect<T>(d: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of d) out.push(e);
  return out;
}

const order = async (d: AsyncIterable<Batch>) => (await collect(d)).flatMap((b) => [...b.ys.data]);

function model(seed = 7): Sequential {
  const m = new Sequential([layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), layers.dense({ units: 3, activation: 'softmax' })], { backend: 'js', seed });
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const weightsOf = (m: Sequential) => m.getWeights().map((w) => [...w.data]);

test('fromArrays + batch: samples in order, stacked along a new first axis; the last batch smaller unless dropRemainder', async () => {
  const batches = await collect(Dataset.fromArrays(x, ids).batch(4));
  assert.equal(batches.map((b) => b.xs.shape), [[4, 3], [4, 3], [2, 3]]);
  assert.equal(batches.map((b) => b.ys.shape), [[4], [4], [2]]);
  assert.equal([...batches[1]!.xs.data], [...x.data.subarray(12, 24)]);
  assert.equal(await order(Dataset.fromArrays(x, ids).batch(4)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.is((await collect(Dataset.fromArrays(x, ids).batch(4, { dropRemainder: true }))).length, 2);
});

test('shuffle: a permutation, the same for the same seed, new on every iteration; bufferSize 1 keeps the order', async () => {
  const shuffled = Dataset.fromArrays(x, ids).shuffle(N, 5).batch(N);
  const first = await order(shuffled);
  const second = await order(shuffled);
  assert.equal([...first].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.not.equal(first, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.not.equal(second, first, 'each epoch reshuffles');
  assert.equal(await order(Dataset.fromArrays(x, ids).shuffle(N, 5).batch(N)), first, 'same seed, same order');
  assert.equal(await order(Dataset.fromArrays(x, ids).shuffle(1, 5).batch(N)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // A small buffer only moves elements forward a bounded way: element 9 cannot come first.
  assert.ok((await order(Dataset.fromArrays(x, ids).shuffle(3, 9).batch(N)))[0]! < 3);
});

test('map, take, fromGenerator (sync and async) and prefetch (reads ahead, same elements)', async () => {
  const doubled = Dataset.fromArrays(x, ids).map(async (e) => ({ xs: e.xs, ys: tensor([e.ys.data[0]! * 2], []) })).take(3);
  assert.equal((await collect(doubled)).map((e) => e.ys.data[0]), [0, 2, 4]);
  let pulled = 0;
  const source = Dataset.fromGenerator(function* () {
    for (let i = 0; i < 6; i++) {
      pulled++;
      yield i;
    }
  });
  const it = source.prefetch(2)[Symbol.asyncIterator]();
  assert.equal((await it.next()).value, 0);
  await new Promise((r) => setTimeout(r, 0));
  assert.ok(pulled >= 3, `prefetch(2) pulled ${pulled} elements after the first was consumed`);
  assert.equal(await collect(source.prefetch(2)), [0, 1, 2, 3, 4, 5]);
  const asyncSource = Dataset.fromGenerator(async function* () {
    yield 'a';
    yield 'b';
  });
  assert.equal(await collect(asyncSource), ['a', 'b']);
  assert.equal(await collect(asyncSource), ['a', 'b'], 'a generator function starts afresh each iteration');
  assert.throws(() => Dataset.fromGenerator([1, 2] as never), /pass a function that returns a new iterator/);
  assert.throws(() => Dataset.fromArrays(x, ids).batch(0), /batchSize must be a positive integer, got 0/);
});

test('fitDataset over the same batches as fit gives the same weights, history and validation logs', async () => {
  const viaFit = model();
  const h1 = await viaFit.fit(x, y, { batchSize: 4, epochs: 3, shuffle: false, verbose: 0, validationData: [x, y] });
  const viaDataset = model();
  const h2 = await viaDataset.fitDataset(Dataset.fromArrays(x, y).batch(4), { epochs: 3, verbose: 0, validationData: Dataset.fromArrays(x, y).batch(3) });
  assert.equal(weightsOf(viaDataset), weightsOf(viaFit));
  assert.equal(Object.keys(h2.history), Object.keys(h1.history));
  for (const [k, v] of Object.entries(h1.history)) v.forEach((value, i) => assert.ok(Math.abs(value - h2.history[k]![i]!) < 1e-6, `${k}[${i}]: ${h2.history[k]![i]} vs ${value}`));
  const a = await viaFit.evaluate(x, y);
  const b = await viaDataset.evaluateDataset(Dataset.fromArrays(x, y).batch(7));
  assert.ok(Math.abs(a.loss - b.loss) < 1e-6 && Math.abs(a.accuracy! - b.accuracy!) < 1e-6, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

test("fitDataset: shuffle without a seed draws from the model's seeded generator (same seed, same run)", async () => {
  const data = () => Dataset.fromArrays(x, y).shuffle(N).batch(4);
  const [a, b, c] = [model(7), model(7), model(7)];
  await a.fitDataset(data(), { epochs: 2, verbose: 0 });
  await b.fitDataset(data(), { epochs: 2, verbose: 0 });
  await c.fitDataset(Dataset.fromArrays(x, y).batch(4), { epochs: 2, verbose: 0 });
  assert.equal(weightsOf(a), weightsOf(b));
  assert.not.equal(weightsOf(a), weightsOf(c), 'the shuffle changed nothing');
});

test('fitDataset: plain iterables, growing batch sizes, batchesPerEpoch over a one-shot generator, and named errors', async () => {
  const m = model();
  const batches: Batch[] = [
    { xs: x.slice(0, 2), ys: y.slice(0, 2) },
    { xs: x.slice(2, 10), ys: y.slice(2, 10) },
  ];
  const h = await m.fitDataset(batches, { epochs: 2, verbose: 0 });
  assert.equal(h.epoch, [0, 1]);
  function* stream(): Generator<Batch> {
    for (;;) for (let i = 0; i < N; i += 5) yield { xs: x.slice(i, i + 5), ys: y.slice(i, i + 5) };
  }
  const steps: number[] = [];
  await m.fitDataset(stream(), { epochs: 3, batchesPerEpoch: 3, verbose: 0, callbacks: { onBatchEnd: (s) => void steps.push(s) } });
  assert.equal(steps, [0, 1, 2, 0, 1, 2, 0, 1, 2]);
  const once = (function* () {
    yield batches[0]!;
  })();
  await rejects(() => m.fitDataset(once, { epochs: 2, verbose: 0 }), /gave no batches in epoch 2; a one-shot iterator \(a generator object\) needs batchesPerEpoch/);
  await rejects(() => m.fitDataset([{ xs: x, ys: tensor(new Float32Array(N * 2), [N, 2]) as Tensor }], { verbose: 0 }), /fitDataset: batch 1 of epoch 1: y has shape \(10, 2\) but the model outputs \(10, 3\)/);
  await rejects(() => m.fitDataset([{ x, y } as never], { verbose: 0 }), /batch 1 of epoch 1 is not an object \{ xs, ys \} of Tensors/);
  await rejects(() => m.fitDataset(Dataset.fromArrays(x, y).batch(5), { epochs: 1, batchesPerEpoch: 3, verbose: 0 }), /ran out after 2 of batchesPerEpoch 3 batches in epoch 1/);
});

test.run();
