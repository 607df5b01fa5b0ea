/**
 * A job the main thread shares with its worker (control.ts), with named fields, and its
 * encoding as int32s in the control block: [kind, count, step, partial, ...the call's fields in
 * the order below]. encodeJob and decodeJob are the only code that knows the positions.
 */
import type { Window2D } from '../kernels.js';

/** What a job computes and how it is cut: GEMMs by rows, columns or depth (split.ts); convolutions by pixels (conv-split.ts). */
export const JobKind = { gemmRows: 0, gemmCols: 1, gemmDepth: 2, convForward: 3, convInputGrad: 4, convFilterGrad: 5 } as const;
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

export type Job = GemmJob | ConvJob;

const GEMM_FIELDS = ['transA', 'transB', 'm', 'n', 'k', 'a', 'lda', 'b', 'ldb', 'c', 'ldc', 'accumulate'] as const satisfies readonly (keyof GemmCall)[];
const CONV_FIELDS = [
  'src', 'weights', 'bias', 'dst', 'n', 'h', 'w', 'c', 'kh', 'kw', 'sh', 'sw', 'padTop', 'padLeft', 'oh', 'ow', 'filters', 'act', 'algorithm', 'rows',
] as const satisfies readonly (keyof ConvCall)[];
const HEADER = 4;

/** Int32s the longest job takes in the control block. */
export const JOB_INTS = HEADER + Math.max(GEMM_FIELDS.length, CONV_FIELDS.length);

export function isGemmJob(job: Job): job is GemmJob {
  return job.kind <= JobKind.gemmDepth;
}

/** Writes `job` into `out` from index `at` (the control block's job lines). */
export function encodeJob(job: Job, out: Int32Array, at: number): void {
  out[at] = job.kind;
  out[at + 1] = job.count;
  out[at + 2] = job.step;
  out[at + 3] = job.partial;
  const call = job.call as unknown as Record<string, number>;
  const fields: readonly string[] = isGemmJob(job) ? GEMM_FIELDS : CONV_FIELDS;
  for (let i = 0; i < fields.length; i++) out[at + HEADER + i] = call[fields[i]!]!;
}

/** Reads a job that encodeJob wrote at `at`. */
export function decodeJob(ints: ArrayLike<number>, at: number): Job {
  const kind = ints[at]!;
  const header = { count: ints[at + 1]!, step: ints[at + 2]!, partial: ints[at + 3]! };
  const fields: readonly string[] = kind <= JobKind.gemmDepth ? GEMM_FIELDS : CONV_FIELDS;
  const call: Record<string, number> = {};
  for (let i = 0; i < fields.length; i++) call[fields[i]!] = ints[at + HEADER + i]!;
  return { kind, ...header, call } as unknown as Job;
}
