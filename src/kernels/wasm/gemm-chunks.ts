import { NEXT } from './control.js';
import type { KernelExports } from './exports.js';
import { JOB_ARGS, JOB_COUNT, JOB_KIND, JOB_PARTIAL, JOB_STEP, SPLIT_CONV, SPLIT_CONV_DW, SPLIT_CONV_DX, chunkArgs } from './split.js';

/**
 * Takes chunks of `job` from the shared counter and computes them until none are left; returns
 * how many it did. A GEMM chunk is a smaller GEMM (split.ts); a convolution chunk is a range of
 * pixels (conv-split.ts).
 */
export function runChunks(kernels: KernelExports, ctl: Int32Array, job: ArrayLike<number>, scratch: number): number {
  const count = job[JOB_COUNT]!;
  const kind = job[JOB_KIND]!;
  for (let done = 0; ; done++) {
    const i = Atomics.add(ctl, NEXT, 1);
    if (i >= count) return done;
    // A thread's later chunks of a job reuse the filters its first one prepared in its scratch.
    if (kind >= SPLIT_CONV) runConvChunk(kernels, job, kind, i, scratch, done > 0);
    else {
      const g = chunkArgs(job, i);
      kernels.gemm(g[0] !== 0, g[1] !== 0, g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11] !== 0, scratch);
    }
  }
}

function runConvChunk(kernels: KernelExports, job: ArrayLike<number>, kind: number, i: number, scratch: number, prepared: boolean): void {
  const a = (j: number): number => job[JOB_ARGS + j]!;
  const step = job[JOB_STEP]!;
  if (kind === SPLIT_CONV) {
    const end = Math.min(a(18), (i + 1) * step);
    kernels.conv2d(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11), a(12), a(13), a(14), a(15),
      a(16), a(17), i * step, end, scratch, prepared);
    return;
  }
  const end = Math.min(a(16), (i + 1) * step);
  if (kind === SPLIT_CONV_DX) {
    kernels.conv2dBackwardInput(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11), a(12), a(13), a(14),
      a(15), i * step, end, scratch, prepared);
  } else if (kind === SPLIT_CONV_DW) {
    const out = i === 0 ? a(2) : job[JOB_PARTIAL]!;
    kernels.conv2dBackwardFilter(a(0), a(1), out, a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11), a(12), a(13), a(14),
      a(15), i * step, end, scratch);
  }
}
