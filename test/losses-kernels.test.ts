// The `loss` kernel: hand values, float64 finite-difference gradients of every kind (the fused
// ones with respect to the logits), and the WASM builds against the plain-TS reference.
import { setFlagsFromString } from 'node:v8';
import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import { JsBackend, createJsBackend } from '../src/kernels/js/index.js';
import { LossKind, type LossKindCode, type Ptr } from '../src/kernels/kernels.js';
import { createWasmBackend, supportedVariants } from '../src/kernels/wasm/index.js';
import { MemoryPlan } from '../src/memory-plan.js';
import { BackendPair } from './helpers/backend-pair.js';
import { activate, LOSS_CASES } from './helpers/loss-cases.js';
import { mulberry32, randomArray } from './helpers/random.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

/** Runs the kernel on a fresh backend over p, t and optional row weights; returns the loss and the gradient. */
function run(be: JsBackend, kind: LossKindCode, p: ArrayLike<number>, t: ArrayLike<number>, rows: number, cols: number, param: number, w?: ArrayLike<number>) {
  const plan = new MemoryPlan(be.base);
  const [pp, tp, gp, wp] = [plan.alloc(p.length), plan.alloc(t.length), plan.alloc(p.length), w ? plan.alloc(w.length) : -1] as Ptr[];
  be.reserve(plan.end);
  const f = be.f32();
  f.set(p, pp);
  f.set(t, tp);
  if (w) f.set(w, wp!);
  const loss = be.loss(kind, pp!, tp!, gp!, wp!, rows, cols, param);
  return { loss, grad: Array.from(be.f32().subarray(gp!, gp! + p.length)) };
}

const near = (a: number, e: number, tol = 1e-6) => assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `got ${a}, expected ${e}`);

test('hand values: each loss on one or two rows, row weights, clipping', () => {
  const be = new JsBackend({ float64: true });
  near(run(be, LossKind.meanSquaredError, [1, 3], [0, 0], 1, 2, 0).loss, 5);
  near(run(be, LossKind.meanAbsoluteError, [1, -3], [0, 0], 1, 2, 0).loss, 2);
  // |d| = 2 > δ = 1: ½·1² + 1·(2 − 1); |d| = 0.5: ½·0.25
  near(run(be, LossKind.huber, [2, 0.5], [0, 0], 1, 2, 1).loss, (1.5 + 0.125) / 2);
  near(run(be, LossKind.meanSquaredLogarithmicError, [Math.E - 1], [0], 1, 1, 0).loss, (1 - Math.log1p(1e-7)) ** 2);
  // 0/1 labels become −1/+1: max(1 − (−1)(0.5), 0) = 1.5 and max(1 − 1·2, 0) = 0.
  near(run(be, LossKind.hinge, [0.5, 2], [0, 1], 1, 2, 0).loss, 0.75);
  // A batch with a label outside {0, 1} is taken as it is: max(1 − (−1)(0.5), 0), max(1 − 0·2, 0).
  near(run(be, LossKind.hinge, [0.5, 2], [-1, 0], 1, 2, 0).loss, (1.5 + 1) / 2);
  near(run(be, LossKind.binaryCrossentropy, [0.8, 0.4], [1, 0], 1, 2, 0).loss, -(Math.log(0.8) + Math.log(0.6)) / 2);
  near(run(be, LossKind.binaryCrossentropy, [1], [0], 1, 1, 0).loss, -Math.log(1e-7), 1e-5);
  near(run(be, LossKind.binaryCrossentropyLogits, [50, -50], [0, 1], 1, 2, 0).loss, 50, 1e-9);
  near(run(be, LossKind.binaryCrossentropyLogits, [0], [1], 1, 1, 0.2).loss, Math.log(2));
  // Probabilities are normalized per row: [1, 3] is [0.25, 0.75].
  near(run(be, LossKind.categoricalCrossentropy, [1, 3], [0, 1], 1, 2, 0).loss, -Math.log(0.75));
  near(run(be, LossKind.categoricalCrossentropy, [0.25, 0.75], [0, 1], 1, 2, 0.5).loss, -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)));
  near(run(be, LossKind.categoricalCrossentropyLogits, [0, Math.log(3)], [0, 1], 1, 2, 0).loss, -Math.log(0.75));
  near(run(be, LossKind.categoricalCrossentropyLogits, [1000, 0], [0, 1], 1, 2, 0).loss, 1000, 1e-9);
  near(run(be, LossKind.kld, [0.5, 0.5], [0.25, 0.75], 1, 2, 0).loss, 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5));
  // Σ_r w_r·ℓ_r / rows with ℓ = [1, 4]
  const weighted = run(be, LossKind.meanSquaredError, [1, 2], [0, 0], 2, 1, 0, [3, 0.5]);
  near(weighted.loss, (3 * 1 + 0.5 * 4) / 2);
  assert.equal(weighted.grad, [(3 * 2) / 2, (0.5 * 4) / 2]);
  // A value clipped by a cross-entropy gets no gradient from it.
  assert.equal(run(be, LossKind.binaryCrossentropy, [0, 1], [1, 0], 1, 2, 0).grad, [0, 0]);
});

test('every loss kind: gradient matches central differences in float64 (fused kinds wrt the logits), with and without row weights', () => {
  const rng = mulberry32(21);
  const rows = 3;
  const cols = 4;
  for (const c of LOSS_CASES) {
    for (const weighted of [false, true]) {
      const { x, t } = c.data(rng, rows, cols);
      const w = weighted ? randomArray(rng, rows, 0, 2) : undefined;
      const be = new JsBackend({ float64: true });
      const value = (xs: ArrayLike<number>) => run(be, c.kind, activate(c.domain, xs, rows, cols), t, rows, cols, c.param, w);
      const analytic = value(x).grad;
      const xs = Float64Array.from(x);
      const eps = 1e-6;
      for (let i = 0; i < xs.length; i++) {
        const keep = xs[i]!;
        xs[i] = keep + eps;
        const up = value(xs).loss;
        xs[i] = keep - eps;
        const down = value(xs).loss;
        xs[i] = keep;
        const numeric = (up - down) / (2 * eps);
        const err = Math.abs(analytic[i]! - numeric) / Math.max(1, Math.abs(numeric));
        assert.ok(err < 1e-6, `${c.name}${weighted ? ' weighted' : ''}: d/dx[${i}] analytic ${analytic[i]} vs numeric ${numeric}`);
      }
    }
  }
});

test.run();

for (const variant of supportedVariants()) {
  const s = suite(`loss kernel (${variant}) vs reference`);
  let pair: BackendPair | undefined;
  s.before(async () => {
    pair = new BackendPair(createJsBackend(), await createWasmBackend({ variant }));
  });
  s('every kind, shapes, row weights, values at the clipping edges', () => {
    const p = pair!;
    const rng = mulberry32(22);
    for (const c of LOSS_CASES) {
      for (const [rows, cols] of [[1, 1], [4, 10], [32, 10], [3, 7]] as [number, number][]) {
        for (const weighted of [false, true]) {
          const n = rows * cols;
          const { x, t } = c.data(rng, rows, cols);
          const input = Float32Array.from(activate(c.domain, x, rows, cols));
          if (n > 3) {
            input[1] = 0;
            input[2] = 1;
            input[3] = 1e-9;
          }
          p.reset();
          const pp = p.alloc(n, input, 1);
          const tp = p.alloc(n, t, 2);
          const gp = p.alloc(n);
          const wp = weighted ? p.alloc(rows, randomArray(rng, rows, 0, 2), 3) : -1;
          const loss = p.run((be) => be.loss(c.kind, pp, tp, gp, wp, rows, cols, c.param));
          const what = `${c.name} ${rows}×${cols}${weighted ? ' weighted' : ''}`;
          assert.ok(Math.abs(loss.test - loss.ref) <= 1e-9 * Math.max(1, Math.abs(loss.ref)), `${what}: loss ${loss.test} vs ${loss.ref}`);
          p.close(gp, n, `${what} gradient`, 1e-6);
        }
      }
    }
  });
  s.run();
}
