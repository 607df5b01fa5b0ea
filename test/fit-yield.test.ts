/**
 * fit's yieldEvery in Node: when the loop gives the event loop a turn ('batch': after every batch;
 * 'never': not until fit ends; a number of ms), and the named error for a bad value. The frame
 * gaps on a browser page are test/browser-yield.test.ts'.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Dataset, Sequential, layers, tensor, type YieldEvery } from '../src/index.js';
import { rejects } from './helpers/rejects.js';

function smallModel(): Sequential {
  const model = new Sequential([layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), layers.dense({ units: 2, activation: 'softmax' })], { seed: 2, backend: 'js' });
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  return model;
}

const x = tensor(Array.from({ length: 8 }, (_, i) => [i % 3, (i * 7) % 5, 1]));
const y = tensor(Array.from({ length: 8 }, (_, i) => (i % 2 ? [0, 1] : [1, 0])));

/** The batch (counted over the whole fit) after which a task queued as training begins ran, or 'after fit'. */
async function timerRunsAfterBatch(yieldEvery: YieldEvery, dataset = false): Promise<number | 'after fit'> {
  const model = smallModel();
  let batches = 0;
  let firedAt: number | null = null;
  const callbacks = { onTrainBegin: () => void setImmediate(() => (firedAt = batches)), onBatchEnd: () => void batches++ };
  if (dataset) await model.fitDataset(Dataset.fromArrays(x, y).batch(2), { epochs: 2, verbose: 0, yieldEvery, callbacks });
  else await model.fit(x, y, { batchSize: 2, epochs: 2, verbose: 0, yieldEvery, callbacks });
  return firedAt ?? 'after fit';
}

test("'batch' gives the event loop a turn after the first batch; 'never' not until fit ends", async () => {
  assert.is(await timerRunsAfterBatch('batch'), 1);
  assert.is(await timerRunsAfterBatch('batch', true), 1);
  assert.is(await timerRunsAfterBatch('never'), 'after fit');
  assert.is(await timerRunsAfterBatch('never', true), 'after fit');
  // 0 ms: a turn after every batch, as 'batch'; an hour: none during this fit.
  assert.is(await timerRunsAfterBatch(0), 1);
  assert.is(await timerRunsAfterBatch(3_600_000), 'after fit');
});

test('a bad yieldEvery is an error naming the option, the call and the value', async () => {
  const model = smallModel();
  for (const bad of [-1, Number.NaN, Infinity, 'sometimes'] as unknown as YieldEvery[]) {
    await rejects(() => model.fit(x, y, { verbose: 0, yieldEvery: bad }), /^fit: yieldEvery must be a number of milliseconds ≥ 0, 'batch', 'never' or 'auto'; got (-1|NaN|Infinity|'sometimes')$/);
  }
  await rejects(() => model.fitDataset(Dataset.fromArrays(x, y).batch(2), { verbose: 0, yieldEvery: 'often' as YieldEvery }), /^fitDataset: yieldEvery .* got 'often'$/);
});

test.run();
