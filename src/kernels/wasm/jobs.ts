/**
 * A job the main thread shares with its worker (control.ts), with named fields, and its
 * encoding as int32s in the control block: [kind, count, step, partial, ...the call's fields in
 * the order below]. encodeJob and decodeJob are the only code that knows the positions.
 */
import type { Window2D } from '../kernels.js';

/**
 * What a job computes and how it is cut: GEMMs by rows, columns or depth (split.ts); convolutions
 * by pixels (conv-split.ts); augmentation kernels by samples (augment-split.ts).
 */
export const JobKind = {
  gemmRows: 0, gemmCols: 1, gemmDepth: 2, convForward: 3, convInputGrad: 4, convFilterGrad: 5,
  augment: 6,
} as const;
export type GemmJobKind = typeof JobKind.gemmRows | typeof JobKind.gemmCols | typeof JobKind.gemmDepth;
export type ConvJobKind = typeof JobKind.convForward | typeof JobKind.convInputGrad | typeof JobKind.convFilterGrad;

/** A GEMM as the kernel takes it (booleans as 0/1): C = (accumulate ? C : 0) + op(A)·op(B). */
export interface GemmCall {
  transA: number;
  transB: number;
  m: number;
  n: number;
  k: number;
  a: number;
  lda: number;
  b: number;
  ldb: number;
  c: number;
  ldc: number;
  accumulate: number;
}

/**
 * A convolution kernel's arguments: forward (src x, weights w, bias, dst y, act), input gradient
 * (src dy, weights w, dst dx) or filter gradient (src x, weights dy, dst dw); `rows` pixels are
 * cut into chunks; `algorithm` is convPlan's answer.
 */
export interface ConvCall extends Window2D {
  src: number;
  weights: number;
  bias: number;
  dst: number;
  filters: number;
  act: number;
  algorithm: number;
  rows: number;
}

/** Which augmentation kernel an augment job runs. */
export const AugmentOp = { affineWarp: 0, adjustContrast: 1, elasticWarp: 2 } as const;
export type AugmentOpCode = (typeof AugmentOp)[keyof typeof AugmentOp];

/**
 * An augmentation kernel's arguments over a batch of `n` images h×w×c (each sample independent):
 *   affineWarp      params = transforms, mode = fill mode, value = fill value
 *   adjustContrast  params = factors, h = pixels, w = 1, value = lo, value2 = hi
 *   elasticWarp     params = Gaussian taps (radius + 1), work = the fields, mode = fill mode,
 *                   value = fill value, value2 = alpha, seed = the batch's draw seed
 * `value` and `value2` are floats carried as their f32 bits (floatBits), so the job stays int32s.
 */
export interface AugmentCall {
  op: AugmentOpCode;
  x: number;
  y: number;
  params: number;
  work: number;
  n: number;
  h: number;
  w: number;
  c: number;
  mode: number;
  value: number;
  value2: number;
  seed: number;
  radius: number;
}

interface JobHeader {
  /** Chunks to take from the shared counter. */
  count: number;
  /** Rows (or K, for depth) per chunk. */
  step: number;
  /** Element index of the partial product the second half of a depth or filter-gradient split sums into. */
  partial: number;
}

export interface GemmJob extends JobHeader {
  kind: GemmJobKind;
  call: GemmCall;
}

export interface ConvJob extends JobHeader {
  kind: ConvJobKind;
  call: ConvCall;
}

export interface AugmentJob extends JobHeader {
  kind: typeof JobKind.augment;
  call: AugmentCall;
}

export type Job = GemmJob | ConvJob | AugmentJob;

const HEADER = 4;
const GEMM_INTS = 12;
const CONV_INTS = 20;
const AUGMENT_INTS = 14;

/** Int32s the longest job takes in the control block. */
export const JOB_INTS = HEADER + Math.max(GEMM_INTS, CONV_INTS, AUGMENT_INTS);

export function isGemmJob(job: Job): job is GemmJob {
  return job.kind <= JobKind.gemmDepth;
}

export function isAugmentJob(job: Job): job is AugmentJob {
  return job.kind === JobKind.augment;
}

const bitsF32 = new Float32Array(1);
const bitsI32 = new Int32Array(bitsF32.buffer);

/** The f32 bits of v as an int32 (v rounded to f32 first), for a float in a job. */
export function floatBits(v: number): number {
  bitsF32[0] = v;
  return bitsI32[0]!;
}

/** The float whose f32 bits floatBits returned. */
export function bitsFloat(bits: number): number {
  bitsI32[0] = bits;
  return bitsF32[0]!;
}

// The field positions below are written out, encode and decode side by side, rather than looped
// over a list of names: a job is encoded and decoded for every shared kernel call, and objects
// built with literal shapes keep V8's property access fast (test/kernels-wasm.test.ts checks
// that decode(encode(job)) is the job, for both kinds).

/** Writes `job` into `out` from index `at` (the control block's job lines). */
export function encodeJob(job: Job, out: Int32Array, at: number): void {
  out[at] = job.kind;
  out[at + 1] = job.count;
  out[at + 2] = job.step;
  out[at + 3] = job.partial;
  const o = at + HEADER;
  if (isGemmJob(job)) {
    const g = job.call;
    out[o] = g.transA; out[o + 1] = g.transB; out[o + 2] = g.m; out[o + 3] = g.n; out[o + 4] = g.k; out[o + 5] = g.a;
    out[o + 6] = g.lda; out[o + 7] = g.b; out[o + 8] = g.ldb; out[o + 9] = g.c; out[o + 10] = g.ldc; out[o + 11] = g.accumulate;
    return;
  }
  if (isAugmentJob(job)) {
    const a = job.call;
    out[o] = a.op; out[o + 1] = a.x; out[o + 2] = a.y; out[o + 3] = a.params; out[o + 4] = a.work; out[o + 5] = a.n; out[o + 6] = a.h;
    out[o + 7] = a.w; out[o + 8] = a.c; out[o + 9] = a.mode; out[o + 10] = a.value; out[o + 11] = a.value2; out[o + 12] = a.seed; out[o + 13] = a.radius;
    return;
  }
  const c = job.call;
  out[o] = c.src; out[o + 1] = c.weights; out[o + 2] = c.bias; out[o + 3] = c.dst;
  out[o + 4] = c.n; out[o + 5] = c.h; out[o + 6] = c.w; out[o + 7] = c.c; out[o + 8] = c.kh; out[o + 9] = c.kw;
  out[o + 10] = c.sh; out[o + 11] = c.sw; out[o + 12] = c.padTop; out[o + 13] = c.padLeft; out[o + 14] = c.oh; out[o + 15] = c.ow;
  out[o + 16] = c.filters; out[o + 17] = c.act; out[o + 18] = c.algorithm; out[o + 19] = c.rows;
}

/** Reads a job that encodeJob wrote at `at`. */
export function decodeJob(ints: ArrayLike<number>, at: number): Job {
  const kind = ints[at]!;
  const count = ints[at + 1]!;
  const step = ints[at + 2]!;
  const partial = ints[at + 3]!;
  const o = at + HEADER;
  if (kind <= JobKind.gemmDepth) {
    const call: GemmCall = {
      transA: ints[o]!, transB: ints[o + 1]!, m: ints[o + 2]!, n: ints[o + 3]!, k: ints[o + 4]!, a: ints[o + 5]!,
      lda: ints[o + 6]!, b: ints[o + 7]!, ldb: ints[o + 8]!, c: ints[o + 9]!, ldc: ints[o + 10]!, accumulate: ints[o + 11]!,
    };
    return { kind: kind as GemmJobKind, count, step, partial, call };
  }
  if (kind === JobKind.augment) {
    const call: AugmentCall = {
      op: ints[o]! as AugmentOpCode, x: ints[o + 1]!, y: ints[o + 2]!, params: ints[o + 3]!, work: ints[o + 4]!, n: ints[o + 5]!, h: ints[o + 6]!,
      w: ints[o + 7]!, c: ints[o + 8]!, mode: ints[o + 9]!, value: ints[o + 10]!, value2: ints[o + 11]!, seed: ints[o + 12]!, radius: ints[o + 13]!,
    };
    return { kind, count, step, partial, call };
  }
  const call: ConvCall = {
    src: ints[o]!, weights: ints[o + 1]!, bias: ints[o + 2]!, dst: ints[o + 3]!,
    n: ints[o + 4]!, h: ints[o + 5]!, w: ints[o + 6]!, c: ints[o + 7]!, kh: ints[o + 8]!, kw: ints[o + 9]!,
    sh: ints[o + 10]!, sw: ints[o + 11]!, padTop: ints[o + 12]!, padLeft: ints[o + 13]!, oh: ints[o + 14]!, ow: ints[o + 15]!,
    filters: ints[o + 16]!, act: ints[o + 17]!, algorithm: ints[o + 18]!, rows: ints[o + 19]!,
  };
  return { kind: kind as ConvJobKind, count, step, partial, call };
}
