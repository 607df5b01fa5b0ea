/**
 * The teach mode's fine-tuning (src/recognizer/personalize.ts) on a scripted person whose boxy
 * handwriting the shipped model misreads: 5 samples per digit to learn from, 10 more per digit
 * (drawn with another seed) to judge by. The personal model must read the person's held-out digits
 * (≥ 90%) and still MNIST's test set as `wasmnn eval` measures it (≥ 98%), and keep rejecting
 * non-digits of families it never saw (at most 5 points fewer).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadMnist, oneHot, type Sequential } from '../src/index.node.js';
import { defaultModelDir, loadPretrained } from '../src/pretrained.js';
import { nonDigitRejection } from '../src/recognizer/open-set-eval.js';
import { personalize, score, type LabelledInputs, type PersonalizeResult } from '../src/recognizer/personalize.js';
import { modelClassifier } from '../src/recognizer/prediction.js';
import { REPLAY_FILES, replaySetFromIdx } from '../src/recognizer/replay-set.js';
import { encodeIdx } from '../src/data/idx-encode.js';
import { posedCopies, posedCopiesWork } from '../src/recognizer/posed-copies.js';
import { Random } from '../src/random.js';
import { HELD_OUT_FAMILIES } from '../src/synthetic/nondigits.js';
import { personSamples } from './helpers/person.js';
import { rejectsWith } from './helpers/rejects.js';

let base: Sequential;
let replay: LabelledInputs;
let train: LabelledInputs;
let heldOut: LabelledInputs;
let result: PersonalizeResult;

test.before(async () => {
  base = await loadPretrained();
  const dir = defaultModelDir();
  replay = await replaySetFromIdx(await readFile(join(dir, REPLAY_FILES.images)), await readFile(join(dir, REPLAY_FILES.labels)));
  train = personSamples(11, 5);
  heldOut = personSamples(12, 10);
});

test.after(() => {
  base.dispose();
  result?.model.dispose();
});

test('the shipped model misreads a good share of the person\'s style (the premise of the other tests)', async () => {
  const s = await score(base, heldOut);
  console.log(`  shipped model on the person's held-out digits: ${s.correct}/${s.total}`);
  assert.ok(s.accuracy <= 0.75, `${s.correct}/${s.total}: the style is not unusual enough to test teaching`);
});

test('fine-tuned on 5 samples per digit: held-out accuracy >= 90% (from <= 75%), MNIST test >= 98% as wasmnn eval counts it', async () => {
  const weightsBefore = base.getWeights().map((w) => Float32Array.from(w.data));
  const t0 = performance.now();
  result = await personalize(base, train, heldOut, { replay });
  const seconds = (performance.now() - t0) / 1000;
  console.log(`  held-out ${result.before.correct}/${result.before.total} -> ${result.after.correct}/${result.after.total} (${result.samplesPerEpoch} samples x ${result.epochs} epochs, ${seconds.toFixed(1)} s)`);
  assert.ok(result.before.accuracy <= 0.75, `before: ${result.before.accuracy}`);
  assert.ok(result.after.accuracy >= 0.9, `after: ${result.after.accuracy}`);

  // wasmnn eval's measure: the whole MNIST test set, "not a digit" counted wrong.
  const { test: mnist } = await loadMnist({ only: 'test' });
  result.model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const evaluate = async (m: Sequential): Promise<number> => (await m.evaluate(mnist.x, oneHot(mnist.labels, 11), { batchSize: 256 })).accuracy!;
  const [accuracy, shipped] = [await evaluate(result.model), await evaluate(base)];
  console.log(`  personal model on MNIST's ${mnist.labels.length} test images: ${(100 * accuracy).toFixed(2)}% (the shipped model: ${(100 * shipped).toFixed(2)}%)`);
  assert.ok(accuracy >= 0.98, `MNIST test accuracy ${accuracy}`);

  // The base model is left as it was; the copy's frozen convolutions are the base's, its head is not.
  base.getWeights().forEach((w, i) => assert.ok(w.data.every((v, k) => v === weightsBefore[i]![k]), `base ${w.name} changed`));
  const personal = new Map(result.model.getWeights().map((w) => [w.name, w.data]));
  for (const w of base.getWeights()) {
    const same = personal.get(w.name)!.every((v, k) => v === w.data[k]);
    assert.is(same, w.name.startsWith('conv2d'), `${w.name}: ${same ? 'unchanged' : 'changed'}`);
  }
  assert.ok(result.model.layers.every((l) => l.trainable), 'the personal model is saved with every layer trainable');
});

test('the personal model still rejects non-digits of families it never saw (the replay set\'s non-digits)', async () => {
  const rate = async (m: Sequential): Promise<number> => {
    const rows = await nonDigitRejection(modelClassifier(m), 101, HELD_OUT_FAMILIES, 20);
    return rows.reduce((s, r) => s + r.rejected, 0) / rows.reduce((s, r) => s + r.samples, 0);
  };
  const [before, after] = [await rate(base), await rate(result.model)];
  console.log(`  held-out non-digit families rejected: shipped ${(100 * before).toFixed(1)}%, personal ${(100 * after).toFixed(1)}%`);
  assert.ok(after >= before - 0.05, `rejection fell from ${before} to ${after}`);
});

test('posedCopies: no pose copies exactly; a quarter turn and a 2x zoom land where the geometry says', () => {
  const n = 2;
  const inputs = new Float32Array(n * 784);
  inputs[3 * 28 + 20] = 1; // image 0: one pixel at row 3, column 20
  inputs[784 + 14 * 28 + 14] = 0.5;
  const out = new Float32Array(3 * n * 784);
  const work = new Float32Array(posedCopiesWork(n));
  posedCopies(inputs, n, 3, { maxTurn: 0, maxZoom: 0 }, new Random(1), out, work);
  for (let k = 0; k < 3; k++) assert.equal(Array.from(out.subarray(k * n * 784, (k + 1) * n * 784)), Array.from(inputs));

  // A generator at the top of its range draws the largest turn and zoom: 2u − 1 = 1.
  const top = { next: () => 1 } as unknown as Random;
  // A quarter turn about the centre c = 13.5 maps pixel centres onto pixel centres: output (ox, oy)
  // reads input (c − (oy − c), c + (ox − c)), so input (x 20, y 3) lands at output (x 3, y 7).
  posedCopies(inputs, n, 1, { maxTurn: Math.PI / 2, maxZoom: 0 }, top, out, work);
  assert.ok(Math.abs(out[7 * 28 + 3]! - 1) < 1e-6, `output (3, 7) is ${out[7 * 28 + 3]}`);
  assert.ok(Math.abs(out.subarray(0, 784).reduce((a, v) => a + v, 0) - 1) < 1e-6, 'one pixel in, one pixel out');
  // Zoom 2 about the centre: a 10x10 block becomes about 20x20 (bilinear: area, so ink, x4).
  const block = new Float32Array(n * 784);
  for (let yy = 9; yy < 19; yy++) for (let xx = 9; xx < 19; xx++) block[yy * 28 + xx] = 1;
  posedCopies(block, n, 1, { maxTurn: 0, maxZoom: 1 }, top, out, work);
  const ink = out.subarray(0, 784).reduce((a, v) => a + v, 0);
  assert.ok(Math.abs(ink - 400) < 20, `ink ${ink}`);
});

test('blend: 0 gives back the base weights, 1 the fine-tuned head, one half their midpoint', async () => {
  const quick = { epochs: 1, copies: 2, seed: 3 };
  const [zero, one, half] = await Promise.all([0, 1, 0.5].map((blend) => personalize(base, train, heldOut, { ...quick, blend })));
  try {
    const weights = (r: PersonalizeResult) => r.model.getWeights();
    base.getWeights().forEach((b, i) => {
      assert.equal(Array.from(weights(zero)[i]!.data), Array.from(b.data), `blend 0: ${b.name}`);
      const [t, h] = [weights(one)[i]!.data, weights(half)[i]!.data];
      let worst = 0;
      for (let k = 0; k < b.data.length; k++) worst = Math.max(worst, Math.abs(h[k]! - (t[k]! + b.data[k]!) / 2));
      assert.ok(worst < 1e-6, `blend 0.5: ${b.name} is off the midpoint by ${worst}`);
    });
    assert.ok(weights(one).some((w, i) => w.data.some((v, k) => v !== base.getWeights()[i]!.data[k])), 'blend 1 trained something');
  } finally {
    for (const r of [zero, one, half]) r.model.dispose();
  }
});

test('bad input is a named error', async () => {
  const one = { inputs: new Float32Array(784), labels: [3] };
  await rejectsWith(personalize(base, { inputs: new Float32Array(700), labels: [1] }, one), 'personalize: train', '784 values', 'got 700');
  await rejectsWith(personalize(base, one, { inputs: new Float32Array(784), labels: [11] }), 'personalize: heldOut', 'label 0 is 11', 'classes 0..10');
  await rejectsWith(personalize(base, one, one, { epochs: 0 }), 'epochs must be a positive integer');
  await rejectsWith(personalize(base, one, one, { blend: 1.5 }), 'blend must be between 0 and 1', 'got 1.5');
  await rejectsWith(personalize(base, one, one, { blend: NaN }), 'blend must be between 0 and 1');
  const aborted = AbortSignal.abort();
  await rejectsWith(personalize(base, one, one, { signal: aborted }), 'abort');
  await rejectsWith(replaySetFromIdx(encodeIdx(0x08, [2, 27, 28], new Uint8Array(2 * 27 * 28)), encodeIdx(0x08, [2], [1, 2])), REPLAY_FILES.images, 'shape [n, 28, 28]', '[2, 27, 28]');
  await rejectsWith(replaySetFromIdx(encodeIdx(0x08, [2, 28, 28], new Uint8Array(2 * 784)), encodeIdx(0x08, [3], [1, 2, 3])), REPLAY_FILES.labels, '2 uint8 labels');
});

test.run();
