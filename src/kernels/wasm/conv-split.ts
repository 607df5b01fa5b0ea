/**
 * How the convolution kernels (assembly/conv-forward.ts, conv-backward.ts) are shared between
 * the main thread and its worker: chunks of pixel rows, whole 4-pixel tiles each. Every chunk
 * reads all of the (small) kernel and the windows of its own pixels, so rows are the only cut
 * worth making.
 *
 *   forward      conv2d over output pixels; args: x, w, bias, y, the 12 window ints, filters, act
 *   input grad   conv2dBackwardInput over INPUT pixels (each computes whole pixels of dx);
 *                args: dy, w, dx, window, filters
 *   filter grad  conv2dBackwardFilter over output pixels, in two halves: the first sums into
 *                dW, the second into the backend's partial buffer, added to dW afterwards
 *                (a sum over pixels cannot be cut into rows of dW); args: x, dy, dw, window, filters
 *
 * A job carries the kernel's arguments by name (jobs.ts ConvCall).
 */
import type { ConvCall, ConvJob } from './jobs.js';
import { PARALLEL_MIN_MACS } from './split.js';

const MAX_CHUNKS = 12;
/**
 * Smallest chunk: a few hundred rows amortize a chunk's fixed costs. (The filters' set-up, panels
 * or a transformed kernel, is done once per thread and call: gemm-chunks.ts passes `prepared`.)
 */
const MIN_CHUNK_ROWS = 256;

/** How a convolution's pixels are cut: `count` chunks of `step` rows. */
export interface ConvSplit {
  count: number;
  step: number;
}

/**
 * Row chunks of `rows` pixels of `macsPerRow` multiply-adds each (forward, input gradient), or
 * null if one thread should do it. Decided before the job is built, so a call that stays on one
 * thread allocates nothing.
 */
export function splitConvRows(rows: number, macsPerRow: number): ConvSplit | null {
  if (rows * macsPerRow < PARALLEL_MIN_MACS) return null;
  const chunks = Math.min(MAX_CHUNKS, Math.floor(rows / MIN_CHUNK_ROWS));
  if (chunks < 2) return null;
  const step = Math.ceil(rows / chunks / 4) * 4;
  return { count: Math.ceil(rows / step), step };
}

/** The filter gradient in two halves of the pixels (the second summed into a partial buffer); null if one thread should do it. */
export function splitConvFilter(rows: number, macsPerRow: number): ConvSplit | null {
  if (rows * macsPerRow < PARALLEL_MIN_MACS || rows < 2 * MIN_CHUNK_ROWS) return null;
  return { count: 2, step: Math.ceil(rows / 2) };
}

/** The job of a split convolution: the kernel's arguments by name, and how they are cut. */
export function convJob(kind: ConvJob['kind'], split: ConvSplit, partial: number, call: ConvCall): ConvJob {
  return { kind, count: split.count, step: split.step, partial, call };
}
