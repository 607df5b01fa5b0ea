import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JsBackend, createJsBackend } from '../src/kernels/js/index.js';
import { Act, uniformHash } from '../src/kernels/kernels.js';
import type { ActCode, Ptr, Window2D } from '../src/kernels/kernels.js';
import { MemoryPlan } from '../src/memory-plan.js';
import { mulberry32, randomArray } from './helpers/random.js';

// ---------------------------------------------------------------- helpers

/**
 * Places each item in a fresh backend's arena: an array is copied in, a number reserves that
 * many elements filled with NaN (so a kernel that forgets to write an output is caught).
 */
function setup(...items: (ArrayLike<number> | number)[]): { be: JsBackend; ptrs: Ptr[] } {
  const be = new JsBackend();
  const plan = new MemoryPlan(be.base);
  const ptrs = items.map((it) => plan.alloc(typeof it === 'number' ? it : it.length));
  be.reserve(plan.end);
  const f = be.f32();
  items.forEach((it, k) => {
    if (typeof it === 'number') f.fill(NaN, ptrs[k], ptrs[k] + it);
    else f.set(it, ptrs[k]);
  });
  return { be, ptrs };
}

function read(be: JsBackend, ptr: Ptr, n: number): number[] {
  return Array.from(be.f32().subarray(ptr, ptr + n));
}

function readInt(be: JsBackend, ptr: Ptr, n: number): number[] {
  return Array.from(be.i32().subarray(ptr, ptr + n));
}

/** Elementwise |a − e| ≤ rel·max(|a|, |e|) + abs. */
function close(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, abs = 0, what = ''): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const tol = rel * Math.max(Math.abs(a), Math.abs(e)) + abs;
    if (!(Math.abs(a - e) <= tol)) {
      assert.unreachable(`${what}[${i}]: got ${a}, expected ${e} (tolerance ${tol})`);
    }
  }
}

/** Central finite difference of a float64 function of x, per coordinate. */
function numericGradient(fn: (x: Float64Array) => number, x0: ArrayLike<number>, h = 1e-5): Float64Array {
  const x = Float64Array.from(x0);
  const grad = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const saved = x[i];
    x[i] = saved + h;
    const plus = fn(x);
    x[i] = saved - h;
    const minus = fn(x);
    x[i] = saved;
    grad[i] = (plus - minus) / (2 * h);
  }
  return grad;
}

/** A Window2D with strides 1 and no padding unless given. */
function window(p: Partial<Window2D> & Pick<Window2D, 'n' | 'h' | 'w' | 'c' | 'kh' | 'kw' | 'oh' | 'ow'>): Window2D {
  return { sh: 1, sw: 1, padTop: 0, padLeft: 0, ...p };
}

const GRAD_REL = 1e-3;
const GRAD_ABS = 1e-6;

// ---------------------------------------------------------------- gemm

// A = [[1,2,3],[4,5,6]] (2×3), B = [[1,0,2,-1],[0,1,1,2],[3,-1,0,1]] (3×4)
// A·B = [[10,-1,4,6],[22,-1,13,12]]
const A = [1, 2, 3, 4, 5, 6];
const AT = [1, 4, 2, 5, 3, 6]; // stored 3×2
const B = [1, 0, 2, -1, 0, 1, 1, 2, 3, -1, 0, 1];
const BT = [1, 0, 3, 0, 1, -1, 2, 1, 0, -1, 2, 1]; // stored 4×3
const AB = [10, -1, 4, 6, 22, -1, 13, 12];

for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
  test(`gemm transA=${transA} transB=${transB}`, () => {
    const { be, ptrs: [a, b, c] } = setup(transA ? AT : A, transB ? BT : B, 8);
    be.gemm(transA, transB, 2, 4, 3, a, b, c, false); // c starts as NaN: must be overwritten
    assert.equal(read(be, c, 8), AB);
    be.gemm(transA, transB, 2, 4, 3, a, b, c, true);
    assert.equal(read(be, c, 8), AB.map((v) => 2 * v));
  });
}

test('gemm accumulate adds to existing C', () => {
  const { be, ptrs: [a, b, c] } = setup(A, B, [1, 2, 3, 4, 5, 6, 7, 8]);
  be.gemm(false, false, 2, 4, 3, a, b, c, true);
  assert.equal(read(be, c, 8), [11, 1, 7, 10, 27, 5, 20, 20]);
});

// ---------------------------------------------------------------- bias / activations

test('biasActivation adds bias per column then applies act', () => {
  const { be, ptrs: [x, bias] } = setup([1, -2, 3, -4], [-2, 3]);
  be.biasActivation(x, bias, 2, 2, Act.relu); // [[-1,1],[1,-1]] → relu
  assert.equal(read(be, x, 4), [0, 1, 1, 0]);

  const { be: be2, ptrs: [x2] } = setup([0, 1, -1]);
  be2.biasActivation(x2, -1, 1, 3, Act.sigmoid); // no bias
  close(read(be2, x2, 3), [0.5, 1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(1))], 1e-6, 0, 'sigmoid');
});

test('activation forward values, in place', () => {
  const xs = [-2, -0.5, 0, 0.5, 2];
  const cases: [ActCode, (v: number) => number][] = [
    [Act.linear, (v) => v],
    [Act.relu, (v) => Math.max(v, 0)],
    [Act.sigmoid, (v) => 1 / (1 + Math.exp(-v))],
    [Act.tanh, Math.tanh],
  ];
  for (const [act, fn] of cases) {
    const { be, ptrs: [x, y] } = setup(xs, 5);
    be.activation(act, x, y, 5);
    close(read(be, y, 5), xs.map(fn), 1e-6, 0, `act ${act}`);
    be.activation(act, x, x, 5);
    close(read(be, x, 5), xs.map(fn), 1e-6, 0, `act ${act} aliased`);
  }
});

test('activationBackward hand values from output y', () => {
  const { be, ptrs: [y, dy, dx] } = setup([0.5, 0, 2, 0.25], [2, 3, 4, 8], 4);
  be.activationBackward(Act.relu, y, dy, dx, 4);
  assert.equal(read(be, dx, 4), [2, 0, 4, 8]);
  be.activationBackward(Act.sigmoid, y, dy, dx, 4); // y(1−y)
  assert.equal(read(be, dx, 4), [0.5, 0, -8, 1.5]);
  be.activationBackward(Act.tanh, y, dy, dx, 4); // 1−y²
  assert.equal(read(be, dx, 4), [1.5, 3, -12, 7.5]);
  be.activationBackward(Act.linear, y, dy, dy, 4); // aliased
  assert.equal(read(be, dy, 4), [2, 3, 4, 8]);
});

const activations64: [string, ActCode, (v: number) => number][] = [
  ['linear', Act.linear, (v) => v],
  ['relu', Act.relu, (v) => Math.max(v, 0)],
  ['sigmoid', Act.sigmoid, (v) => 1 / (1 + Math.exp(-v))],
  ['tanh', Act.tanh, Math.tanh],
];

for (const [name, act, fn] of activations64) {
  test(`activationBackward matches finite differences (${name})`, () => {
    const rng = mulberry32(11 + act);
    const n = 16;
    const xs = randomArray(rng, n, -2, 2);
    for (let i = 0; i < n; i++) if (Math.abs(xs[i]) < 0.05) xs[i] = 0.5; // keep relu away from its kink
    const dys = randomArray(rng, n, -1, 1);
    const { be, ptrs: [x, y, dy, dx] } = setup(xs, n, dys, n);
    be.activation(act, x, y, n);
    be.activationBackward(act, y, dy, dx, n);
    const expected = numericGradient((v) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += dys[i] * fn(v[i]);
      return s;
    }, xs);
    close(read(be, dx, n), expected, GRAD_REL, GRAD_ABS, name);
  });
}

test('biasGrad sums rows, with and without accumulate', () => {
  const { be, ptrs: [dy, db] } = setup([1, 2, 3, 4, 5, 6], 3);
  be.biasGrad(dy, db, 2, 3, false);
  assert.equal(read(be, db, 3), [5, 7, 9]);
  be.biasGrad(dy, db, 2, 3, true);
  assert.equal(read(be, db, 3), [10, 14, 18]);
});

// ---------------------------------------------------------------- softmax

test('softmax hand values, max-subtracted, aliasing', () => {
  const { be, ptrs: [x, y] } = setup([0, Math.log(2), Math.log(3), 1000, 1000, 1000], 6);
  be.softmax(x, y, 2, 3);
  close(read(be, y, 6), [1 / 6, 2 / 6, 3 / 6, 1 / 3, 1 / 3, 1 / 3], 1e-6, 0, 'softmax');
  be.softmax(x, x, 2, 3);
  close(read(be, x, 6), [1 / 6, 2 / 6, 3 / 6, 1 / 3, 1 / 3, 1 / 3], 1e-6, 0, 'softmax aliased');
});

function softmax64(z: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, z[r * cols + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += out[r * cols + c] = Math.exp(z[r * cols + c] - max);
    for (let c = 0; c < cols; c++) out[r * cols + c] /= sum;
  }
  return out;
}

test('softmaxBackward hand value', () => {
  // y = [0.25, 0.75], dy = [1, 0]: Σ dy·y = 0.25 → dx = [0.25·0.75, 0.75·(−0.25)]
  const { be, ptrs: [y, dy] } = setup([0.25, 0.75], [1, 0]);
  be.softmaxBackward(y, dy, dy, 1, 2); // aliased
  assert.equal(read(be, dy, 2), [0.1875, -0.1875]);
});

test('softmaxBackward matches finite differences', () => {
  const rng = mulberry32(7);
  const rows = 3;
  const cols = 4;
  const zs = randomArray(rng, rows * cols, -2, 2);
  const dys = randomArray(rng, rows * cols, -1, 1);
  const { be, ptrs: [z, y, dy, dx] } = setup(zs, rows * cols, dys, rows * cols);
  be.softmax(z, y, rows, cols);
  be.softmaxBackward(y, dy, dx, rows, cols);
  const expected = numericGradient((v) => {
    const p = softmax64(v, rows, cols);
    let s = 0;
    for (let i = 0; i < p.length; i++) s += dys[i] * p[i];
    return s;
  }, zs);
  close(read(be, dx, rows * cols), expected, GRAD_REL, GRAD_ABS, 'softmaxBackward');
});

// ---------------------------------------------------------------- im2col / col2im

test('im2col with stride 2 and top/left padding', () => {
  // x = 3×3 image 1..9; 2×2 windows, stride 2, one row/column of zero padding before.
  const g = window({ n: 1, h: 3, w: 3, c: 1, kh: 2, kw: 2, sh: 2, sw: 2, padTop: 1, padLeft: 1, oh: 2, ow: 2 });
  const { be, ptrs: [x, cols] } = setup([1, 2, 3, 4, 5, 6, 7, 8, 9], 16);
  be.im2col(x, cols, g);
  assert.equal(read(be, cols, 16), [
    0, 0, 0, 1,
    0, 0, 2, 3,
    0, 4, 0, 7,
    5, 6, 8, 9,
  ]);
});

test('im2col column order (ky,kx,ch) and batch offsets', () => {
  // two 1×3 images with 2 channels; 1×2 windows, stride 1
  const g = window({ n: 2, h: 1, w: 3, c: 2, kh: 1, kw: 2, oh: 1, ow: 2 });
  const { be, ptrs: [x, cols] } = setup([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 16);
  be.im2col(x, cols, g);
  assert.equal(read(be, cols, 16), [
    1, 2, 3, 4,
    3, 4, 5, 6,
    7, 8, 9, 10,
    9, 10, 11, 12,
  ]);
});

test('col2im is the adjoint of im2col (stride 2, padding)', () => {
  const g = window({ n: 2, h: 5, w: 4, c: 3, kh: 3, kw: 2, sh: 2, sw: 2, padTop: 1, padLeft: 1, oh: 3, ow: 2 });
  const xSize = g.n * g.h * g.w * g.c;
  const colSize = g.n * g.oh * g.ow * g.kh * g.kw * g.c;
  const rng = mulberry32(42);
  const xs = randomArray(rng, xSize);
  const cs = randomArray(rng, colSize);
  const { be, ptrs: [x, cols, c, dx] } = setup(xs, colSize, cs, xSize);
  be.im2col(x, cols, g);
  be.col2im(c, dx, g); // dx starts NaN: must be zeroed first
  const unfolded = read(be, cols, colSize);
  const folded = read(be, dx, xSize);
  let lhs = 0;
  for (let i = 0; i < colSize; i++) lhs += unfolded[i] * cs[i];
  let rhs = 0;
  for (let i = 0; i < xSize; i++) rhs += xs[i] * folded[i];
  close([lhs], [rhs], 1e-5, 0, '<im2col(x),c> vs <x,col2im(c)>');
  // the padding really was hit: some unfolded entries are exactly zero
  assert.ok(unfolded.some((v) => v === 0));
});

test('col2im hand value: overlapping windows add up', () => {
  // 1×3 image, 1×2 windows stride 1: pixel 1 appears in both windows.
  const g = window({ n: 1, h: 1, w: 3, c: 1, kh: 1, kw: 2, oh: 1, ow: 2 });
  const { be, ptrs: [cols, dx] } = setup([1, 2, 10, 20], 3);
  be.col2im(cols, dx, g);
  assert.equal(read(be, dx, 3), [1, 12, 20]);
});

test('conv2d hand values: 2×2 kernel, two filters, bias, ReLU, stride 1', () => {
  // 3×3 image 1..9; filter 0 sums its window, filter 1 is (top-left − bottom-right); bias [−20, 0.5].
  const g = window({ n: 1, h: 3, w: 3, c: 1, kh: 2, kw: 2, oh: 2, ow: 2 });
  // w is [kh, kw, c, filters] = K×F rows (ky,kx): (0,0) (0,1) (1,0) (1,1)
  const w = [1, 1, 1, 0, 1, 0, 1, -1];
  const { be, ptrs: [x, wp, bias, y, cols] } = setup([1, 2, 3, 4, 5, 6, 7, 8, 9], w, [-20, 0.5], 8, 16);
  be.conv2d(x, wp, bias, y, g, 2, Act.relu, cols);
  // windows: {1,2,4,5} {2,3,5,6} {4,5,7,8} {5,6,8,9}: sums 12 16 24 28, differences −4 each
  assert.equal(read(be, y, 8), [0, 0, 0, 0, 4, 0, 8, 0]);
  be.conv2d(x, wp, -1, y, g, 2, Act.linear, cols);
  assert.equal(read(be, y, 8), [12, -4, 16, -4, 24, -4, 28, -4]);
});

// ---------------------------------------------------------------- max pool

test('maxPool: padding is −∞, ties go to the first maximum', () => {
  const g = window({ n: 1, h: 3, w: 3, c: 1, kh: 2, kw: 2, sh: 2, sw: 2, padTop: 1, padLeft: 1, oh: 2, ow: 2 });
  // windows: {x0} {x1,x2} {x3,x6} {x4,x5,x7,x8}
  const { be, ptrs: [x, y, am] } = setup([-1, -2, -3, -4, 7, 2, -4, 7, 7], 4, 4);
  be.maxPool(x, y, am, g);
  assert.equal(read(be, y, 4), [-1, -2, -4, 7]);
  assert.equal(readInt(be, am, 4), [0, 1, 3, 4]);

  // backward routes each dy to its argmax; dx starts NaN, so it must be zeroed first
  const { be: be2, ptrs: [dy, am2, dx] } = setup([10, 20, 30, 40], 4, 9);
  be2.i32().set([0, 1, 3, 4], am2);
  be2.maxPoolBackward(dy, am2, dx, g);
  assert.equal(read(be2, dx, 9), [10, 20, 0, 30, 40, 0, 0, 0, 0]);
});

test('maxPool: a real −∞ input still wins over padding', () => {
  const g = window({ n: 1, h: 1, w: 2, c: 1, kh: 1, kw: 2, padLeft: 1, oh: 1, ow: 2 });
  const { be, ptrs: [x, y, am] } = setup([-Infinity, -Infinity], 2, 2);
  be.maxPool(x, y, am, g);
  assert.equal(read(be, y, 2), [-Infinity, -Infinity]);
  assert.equal(readInt(be, am, 2), [0, 0]);
});

test('maxPool argmax includes batch and channel offsets', () => {
  const g = window({ n: 2, h: 2, w: 2, c: 2, kh: 2, kw: 2, sh: 2, sw: 2, oh: 1, ow: 1 });
  const xs = [1, 8, 3, 2, 0, 5, 3, 1, /* batch 1 */ 0, 0, 0, 0, 0, 0, 0, -1];
  const { be, ptrs: [x, y, am, dy, dx] } = setup(xs, 4, 4, [1, 2, 3, 4], 16);
  be.maxPool(x, y, am, g);
  assert.equal(read(be, y, 4), [3, 8, 0, 0]);
  assert.equal(readInt(be, am, 4), [2, 1, 8, 9]);
  be.maxPoolBackward(dy, am, dx, g);
  assert.equal(read(be, dx, 16), [0, 2, 1, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0]);
});

test('maxPoolBackward: overlapping windows accumulate on a shared winner', () => {
  const g = window({ n: 1, h: 2, w: 3, c: 1, kh: 2, kw: 2, oh: 1, ow: 2 });
  const { be, ptrs: [x, y, am, dy, dx] } = setup([1, 9, 2, 3, 4, 5], 2, 2, [1, 2], 6);
  be.maxPool(x, y, am, g);
  assert.equal(readInt(be, am, 2), [1, 1]);
  be.maxPoolBackward(dy, am, dx, g);
  assert.equal(read(be, dx, 6), [0, 3, 0, 0, 0, 0]);
});

test('maxPoolBackward matches finite differences', () => {
  const g = window({ n: 2, h: 5, w: 5, c: 2, kh: 3, kw: 3, sh: 2, sw: 2, padTop: 1, padLeft: 1, oh: 3, ow: 3 });
  const xSize = g.n * g.h * g.w * g.c;
  const ySize = g.n * g.oh * g.ow * g.c;
  const rng = mulberry32(17);
  const xs = randomArray(rng, xSize, -1, 1); // distinct values, gaps ≫ h
  const dys = randomArray(rng, ySize, -1, 1);
  const { be, ptrs: [x, y, am, dy, dx] } = setup(xs, ySize, ySize, dys, xSize);
  be.maxPool(x, y, am, g);
  be.maxPoolBackward(dy, am, dx, g);
  const pooled64 = (v: ArrayLike<number>): number => {
    let s = 0;
    let o = 0;
    for (let b = 0; b < g.n; b++)
      for (let oy = 0; oy < g.oh; oy++)
        for (let ox = 0; ox < g.ow; ox++)
          for (let ch = 0; ch < g.c; ch++) {
            let m = -Infinity;
            for (let ky = 0; ky < g.kh; ky++)
              for (let kx = 0; kx < g.kw; kx++) {
                const iy = oy * g.sh + ky - g.padTop;
                const ix = ox * g.sw + kx - g.padLeft;
                if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) m = Math.max(m, v[((b * g.h + iy) * g.w + ix) * g.c + ch]);
              }
            s += dys[o++] * m;
          }
    return s;
  };
  close(read(be, dx, xSize), numericGradient(pooled64, xs, 1e-6), GRAD_REL, GRAD_ABS, 'maxPool dx');
});

// ---------------------------------------------------------------- elementwise

test('dropout rate 0 keeps everything, in place', () => {
  const n = 100;
  const xs = randomArray(mulberry32(1), n);
  const { be, ptrs: [x, mask] } = setup(xs, n);
  be.dropout(x, x, mask, n, 0, 123);
  assert.equal(read(be, mask, n), new Array(n).fill(1));
  assert.equal(read(be, x, n), Array.from(xs));
});

test('dropout rate 0.3: mask from uniformHash, scale 1/(1−rate), ≈70% kept', () => {
  const n = 10000;
  const rate = 0.3;
  const seed = 987654321;
  const xs = randomArray(mulberry32(2), n, 0.5, 1.5);
  const { be, ptrs: [x, y, mask] } = setup(xs, n, n);
  be.dropout(x, y, mask, n, rate, seed);
  const m = read(be, mask, n);
  const ys = read(be, y, n);
  const scale = Math.fround(1 / (1 - rate));
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const keep = uniformHash(seed, i) >= rate;
    assert.is(m[i], keep ? scale : 0, `mask[${i}]`);
    assert.is(ys[i], Math.fround(xs[i] * m[i]), `y[${i}]`);
    if (keep) kept++;
  }
  // σ of the kept fraction is √(0.21/10000) ≈ 0.0046; allow ~4σ
  assert.ok(Math.abs(kept / n - (1 - rate)) < 0.02, `kept fraction ${kept / n}`);

  // a different seed draws a different mask
  be.dropout(x, y, mask, n, rate, seed + 1);
  const m2 = read(be, mask, n);
  assert.ok(m2.some((v, i) => v !== m[i]));
});

test('multiply (aliased) and fill', () => {
  const { be, ptrs: [a, b] } = setup([1, 2, 3], [4, 5, -6]);
  be.multiply(a, b, a, 3);
  assert.equal(read(be, a, 3), [4, 10, -18]);
  be.fill(b, 2, 7);
  assert.equal(read(be, b, 3), [7, 7, -6]);
});

// ---------------------------------------------------------------- optimizers

test('sgdUpdate: momentum, nesterov, weight decay, momentum 0', () => {
  // p=1, g=0.5, v=0.2, lr=0.1, momentum=0.9:
  // v = 0.9·0.2 − 0.1·0.5 = 0.13; plain p = 1.13; nesterov p = 1 + 0.9·0.13 − 0.05 = 1.067
  {
    const { be, ptrs: [p, g, v] } = setup([1], [0.5], [0.2]);
    be.sgdUpdate(p, g, v, 1, 0.1, 0.9, false, 0);
    close(read(be, v, 1), [0.13], 1e-6, 0, 'v');
    close(read(be, p, 1), [1.13], 1e-6, 0, 'p');
  }
  {
    const { be, ptrs: [p, g, v] } = setup([1], [0.5], [0.2]);
    be.sgdUpdate(p, g, v, 1, 0.1, 0.9, true, 0);
    close(read(be, v, 1), [0.13], 1e-6, 0, 'v nesterov');
    close(read(be, p, 1), [1.067], 1e-6, 0, 'p nesterov');
  }
  // weight decay 0.01: g' = 0.5 + 0.01·1 = 0.51; v = 0.18 − 0.051 = 0.129; p = 1.129
  {
    const { be, ptrs: [p, g, v] } = setup([1], [0.5], [0.2]);
    be.sgdUpdate(p, g, v, 1, 0.1, 0.9, false, 0.01);
    close(read(be, v, 1), [0.129], 1e-6, 0, 'v wd');
    close(read(be, p, 1), [1.129], 1e-6, 0, 'p wd');
  }
  // momentum 0: p = 1 − 0.1·0.5 = 0.95; v untouched
  {
    const { be, ptrs: [p, g, v] } = setup([1, 2], [0.5, -1], [0.2, 0.3]);
    be.sgdUpdate(p, g, v, 2, 0.1, 0, false, 0);
    close(read(be, p, 2), [0.95, 2.1], 1e-6, 0, 'p no momentum');
    assert.equal(read(be, v, 2), [Math.fround(0.2), Math.fround(0.3)]);
  }
});

test('adamUpdate: two steps by hand, and decoupled weight decay', () => {
  const lr = 0.01;
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-7;
  const alpha = (t: number) => (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
  const { be, ptrs: [p, g, m, v] } = setup([1], [0.5], [0], [0]);
  // step 1, g=0.5: m = 0.05, v = 0.001·0.25 = 0.00025, alpha = 0.01·√0.001/0.1 = 0.0031622777
  // p = 1 − 0.0031622777·0.05/(0.0158113883 + 1e-7) = 0.99000006 (≈ 1 − lr, eps nudges it up)
  be.adamUpdate(p, g, m, v, 1, lr, alpha(1), b1, b2, eps, 0);
  close(read(be, m, 1), [0.05], 1e-6, 0, 'm1');
  close(read(be, v, 1), [0.00025], 1e-6, 0, 'v1');
  close(read(be, p, 1), [0.99000006], 1e-6, 0, 'p1');
  // step 2, g=−0.25: m = 0.045 − 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225,
  // alpha = 0.01·√0.001999/0.19 = 0.0023531673; p = 0.99000006 − 0.0023531673·0.02/(0.0176705970 + 1e-7)
  //   = 0.98733671
  be.f32()[g] = -0.25;
  be.adamUpdate(p, g, m, v, 1, lr, alpha(2), b1, b2, eps, 0);
  close(read(be, m, 1), [0.02], 1e-6, 0, 'm2');
  close(read(be, v, 1), [0.00031225], 1e-6, 0, 'v2');
  close(read(be, p, 1), [0.98733671], 1e-6, 0, 'p2');

  // AdamW, weightDecay 0.1: p = 2 − 0.01·0.1·2 = 1.998 first; then step 1 with g=0.5 as above:
  // p = 1.998 − 0.0099999368 = 1.98800006
  const { be: be2, ptrs: [p2, g2, m2, v2] } = setup([2], [0.5], [0], [0]);
  be2.adamUpdate(p2, g2, m2, v2, 1, lr, alpha(1), b1, b2, eps, 0.1);
  close(read(be2, p2, 1), [1.98800006], 1e-6, 0, 'p adamw');
});

// ---------------------------------------------------------------- backend arena

test('JsBackend identity and reserve growth keeps contents with fresh views', () => {
  const be = createJsBackend();
  assert.is(be.name, 'js');
  assert.is(be.threads, 1);
  assert.is(be.base, 0);
  be.reserve(8);
  const f0 = be.f32();
  const i0 = be.i32();
  assert.ok(f0.length >= 8);
  assert.is(be.f32(), f0, 'views are cached');
  assert.is(f0.buffer, i0.buffer, 'f32 and i32 share bytes');
  f0.set([1, 2, 3, 4, 5, 6, 7, 8]);
  i0[0] = 0x3f800000; // bit pattern of 1.0f
  assert.is(f0[0], 1);

  be.reserve(f0.length); // already big enough: no growth
  assert.is(be.f32(), f0);

  const end = f0.length + 1;
  be.reserve(end);
  const f1 = be.f32();
  assert.is.not(f1, f0, 'new view after growth');
  assert.is.not(be.i32(), i0);
  assert.is(be.i32().buffer, f1.buffer);
  assert.ok(f1.length >= end);
  assert.ok(f1.length >= Math.floor(f0.length * 1.5), 'geometric growth');
  assert.equal(Array.from(f1.subarray(0, 8)), [1, 2, 3, 4, 5, 6, 7, 8]);

  // a big jump goes straight to the requested size
  be.reserve(f1.length * 10);
  assert.ok(be.f32().length >= f1.length * 10);
  assert.equal(Array.from(be.f32().subarray(0, 8)), [1, 2, 3, 4, 5, 6, 7, 8]);
  be.dispose();
});

test.run();
