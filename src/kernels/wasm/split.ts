/**
 * How one GEMM is shared between the main thread and its worker.
 *
 * The product is cut into chunks that either thread takes from a shared counter until none
 * are left, so a worker that wakes late (or a core busy with something else) only means the
 * other thread takes more chunks: two threads are never slower than one by more than a chunk.
 */

/** GEMM arguments as the kernels take them: transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate. */
export type GemmArgs = [number, number, number, number, number, number, number, number, number, number, number, number];

/** rows: chunks of M; cols: chunks of N; depth: two halves of K, the second into `partial`. */
export const SPLIT_ROWS = 0;
export const SPLIT_COLS = 1;
export const SPLIT_DEPTH = 2;
/** Convolution kernels cut into chunks of pixels (conv-split.ts): forward, input and filter gradients. */
export const SPLIT_CONV = 3;
export const SPLIT_CONV_DX = 4;
export const SPLIT_CONV_DW = 5;

/**
 * A job as it sits in the control block: a header (kind, chunk count, chunk size, partial-product
 * pointer), then the kernel's arguments from JOB_ARGS on (GemmArgs, or conv-split.ts ConvArgs).
 */
export type Job = number[];
export const JOB_KIND = 0;
export const JOB_COUNT = 1;
export const JOB_STEP = 2;
export const JOB_PARTIAL = 3;
export const JOB_ARGS = 4;
/** Room for the longest argument list (the convolution's 18). */
export const JOB_INTS = 24;

/** A GEMM job: header, then GemmArgs. */
export type GemmJob = Job;

/**
 * Below this many multiply-adds (~130 µs on one core) one thread is as fast: posting a job
 * costs a few µs and each chunk packs its own copy of the operand it shares. The worker is
 * woken from sleep for such products too: waking costs 5–90 µs, but once awake it spins
 * through the short gaps between a step's kernels. A higher bar for waking it, 1 << 24 (~1 ms
 * on one core), was never reached by the default model at batch 64, whose convolutions are
 * 7–13M multiply-adds: its training ran on one thread. Measured side by side (alternating
 * rounds, one process, idle machine): 3,181 samples/s with that bar (= one thread), 4,865
 * with 1 << 22, 4,808 with 1 << 20; the seed model was the same at all three (~340).
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
export function planGemm(args: GemmArgs, partial: number, partialFloats: number): GemmJob | null {
  const [transA, , m, n, k] = args;
  if (m * n * k < PARALLEL_MIN_MACS) return null;
  const readA = m * k * (transA ? 2 : 1);
  const readB = k * n * 2;
  let best: GemmJob | null = null;
  let bestCost = Infinity;
  const consider = (kind: number, count: number, step: number, cost: number): void => {
    if (cost < bestCost) {
      bestCost = cost;
      best = [kind, count, step, partial, ...args];
    }
  };
  const rowChunks = Math.min(MAX_CHUNKS, Math.floor(m / MIN_CHUNK));
  if (rowChunks >= 2) {
    const step = Math.ceil(m / rowChunks / 4) * 4; // whole 4-row micro-tiles
    consider(SPLIT_ROWS, Math.ceil(m / step), step, readA + rowChunks * readB);
  }
  const colChunks = Math.min(MAX_CHUNKS, Math.floor(n / MIN_CHUNK));
  if (colChunks >= 2) {
    const step = Math.ceil(n / colChunks / 8) * 8; // whole 8-column micro-tiles
    consider(SPLIT_COLS, Math.ceil(n / step), step, colChunks * readA + readB);
  }
  if (k >= 256 && m * n <= partialFloats) {
    consider(SPLIT_DEPTH, 2, Math.round(k / 8) * 4, readA + readB + m * n);
  }
  return best;
}

/** The GEMM of chunk i of a job. */
export function chunkArgs(job: ArrayLike<number>, i: number): GemmArgs {
  const o = JOB_ARGS;
  const ta = job[o]!, tb = job[o + 1]!, m = job[o + 2]!, n = job[o + 3]!, k = job[o + 4]!;
  const a = job[o + 5]!, lda = job[o + 6]!, b = job[o + 7]!, ldb = job[o + 8]!, c = job[o + 9]!, ldc = job[o + 10]!, acc = job[o + 11]!;
  const kind = job[JOB_KIND]!, step = job[JOB_STEP]!, partial = job[JOB_PARTIAL]!;
  const at = i * step;
  if (kind === SPLIT_ROWS) {
    return [ta, tb, Math.min(step, m - at), n, k, ta ? a + at : a + at * lda, lda, b, ldb, c + at * ldc, ldc, acc];
  }
  if (kind === SPLIT_COLS) {
    return [ta, tb, m, Math.min(step, n - at), k, a, lda, tb ? b + at * ldb : b + at, ldb, c + at, ldc, acc];
  }
  if (i === 0) return [ta, tb, m, n, step, a, lda, b, ldb, c, ldc, acc];
  return [ta, tb, m, n, k - step, ta ? a + step * lda : a + step, lda, tb ? b + step : b + step * ldb, ldb, partial, n, 0];
}
