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
 * A job is [kind, chunk count, chunk size, partial pointer, ...args, row count] (split.ts Job).
 */
import { PARALLEL_MIN_MACS, SPLIT_CONV, SPLIT_CONV_DW, SPLIT_CONV_DX } from './split.js';
import type { Job } from './split.js';

export type ConvArgs = number[];

const MAX_CHUNKS = 12;
/**
 * Smallest chunk: a few hundred rows amortize a chunk's fixed costs. (The filters' set-up, panels
 * or a transformed kernel, is done once per thread and call: gemm-chunks.ts passes `prepared`.)
 */
const MIN_CHUNK_ROWS = 256;

/** Row chunks for `rows` pixels of `macsPerRow` multiply-adds each, or null if one thread should do it. */
export function planConv(args: ConvArgs, rows: number, macsPerRow: number, kind = SPLIT_CONV): Job | null {
  if (rows * macsPerRow < PARALLEL_MIN_MACS) return null;
  const chunks = Math.min(MAX_CHUNKS, Math.floor(rows / MIN_CHUNK_ROWS));
  if (chunks < 2) return null;
  const step = Math.ceil(rows / chunks / 4) * 4;
  return [kind, Math.ceil(rows / step), step, 0, ...args, rows];
}

/** The filter gradient in two halves of the pixels, the second into `partial`; null if one thread should do it. */
export function planConvFilter(args: ConvArgs, rows: number, macsPerRow: number, partial: number): Job | null {
  if (rows * macsPerRow < PARALLEL_MIN_MACS || rows < 2 * MIN_CHUNK_ROWS) return null;
  return [SPLIT_CONV_DW, 2, Math.ceil(rows / 2), partial, ...args, rows];
}
