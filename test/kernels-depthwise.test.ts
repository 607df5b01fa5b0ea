// The depthwise convolution kernels and dilated windows (DepthwiseConv2D, SeparableConv2D,
// Conv2D dilationRate) on every WebAssembly build this engine accepts, against the plain-TS
// reference on random shapes, and convPlan's choice for dilated layers.
import { setFlagsFromString } from 'node:v8';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createJsBackend } from '../src/kernels/js/index.js';
import { Act, type Window2D } from '../src/kernels/kernels.js';
import { createWasmBackend, supportedVariants, type WasmBackend } from '../src/kernels/wasm/index.js';
import { ConvDirection, convAlgorithmName } from '../src/kernels/wasm/conv-algorithms.js';
import { BackendPair } from './helpers/backend-pair.js';
import { mulberry32, randomArray, type Rng } from './helpers/random.js';

// As in kernels-wasm.test.ts: lets Node 20 validate (and so test) the relaxed-SIMD build.
setFlagsFromString('--experimental-wasm-relaxed-simd');

/** A Window2D with dilation (dh, dw) and the output size TensorFlow gives it for these pads. */
function dilated(
  n: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number,
  dh: number, dw: number, padTop = 0, padLeft = 0, padBottom = padTop, padRight = padLeft,
): Window2D {
  const oh = Math.floor((h + padTop + padBottom - ((kh - 1) * dh + 1)) / sh) + 1;
  const ow = Math.floor((w + padLeft + padRight - ((kw - 1) * dw + 1)) / sw) + 1;
  return { n, h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow, dh, dw };
}

/** [geometry, depth multiplier, what it exercises]. */
const DEPTHWISE: [Window2D, number, string][] = [
  [dilated(2, 9, 8, 16, 3, 3, 1, 1, 1, 1, 1, 1), 1, "'same' 3×3, one 16-channel block"],
  [dilated(1, 7, 7, 21, 3, 3, 2, 2, 1, 1, 1, 1), 1, 'stride 2; a 16-block, a 4-block and a ragged channel'],
  [dilated(3, 12, 11, 35, 5, 5, 2, 2, 1, 1, 2, 2, 1, 1), 1, "5×5 stride 2 'same' (uneven pads): the input gradient's stride congruence"],
  [dilated(1, 8, 9, 6, 3, 3, 1, 1, 2, 2, 2, 2), 1, 'dilation 2, padded'],
  [dilated(2, 6, 5, 3, 3, 3, 1, 1, 1, 1), 2, 'depth multiplier 2'],
  [dilated(1, 9, 7, 5, 2, 3, 1, 1, 3, 2, 0, 2), 3, 'multiplier 3, dilation 3×2, non-square kernel'],
  [dilated(1, 3, 3, 5, 2, 2, 1, 1, 1, 1, 2, 2, 0, 0), 1, 'windows entirely in padding'],
  [dilated(2, 4, 4, 1, 3, 3, 1, 1, 1, 1), 1, 'one channel'],
  [dilated(1, 5, 6, 4, 3, 2, 2, 1, 1, 1, 1, 0), 4, 'multiplier 4, stride 2 rows only'],
  [dilated(2, 7, 6, 13, 3, 3, 1, 1, 1, 1, 1, 1), 2, "multiplier 2 over 13 channels, 'same': swizzled blocks up to the pixel's last channel"],
  [dilated(1, 6, 7, 9, 3, 3, 2, 1, 1, 1, 1, 1), 3, 'multiplier 3, 9 channels, stride 2 rows: blocks spanning two channels and a ragged last block'],
  [dilated(1, 5, 5, 2, 3, 3, 1, 1, 1, 1, 1, 1), 5, 'multiplier 5 on 2 channels (loaded lane by lane)'],
  [dilated(1, 6, 6, 20, 3, 3, 1, 1, 2, 2, 2, 2), 2, 'multiplier 2, dilation 2, 20 channels (a 16-block and a 4-block of sums)'],
];

/** Dilated Conv2D windows: [geometry, filters]. */
const DILATED_CONV: [Window2D, number][] = [
  [dilated(2, 9, 9, 3, 3, 3, 1, 1, 2, 2), 5],
  [dilated(1, 10, 8, 32, 3, 3, 1, 1, 2, 2, 2, 2), 16], // 'same' and Winograd-shaped were it not dilated
  [dilated(2, 7, 9, 5, 2, 3, 1, 1, 3, 2, 1, 2, 2, 2), 7], // unequal dilations, uneven pads
];

/** The three depthwise kernels on random operands, each backend against the reference. */
function compareDepthwise(p: BackendPair, rng: Rng, g: Window2D, m: number, what: string): void {
  p.reset();
  const inputs = g.n * g.h * g.w * g.c;
  const outputs = g.n * g.oh * g.ow * g.c * m;
  const weights = g.kh * g.kw * g.c * m;
  const x = p.alloc(inputs, randomArray(rng, inputs), 1);
  const w = p.alloc(weights, randomArray(rng, weights), 2);
  const dy = p.alloc(outputs, randomArray(rng, outputs), 3);
  const y = p.alloc(outputs);
  const dx = p.alloc(inputs);
  const dw = p.alloc(weights);
  p.run((be) => be.depthwiseConv2d(x, w, y, g, m));
  p.close(y, outputs, `depthwiseConv2d (${what})`);
  p.run((be) => be.depthwiseConv2dBackwardInput(dy, w, dx, g, m));
  p.close(dx, inputs, `depthwiseConv2dBackwardInput (${what})`);
  p.run((be) => be.depthwiseConv2dBackwardFilter(x, dy, dw, g, m));
  p.close(dw, weights, `depthwiseConv2dBackwardFilter (${what})`);
}

for (const variant of supportedVariants()) {
  const s = suite(`depthwise and dilated kernels (${variant}) vs reference`);
  let pair: BackendPair | undefined;
  s.before(async () => {
    pair = new BackendPair(createJsBackend(), await createWasmBackend({ variant }));
  });

  s('depthwiseConv2d, its input and its kernel gradients', () => {
    const p = pair!;
    const rng = mulberry32(41);
    for (const [g, m, what] of DEPTHWISE) compareDepthwise(p, rng, g, m, what);
  });

  s('depthwise kernels with multiplier > 1 on random shapes (the SIMD kernel gradient\'s swizzled groups too)', () => {
    const p = pair!;
    const rng = mulberry32(43);
    const pick = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
    for (let k = 0; k < 12; k++) {
      const [kh, kw, rate, sh, sw] = [pick(1, 4), pick(1, 4), pick(1, 2), pick(1, 2), pick(1, 2)];
      const [padTop, padLeft] = [pick(0, kh - 1), pick(0, kw - 1)];
      const g = dilated(pick(1, 2), pick((kh - 1) * rate + 1, 9), pick((kw - 1) * rate + 1, 9), pick(1, 19), kh, kw, sh, sw, rate, rate, padTop, padLeft);
      const m = pick(2, 5);
      compareDepthwise(p, rng, g, m, `m=${m} ${JSON.stringify(g)}`);
    }
  });

  s('dilated im2col and col2im', () => {
    const p = pair!;
    const rng = mulberry32(42);
    for (const [g] of DILATED_CONV) {
      p.reset();
      const inputs = g.n * g.h * g.w * g.c;
      const cells = g.n * g.oh * g.ow * g.kh * g.kw * g.c;
      const x = p.alloc(inputs, randomArray(rng, inputs), 1);
      const cols = p.alloc(cells);
      p.run((be) => be.im2col(x, cols, g));
      p.same(cols, cells, `im2col ${JSON.stringify(g)}`);
      const back = p.alloc(cells, randomArray(rng, cells), 2);
      const dx = p.alloc(inputs);
      p.run((be) => be.col2im(back, dx, g));
      p.close(dx, inputs, `col2im ${JSON.stringify(g)}`);
    }
  });

  s('dilated conv2d forward and both gradients', () => {
    const p = pair!;
    const rng = mulberry32(43);
    for (const [g, filters] of DILATED_CONV) {
      p.reset();
      const inputs = g.n * g.h * g.w * g.c;
      const k = g.kh * g.kw * g.c;
      const rows = g.n * g.oh * g.ow;
      const x = p.alloc(inputs, randomArray(rng, inputs), 1);
      const w = p.alloc(k * filters, randomArray(rng, k * filters), 2);
      const bias = p.alloc(filters, randomArray(rng, filters), 3);
      const dy = p.alloc(rows * filters, randomArray(rng, rows * filters));
      const y = p.alloc(rows * filters);
      const dx = p.alloc(inputs);
      const dw = p.alloc(k * filters);
      const cols = p.alloc(rows * k);
      p.run((be) => be.conv2d(x, w, bias, y, g, filters, Act.relu, cols));
      p.close(y, rows * filters, `conv2d ${JSON.stringify(g)}`);
      p.run((be) => be.conv2dBackwardInput(dy, w, dx, g, filters, cols));
      p.close(dx, inputs, `conv2dBackwardInput ${JSON.stringify(g)}`);
      p.run((be) => be.conv2dBackwardFilter(x, dy, dw, g, filters, cols));
      p.close(dw, k * filters, `conv2dBackwardFilter ${JSON.stringify(g)}`);
    }
  });

  s('convPlan runs dilated layers by columns and plans undilated ones as before', () => {
    const be = pair!.test as WasmBackend;
    // 'same' 3×3 over 32 channels, 16 filters: Winograd in every direction on the SIMD builds.
    const g = dilated(1, 10, 8, 32, 3, 3, 1, 1, 1, 1, 1, 1);
    const { dh: _dh, dw: _dw, ...withoutDilation } = g;
    const d2 = dilated(1, 10, 8, 32, 3, 3, 1, 1, 2, 2, 2, 2);
    for (const direction of Object.values(ConvDirection)) {
      assert.is(be.convAlgorithm(direction, g, 16, Act.relu), be.convAlgorithm(direction, withoutDilation, 16, Act.relu));
      assert.is(convAlgorithmName(be.convAlgorithm(direction, d2, 16, Act.relu)), 'byColumns');
    }
    if (variant !== 'scalar') assert.match(convAlgorithmName(be.convAlgorithm(ConvDirection.forward, g, 16, Act.relu)), /^winograd/);
  });

  s.run();
}
