/**
 * How one GEMM is shared between the main thread and its worker.
 *
 * The product is cut into chunks that either thread takes from a shared counter until none
 * are left, so a worker that wakes late (or a core busy with something else) only means the
 * other thread takes more chunks: two threads are never slower than one by more than a chunk.
 */
import { JobKind, type GemmCall, type GemmJob } from './jobs.js';

/**
 * Below this many multiply-adds one thread is as fast: posting a job costs a little and each
 * chunk packs its own copy of the operand it shares. The worker is woken from sleep for
 * products this big too: waking costs more than the job's setup, but once awake it spins
 * through the short gaps between a step's kernels. The bar must be low enough that the default
 * model's convolutions (7–13M multiply-adds at batch 64) are shared, or its training runs on
 * one thread; bench/run.ts --wasmnn-only --only training compares 1 and 2 threads.
 */
export const PARALLEL_MIN_MACS = 1 << 22;
const MAX_CHUNKS = 12;
/** Smallest chunk along M or N worth a packing pass of its own. */
const MIN_CHUNK = 32;

/**
 * Chooses the cut that moves the fewest operand elements. Each chunk reads its slice of one
 * operand and all of the other; a packed operand counts twice (read, then written and read
 * again), a row-major A is read in place (see assembly/gemm.ts):
 *   rows   A once, B packed per chunk       tall products: conv forward, conv dX, Dense dW
 *   cols   A per chunk, B packed once       wide ones: Dense dX, large squares
 *   depth  A once, B once, + the m×n sum    skinny with a long K: Dense forward (32×10×18432),
 *          conv dW; the worker's half goes to a partial product added into C afterwards.
 * Returns null when the product is too small to pay for a second thread.
 */
export function planGemm(call: GemmCall, partial: number, partialFloats: number): GemmJob | null {
  const { transA, m, n, k } = call;
  if (m * n * k < PARALLEL_MIN_MACS) return null;
  const readA = m * k * (transA ? 2 : 1);
  const readB = k * n * 2;
  let best: GemmJob | null = null;
  let bestCost = Infinity;
  const consider = (kind: GemmJob['kind'], count: number, step: number, cost: number): void => {
    if (cost < bestCost) {
      bestCost = cost;
      best = { kind, count, step, partial, call };
    }
  };
  const rowChunks = Math.min(MAX_CHUNKS, Math.floor(m / MIN_CHUNK));
  if (rowChunks >= 2) {
    const step = Math.ceil(m / rowChunks / 4) * 4; // whole 4-row micro-tiles
    consider(JobKind.gemmRows, Math.ceil(m / step), step, readA + rowChunks * readB);
  }
  const colChunks = Math.min(MAX_CHUNKS, Math.floor(n / MIN_CHUNK));
  if (colChunks >= 2) {
    const step = Math.ceil(n / colChunks / 8) * 8; // whole 8-column micro-tiles
    consider(JobKind.gemmCols, Math.ceil(n / step), step, colChunks * readA + readB);
  }
  if (k >= 256 && m * n <= partialFloats) {
    consider(JobKind.gemmDepth, 2, Math.round(k / 8) * 4, readA + readB + m * n);
  }
  return best;
}

/** The GEMM of chunk i of a job. */
export function chunkCall(job: GemmJob, i: number): GemmCall {
  const g = job.call;
  const at = i * job.step;
  if (job.kind === JobKind.gemmRows) {
    return { ...g, m: Math.min(job.step, g.m - at), a: g.transA ? g.a + at : g.a + at * g.lda, c: g.c + at * g.ldc };
  }
  if (job.kind === JobKind.gemmCols) {
    return { ...g, n: Math.min(job.step, g.n - at), b: g.transB ? g.b + at * g.ldb : g.b + at, c: g.c + at };
  }
  if (i === 0) return { ...g, k: job.step };
  // The second half of K sums into the partial product, added into C afterwards.
  return { ...g, k: g.k - job.step, a: g.transA ? g.a + job.step * g.lda : g.a + job.step, b: g.transB ? g.b + job.step : g.b + job.step * g.ldb, c: job.partial, ldc: g.n, accumulate: 0 };
}
