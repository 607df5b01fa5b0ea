import type { Backend, BackendName } from '../backend.js';
import type { ActCode, FillModeCode, LossKindCode, Ptr, Window2D } from '../kernels.js';
import { WORKER_READY, WORKER_SLEEPING } from './control.js';
import { windowArgs, type KernelExports, type WindowArgs } from './exports.js';
import { PAGE_BYTES } from './layout.js';
import type { ArenaLayout } from './layout.js';
import { conv2dBackwardFilterByColumns, conv2dBackwardInputByColumns, conv2dByColumns } from '../conv-by-columns.js';
import { ConvAlgorithm, ConvDirection, type ConvDirectionCode } from './conv-algorithms.js';
import { convJob, splitConvFilter, splitConvRows } from './conv-split.js';
import { AugmentOp, floatBits, JobKind, type AugmentOpCode, type ConvCall } from './jobs.js';
import { splitSamples } from './augment-split.js';
import { planGemm } from './split.js';
import type { WasmVariant } from './variants.js';
import type { WorkerLink } from './worker-link.js';

/** wasm32 addresses 4 GiB: 2³⁰ four-byte elements. */
const MAX_ELEMENTS = 2 ** 30;

/**
 * The Kernels contract on WebAssembly: every call passes arena element indices straight to the
 * AssemblyScript exports (no copies), and GEMMs big enough to pay are shared with one worker.
 */
export class WasmBackend implements Backend {
  readonly name: BackendName = 'wasm';
  readonly base: Ptr;
  private f: Float32Array;
  private i: Int32Array;

  constructor(
    private readonly k: KernelExports,
    private readonly memory: WebAssembly.Memory,
    private readonly layout: ArenaLayout,
    /** Which build runs: 'relaxed' (fused multiply-add), 'simd' or 'scalar'. */
    readonly variant: WasmVariant,
    private link: WorkerLink | undefined,
  ) {
    this.base = layout.base;
    this.f = new Float32Array(memory.buffer);
    this.i = new Int32Array(memory.buffer);
  }

  get threads(): number {
    return this.link === undefined ? 1 : 2;
  }

  /** GEMM chunks the worker thread has computed so far (0 with one thread): is it helping? */
  get workerChunks(): number {
    return this.link?.workerChunks ?? 0;
  }

  reserve(end: Ptr): void {
    if (!Number.isInteger(end) || end < 0 || end > MAX_ELEMENTS) {
      throw new RangeError(`reserve: ${end} elements exceed what wasm32 can address (${MAX_ELEMENTS})`);
    }
    const have = this.memory.buffer.byteLength;
    const need = end * 4;
    if (need > have) {
      try {
        this.memory.grow(Math.ceil((need - have) / PAGE_BYTES));
      } catch (error) {
        throw new RangeError(`reserve: cannot grow WebAssembly memory to ${need} bytes (${String(error)})`);
      }
    }
    this.refreshViews();
  }

  f32(): Float32Array {
    if (this.f.buffer !== this.memory.buffer) this.refreshViews();
    return this.f;
  }

  i32(): Int32Array {
    if (this.i.buffer !== this.memory.buffer) this.refreshViews();
    return this.i;
  }

  /** Growth detaches (private memory) or outgrows (shared memory) earlier views. */
  private refreshViews(): void {
    this.f = new Float32Array(this.memory.buffer);
    this.i = new Int32Array(this.memory.buffer);
  }

  dispose(): void {
    this.link?.stop();
    this.link = undefined;
  }

  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Ptr, b: Ptr, c: Ptr, accumulate: boolean): void {
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    const link = this.awakeLink();
    if (link !== undefined) {
      const call = { transA: +transA, transB: +transB, m, n, k, a, lda, b, ldb, c, ldc: n, accumulate: +accumulate };
      const job = planGemm(call, this.layout.partial / 4, this.layout.partialFloats);
      if (job !== null) {
        link.run(this.k, job, this.layout.scratch[0]!);
        if (job.kind === JobKind.gemmDepth) this.k.gemmAddPartial(c, n, this.layout.partial / 4, m, n);
        return;
      }
    }
    this.k.gemm(transA, transB, m, n, k, a, lda, b, ldb, c, n, accumulate, this.layout.scratch[0]!);
  }

  biasActivation(x: Ptr, bias: Ptr, rows: number, cols: number, act: ActCode): void {
    this.k.biasActivation(x, bias, rows, cols, act);
  }

  activation(act: ActCode, x: Ptr, y: Ptr, n: number): void {
    this.k.activation(act, x, y, n);
  }

  activationBackward(act: ActCode, y: Ptr, dy: Ptr, dx: Ptr, n: number): void {
    this.k.activationBackward(act, y, dy, dx, n);
  }

  softmax(x: Ptr, y: Ptr, rows: number, cols: number): void {
    this.k.softmax(x, y, rows, cols);
  }

  softmaxBackward(y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number): void {
    this.k.softmaxBackward(y, dy, dx, rows, cols);
  }

  biasGrad(dy: Ptr, db: Ptr, rows: number, cols: number, accumulate: boolean): void {
    this.k.biasGrad(dy, db, rows, cols, accumulate);
  }

  im2col(x: Ptr, cols: Ptr, g: Window2D): void {
    this.k.im2col(x, cols, ...windowArgs(g), g.dh ?? 1, g.dw ?? 1);
  }

  col2im(cols: Ptr, dx: Ptr, g: Window2D): void {
    this.k.col2im(cols, dx, ...windowArgs(g), g.dh ?? 1, g.dw ?? 1);
  }

  /** convPlan's algorithm for one direction of this convolution (the only place it is chosen). */
  convAlgorithm(direction: ConvDirectionCode, g: Window2D, filters: number, act: ActCode = 0): number {
    return this.k.convPlan(direction, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.oh, g.ow, filters, act, g.dh ?? 1, g.dw ?? 1);
  }

  conv2d(x: Ptr, w: Ptr, bias: Ptr, y: Ptr, g: Window2D, filters: number, act: ActCode, cols: Ptr): void {
    const algorithm = this.convAlgorithm(ConvDirection.forward, g, filters, act);
    if (algorithm === ConvAlgorithm.byColumns) {
      conv2dByColumns(this, x, w, bias, y, g, filters, act, cols);
      return;
    }
    const rows = g.n * g.oh * g.ow;
    const link = this.awakeLink();
    const split = link && splitConvRows(rows, g.kh * g.kw * g.c * filters);
    if (split) {
      const call = convCall(g, x, w, bias, y, filters, act, algorithm, rows);
      link!.run(this.k, convJob(JobKind.convForward, split, 0, call), this.layout.scratch[0]!);
      return;
    }
    this.k.conv2d(x, w, bias, y, ...windowArgs(g), filters, act, 0, rows, this.layout.scratch[0]!, false, algorithm);
  }

  conv2dBackwardInput(dy: Ptr, w: Ptr, dx: Ptr, g: Window2D, filters: number, cols: Ptr): void {
    const algorithm = this.convAlgorithm(ConvDirection.inputGrad, g, filters);
    if (algorithm === ConvAlgorithm.byColumns) {
      conv2dBackwardInputByColumns(this, dy, w, dx, g, filters, cols);
      return;
    }
    const rows = g.n * g.h * g.w; // input pixels
    const link = this.awakeLink();
    const split = link && splitConvRows(rows, g.kh * g.kw * g.c * filters);
    if (split) {
      const call = convCall(g, dy, w, -1, dx, filters, 0, algorithm, rows);
      link!.run(this.k, convJob(JobKind.convInputGrad, split, 0, call), this.layout.scratch[0]!);
      return;
    }
    this.k.conv2dBackwardInput(dy, w, dx, ...windowArgs(g), filters, 0, rows, this.layout.scratch[0]!, false, algorithm);
  }

  conv2dBackwardFilter(x: Ptr, dy: Ptr, dw: Ptr, g: Window2D, filters: number, cols: Ptr): void {
    const algorithm = this.convAlgorithm(ConvDirection.filterGrad, g, filters);
    if (algorithm === ConvAlgorithm.byColumns) {
      conv2dBackwardFilterByColumns(this, x, dy, dw, g, filters, cols);
      return;
    }
    const k = g.kh * g.kw * g.c;
    const rows = g.n * g.oh * g.ow;
    const link = this.awakeLink();
    const split = link && k * filters <= this.layout.partialFloats && splitConvFilter(rows, k * filters);
    if (split) {
      const partial = this.layout.partial / 4;
      const call = convCall(g, x, dy, -1, dw, filters, 0, algorithm, rows);
      link!.run(this.k, convJob(JobKind.convFilterGrad, split, partial, call), this.layout.scratch[0]!);
      this.k.gemmAddPartial(dw, filters, partial, k, filters);
      return;
    }
    this.k.conv2dBackwardFilter(x, dy, dw, ...windowArgs(g), filters, 0, rows, this.layout.scratch[0]!, algorithm);
  }

  /** The worker, if there is one and it is able to take a job (spinning or asleep). */
  private awakeLink(): WorkerLink | undefined {
    const status = this.link?.status;
    return status === WORKER_READY || status === WORKER_SLEEPING ? this.link : undefined;
  }

  maxPool(x: Ptr, y: Ptr, argmax: Ptr, g: Window2D): void {
    this.k.maxPool(x, y, argmax, ...windowArgs(g));
  }

  maxPoolBackward(dy: Ptr, argmax: Ptr, dx: Ptr, g: Window2D): void {
    this.k.maxPoolBackward(dy, argmax, dx, g.n, g.h, g.w, g.c, g.oh, g.ow);
  }

  dropout(x: Ptr, y: Ptr, mask: Ptr, n: number, rate: number, seed: number): void {
    this.k.dropout(x, y, mask, n, rate, seed);
  }

  multiply(a: Ptr, b: Ptr, out: Ptr, n: number): void {
    this.k.multiply(a, b, out, n);
  }

  fill(x: Ptr, n: number, value: number): void {
    this.k.fill(x, n, value);
  }

  firstNonFinite(x: Ptr, n: number): number {
    return this.k.firstNonFinite(x, n);
  }

  sgdUpdate(p: Ptr, g: Ptr, v: Ptr, n: number, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void {
    this.k.sgdUpdate(p, g, v, n, lr, momentum, nesterov, weightDecay);
  }

  adamUpdate(p: Ptr, g: Ptr, m: Ptr, v: Ptr, n: number, lr: number, alpha: number, beta1: number, beta2: number, eps: number, weightDecay: number): void {
    this.k.adamUpdate(p, g, m, v, n, lr, alpha, beta1, beta2, eps, weightDecay);
  }

  activationBackwardFromInput(act: ActCode, x: Ptr, dy: Ptr, dx: Ptr, n: number): void {
    this.k.activationBackwardFromInput(act, x, dy, dx, n);
  }

  kerasRelu(x: Ptr, y: Ptr, n: number, maxValue: number, negativeSlope: number, threshold: number): void {
    this.k.kerasRelu(x, y, n, maxValue, negativeSlope, threshold);
  }

  kerasReluBackward(x: Ptr, dy: Ptr, dx: Ptr, n: number, maxValue: number, negativeSlope: number, threshold: number): void {
    this.k.kerasReluBackward(x, dy, dx, n, maxValue, negativeSlope, threshold);
  }

  depthwiseConv2d(x: Ptr, w: Ptr, y: Ptr, g: Window2D, multiplier: number): void {
    this.k.depthwiseConv2d(x, w, y, ...depthwiseArgs(g, multiplier), this.depthwiseTaps(g, lanePickFloats(g, multiplier)));
  }

  depthwiseConv2dBackwardInput(dy: Ptr, w: Ptr, dx: Ptr, g: Window2D, multiplier: number): void {
    this.k.depthwiseConv2dBackwardInput(dy, w, dx, ...depthwiseArgs(g, multiplier), this.depthwiseTaps(g, multiplier > 1 ? g.c * multiplier : 0));
  }

  depthwiseConv2dBackwardFilter(x: Ptr, dy: Ptr, dw: Ptr, g: Window2D, multiplier: number): void {
    this.k.depthwiseConv2dBackwardFilter(x, dy, dw, ...depthwiseArgs(g, multiplier), this.depthwiseTaps(g, lanePickFloats(g, multiplier)));
  }

  /**
   * The main thread's GEMM scratch, where the depthwise kernels list window taps (two lists of 8
   * bytes a tap), followed by `floats` more (with m > 1: the input gradient's per-output sums,
   * the other two kernels' swizzles).
   */
  private depthwiseTaps(g: Window2D, floats = 0): number {
    if (g.kh * g.kw * 16 + floats * 4 > this.k.gemmScratchBytes()) {
      throw new RangeError(`depthwise convolution: a ${g.kh}x${g.kw} window over ${g.c} channels needs more than the kernel's ${this.k.gemmScratchBytes()} bytes of scratch`);
    }
    return this.layout.scratch[0]!;
  }

  channelMoments(x: Ptr, mean: Ptr, variance: Ptr, rows: number, cols: number): void {
    this.k.channelMoments(x, mean, variance, rows, cols);
  }

  channelGradSums(dy: Ptr, x: Ptr, mean: Ptr, sumDy: Ptr, sumDyXc: Ptr, rows: number, cols: number, gateScale: Ptr, gateShift: Ptr): void {
    this.k.channelGradSums(dy, x, mean, sumDy, sumDyXc, rows, cols, gateScale, gateShift);
  }

  channelAffine(x: Ptr, y: Ptr, center: Ptr, scale: Ptr, shift: Ptr, rows: number, cols: number): void {
    this.k.channelAffine(x, y, center, scale, shift, rows, cols);
  }

  channelCombine(a: Ptr, b: Ptr, center: Ptr, out: Ptr, p: Ptr, q: Ptr, shift: Ptr, rows: number, cols: number, gateScale: Ptr, gateShift: Ptr): void {
    this.k.channelCombine(a, b, center, out, p, q, shift, rows, cols, gateScale, gateShift);
  }

  avgPool(x: Ptr, y: Ptr, g: Window2D): void {
    this.k.avgPool(x, y, ...windowArgs(g));
  }

  avgPoolBackward(dy: Ptr, dx: Ptr, g: Window2D): void {
    this.k.avgPoolBackward(dy, dx, ...windowArgs(g));
  }

  loss(kind: LossKindCode, p: Ptr, t: Ptr, grad: Ptr, w: Ptr, rows: number, cols: number, param: number): number {
    return this.k.loss(kind, p, t, grad, w, rows, cols, param);
  }

  rmspropUpdate(p: Ptr, g: Ptr, ms: Ptr, mom: Ptr, mg: Ptr, n: number, lr: number, rho: number, momentum: number, eps: number, centered: boolean): void {
    this.k.rmspropUpdate(p, g, ms, mom, mg, n, lr, rho, momentum, eps, centered);
  }

  adagradUpdate(p: Ptr, g: Ptr, acc: Ptr, n: number, lr: number, eps: number): void {
    this.k.adagradUpdate(p, g, acc, n, lr, eps);
  }

  adamaxUpdate(p: Ptr, g: Ptr, m: Ptr, u: Ptr, n: number, stepSize: number, beta1: number, beta2: number, eps: number): void {
    this.k.adamaxUpdate(p, g, m, u, n, stepSize, beta1, beta2, eps);
  }

  nadamUpdate(p: Ptr, g: Ptr, m: Ptr, v: Ptr, n: number, lr: number, beta1: number, beta2: number, eps: number, mCoef: number, gCoef: number, vCoef: number): void {
    this.k.nadamUpdate(p, g, m, v, n, lr, beta1, beta2, eps, mCoef, gCoef, vCoef);
  }

  sumOfSquares(x: Ptr, n: number): number {
    return this.k.sumOfSquares(x, n);
  }

  scaleClamp(x: Ptr, n: number, scale: number, limit: number): void {
    this.k.scaleClamp(x, n, scale, limit);
  }

  affineWarp(x: Ptr, y: Ptr, transforms: Ptr, n: number, h: number, w: number, c: number, fillMode: FillModeCode, fillValue: number): void {
    if (!this.shareAugment(AugmentOp.affineWarp, x, y, transforms, -1, n, h, w, c, fillMode, fillValue, 0, 0, 0)) {
      this.k.affineWarp(x, y, transforms, n, h, w, c, fillMode, fillValue);
    }
  }

  adjustContrast(x: Ptr, y: Ptr, factors: Ptr, n: number, pixels: number, c: number, lo: number, hi: number): void {
    if (!this.shareAugment(AugmentOp.adjustContrast, x, y, factors, -1, n, pixels, 1, c, 0, lo, hi, 0, 0)) {
      this.k.adjustContrast(x, y, factors, n, pixels, c, lo, hi);
    }
  }

  elasticWarp(x: Ptr, y: Ptr, fields: Ptr, taps: Ptr, radius: number, alpha: number, seed: number, n: number, h: number, w: number, c: number, fillMode: FillModeCode, fillValue: number): void {
    if (!this.shareAugment(AugmentOp.elasticWarp, x, y, taps, fields, n, h, w, c, fillMode, fillValue, alpha, seed, radius)) {
      this.k.elasticWarp(x, y, fields, taps, radius, alpha, seed, 0, n, h, w, c, fillMode, fillValue);
    }
  }

  /**
   * Runs an augmentation kernel with the worker, cut into chunks of samples (jobs.ts AugmentCall
   * names the arguments); false, having done nothing, when one thread should do it.
   */
  private shareAugment(
    op: AugmentOpCode, x: Ptr, y: Ptr, params: Ptr, work: Ptr, n: number, h: number, w: number, c: number,
    mode: number, value: number, value2: number, seed: number, radius: number,
  ): boolean {
    const link = this.awakeLink();
    const split = link && splitSamples(n, h * w * c);
    if (!split) return false;
    const call = { op, x, y, params, work, n, h, w, c, mode, value: floatBits(value), value2: floatBits(value2), seed, radius };
    link!.run(this.k, { kind: JobKind.augment, count: split.count, step: split.step, partial: 0, call }, this.layout.scratch[0]!);
    return true;
  }

  channelAffineRelu(x: Ptr, y: Ptr, center: Ptr, scale: Ptr, shift: Ptr, rows: number, cols: number): void {
    this.k.channelAffineRelu(x, y, center, scale, shift, rows, cols);
  }
}

/** Scratch floats the forward and kernel gradient take with m > 1: a 16-byte swizzle and a 4-byte offset per four output channels (assembly/depthwise-conv.ts). */
function lanePickFloats(g: Window2D, multiplier: number): number {
  return multiplier > 1 ? Math.ceil((g.c * multiplier * 5) / 4) : 0;
}

/** The depthwise kernels' arguments after the three pointers: the window, dilation, multiplier. */
function depthwiseArgs(g: Window2D, multiplier: number): [...WindowArgs, number, number, number] {
  return [...windowArgs(g), g.dh ?? 1, g.dw ?? 1, multiplier];
}

/** A convolution kernel's arguments as a job carries them (one literal shape: see jobs.ts). */
function convCall(g: Window2D, src: Ptr, weights: Ptr, bias: Ptr, dst: Ptr, filters: number, act: number, algorithm: number, rows: number): ConvCall {
  return {
    src, weights, bias, dst, n: g.n, h: g.h, w: g.w, c: g.c, kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw,
    padTop: g.padTop, padLeft: g.padLeft, oh: g.oh, ow: g.ow, filters, act, algorithm, rows,
  };
}
