import type { Backend, BackendName } from '../backend.js';
import type { ActCode, FillModeCode, LossKindCode, Ptr, Window2D } from '../kernels.js';
import { activation, activationBackward, biasActivation, biasGrad, softmax, softmaxBackward } from './activations.js';
import { conv2dBackwardFilterByColumns, conv2dBackwardInputByColumns, conv2dByColumns } from '../conv-by-columns.js';
import { col2im, im2col } from './conv.js';
import { dropout, fill, firstNonFinite, multiply } from './elementwise.js';
import { gemm } from './gemm.js';
import { loss } from './losses.js';
import { adamUpdate, sgdUpdate } from './optimizers.js';
import { adagradUpdate, adamaxUpdate, nadamUpdate, rmspropUpdate, scaleClamp, sumOfSquares } from './optimizers.js';
import { maxPool, maxPoolBackward } from './pool.js';
import { depthwiseConv2d, depthwiseConv2dBackwardFilter, depthwiseConv2dBackwardInput } from './depthwise-conv.js';
import { activationBackwardFromInput, kerasRelu, kerasReluBackward } from './activations.js';
import { channelAffine, channelAffineRelu, channelCombine, channelGradSums, channelMoments } from './channels.js';
import { avgPool, avgPoolBackward } from './avg-pool.js';
import { adjustContrast, affineWarp } from './affine-warp.js';
import { elasticWarp } from './elastic-warp.js';

const INITIAL_ELEMENTS = 1024;

/** The reference backend: plain TypeScript loops over an ArrayBuffer arena, main thread only. */
export class JsBackend implements Backend {
  readonly name: BackendName = 'js';
  readonly threads = 1;
  readonly base: Ptr = 0;

  private f: Float32Array;
  private i: Int32Array;
  private readonly float64: boolean;

  /**
   * `float64: true` computes in double precision (the arena is then a Float64Array behind
   * the Float32Array type, with a separate Int32Array for indices). Only for gradient checks
   * by finite differences, which float32 rounding would drown.
   */
  constructor(options: { float64?: boolean } = {}) {
    this.float64 = options.float64 ?? false;
    this.f = this.float64 ? (new Float64Array(INITIAL_ELEMENTS) as unknown as Float32Array) : new Float32Array(INITIAL_ELEMENTS);
    this.i = this.float64 ? new Int32Array(INITIAL_ELEMENTS) : new Int32Array(this.f.buffer);
  }

  reserve(end: Ptr): void {
    const capacity = this.f.length;
    if (end <= capacity) return;
    const elements = Math.max(end, Math.ceil(capacity * 1.5));
    if (this.float64) {
      const f = new Float64Array(elements);
      f.set(this.f as unknown as Float64Array);
      const i = new Int32Array(elements);
      i.set(this.i);
      this.f = f as unknown as Float32Array;
      this.i = i;
      return;
    }
    const f = new Float32Array(elements);
    f.set(this.f);
    this.f = f;
    this.i = new Int32Array(f.buffer);
  }

  f32(): Float32Array {
    return this.f;
  }

  i32(): Int32Array {
    return this.i;
  }

  dispose(): void {}

  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Ptr, b: Ptr, c: Ptr, accumulate: boolean): void {
    gemm(this.f, transA, transB, m, n, k, a, b, c, accumulate);
  }

  biasActivation(x: Ptr, bias: Ptr, rows: number, cols: number, act: ActCode): void {
    biasActivation(this.f, x, bias, rows, cols, act);
  }

  activation(act: ActCode, x: Ptr, y: Ptr, n: number): void {
    activation(this.f, act, x, y, n);
  }

  activationBackward(act: ActCode, y: Ptr, dy: Ptr, dx: Ptr, n: number): void {
    activationBackward(this.f, act, y, dy, dx, n);
  }

  softmax(x: Ptr, y: Ptr, rows: number, cols: number): void {
    softmax(this.f, x, y, rows, cols);
  }

  softmaxBackward(y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number): void {
    softmaxBackward(this.f, y, dy, dx, rows, cols);
  }

  biasGrad(dy: Ptr, db: Ptr, rows: number, cols: number, accumulate: boolean): void {
    biasGrad(this.f, dy, db, rows, cols, accumulate);
  }

  im2col(x: Ptr, cols: Ptr, g: Window2D): void {
    im2col(this.f, x, cols, g);
  }

  col2im(cols: Ptr, dx: Ptr, g: Window2D): void {
    col2im(this.f, cols, dx, g);
  }

  conv2d(x: Ptr, w: Ptr, bias: Ptr, y: Ptr, g: Window2D, filters: number, act: ActCode, cols: Ptr): void {
    conv2dByColumns(this, x, w, bias, y, g, filters, act, cols);
  }

  conv2dBackwardInput(dy: Ptr, w: Ptr, dx: Ptr, g: Window2D, filters: number, cols: Ptr): void {
    conv2dBackwardInputByColumns(this, dy, w, dx, g, filters, cols);
  }

  conv2dBackwardFilter(x: Ptr, dy: Ptr, dw: Ptr, g: Window2D, filters: number, cols: Ptr): void {
    conv2dBackwardFilterByColumns(this, x, dy, dw, g, filters, cols);
  }

  maxPool(x: Ptr, y: Ptr, argmax: Ptr, g: Window2D): void {
    maxPool(this.f, this.i, x, y, argmax, g);
  }

  maxPoolBackward(dy: Ptr, argmax: Ptr, dx: Ptr, g: Window2D): void {
    maxPoolBackward(this.f, this.i, dy, argmax, dx, g);
  }

  dropout(x: Ptr, y: Ptr, mask: Ptr, n: number, rate: number, seed: number): void {
    dropout(this.f, x, y, mask, n, rate, seed);
  }

  multiply(a: Ptr, b: Ptr, out: Ptr, n: number): void {
    multiply(this.f, a, b, out, n);
  }

  fill(x: Ptr, n: number, value: number): void {
    fill(this.f, x, n, value);
  }

  firstNonFinite(x: Ptr, n: number): number {
    return firstNonFinite(this.f, x, n);
  }

  sgdUpdate(p: Ptr, g: Ptr, v: Ptr, n: number, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void {
    sgdUpdate(this.f, p, g, v, n, lr, momentum, nesterov, weightDecay);
  }

  adamUpdate(p: Ptr, g: Ptr, m: Ptr, v: Ptr, n: number, lr: number, alpha: number, beta1: number, beta2: number, eps: number, weightDecay: number): void {
    adamUpdate(this.f, p, g, m, v, n, lr, alpha, beta1, beta2, eps, weightDecay);
  }

  depthwiseConv2d(x: Ptr, w: Ptr, y: Ptr, g: Window2D, multiplier: number): void {
    depthwiseConv2d(this.f, x, w, y, g, multiplier);
  }

  depthwiseConv2dBackwardInput(dy: Ptr, w: Ptr, dx: Ptr, g: Window2D, multiplier: number): void {
    depthwiseConv2dBackwardInput(this.f, dy, w, dx, g, multiplier);
  }

  depthwiseConv2dBackwardFilter(x: Ptr, dy: Ptr, dw: Ptr, g: Window2D, multiplier: number): void {
    depthwiseConv2dBackwardFilter(this.f, x, dy, dw, g, multiplier);
  }

  activationBackwardFromInput(act: ActCode, x: Ptr, dy: Ptr, dx: Ptr, n: number): void {
    activationBackwardFromInput(this.f, act, x, dy, dx, n);
  }

  kerasRelu(x: Ptr, y: Ptr, n: number, maxValue: number, negativeSlope: number, threshold: number): void {
    kerasRelu(this.f, x, y, n, maxValue, negativeSlope, threshold);
  }

  kerasReluBackward(x: Ptr, dy: Ptr, dx: Ptr, n: number, maxValue: number, negativeSlope: number, threshold: number): void {
    kerasReluBackward(this.f, x, dy, dx, n, maxValue, negativeSlope, threshold);
  }

  channelMoments(x: Ptr, mean: Ptr, variance: Ptr, rows: number, cols: number): void {
    channelMoments(this.f, x, mean, variance, rows, cols);
  }

  channelGradSums(dy: Ptr, x: Ptr, mean: Ptr, sumDy: Ptr, sumDyXc: Ptr, rows: number, cols: number, gateScale: Ptr, gateShift: Ptr): void {
    channelGradSums(this.f, dy, x, mean, sumDy, sumDyXc, rows, cols, gateScale, gateShift);
  }

  channelAffine(x: Ptr, y: Ptr, center: Ptr, scale: Ptr, shift: Ptr, rows: number, cols: number): void {
    channelAffine(this.f, x, y, center, scale, shift, rows, cols);
  }

  channelCombine(a: Ptr, b: Ptr, center: Ptr, out: Ptr, p: Ptr, q: Ptr, shift: Ptr, rows: number, cols: number, gateScale: Ptr, gateShift: Ptr): void {
    channelCombine(this.f, a, b, center, out, p, q, shift, rows, cols, gateScale, gateShift);
  }

  avgPool(x: Ptr, y: Ptr, g: Window2D): void {
    avgPool(this.f, x, y, g);
  }

  avgPoolBackward(dy: Ptr, dx: Ptr, g: Window2D): void {
    avgPoolBackward(this.f, dy, dx, g);
  }

  loss(kind: LossKindCode, p: Ptr, t: Ptr, grad: Ptr, w: Ptr, rows: number, cols: number, param: number): number {
    return loss(this.f, kind, p, t, grad, w, rows, cols, param);
  }

  rmspropUpdate(p: Ptr, g: Ptr, ms: Ptr, mom: Ptr, mg: Ptr, n: number, lr: number, rho: number, momentum: number, eps: number, centered: boolean): void {
    rmspropUpdate(this.f, p, g, ms, mom, mg, n, lr, rho, momentum, eps, centered);
  }

  adagradUpdate(p: Ptr, g: Ptr, acc: Ptr, n: number, lr: number, eps: number): void {
    adagradUpdate(this.f, p, g, acc, n, lr, eps);
  }

  adamaxUpdate(p: Ptr, g: Ptr, m: Ptr, u: Ptr, n: number, stepSize: number, beta1: number, beta2: number, eps: number): void {
    adamaxUpdate(this.f, p, g, m, u, n, stepSize, beta1, beta2, eps);
  }

  nadamUpdate(p: Ptr, g: Ptr, m: Ptr, v: Ptr, n: number, lr: number, beta1: number, beta2: number, eps: number, mCoef: number, gCoef: number, vCoef: number): void {
    nadamUpdate(this.f, p, g, m, v, n, lr, beta1, beta2, eps, mCoef, gCoef, vCoef);
  }

  sumOfSquares(x: Ptr, n: number): number {
    return sumOfSquares(this.f, x, n);
  }

  scaleClamp(x: Ptr, n: number, scale: number, limit: number): void {
    scaleClamp(this.f, x, n, scale, limit);
  }

  affineWarp(x: Ptr, y: Ptr, transforms: Ptr, n: number, h: number, w: number, c: number, fillMode: FillModeCode, fillValue: number): void {
    affineWarp(this.f, x, y, transforms, n, h, w, c, fillMode, fillValue);
  }

  adjustContrast(x: Ptr, y: Ptr, factors: Ptr, n: number, pixels: number, c: number, lo: number, hi: number): void {
    adjustContrast(this.f, x, y, factors, n, pixels, c, lo, hi);
  }

  channelAffineRelu(x: Ptr, y: Ptr, center: Ptr, scale: Ptr, shift: Ptr, rows: number, cols: number): void {
    channelAffineRelu(this.f, x, y, center, scale, shift, rows, cols);
  }

  elasticWarp(x: Ptr, y: Ptr, fields: Ptr, taps: Ptr, radius: number, alpha: number, seed: number, n: number, h: number, w: number, c: number, fillMode: FillModeCode, fillValue: number): void {
    elasticWarp(this.f, x, y, fields, taps, radius, alpha, seed, n, h, w, c, fillMode, fillValue);
  }
}

export function createJsBackend(): Backend {
  return new JsBackend();
}
