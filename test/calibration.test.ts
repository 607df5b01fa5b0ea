/** Temperature scaling: the fit finds the temperature that generated the labels, and lowers the calibration error. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyTemperature, calibrationError, expectedCalibrationError, fitTemperature, negativeLogLikelihood } from '../src/recognizer/calibration.js';
import { Rng } from '../src/synthetic/rng.js';

const K = 11;

/** Rows of softmax(z) and labels drawn from softmax(z / trueT): a model that is over- (T > 1) or under-confident. */
function synthetic(n: number, trueT: number, seed: number): { probs: Float32Array; labels: Uint8Array } {
  const rng = new Rng(seed);
  const probs = new Float32Array(n * K);
  const labels = new Uint8Array(n);
  const z = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < K; c++) z[c] = 2.5 * rng.gauss();
    z[rng.int(0, K - 1)]! += 6;
    const p = applyTemperature(softmax(z), K, 1);
    probs.set(p, i * K);
    const q = applyTemperature(p, K, trueT);
    let u = rng.next();
    let c = 0;
    while (c < K - 1 && (u -= q[c]!) > 0) c++;
    labels[i] = c;
  }
  return { probs, labels };
}

function softmax(z: Float64Array): Float64Array {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

test('applyTemperature: T = 1 changes nothing, rows stay distributions, order is kept', () => {
  const p = Float32Array.from([0.7, 0.2, 0.1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const same = applyTemperature(p, K, 1);
  p.forEach((v, i) => assert.ok(Math.abs(same[i]! - v) < 1e-6 || (v === 0 && same[i]! < 1e-40)));
  const hot = applyTemperature(p, K, 2);
  assert.ok(Math.abs(hot.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(hot[0]! < 0.7 && hot[0]! > hot[1]! && hot[1]! > hot[2]!);
});

for (const trueT of [0.7, 1.6]) {
  test(`fitTemperature recovers T = ${trueT} from labels it generated, and the NLL and ECE drop`, () => {
    const { probs, labels } = synthetic(6000, trueT, 11);
    const t = fitTemperature(probs, labels, K);
    assert.ok(Math.abs(t - trueT) < 0.1 * trueT, `fitted ${t}, true ${trueT}`);
    const scaled = applyTemperature(probs, K, t);
    assert.ok(negativeLogLikelihood(scaled, labels, K) < negativeLogLikelihood(probs, labels, K));
    const before = expectedCalibrationError(probs, labels, K);
    const after = expectedCalibrationError(scaled, labels, K);
    assert.ok(after < before && after < 0.03, `ECE ${before} → ${after}`);
  });
}

test('calibrationError: exact for a hand-made case; rows rejected before the classifier (confidence 0) are left out', () => {
  // Bin [0.8, 0.867): confidences 0.8, 0.8 with one right: |1 − 1.6| = 0.6; bin of 0.95: |1 − 0.95| = 0.05.
  assert.ok(Math.abs(calibrationError([0.8, 0.8, 0.95, 0], [1, 0, 1, 0]) - 0.65 / 3) < 1e-12);
});

test('fitTemperature refuses mismatched inputs', () => {
  assert.throws(() => fitTemperature(new Float32Array(10), new Uint8Array(2), K), /10 probabilities for 2 labels of 11 classes/);
});

test.run();
