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
import { JobKind, type ConvCall, type ConvJob } from './jobs.js';
import { PARALLEL_MIN_MACS } from './split.js';

const MAX_CHUNKS = 12;
/**
 * Smallest chunk: a few hundred rows amortize a chunk's fixed costs. (The filters' set-up, panels
 * or a transformed kernel, is done once per thread and call: gemm-chunks.ts passes `prepared`.)
 */
const MIN_CHUNK_ROWS = 256;

/** Row chunks of call.rows pixels of `macsPerRow` multiply-adds each, or null if one thread should do it. */
export function planConv(kind: typeof JobKind.convForward | typeof JobKind.convInputGrad, call: ConvCall, macsPerRow: number): ConvJob | null {
  const rows = call.rows;
  if (rows * macsPerRow < PARALLEL_MIN_MACS) return null;
  const chunks = Math.min(MAX_CHUNKS, Math.floor(rows / MIN_CHUNK_ROWS));
  if (chunks < 2) return null;
  const step = Math.ceil(rows / chunks / 4) * 4;
  return { kind, count: Math.ceil(rows / step), step, partial: 0, call };
}

/** The filter gradient in two halves of the pixels, the second into `partial`; null if one thread should do it. */
export function planConvFilter(call: ConvCall, macsPerRow: number, partial: number): ConvJob | null {
  const rows = call.rows;
  if (rows * macsPerRow < PARALLEL_MIN_MACS || rows < 2 * MIN_CHUNK_ROWS) return null;
  return { kind: JobKind.convFilterGrad, count: 2, step: Math.ceil(rows / 2), partial, call };
}
