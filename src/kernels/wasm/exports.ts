import type { Window2D } from '../kernels.js';

/**
 * The functions the AssemblyScript module (assembly/index.ts) exports: the one declaration of
 * the WASM side's names and signatures. EXPORT_ARITY below is checked against it at compile
 * time and against every build's real exports by test/kernels-exports.test.ts; the backend
 * (wasm-backend.ts) implements the Kernels contract on it, and the JS reference implements the
 * same contract, both checked by the compiler. Buffer arguments are element indices into the
 * shared linear memory (Ptr); `scratch` is a byte address. Booleans cross as i32 (the JS API
 * converts true/false to 1/0).
 */
export interface KernelExports {
  staticEnd(): number;
  gemmScratchBytes(): number;
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
    accumulate: boolean, scratch: number,
  ): void;
  gemmAddPartial(c: number, ldc: number, p: number, m: number, n: number): void;
  biasActivation(x: number, bias: number, rows: number, cols: number, act: number): void;
  activation(act: number, x: number, y: number, n: number): void;
  activationBackward(act: number, y: number, dy: number, dx: number, n: number): void;
  softmax(x: number, y: number, rows: number, cols: number): void;
  softmaxBackward(y: number, dy: number, dx: number, rows: number, cols: number): void;
  biasGrad(dy: number, db: number, rows: number, cols: number, accumulate: boolean): void;
  /** ...window, then the dilation dh, dw. */
  im2col(x: number, cols: number, ...geometry: [...WindowArgs, number, number]): void;
  col2im(cols: number, dx: number, ...geometry: [...WindowArgs, number, number]): void;
  /**
   * The algorithm for one direction (conv-algorithms.ts ConvDirection) of a convolution with this
   * geometry: conv-algorithms.ts ConvAlgorithm. The only place the choice is made.
   */
  convPlan(direction: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, oh: number, ow: number, filters: number, act: number, dh: number, dw: number): number;
  /** ...window, then filters, act, rowStart, rowEnd (output pixels to compute), scratch (bytes), prepared (an earlier chunk of this call on this thread set up the filters), algorithm (convPlan's). */
  conv2d(
    x: number, w: number, bias: number, y: number, ...rest: [...WindowArgs, number, number, number, number, number, boolean, number]
  ): void;
  /** ...window, then filters, rowStart, rowEnd (INPUT pixels), scratch, prepared, algorithm (as conv2d). Stride 1 only. */
  conv2dBackwardInput(dy: number, w: number, dx: number, ...rest: [...WindowArgs, number, number, number, number, boolean, number]): void;
  /** ...window, then filters, rowStart, rowEnd (output pixels summed over), scratch, algorithm; overwrites out. */
  conv2dBackwardFilter(x: number, dy: number, out: number, ...rest: [...WindowArgs, number, number, number, number, number]): void;
  maxPool(x: number, y: number, argmax: number, ...geometry: WindowArgs): void;
  maxPoolBackward(dy: number, argmax: number, dx: number, n: number, h: number, w: number, c: number, oh: number, ow: number): void;
  dropout(x: number, y: number, mask: number, n: number, rate: number, seed: number): void;
  multiply(a: number, b: number, out: number, n: number): void;
  fill(x: number, n: number, value: number): void;
  firstNonFinite(x: number, n: number): number;
  sgdUpdate(p: number, g: number, v: number, n: number, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void;
  adamUpdate(
    p: number, g: number, m: number, v: number, n: number,
    lr: number, alpha: number, beta1: number, beta2: number, eps: number, weightDecay: number,
  ): void;
  /** ...window, then the dilation dh, dw, the depth multiplier and scratch (bytes: 16 per window tap). */
  depthwiseConv2d(x: number, w: number, y: number, ...rest: [...WindowArgs, number, number, number, number]): void;
  depthwiseConv2dBackwardInput(dy: number, w: number, dx: number, ...rest: [...WindowArgs, number, number, number, number]): void;
  depthwiseConv2dBackwardFilter(x: number, dy: number, dw: number, ...rest: [...WindowArgs, number, number, number, number]): void;
  activationBackwardFromInput(act: number, x: number, dy: number, dx: number, n: number): void;
  kerasRelu(x: number, y: number, n: number, maxValue: number, negativeSlope: number, threshold: number): void;
  kerasReluBackward(x: number, dy: number, dx: number, n: number, maxValue: number, negativeSlope: number, threshold: number): void;
  channelMoments(x: number, mean: number, variance: number, rows: number, cols: number): void;
  channelGradSums(dy: number, x: number, mean: number, sumDy: number, sumDyXc: number, rows: number, cols: number, gateScale: number, gateShift: number): void;
  channelAffine(x: number, y: number, center: number, scale: number, shift: number, rows: number, cols: number): void;
  channelCombine(a: number, b: number, center: number, out: number, p: number, q: number, shift: number, rows: number, cols: number, gateScale: number, gateShift: number): void;
  avgPool(x: number, y: number, ...geometry: WindowArgs): void;
  avgPoolBackward(dy: number, dx: number, ...geometry: WindowArgs): void;
  loss(kind: number, p: number, t: number, grad: number, w: number, rows: number, cols: number, param: number): number;
  rmspropUpdate(p: number, g: number, ms: number, mom: number, mg: number, n: number, lr: number, rho: number, momentum: number, eps: number, centered: boolean): void;
  adagradUpdate(p: number, g: number, acc: number, n: number, lr: number, eps: number): void;
  adamaxUpdate(p: number, g: number, m: number, u: number, n: number, stepSize: number, beta1: number, beta2: number, eps: number): void;
  nadamUpdate(
    p: number, g: number, m: number, v: number, n: number,
    lr: number, beta1: number, beta2: number, eps: number, mCoef: number, gCoef: number, vCoef: number,
  ): void;
  sumOfSquares(x: number, n: number): number;
  scaleClamp(x: number, n: number, scale: number, limit: number): void;
  affineWarp(x: number, y: number, transforms: number, n: number, h: number, w: number, c: number, fillMode: number, fillValue: number): void;
  adjustContrast(x: number, y: number, factors: number, n: number, pixels: number, c: number, lo: number, hi: number): void;
  channelAffineRelu(x: number, y: number, center: number, scale: number, shift: number, rows: number, cols: number): void;
  elasticWarp(
    x: number, y: number, fields: number, taps: number, radius: number, alpha: number, seed: number,
    start: number, end: number, h: number, w: number, c: number, fillMode: number, fillValue: number,
  ): void;
}

/** Window2D flattened in the order the kernels take it: n, h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow. */
export type WindowArgs = [number, number, number, number, number, number, number, number, number, number, number, number];

export function windowArgs(g: Window2D): WindowArgs {
  return [g.n, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.padTop, g.padLeft, g.oh, g.ow];
}

/**
 * Every export's parameter count, derived from KernelExports by the compiler (a wrong number or
 * a missing or extra name does not compile) and compared with each build's real exports by test.
 */
export const EXPORT_ARITY = {
  staticEnd: 0, gemmScratchBytes: 0, gemm: 13, gemmAddPartial: 5, biasActivation: 5, activation: 4, activationBackward: 5,
  softmax: 4, softmaxBackward: 5, biasGrad: 5, im2col: 16, col2im: 16, convPlan: 14, conv2d: 23, conv2dBackwardInput: 21,
  conv2dBackwardFilter: 20, maxPool: 15, maxPoolBackward: 9,
  dropout: 6, multiply: 4, fill: 3, firstNonFinite: 2, sgdUpdate: 8, adamUpdate: 11,
  depthwiseConv2d: 19, depthwiseConv2dBackwardInput: 19, depthwiseConv2dBackwardFilter: 19,
  activationBackwardFromInput: 5, kerasRelu: 6, kerasReluBackward: 7,
  channelMoments: 5, channelGradSums: 9, channelAffine: 7, channelCombine: 11, avgPool: 14, avgPoolBackward: 14,
  loss: 8,
  rmspropUpdate: 11, adagradUpdate: 6, adamaxUpdate: 9, nadamUpdate: 12, sumOfSquares: 2, scaleClamp: 4,
  affineWarp: 9, adjustContrast: 8,
  channelAffineRelu: 7,
  elasticWarp: 14,
} as const satisfies { [K in keyof KernelExports]: Parameters<KernelExports[K]>['length'] };

/**
 * Exports that exist only to keep Binaryen from inlining them into their one caller, where V8
 * spilled their accumulators (see assembly/tile.ts). JS never calls them.
 */
export const INTERNAL_EXPORTS = ['row1x32', 'convTile8x4'] as const;

/** Instantiates a compiled kernel module on `memory` (its only import). */
export async function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
