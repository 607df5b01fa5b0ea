// Keras callbacks on small problems. Where a rule depends on the monitored values, a callback
// placed before the one under test scripts them (callbacks share each epoch's logs, in order).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from './helpers/rejects.js';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callbacks, layers, loadModel, oneHot, optimizers, Sequential, tensor, type Callbacks, type ModelArtifacts, type NamedWeight } from '../src/index.node.js';
import { mulberry32, randomArray } from './helpers/random.js';

const rand = mulberry32(31);
const x = tensor(randomArray(rand, 16 * 3), [16, 3]);
const y = oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2);

function model(learningRate = 0.1): Sequential {
  const m = new Sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })], { backend: 'js', seed: 2 });
  m.compile({ optimizer: optimizers.sgd({ learningRate }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** Sets logs[key] to values[epoch] at each epoch's end, and keeps a copy of the weights then. */
function script(key: string, values: number[], snapshots: NamedWeight[][] = [], m?: Sequential): Callbacks {
  return {
    onEpochEnd: (epoch, logs) => {
      logs[key] = values[epoch]!;
      if (m) snapshots.push(m.getWeights());
    },
  };
}

const fitArgs = { batchSize: 8, verbose: 0 as const };

test('earlyStopping: patience and minDelta as Keras counts them; restoreBestWeights sets the best epoch’s weights back', async () => {
  const m = model();
  const snapshots: NamedWeight[][] = [];
  const stop = callbacks.earlyStopping({ patience: 2, minDelta: 0.02, restoreBestWeights: true });
  // 0.8 improves on 1.0; 0.85 does not; 0.79 is better but not by minDelta: stop after epoch 3.
  const history = await m.fit(x, y, { ...fitArgs, epochs: 10, callbacks: [script('val_loss', [1, 0.8, 0.85, 0.79, 0.5, 0.4], snapshots, m), stop] });
  assert.equal(history.epoch, [0, 1, 2, 3]);
  assert.is(stop.stoppedEpoch, 3);
  assert.is(stop.bestEpoch, 1);
  assert.is(stop.best, 0.8);
  assert.equal(m.getWeights().map((w) => [...w.data]), snapshots[1]!.map((w) => [...w.data]));
  assert.not.equal(snapshots[3]!.map((w) => [...w.data]), snapshots[1]!.map((w) => [...w.data]));
});

test("earlyStopping: 'auto' maximizes accuracies, baseline keeps waiting until beaten, a real plateau (rate 0) stops", async () => {
  const m = model();
  const stop = callbacks.earlyStopping({ monitor: 'val_accuracy', patience: 1 });
  const history = await m.fit(x, y, { ...fitArgs, epochs: 10, callbacks: [script('val_accuracy', [0.5, 0.6, 0.7, 0.7, 0.9]), stop] });
  assert.equal(history.epoch, [0, 1, 2, 3]);
  // An improvement that does not beat the baseline does not reset the wait (Keras).
  const losses = [0.9, 0.95, 0.97, 0.99, 1, 1];
  const plain = await model().fit(x, y, { ...fitArgs, epochs: 6, callbacks: [script('loss', losses), callbacks.earlyStopping({ monitor: 'loss', patience: 2 })] });
  assert.equal(plain.epoch, [0, 1, 2]);
  const base = callbacks.earlyStopping({ monitor: 'loss', patience: 2, baseline: 0.5 });
  const h2 = await model().fit(x, y, { ...fitArgs, epochs: 6, callbacks: [script('loss', losses), base] });
  assert.equal(h2.epoch, [0, 1], 'the first epoch did not beat the baseline: it counts towards patience');
  const flat = model(0);
  // Unshuffled, so the epoch loss is bit for bit the same (a reordered sum differs in its last bit).
  const h3 = await flat.fit(x, y, { ...fitArgs, shuffle: false, epochs: 10, callbacks: [callbacks.earlyStopping({ monitor: 'loss', patience: 3 })] });
  assert.equal(h3.epoch, [0, 1, 2, 3], 'a constant loss never improves: 3 more epochs, then stop');
});

test('earlyStopping: a monitor missing from the logs is an error naming the keys', async () => {
  await rejects(() => model().fit(x, y, { ...fitArgs, epochs: 2, callbacks: [callbacks.earlyStopping()] }), /earlyStopping: monitor 'val_loss' is not in the epoch's logs \(loss, accuracy, lr\)/);
  assert.throws(() => callbacks.earlyStopping({ mode: 'up' as never }), /mode must be 'auto', 'min' or 'max', got 'up'/);
});

test('modelCheckpoint: every epoch or only the best, to a save function and to directories named by {epoch}', async () => {
  const m = model();
  const saved: ModelArtifacts[] = [];
  const best = callbacks.modelCheckpoint((a) => void saved.push(a), { saveBestOnly: true, includeOptimizer: true });
  await m.fit(x, y, { ...fitArgs, epochs: 4, callbacks: [script('val_loss', [1, 0.5, 0.7, 0.4]), best] });
  assert.equal(best.savedEpochs, [0, 1, 3]);
  assert.is(saved.length, 3);
  assert.ok(saved[2]!.modelJson['userDefinedMetadata'], 'includeOptimizer saved the training state');
  const dir = await mkdtemp(join(tmpdir(), 'wasmnn-ckpt-'));
  try {
    const every = callbacks.modelCheckpoint(join(dir, 'epoch-{epoch}'));
    await m.fit(x, y, { ...fitArgs, epochs: 2, callbacks: [every] });
    await stat(join(dir, 'epoch-1', 'model.json'));
    const last = await loadModel(join(dir, 'epoch-2'), { backend: 'js' });
    assert.equal(last.getWeights().map((w) => [...w.data]), m.getWeights().map((w) => [...w.data]));
    await rejects(() => m.fit(x, y, { ...fitArgs, epochs: 1, callbacks: [callbacks.modelCheckpoint(join(dir, '{nope}'))] }), /'\{nope\}' in '.*' is neither 'epoch' nor a key of the logs/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('reduceLROnPlateau: multiplies the rate by factor after patience epochs without improvement, with cooldown and minLr', async () => {
  const m = model(0.1);
  const reduce = callbacks.reduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 1, minLr: 0.02 });
  const history = await m.fit(x, y, { ...fitArgs, epochs: 9, callbacks: [script('val_loss', [1, 1, 1, 1, 1, 1, 1, 1, 1]), reduce] });
  // (Logged rates are those the epoch trained at.) e0 sets the best; e1, e2 do not improve → 0.05
  // after e2; e3 ends the cooldown and, as in Keras, counts again; e4 → 0.025; e5, e6 → 0.02 (minLr);
  // e7, e8: at minLr, nothing more.
  assert.equal(history.history['lr'], [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02]);
  assert.is(m.optimizer!.learningRate, 0.02);
  const scheduled = new Sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })], { backend: 'js' });
  scheduled.compile({ optimizer: optimizers.adam({ learningRate: () => 0.1 }), loss: 'categoricalCrossentropy' });
  await rejects(() => scheduled.fit(x, y, { ...fitArgs, callbacks: [callbacks.reduceLROnPlateau()] }), /reduceLROnPlateau: the optimizer follows a learning-rate schedule/);
});

test('learningRateScheduler: sets each epoch’s rate from (epoch, rate)', async () => {
  const m = model(0.1);
  const history = await m.fit(x, y, { ...fitArgs, epochs: 4, callbacks: [callbacks.learningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr / 2))] });
  assert.equal(history.history['lr'], [0.1, 0.1, 0.05, 0.025]);
  await rejects(() => m.fit(x, y, { ...fitArgs, callbacks: [callbacks.learningRateScheduler(() => NaN)] }), /returned NaN for epoch 0/);
});

test('terminateOnNaN: a diverging run stops quietly at the first non-finite loss instead of throwing', async () => {
  const diverging = () => {
    const m = new Sequential([layers.dense({ units: 1, inputShape: [3] })], { backend: 'js', seed: 4 });
    m.compile({ optimizer: optimizers.sgd({ learningRate: 1e6 }), loss: 'meanSquaredError' });
    return m;
  };
  const targets = tensor(new Float32Array(16).fill(3), [16, 1]);
  await rejects(() => diverging().fit(x, targets, { ...fitArgs, batchSize: 2, epochs: 5 }), /fit: loss is (NaN|Infinity) at epoch/);
  const nan = callbacks.terminateOnNaN();
  const m = diverging();
  const history = await m.fit(x, targets, { ...fitArgs, batchSize: 2, epochs: 5, callbacks: [nan] });
  assert.ok(nan.terminatedAtStep !== null, 'it never saw a non-finite loss');
  assert.ok(!Number.isFinite(history.history['loss']!.at(-1)!), `last epoch's loss ${history.history['loss']}`);
  assert.ok(history.epoch.length < 5 || nan.terminatedAtStep! < 7, 'training went on');
});

test('csvLogger (Node): a header of epoch and the sorted log keys, one row per epoch; append adds rows only', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmnn-csv-'));
  try {
    const file = join(dir, 'log.csv');
    const m = model();
    await m.fit(x, y, { ...fitArgs, epochs: 2, callbacks: [callbacks.csvLogger(file)] });
    let lines = (await readFile(file, 'utf8')).trim().split('\n');
    assert.is(lines[0], 'epoch,accuracy,loss,lr');
    assert.equal(lines.slice(1).map((l) => l.split(',')[0]), ['0', '1']);
    assert.ok(lines.slice(1).every((l) => l.split(',').slice(1).every((v) => Number.isFinite(Number(v)))), lines.join('\n'));
    await m.fit(x, y, { ...fitArgs, epochs: 3, initialEpoch: 2, callbacks: [callbacks.csvLogger(file, { append: true, separator: ',' })] });
    lines = (await readFile(file, 'utf8')).trim().split('\n');
    assert.equal(lines.map((l) => l.split(',')[0]), ['epoch', '0', '1', '2']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
