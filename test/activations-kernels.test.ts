// The activation kernels: every WASM build against the plain-TS reference on random inputs,
// and the reference's derivatives (from the output and from the input) against central finite
// differences of its own forward pass, in float64.
import { setFlagsFromString } from 'node:v8';
import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import { createJsBackend, JsBackend } from '../src/kernels/js/index.js';
import { erf } from '../src/kernels/js/activations.js';
import { Act, type ActCode, type Window2D } from '../src/kernels/kernels.js';
import { createWasmBackend, supportedVariants } from '../src/kernels/wasm/index.js';
import { BackendPair } from './helpers/backend-pair.js';
import { mulberry32, randomArray } from './helpers/random.js';

// Node 20 validates the relaxed-SIMD build only behind this flag (as kernels-wasm.test.ts).
setFlagsFromString('--experimental-wasm-relaxed-simd');

const ALL = Object.entries(Act) as [string, ActCode][];
/** The codes whose derivative follows from the output (activationBackward). */
const FROM_OUTPUT = ALL.filter(([, code]) => code < Act.gelu);

/** Random values in [-8, 8) plus the points where activations bend or saturate. */
function inputs(rng: () => number, n: number): Float32Array {
  const xs = randomArray(rng, n, -8, 8);
  [0, -2.5, 2.5, 6, -0, 1e-3, -1e-3, 20, -20].forEach((v, i) => {
    if (i < n) xs[i] = v;
  });
  return xs;
}

test('erf (the reference GELU reads it) matches known values to double precision', () => {
  // erf(0.5), erf(1), erf(2), erf(3) from tables (Abramowitz & Stegun 7.1).
  const known: [number, number][] = [[0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527], [3, 0.9999779095030014]];
  for (const [x, v] of known) {
    assert.ok(Math.abs(erf(x) - v) < 1e-15, `erf(${x}) = ${erf(x)}, expected ${v}`);
    assert.ok(Math.abs(erf(-x) + v) < 1e-15, `erf(${-x})`);
  }
  assert.is(erf(0), 0);
  assert.is(erf(7), 1);
  assert.is(erf(-Infinity), -1);
});

test('reference derivatives equal finite differences of the reference forward (float64, away from kinks)', () => {
  const b = new JsBackend({ float64: true });
  const n = 400;
  b.reserve(6 * n);
  const f = b.f32();
  const [x, up, down, y, dy, dx] = [0, n, 2 * n, 3 * n, 4 * n, 5 * n];
  const rng = mulberry32(3);
  const kinks = [0, -2.5, 2.5, 6];
  for (let i = 0; i < n; i++) {
    let v = -10 + 20 * rng();
    while (kinks.some((k) => Math.abs(v - k) < 1e-3)) v += 0.01;
    f[x + i] = v;
  }
  const eps = 1e-6;
  for (const [name, act] of ALL) {
    for (let i = 0; i < n; i++) {
      f[up + i] = f[x + i]! + eps;
      f[down + i] = f[x + i]! - eps;
    }
    b.activation(act, up, up, n);
    b.activation(act, down, down, n);
    b.activation(act, x, y, n);
    f.fill(1, dy, dy + n);
    const check = (what: string): void => {
      for (let i = 0; i < n; i++) {
        const numeric = (f[up + i]! - f[down + i]!) / (2 * eps);
        const err = Math.abs(f[dx + i]! - numeric) / Math.max(1, Math.abs(numeric));
        assert.ok(err < 1e-6, `${name} ${what} at x=${f[x + i]}: analytic ${f[dx + i]} vs numeric ${numeric}`);
      }
    };
    b.activationBackwardFromInput(act, x, dy, dx, n);
    check('from input');
    if (act < Act.gelu) {
      b.activationBackward(act, y, dy, dx, n);
      check('from output');
    }
  }
  for (const alpha of [0.3, 0, -0.5, 2]) {
    for (let i = 0; i < n; i++) f[dy + i] = 1;
    // LeakyReLU: kerasRelu with no ceiling and threshold 0.
    b.kerasRelu(x, y, n, Infinity, alpha, 0);
    b.kerasReluBackward(x, dy, dx, n, Infinity, alpha, 0);
    for (let i = 0; i < n; i++) {
      const v = f[x + i]!;
      assert.is(f[y + i], v > 0 ? v : Math.fround(alpha) * v);
      assert.is(f[dx + i], v > 0 ? 1 : Math.fround(alpha));
    }
  }
});

test("kerasRelu reproduces Keras' documented examples; kerasReluBackward is its derivative", () => {
  const b = new JsBackend({ float64: true });
  b.reserve(40);
  const f = b.f32();
  // keras.activations.relu / keras.layers.ReLU docstring examples: [x], options, expected.
  const cases: [number[], [number, number, number], number[]][] = [
    [[-10, -5, 0, 5, 10], [Infinity, 0, 0], [0, 0, 0, 5, 10]],
    [[-10, -5, 0, 5, 10], [Infinity, 0.5, 0], [-5, -2.5, 0, 5, 10]],
    [[-10, -5, 0, 5, 10], [5, 0, 0], [0, 0, 0, 5, 5]],
    [[-10, -5, 0, 5, 10], [Infinity, 0, 5], [0, 0, 0, 0, 10]],
    [[-10, -5, 0, 5, 10], [10, 0.5, 0], [-5, -2.5, 0, 5, 10]],
    [[-3, -1, 1, 2], [Infinity, 0, 1.5], [0, 0, 0, 2]],
    [[-3, -1, 0, 2], [1, 0, 0], [0, 0, 0, 1]],
  ];
  for (const [xs, [max, slope, threshold], expected] of cases) {
    f.set(xs, 0);
    b.kerasRelu(0, 10, xs.length, max, slope, threshold);
    assert.equal(Array.from(f.subarray(10, 10 + xs.length), (v) => v + 0), expected, `max ${max} slope ${slope} threshold ${threshold}`);
  }
  // The derivative, away from the kinks: 1 between threshold and max, 0 above max, slope below threshold.
  f.set([-2, 0.5, 1.2, 3, 7], 0);
  f.fill(2, 20, 25);
  b.kerasReluBackward(0, 20, 30, 5, 6, 0.25, 1);
  assert.equal(Array.from(f.subarray(30, 35)), [0.5, 0.5, 2, 2, 0]);
});

test('the reference refuses a derivative from the output where the output does not determine it', () => {
  const b = createJsBackend();
  b.reserve(16);
  assert.throws(() => b.activationBackward(Act.gelu, 0, 4, 8, 4), /activationBackward: code 11 needs the input \(activationBackwardFromInput\)/);
});

/**
 * Elementwise: |wasm − ref| ≤ 1e-6 + 1e-5·|ref| at every value (a norm over the whole array would
 * let exponential's largest outputs hide errors in its small ones).
 */
function closeEach(p: BackendPair, ptr: number, n: number, what: string): void {
  const a = p.test.f32().subarray(ptr, ptr + n);
  const e = p.ref.f32().subarray(ptr, ptr + n);
  for (let i = 0; i < n; i++) {
    if (!(Math.abs(a[i]! - e[i]!) <= 1e-6 + 1e-5 * Math.abs(e[i]!))) assert.unreachable(`${what}[${i}]: got ${a[i]}, expected ${e[i]}`);
  }
}

for (const variant of supportedVariants()) {
  const s = suite(`activation kernels (${variant}) vs reference`);
  let p: BackendPair;
  s.before(async () => {
    p = new BackendPair(createJsBackend(), await createWasmBackend({ variant }));
  });

  s('activation, activationBackward and activationBackwardFromInput, in place and not, ragged lengths', () => {
    const rng = mulberry32(21);
    for (const [name, act] of ALL) {
      for (const n of [1, 3, 4, 9, 37, 1000]) {
        for (const alias of [false, true]) {
          p.reset();
          const x = p.alloc(n, inputs(rng, n), 1);
          const keep = p.alloc(n, undefined, 2);
          p.run((be) => be.activation(Act.linear, x, keep, n)); // a copy of x: the in-place run overwrites it
          const y = alias ? x : p.alloc(n, undefined, 3);
          p.run((be) => be.activation(act, x, y, n));
          closeEach(p, y, n, `activation ${name} n=${n} alias=${alias}`);
          const g = randomArray(rng, n);
          const dy = p.alloc(n, g);
          const dx = alias ? dy : p.alloc(n);
          p.run((be) => be.activationBackwardFromInput(act, keep, dy, dx, n));
          closeEach(p, dx, n, `activationBackwardFromInput ${name} n=${n} alias=${alias}`);
          if (act >= Act.gelu) continue;
          const dy2 = p.alloc(n, g, 1);
          const dx2 = alias ? dy2 : p.alloc(n);
          p.run((be) => be.activationBackward(act, y, dy2, dx2, n));
          closeEach(p, dx2, n, `activationBackward ${name} n=${n} alias=${alias}`);
        }
      }
    }
  });

  s('biasActivation with every activation, with and without bias', () => {
    const rng = mulberry32(22);
    for (const [name, act] of ALL) {
      for (const cols of [1, 5, 16, 37]) {
        for (const withBias of [true, false]) {
          p.reset();
          const rows = 5;
          const x = p.alloc(rows * cols, inputs(rng, rows * cols), 1);
          const bias = withBias ? p.alloc(cols, randomArray(rng, cols), 3) : -1;
          p.run((be) => be.biasActivation(x, bias, rows, cols, act));
          closeEach(p, x, rows * cols, `biasActivation ${name} cols=${cols} bias=${withBias}`);
        }
      }
    }
  });

  s('conv2d fuses every activation its forward can (all but gelu, gelu_new, swish, which layers apply after it)', () => {
    const rng = mulberry32(23);
    const g: Window2D = { n: 2, h: 7, w: 6, c: 3, kh: 3, kw: 3, sh: 1, sw: 1, padTop: 1, padLeft: 1, oh: 7, ow: 6 };
    const k = g.kh * g.kw * g.c;
    const filters = 9;
    for (const [name, act] of FROM_OUTPUT) {
      p.reset();
      const rows = g.n * g.oh * g.ow;
      const x = p.alloc(g.n * g.h * g.w * g.c, randomArray(rng, g.n * g.h * g.w * g.c, -2, 2), 1);
      const w = p.alloc(k * filters, randomArray(rng, k * filters), 2);
      const bias = p.alloc(filters, randomArray(rng, filters), 3);
      const y = p.alloc(rows * filters);
      const cols = p.alloc(rows * k);
      p.run((be) => be.conv2d(x, w, bias, y, g, filters, act, cols));
      closeEach(p, y, rows * filters, `conv2d ${name}`);
    }
  });

  s('kerasRelu and kerasReluBackward (ReLU and LeakyReLU) for several option sets, in place and not', () => {
    const rng = mulberry32(25);
    for (const [max, slope, threshold] of [[Infinity, 0, 0], [6, 0, 0], [1.5, 0.3, 0], [Infinity, 0.2, 1], [4, 0.1, 2.5], [0, 0, 0], [Infinity, 0.3, 0], [Infinity, -0.5, 0], [Infinity, 1.5, 0]] as const) {
      for (const n of [1, 4, 7, 64, 1001]) {
        for (const alias of [false, true]) {
          p.reset();
          const x = p.alloc(n, inputs(rng, n), 1);
          const y = alias ? x : p.alloc(n);
          const dy = p.alloc(n, randomArray(rng, n));
          const dx = alias ? dy : p.alloc(n);
          p.run((be) => be.kerasReluBackward(x, dy, dx, n, max, slope, threshold));
          p.same(dx, n, `kerasReluBackward ${max}/${slope}/${threshold} n=${n} alias=${alias}`);
          p.run((be) => be.kerasRelu(x, y, n, max, slope, threshold));
          // slope·(x − threshold): the reference rounds once, float32 twice.
          closeEach(p, y, n, `kerasRelu ${max}/${slope}/${threshold} n=${n} alias=${alias}`);
        }
      }
    }
  });
  s.run();
}

test.run();
