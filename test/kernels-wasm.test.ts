// Parity of the WebAssembly kernels with the plain-TS reference (the specification), for every
// build this engine accepts, plus memory growth and the two-thread GEMM.
import { execFileSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { suite } from 'uvu';
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { createJsBackend } from '../src/kernels/js/index.js';
import { Act } from '../src/kernels/kernels.js';
import type { ActCode, Window2D } from '../src/kernels/kernels.js';
import { createWasmBackend, supportedVariants, wasmSupported } from '../src/kernels/wasm/index.js';
import type { WasmBackend } from '../src/kernels/wasm/index.js';
import { PARTIAL_FLOATS } from '../src/kernels/wasm/layout.js';
import { EXPORT_ARITY, INTERNAL_EXPORTS, instantiateKernels } from '../src/kernels/wasm/exports.js';
import { compileVariant } from '../src/kernels/wasm/variants.js';
import { ConvDirection, convAlgorithmName, type ConvDirectionCode } from '../src/kernels/wasm/conv-algorithms.js';
import { splitConvRows } from '../src/kernels/wasm/conv-split.js';
import { decodeJob, encodeJob, JOB_INTS, JobKind, type ConvJob, type GemmJob } from '../src/kernels/wasm/jobs.js';
import { AugmentOp, bitsFloat, floatBits, type AugmentJob } from '../src/kernels/wasm/jobs.js';
import { planGemm } from '../src/kernels/wasm/split.js';
import { BackendPair } from './helpers/backend-pair.js';
import { oneAndTwoThreads } from './helpers/thread-pair.js';
import { mulberry32, randomArray } from './helpers/random.js';
import type { Rng } from './helpers/random.js';

// Node 20 validates the relaxed-SIMD build only behind this flag; a CLI opts in the same way.
// Setting it here lets the suite cover that build too (it must precede the first compile).
setFlagsFromString('--experimental-wasm-relaxed-simd');

/** Every (direction, algorithm) convPlan chose in the parity cases, over all builds: see 'conv plan coverage'. */
const plansSeen = new Set<string>();

/** Records the algorithm the WASM side of a pair runs this convolution by. */
function recordPlan(p: BackendPair, direction: ConvDirectionCode, g: Window2D, filters: number, act: ActCode = Act.linear): void {
  const be = p.test as WasmBackend;
  if (typeof be.convAlgorithm !== 'function') return;
  const name = (Object.keys(ConvDirection) as (keyof typeof ConvDirection)[]).find((k) => ConvDirection[k] === direction);
  plansSeen.add(`${name} ${convAlgorithmName(be.convAlgorithm(direction, g, filters, act))}`);
}

const ACTS: [string, ActCode][] = [['linear', Act.linear], ['relu', Act.relu], ['sigmoid', Act.sigmoid], ['tanh', Act.tanh]];

/** A Window2D with the output size a conv/pool of that geometry produces. */
function window2d(
  n: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number,
  padTop = 0, padLeft = 0, padBottom = padTop, padRight = padLeft,
): Window2D {
  const oh = Math.floor((h + padTop + padBottom - kh) / sh) + 1;
  const ow = Math.floor((w + padLeft + padRight - kw) / sw) + 1;
  return { n, h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow };
}

/**
 * The operands of both convolution gradients on a fresh pair: random x, w and dy (placed
 * `shifts` elements off their plan slots, to misalign them), dx, dw and the column scratch.
 */
function convBackwardOperands(p: BackendPair, rng: () => number, g: Window2D, filters: number, shifts: [number, number, number]) {
  const k = g.kh * g.kw * g.c;
  const rows = windowRows(g);
  return {
    k,
    x: p.alloc(windowInputs(g), randomArray(rng, windowInputs(g)), shifts[0]),
    w: p.alloc(k * filters, randomArray(rng, k * filters), shifts[1]),
    dy: p.alloc(rows * filters, randomArray(rng, rows * filters), shifts[2]),
    dx: p.alloc(windowInputs(g)),
    dw: p.alloc(k * filters),
    cols: p.alloc(rows * k),
  };
}

const WINDOWS: Window2D[] = [
  window2d(2, 6, 5, 1, 3, 3, 1, 1), // first conv layer: one channel
  window2d(1, 7, 7, 3, 3, 3, 2, 2, 1, 1), // stride 2, padding
  window2d(2, 4, 5, 5, 1, 1, 1, 1), // 1×1
  window2d(1, 9, 8, 17, 5, 5, 1, 1, 2, 2), // 'same' 5×5, odd channel count
  window2d(1, 3, 4, 6, 4, 3, 1, 2, 1, 2, 2, 0), // kernel taller than the image, uneven padding
  window2d(3, 6, 6, 8, 2, 2, 2, 2), // 2×2 pool
  window2d(1, 3, 3, 5, 2, 2, 1, 1, 2, 2, 0, 0), // first windows entirely in padding
  window2d(2, 7, 9, 12, 2, 2, 2, 2), // 2×2 pool, odd sizes: the last row and column are left out
  window2d(1, 4, 4, 4, 2, 2, 2, 2), // 2×2 pool, one 4-channel group
  window2d(2, 7, 5, 4, 2, 2, 2, 2, 0, 0, 1, 1), // 2×2 'same' pool of odd sizes: the last windows stick out
];

/** Values on a coarse grid so max pooling sees ties (first maximum must win). */
function coarse(rng: Rng, n: number): Float32Array {
  return randomArray(rng, n, -2, 2).map((v) => Math.round(v * 2) / 2);
}

function windowInputs(g: Window2D): number {
  return g.n * g.h * g.w * g.c;
}

function windowRows(g: Window2D): number {
  return g.n * g.oh * g.ow;
}

function kernelTests(s: Test, pairOf: () => BackendPair): void {
  s('gemm: every transpose and accumulate combination over ragged shapes', () => {
    const p = pairOf();
    const rng = mulberry32(11);
    const shapes = [
      [1, 1, 1], [1, 7, 3], [3, 1, 5], [4, 8, 16], [5, 9, 7], [13, 17, 29], [8, 8, 1], [3, 5, 0],
      [37, 9, 300], [64, 64, 64], [130, 33, 67], [2, 1100, 3], [7, 3, 800], [33, 10, 1000],
      // one to three rows (B read in place, row by row): 32-, 4- and 1-column pieces, odd and
      // even K; then just past that path
      [1, 128, 512], [1, 10, 128], [1, 37, 1], [2, 33, 7], [3, 40, 9], [3, 69, 2], [4, 36, 5], [6, 72, 31],
    ];
    for (const [m, n, k] of shapes as [number, number, number][]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const accumulate of [false, true]) {
            p.reset();
            const a = p.alloc(m * k, randomArray(rng, m * k), transA ? 1 : 0);
            const b = p.alloc(k * n, randomArray(rng, k * n), transB ? 3 : 0);
            const c = p.alloc(m * n, accumulate ? randomArray(rng, m * n) : undefined, accumulate ? 2 : 0);
            p.run((be) => be.gemm(transA, transB, m, n, k, a, b, c, accumulate));
            p.close(c, m * n, `gemm ${m}×${n}×${k} tA=${transA} tB=${transB} acc=${accumulate}`);
          }
        }
      }
    }
  });

  s('biasActivation: every activation, with and without bias', () => {
    const p = pairOf();
    const rng = mulberry32(12);
    for (const [name, act] of ACTS) {
      for (const cols of [1, 5, 16, 37]) {
        for (const withBias of [true, false]) {
          p.reset();
          const rows = 7;
          const x = p.alloc(rows * cols, randomArray(rng, rows * cols, -3, 3), 1);
          const bias = withBias ? p.alloc(cols, randomArray(rng, cols), 3) : -1;
          p.run((be) => be.biasActivation(x, bias, rows, cols, act));
          p.close(x, rows * cols, `biasActivation ${name} cols=${cols} bias=${withBias}`);
        }
      }
    }
  });

  s('activation and activationBackward, in place and not', () => {
    const p = pairOf();
    const rng = mulberry32(13);
    for (const [name, act] of ACTS) {
      for (const n of [1, 3, 4, 37, 1000]) {
        for (const alias of [false, true]) {
          p.reset();
          const xs = randomArray(rng, n, -4, 4);
          xs[0] = 0; // relu'(0) and relu(0) edge
          const x = p.alloc(n, xs);
          const y = alias ? x : p.alloc(n, undefined, 1);
          p.run((be) => be.activation(act, x, y, n));
          p.close(y, n, `activation ${name} n=${n} alias=${alias}`);
          const dy = p.alloc(n, randomArray(rng, n), 2);
          const dx = alias ? dy : p.alloc(n);
          p.run((be) => be.activationBackward(act, y, dy, dx, n));
          p.close(dx, n, `activationBackward ${name} n=${n} alias=${alias}`);
        }
      }
    }
  });

  s('softmax and softmaxBackward, in place and not', () => {
    const p = pairOf();
    const rng = mulberry32(14);
    for (const cols of [1, 3, 10, 33]) {
      for (const alias of [false, true]) {
        p.reset();
        const rows = 5;
        const x = p.alloc(rows * cols, randomArray(rng, rows * cols, -10, 10));
        const y = alias ? x : p.alloc(rows * cols, undefined, 1);
        p.run((be) => be.softmax(x, y, rows, cols));
        p.close(y, rows * cols, `softmax cols=${cols}`);
        const dy = p.alloc(rows * cols, randomArray(rng, rows * cols), 2);
        const dx = alias ? dy : p.alloc(rows * cols);
        p.run((be) => be.softmaxBackward(y, dy, dx, rows, cols));
        p.close(dx, rows * cols, `softmaxBackward cols=${cols}`);
      }
    }
  });

  s('biasGrad: column sums, fresh and accumulated', () => {
    const p = pairOf();
    const rng = mulberry32(15);
    for (const rows of [1, 7, 300]) {
      for (const cols of [1, 5, 16, 37, 64]) {
        for (const accumulate of [false, true]) {
          p.reset();
          const dy = p.alloc(rows * cols, randomArray(rng, rows * cols), 1);
          const db = p.alloc(cols, accumulate ? randomArray(rng, cols) : undefined, 2);
          p.run((be) => be.biasGrad(dy, db, rows, cols, accumulate));
          p.close(db, cols, `biasGrad ${rows}×${cols} acc=${accumulate}`);
        }
      }
    }
  });

  s('im2col and col2im over strides, padding and channel counts', () => {
    const p = pairOf();
    const rng = mulberry32(16);
    for (const g of WINDOWS) {
      p.reset();
      const rowLen = g.kh * g.kw * g.c;
      const x = p.alloc(windowInputs(g), randomArray(rng, windowInputs(g)), 1);
      const cols = p.alloc(windowRows(g) * rowLen);
      p.run((be) => be.im2col(x, cols, g));
      p.same(cols, windowRows(g) * rowLen, `im2col ${JSON.stringify(g)}`);
      const dcols = p.alloc(windowRows(g) * rowLen, randomArray(rng, windowRows(g) * rowLen), 3);
      const dx = p.alloc(windowInputs(g));
      p.run((be) => be.col2im(dcols, dx, g));
      p.close(dx, windowInputs(g), `col2im ${JSON.stringify(g)}`);
    }
  });

  s('conv2d (fused forward) over strides, padding, channel and filter counts, activations', () => {
    const p = pairOf();
    const rng = mulberry32(25);
    const cases: [Window2D, number][] = [
      [window2d(2, 28, 28, 1, 5, 5, 1, 1), 16], // single channel, stride 1: 8-pixel tiles read in place
      [window2d(2, 14, 16, 1, 3, 3, 1, 1), 12], // rows of 14: 8 in place, 4 packed, 2 gathered; 12 filters
      [window2d(1, 9, 11, 1, 3, 3, 1, 1, 1, 1), 8], // single channel with padding: packed and gathered tiles, ow not a multiple of 4
      [window2d(1, 7, 6, 1, 2, 3, 2, 1), 3], // single channel, stride 2 rows, F < 8
      [window2d(2, 12, 12, 16, 5, 5, 1, 1), 32], // lenet's second conv: windows read in place, row by row
      [window2d(2, 12, 12, 8, 5, 5, 1, 1), 16], // the default model's second conv (in place, runs of 40)
      [window2d(1, 11, 13, 8, 3, 3, 2, 2, 1, 1), 13], // stride 2 in place inside, gathered at the border; ragged filters
      [window2d(2, 10, 9, 32, 3, 3, 1, 1, 1, 1), 20], // 'same' 3×3×32: Winograd, odd ow (a last column of half tiles)
      [window2d(3, 11, 9, 16, 3, 3, 1, 1, 1, 1), 13], // Winograd with its fewest channels, ragged filters, odd oh and ow
      [window2d(2, 8, 8, 12, 3, 3, 1, 1), 8], // 3×3 stride 1 with 12 channels: too few for Winograd, windows in place
      [window2d(1, 6, 5, 128, 3, 3, 1, 1, 1, 1), 136], // F(4×4)'s transformed kernel outgrows the scratch: F(2×2)
      [window2d(1, 9, 8, 17, 5, 5, 1, 1, 2, 2), 13], // 'same' 5×5, odd channels, ragged filter group
      [window2d(3, 7, 7, 3, 3, 3, 2, 2, 1, 1), 5], // stride 2, padding, M not a multiple of 4, odd K
      [window2d(1, 3, 4, 6, 4, 3, 1, 2, 1, 2, 2, 0), 9], // kernel taller than the image
      [window2d(1, 3, 3, 5, 2, 2, 1, 1, 2, 2, 0, 0), 4], // windows entirely in padding
      [window2d(1, 1, 1, 18500, 1, 1, 1, 1), 2], // K too big for the kernel's scratch: unfold + gemm fallback
    ];
    for (const [g, filters] of cases) {
      for (const [name, act] of ACTS) {
        for (const withBias of [true, false]) {
          p.reset();
          const k = g.kh * g.kw * g.c;
          const rows = windowRows(g);
          // Inputs scaled by 1/√K keep the sums O(1), where sigmoid and tanh are not saturated.
          const scale = 1 / Math.sqrt(k);
          const x = p.alloc(windowInputs(g), randomArray(rng, windowInputs(g), -scale, scale), 1);
          const w = p.alloc(k * filters, randomArray(rng, k * filters), 2);
          const bias = withBias ? p.alloc(filters, randomArray(rng, filters), 3) : -1;
          const y = p.alloc(rows * filters);
          const cols = p.alloc(rows * k);
          p.run((be) => be.conv2d(x, w, bias, y, g, filters, act, cols));
          p.close(y, rows * filters, `conv2d ${JSON.stringify(g)} F=${filters} ${name} bias=${withBias}`);
          recordPlan(p, ConvDirection.forward, g, filters, act);
        }
      }
    }
  });

  s('conv2dBackwardInput and conv2dBackwardFilter over strides, padding, channel and filter counts', () => {
    const p = pairOf();
    const rng = mulberry32(27);
    const cases: [Window2D, number][] = [
      [window2d(2, 12, 12, 16, 5, 5, 1, 1), 32], // the default model's second conv: 4-channel entries, filters in place
      [window2d(2, 28, 28, 1, 3, 3, 1, 1), 64], // single channel (entries one by one), the seed model's first conv
      [window2d(1, 9, 8, 17, 5, 5, 1, 1, 2, 2), 13], // 'same' 5×5, odd channels, ragged filter group, K = 425
      [window2d(3, 7, 7, 4, 3, 3, 1, 1, 1, 1), 5], // padding, F < 8, M not a multiple of 4
      [window2d(1, 6, 5, 8, 1, 1, 1, 1), 8], // 1×1
      [window2d(1, 3, 4, 6, 4, 3, 1, 1, 1, 2, 2, 0), 9], // kernel taller than the image, uneven padding
      [window2d(1, 3, 3, 5, 2, 2, 1, 1, 2, 2, 0, 0), 4], // windows entirely in padding
      [window2d(2, 7, 7, 3, 3, 3, 2, 2, 1, 1), 6], // stride 2: the input gradient's GEMM + col2im fallback
      [window2d(40, 10, 10, 8, 3, 3, 1, 1), 16], // more than one 128-pixel block
      // c ≥ 32 with little border: the input gradient as a flipped-kernel convolution
      [window2d(1, 20, 19, 33, 3, 3, 1, 1), 13], // ragged channel and filter groups
      [window2d(2, 9, 9, 40, 3, 3, 1, 1, 1, 1), 12], // 'same' padding (filter gradient: Winograd, odd tiles)
      [window2d(3, 11, 9, 16, 3, 3, 1, 1, 1, 1), 13], // filter gradient by Winograd: fewest channels, ragged filters
      [window2d(2, 9, 7, 12, 3, 3, 1, 1, 1, 1), 16], // input gradient by Winograd (16 "channels" of dy), 'same', odd sizes
      [window2d(1, 6, 5, 128, 3, 3, 1, 1, 1, 1), 136], // too big for F(4×4): both gradients by F(2×2)
      [window2d(2, 8, 7, 32, 4, 3, 1, 1, 2, 1, 1, 1), 5], // uneven kernel and padding, F < 8
      [window2d(2, 26, 26, 64, 3, 3, 1, 1), 32], // the seed model's second conv: Winograd for both gradients
      [window2d(1, 2, 2, 20000, 2, 2, 1, 1), 3], // K = 80,000, too big for the filter gradient's buffers: unfold + GEMM
    ];
    for (const [g, filters] of cases) {
      p.reset();
      const { k, x, w, dy, dx, dw, cols } = convBackwardOperands(p, rng, g, filters, [1, 2, 3]);
      p.run((be) => be.conv2dBackwardInput(dy, w, dx, g, filters, cols));
      p.close(dx, windowInputs(g), `conv2dBackwardInput ${JSON.stringify(g)} F=${filters}`);
      p.run((be) => be.conv2dBackwardFilter(x, dy, dw, g, filters, cols));
      p.close(dw, k * filters, `conv2dBackwardFilter ${JSON.stringify(g)} F=${filters}`);
      recordPlan(p, ConvDirection.inputGrad, g, filters);
      recordPlan(p, ConvDirection.filterGrad, g, filters);
    }
  });

  s('maxPool and maxPoolBackward: ties, padding, all-padding windows', () => {
    const p = pairOf();
    const rng = mulberry32(17);
    for (const g of WINDOWS) {
      p.reset();
      const outputs = windowRows(g) * g.c;
      const x = p.alloc(windowInputs(g), coarse(rng, windowInputs(g)), 2);
      const y = p.alloc(outputs);
      const argmax = p.alloc(outputs);
      p.run((be) => be.maxPool(x, y, argmax, g));
      p.same(y, outputs, `maxPool y ${JSON.stringify(g)}`);
      p.sameInts(argmax, outputs, `maxPool argmax ${JSON.stringify(g)}`);
      const dy = p.alloc(outputs, randomArray(rng, outputs), 1);
      const dx = p.alloc(windowInputs(g));
      p.run((be) => be.maxPoolBackward(dy, argmax, dx, g));
      p.close(dx, windowInputs(g), `maxPoolBackward ${JSON.stringify(g)}`);
    }
  });

  s('dropout: the same mask bit for bit as the reference hash', () => {
    const p = pairOf();
    const rng = mulberry32(19);
    for (const n of [1, 5, 1003]) {
      for (const rate of [0, 0.1, 0.5, 0.99]) {
        for (const seed of [0, 1, -7, 123456789, 0x7fffffff]) {
          for (const alias of [false, true]) {
            p.reset();
            const x = p.alloc(n, randomArray(rng, n), 1);
            const y = alias ? x : p.alloc(n);
            const mask = p.alloc(n, undefined, 2);
            p.run((be) => be.dropout(x, y, mask, n, rate, seed));
            p.same(mask, n, `dropout mask n=${n} rate=${rate} seed=${seed}`);
            p.same(y, n, `dropout y n=${n} rate=${rate} seed=${seed}`);
          }
        }
      }
    }
  });

  s('multiply and fill', () => {
    const p = pairOf();
    const rng = mulberry32(20);
    for (const n of [1, 3, 4, 17, 1003]) {
      p.reset();
      const a = p.alloc(n, randomArray(rng, n), 1);
      const b = p.alloc(n, randomArray(rng, n), 2);
      const out = p.alloc(n);
      p.run((be) => be.multiply(a, b, out, n));
      p.same(out, n, `multiply n=${n}`);
      p.run((be) => be.multiply(a, b, a, n)); // out aliases a
      p.same(a, n, `multiply in place n=${n}`);
      p.run((be) => be.fill(out, n, -1.25));
      p.same(out, n, `fill n=${n}`);
    }
  });

  s('firstNonFinite finds the first NaN or ±Infinity, in the SIMD body and in the tail', () => {
    const p = pairOf();
    const rng = mulberry32(21);
    for (const n of [1, 3, 4, 17, 1003]) {
      for (const [bad, value] of [[-1, 0], [0, NaN], [n - 1, Infinity], [Math.floor(n / 2), -Infinity], [n - 1, NaN]] as [number, number][]) {
        p.reset();
        const values = randomArray(rng, n);
        if (bad >= 0) values[bad] = value;
        if (bad >= 0 && bad + 1 < n) values[n - 1] = NaN; // a later one must not win
        const x = p.alloc(n, values, 1);
        const got = [p.ref.firstNonFinite(x, n), p.test.firstNonFinite(x, n)];
        assert.equal(got, [bad, bad], `firstNonFinite n=${n} bad=${bad} (${value})`);
      }
    }
  });

  s('sgdUpdate: plain, momentum, Nesterov, weight decay', () => {
    const p = pairOf();
    const rng = mulberry32(21);
    for (const momentum of [0, 0.9]) {
      for (const nesterov of [false, true]) {
        for (const weightDecay of [0, 0.01]) {
          p.reset();
          const n = 1003;
          const w = p.alloc(n, randomArray(rng, n), 1);
          const g = p.alloc(n, randomArray(rng, n), 2);
          const v = p.alloc(n, randomArray(rng, n, -0.1, 0.1), 3);
          for (let step = 0; step < 3; step++) p.run((be) => be.sgdUpdate(w, g, v, n, 0.05, momentum, nesterov, weightDecay));
          const what = `sgd momentum=${momentum} nesterov=${nesterov} wd=${weightDecay}`;
          p.close(w, n, `${what} p`);
          p.close(v, n, `${what} v`);
        }
      }
    }
  });

  s('adamUpdate: Adam and AdamW over a few steps', () => {
    const p = pairOf();
    const rng = mulberry32(22);
    for (const weightDecay of [0, 0.004]) {
      p.reset();
      const n = 1003;
      const w = p.alloc(n, randomArray(rng, n), 1);
      const g = p.alloc(n, randomArray(rng, n), 2);
      const m = p.alloc(n, new Float32Array(n), 3);
      const v = p.alloc(n, new Float32Array(n));
      const [lr, beta1, beta2, eps] = [1e-3, 0.9, 0.999, 1e-7];
      for (let t = 1; t <= 3; t++) {
        const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        p.run((be) => be.adamUpdate(w, g, m, v, n, lr, alpha, beta1, beta2, eps, weightDecay));
      }
      p.close(w, n, `adam wd=${weightDecay} p`);
      p.close(m, n, `adam wd=${weightDecay} m`);
      p.close(v, n, `adam wd=${weightDecay} v`);
    }
  });

  s('channel kernels (BatchNormalization): moments, gradient sums, affine and combine, gated by a fused relu or not, in place too', () => {
    const p = pairOf();
    const rng = mulberry32(23);
    // [rows, cols, offset]: ragged channel counts, a 28×28×32 batch of 8, and values far from 0
    // (the variance must be taken around the mean, not as E[x²] − mean²).
    const shapes: [number, number, number][] = [[1, 1, 0], [3, 5, 0], [17, 4, 0], [40, 16, 0], [33, 37, 0], [1000, 8, 0], [6272, 32, 0], [500, 12, 100]];
    for (const [rows, cols, offset] of shapes) {
      p.reset();
      const n = rows * cols;
      const what = `rows=${rows} cols=${cols} offset=${offset}`;
      const x = p.alloc(n, randomArray(rng, n, offset - 1, offset + 2), 1);
      const mean = p.alloc(cols, undefined, 2);
      const variance = p.alloc(cols, undefined, 3);
      p.run((be) => be.channelMoments(x, mean, variance, rows, cols));
      p.close(mean, cols, `channelMoments mean ${what}`);
      p.close(variance, cols, `channelMoments variance ${what}`);
      const dy = p.alloc(n, randomArray(rng, n), 2);
      const sumDy = p.alloc(cols, undefined, 1);
      const sumDyXc = p.alloc(cols);
      const scale = p.alloc(cols, randomArray(rng, cols), 1);
      const shift = p.alloc(cols, randomArray(rng, cols), 3);
      const q = p.alloc(cols, randomArray(rng, cols));
      // The gate (a relu fused after (x − mean)·scale + shift): none, with a shift, without one.
      for (const [gateScale, gateShift, gate] of [[-1, -1, 'none'], [scale, shift, 'scale+shift'], [scale, -1, 'scale']] as const) {
        p.run((be) => be.channelGradSums(dy, x, mean, sumDy, sumDyXc, rows, cols, gateScale, gateShift));
        p.close(sumDy, cols, `channelGradSums sumDy gate=${gate} ${what}`);
        p.close(sumDyXc, cols, `channelGradSums sumDyXc gate=${gate} ${what}`);
        const out = p.alloc(n, undefined, 1);
        p.run((be) => be.channelCombine(dy, x, mean, out, scale, q, shift, rows, cols, gateScale, gateShift));
        p.close(out, n, `channelCombine gate=${gate} ${what}`);
      }
      for (const [withCenter, withShift] of [[true, true], [false, true], [true, false], [false, false]]) {
        const y = p.alloc(n);
        p.run((be) => be.channelAffine(x, y, withCenter ? mean : -1, scale, withShift ? shift : -1, rows, cols));
        p.close(y, n, `channelAffine center=${withCenter} shift=${withShift} ${what}`);
        p.run((be) => be.channelAffineRelu(x, y, withCenter ? mean : -1, scale, withShift ? shift : -1, rows, cols));
        p.close(y, n, `channelAffineRelu center=${withCenter} shift=${withShift} ${what}`);
      }
      p.run((be) => be.channelCombine(dy, x, mean, dy, scale, q, shift, rows, cols, scale, shift));
      p.close(dy, n, `channelCombine gated in place ${what}`);
      p.run((be) => be.channelCombine(dy, x, mean, dy, scale, q, shift, rows, cols, -1, -1));
      p.close(dy, n, `channelCombine in place ${what}`);
      const relu = p.alloc(n, undefined, 2);
      p.run((be) => be.channelAffineRelu(x, relu, mean, scale, shift, rows, cols));
      p.close(relu, n, `channelAffineRelu ${what}`);
      assert.ok(p.test.f32().subarray(relu, relu + n).every((v) => v >= 0), `channelAffineRelu is ≥ 0 ${what}`);
      p.run((be) => be.channelAffineRelu(x, x, mean, scale, shift, rows, cols));
      p.close(x, n, `channelAffineRelu in place ${what}`);
    }
  });

  s('avgPool and avgPoolBackward: padding left out of the count, all-padding windows, global windows', () => {
    const p = pairOf();
    const rng = mulberry32(24);
    const global = [window2d(2, 7, 7, 36, 7, 7, 7, 7), window2d(3, 4, 5, 3, 4, 5, 4, 5)];
    const overlapping = [window2d(2, 6, 7, 9, 3, 3, 1, 1, 1, 1), window2d(1, 9, 9, 8, 3, 3, 2, 2, 1, 1, 1, 1)];
    for (const g of [...WINDOWS, ...global, ...overlapping]) {
      p.reset();
      const outputs = windowRows(g) * g.c;
      const x = p.alloc(windowInputs(g), randomArray(rng, windowInputs(g)), 2);
      const y = p.alloc(outputs, undefined, 1);
      p.run((be) => be.avgPool(x, y, g));
      p.close(y, outputs, `avgPool ${JSON.stringify(g)}`);
      const dy = p.alloc(outputs, randomArray(rng, outputs), 3);
      const dx = p.alloc(windowInputs(g));
      p.run((be) => be.avgPoolBackward(dy, dx, g));
      p.close(dx, windowInputs(g), `avgPoolBackward ${JSON.stringify(g)}`);
    }
  });

  // Odd sizes: the SIMD loop and its scalar tail both run.
  s('rmspropUpdate: plain, momentum, centered', () => {
    const p = pairOf();
    const rng = mulberry32(23);
    for (const momentum of [0, 0.9]) {
      for (const centered of [false, true]) {
        p.reset();
        const n = 1003;
        const w = p.alloc(n, randomArray(rng, n), 1);
        const g = p.alloc(n, randomArray(rng, n), 2);
        const ms = p.alloc(n, randomArray(rng, n, 0.5, 1), 3);
        const mom = p.alloc(n, randomArray(rng, n, -0.1, 0.1));
        const mg = p.alloc(n, randomArray(rng, n, -0.1, 0.1));
        for (let step = 0; step < 3; step++) p.run((be) => be.rmspropUpdate(w, g, ms, mom, mg, n, 0.01, 0.9, momentum, 1e-7, centered));
        const what = `rmsprop momentum=${momentum} centered=${centered}`;
        for (const [ptr, name] of [[w, 'p'], [ms, 'ms'], [mom, 'mom'], [mg, 'mg']] as const) p.close(ptr, n, `${what} ${name}`);
      }
    }
  });

  s('adagradUpdate, adamaxUpdate, nadamUpdate over a few steps', () => {
    const p = pairOf();
    const rng = mulberry32(24);
    const n = 1001;
    const w = p.alloc(n, randomArray(rng, n), 1);
    const g = p.alloc(n, randomArray(rng, n), 2);
    const a = p.alloc(n, new Float32Array(n).fill(0.1), 3);
    for (let step = 0; step < 3; step++) p.run((be) => be.adagradUpdate(w, g, a, n, 0.01, 1e-7));
    p.close(w, n, 'adagrad p');
    p.close(a, n, 'adagrad accumulator');
    p.reset();
    const w2 = p.alloc(n, randomArray(rng, n), 1);
    const g2 = p.alloc(n, randomArray(rng, n), 2);
    const m2 = p.alloc(n, new Float32Array(n), 3);
    const u2 = p.alloc(n, new Float32Array(n));
    for (let t = 1; t <= 3; t++) p.run((be) => be.adamaxUpdate(w2, g2, m2, u2, n, 0.002 / (1 - 0.9 ** t), 0.9, 0.999, 1e-7));
    for (const [ptr, name] of [[w2, 'p'], [m2, 'm'], [u2, 'u']] as const) p.close(ptr, n, `adamax ${name}`);
    p.reset();
    const w3 = p.alloc(n, randomArray(rng, n), 1);
    const g3 = p.alloc(n, randomArray(rng, n), 2);
    const m3 = p.alloc(n, new Float32Array(n), 3);
    const v3 = p.alloc(n, new Float32Array(n));
    for (let t = 1; t <= 3; t++) p.run((be) => be.nadamUpdate(w3, g3, m3, v3, n, 0.001, 0.9, 0.999, 1e-7, 5.1, 0.6, 1 / (1 - 0.999 ** t)));
    for (const [ptr, name] of [[w3, 'p'], [m3, 'm'], [v3, 'v']] as const) p.close(ptr, n, `nadam ${name}`);
  });

  s('sumOfSquares and scaleClamp (clipping, weight decay)', () => {
    const p = pairOf();
    const rng = mulberry32(25);
    for (const n of [1, 3, 4, 7, 1000, 4099]) {
      p.reset();
      const x = p.alloc(n, randomArray(rng, n, -2, 2), 1);
      const [ref, got] = [p.ref.sumOfSquares(x, n), p.test.sumOfSquares(x, n)];
      assert.ok(Math.abs(ref - got) <= 1e-6 * ref, `sumOfSquares n=${n}: ${got} vs ${ref}`);
      p.run((be) => be.scaleClamp(x, n, 0.7, 0.9));
      p.close(x, n, `scaleClamp n=${n}`);
      p.run((be) => be.scaleClamp(x, n, 1.5, Infinity));
      p.close(x, n, `scaleClamp without limit n=${n}`);
    }
  });
}

// ------------------------------------------------------------- every build this engine accepts

const general = suite('wasm backend');

general('a thread job reads back as it was written (every field, every kind)', () => {
  const ints = new Int32Array(8 + JOB_INTS);
  const gemm: GemmJob = {
    kind: JobKind.gemmDepth, count: 2, step: 64, partial: 777,
    call: { transA: 1, transB: 0, m: 3, n: 5, k: 7, a: 11, lda: 13, b: 17, ldb: 19, c: 23, ldc: 29, accumulate: 1 },
  };
  const conv: ConvJob = {
    kind: JobKind.convInputGrad, count: 12, step: 256, partial: 0,
    call: { src: 1, weights: 2, bias: -1, dst: 4, n: 5, h: 6, w: 7, c: 8, kh: 9, kw: 10, sh: 11, sw: 12, padTop: 13, padLeft: 14, oh: 15, ow: 16, filters: 17, act: 18, algorithm: 19, rows: 20 },
  };
  const augment: AugmentJob = {
    kind: JobKind.augment, count: 8, step: 8, partial: 0,
    call: { op: AugmentOp.elasticWarp, x: 1, y: 2, params: 3, work: 4, n: 5, h: 6, w: 7, c: 8, mode: 9, value: floatBits(-0.25), value2: floatBits(Infinity), seed: -12345, radius: 12 },
  };
  for (const job of [gemm, conv, augment]) {
    encodeJob(job, ints, 8);
    assert.equal(decodeJob(ints, 8), job);
  }
  assert.is(bitsFloat(augment.call.value), -0.25);
  assert.is(bitsFloat(augment.call.value2), Infinity);
});

general('every build exports exactly the declared kernels, each with the declared number of parameters', async () => {
  const declared = [...Object.keys(EXPORT_ARITY), ...INTERNAL_EXPORTS].sort();
  for (const variant of supportedVariants()) {
    for (const shared of [false, true]) {
      const module = await compileVariant(variant, shared);
      const functions = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
      assert.equal(functions.sort(), declared, `${variant}${shared ? ' shared' : ''}: exported functions`);
    }
    const kernels = await instantiateKernels(await compileVariant(variant, false), new WebAssembly.Memory({ initial: 16 }));
    for (const [name, arity] of Object.entries(EXPORT_ARITY)) {
      assert.is((kernels as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!.length, arity, `${variant}: ${name} takes ${arity} parameters`);
    }
  }
});

general('the feature probes agree with validating each real build (with and without relaxed SIMD in the engine)', async () => {
  // This process has whatever flags the suite runs with; a child turns relaxed SIMD on.
  const script = `
    const { VARIANTS, variantSupported, variantBytes } = await import(${JSON.stringify(new URL('../src/kernels/wasm/variants.ts', import.meta.url).href)});
    const rows = [];
    for (const v of VARIANTS) for (const shared of [false, true]) rows.push([v, shared, variantSupported(v, shared), WebAssembly.validate(await variantBytes(v, shared))]);
    console.log(JSON.stringify(rows));`;
  for (const flags of [[], ['--experimental-wasm-relaxed-simd']]) {
    const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const rows = JSON.parse(out) as [string, boolean, boolean, boolean][];
    for (const [variant, shared, probed, validated] of rows) assert.is(probed, validated, `${variant}${shared ? ' shared' : ''} with flags [${flags.join(' ')}]`);
    if (flags.length) assert.ok(rows.some(([v, , p]) => v === 'relaxed' && p), 'relaxed SIMD detected when the engine has it');
  }
});

general('the engine runs WebAssembly and at least the simd build', () => {
  assert.ok(wasmSupported());
  const variants = supportedVariants();
  assert.ok(variants.includes('scalar') && variants.includes('simd'), `variants: ${variants.join(', ')}`);
});

general('picks the fastest build by default and reports it', async () => {
  const be = await createWasmBackend();
  assert.is(be.name, 'wasm');
  assert.is(be.variant, supportedVariants()[0]);
  assert.is(be.threads, 1);
  assert.ok(be.base > 0 && be.base % 16 === 0, `base ${be.base}`);
});

general('reserve grows the memory and keeps its contents', async () => {
  const be = await createWasmBackend();
  const at = be.base;
  be.reserve(at + 1000);
  const before = be.f32();
  for (let i = 0; i < 1000; i++) before[at + i] = i * 0.5;
  const capacity = before.length;
  be.reserve(capacity + 5_000_000); // forces memory.grow: earlier views detach
  const after = be.f32();
  assert.ok(after.length >= capacity + 5_000_000);
  for (let i = 0; i < 1000; i++) assert.is(after[at + i], i * 0.5);
  assert.is(be.i32().length, after.length);
  // Kernels see the grown memory.
  be.fill(capacity + 4_000_000, 8, 2);
  assert.is(be.f32()[capacity + 4_000_007], 2);
});

general.run();

for (const variant of supportedVariants()) {
  const s = suite(`wasm kernels (${variant}) vs reference`);
  let pair: BackendPair | undefined;
  s.before(async () => {
    pair = new BackendPair(createJsBackend(), await createWasmBackend({ variant }));
  });
  kernelTests(s, () => pair!);
  s.run();
}

// ------------------------------------------------------------- two threads

const threads = suite('wasm GEMM on two threads');
const backends = oneAndTwoThreads(threads);

threads('a worker starts when shared memory is available', () => {
  assert.is(backends().dual.threads, 2);
});

threads('split GEMMs equal the one-thread result', () => {
  const p = new BackendPair(backends().single, backends().dual);
  const rng = mulberry32(23);
  // Each at least PARALLEL_MIN_MACS, so the worker takes part.
  const shapes: [number, number, number][] = [
    [2304, 32, 576], // conv forward (a slice of the 32-batch product): rows
    [576, 32, 2304], // conv dW: depth
    [64, 4096, 64], // Dense dX-like: cols
    [64, 16, 18432], // Dense forward-like: depth
    [9, 64, 30000], // first conv layer dW: depth
    [2003, 45, 200], // ragged rows
    [8, 8, 8], // too small to split
  ];
  const kinds = new Set<string>();
  for (const [m, n, k] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const accumulate of [false, true]) {
          p.reset();
          const a = p.alloc(m * k, randomArray(rng, m * k));
          const b = p.alloc(k * n, randomArray(rng, k * n), 1);
          const c = p.alloc(m * n, accumulate ? randomArray(rng, m * n) : undefined);
          p.run((be) => be.gemm(transA, transB, m, n, k, a, b, c, accumulate));
          const call = { transA: +transA, transB: +transB, m, n, k, a, lda: transA ? m : k, b, ldb: transB ? k : n, c, ldc: n, accumulate: +accumulate };
          const job = planGemm(call, 0, PARTIAL_FLOATS);
          const kind = job === null ? 'none' : ['rows', 'cols', 'depth'][job.kind]!;
          kinds.add(kind);
          const what = `gemm ${m}×${n}×${k} (${kind}) tA=${transA} tB=${transB} acc=${accumulate}`;
          // Rows and columns give bit-identical results; a K split reorders one sum.
          if (kind === 'depth') p.close(c, m * n, what, 1e-5);
          else p.same(c, m * n, what);
        }
      }
    }
  }
  assert.equal([...kinds].sort(), ['cols', 'depth', 'none', 'rows']);
  assert.ok(backends().dual.workerChunks > 0, 'the worker computed some chunks');
});

threads('split convolutions equal the one-thread result', () => {
  const p = new BackendPair(backends().single, backends().dual);
  const rng = mulberry32(26);
  // Each at least PARALLEL_MIN_MACS multiply-adds, so the worker takes part.
  const cases: [Window2D, number][] = [
    [window2d(64, 12, 12, 16, 5, 5, 1, 1), 32], // lenet's second conv, batch 64
    [window2d(96, 12, 12, 8, 5, 5, 1, 1), 16], // the default model's second conv (windows in place), batch 96
    [window2d(128, 28, 28, 1, 5, 5, 1, 1), 16], // single channel: packed tiles
    [window2d(61, 30, 31, 7, 3, 3, 1, 2, 1, 1), 13], // padding, ragged filters, M not a multiple of 4
    [window2d(40, 13, 11, 16, 3, 3, 1, 1, 1, 1), 13], // Winograd: chunks start mid tile row and in odd pixel rows
  ];
  const before = backends().dual.workerChunks;
  for (const [g, filters] of cases) {
    p.reset();
    const k = g.kh * g.kw * g.c;
    const rows = windowRows(g);
    assert.ok(splitConvRows(rows, k * filters) !== null, `${JSON.stringify(g)} is split`);
    const x = p.alloc(windowInputs(g), randomArray(rng, windowInputs(g)));
    const w = p.alloc(k * filters, randomArray(rng, k * filters), 1);
    const bias = p.alloc(filters, randomArray(rng, filters));
    const y = p.alloc(rows * filters);
    const cols = p.alloc(rows * k);
    p.run((be) => be.conv2d(x, w, bias, y, g, filters, Act.relu, cols));
    // Chunks are whole output pixels: bit-identical to one thread.
    p.same(y, rows * filters, `conv2d ${JSON.stringify(g)} F=${filters}`);
  }
  assert.ok(backends().dual.workerChunks > before, 'the worker computed some chunks');
});

threads('split convolution gradients equal the one-thread result', () => {
  const p = new BackendPair(backends().single, backends().dual);
  const rng = mulberry32(28);
  const cases: [Window2D, number][] = [
    [window2d(32, 26, 26, 64, 3, 3, 1, 1), 32], // the seed model's second conv
    [window2d(64, 12, 12, 16, 5, 5, 1, 1, 2, 2), 24], // padding, ragged filter group (input gradient: split GEMM)
    [window2d(16, 14, 14, 36, 3, 3, 1, 1, 1, 1), 20], // 'same' padding, ragged groups (input gradient: flipped conv)
  ];
  const before = backends().dual.workerChunks;
  for (const [g, filters] of cases) {
    p.reset();
    const { k, x, w, dy, dx, dw, cols } = convBackwardOperands(p, rng, g, filters, [0, 1, 2]);
    p.run((be) => be.conv2dBackwardInput(dy, w, dx, g, filters, cols));
    p.same(dx, windowInputs(g), `conv2dBackwardInput ${JSON.stringify(g)}`); // whole input pixels per chunk
    p.run((be) => be.conv2dBackwardFilter(x, dy, dw, g, filters, cols));
    p.close(dw, k * filters, `conv2dBackwardFilter ${JSON.stringify(g)}`, 1e-5); // the halves' sums reordered
  }
  assert.ok(backends().dual.workerChunks > before, 'the worker computed some chunks');
});

threads('the backend stays correct after growth (shared memory)', () => {
  const p = new BackendPair(backends().single, backends().dual);
  const rng = mulberry32(24);
  backends().dual.reserve(backends().dual.f32().length + 4_000_000);
  const [m, n, k] = [1024, 64, 256];
  const a = p.alloc(m * k, randomArray(rng, m * k));
  const b = p.alloc(k * n, randomArray(rng, k * n));
  const c = p.alloc(m * n);
  p.run((be) => be.gemm(false, false, m, n, k, a, b, c, false));
  p.close(c, m * n, 'gemm after growth', 1e-5);
});

threads.run();

const coverage = suite('conv plan coverage');

coverage('the parity cases above ran every algorithm convPlan can choose, in every direction', () => {
  const expected = [
    'forward byColumns', 'forward scalar', 'forward direct', 'forward winogradF2', 'forward winogradF4',
    'inputGrad byColumns', 'inputGrad scalar', 'inputGrad direct', 'inputGrad winogradF2', 'inputGrad winogradF4',
    // The filter gradient has no F(4×4): see assembly/winograd-filter.ts.
    'filterGrad byColumns', 'filterGrad scalar', 'filterGrad direct', 'filterGrad winogradF2',
  ];
  assert.equal([...plansSeen].sort(), expected.sort());
});

coverage.run();
