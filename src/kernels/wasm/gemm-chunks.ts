import { NEXT } from './control.js';
import { windowArgs, type KernelExports } from './exports.js';
import { isAugmentJob, isGemmJob, JobKind, type ConvJob, type Job } from './jobs.js';
import { runAugmentChunk } from './augment-split.js';
import { chunkCall } from './split.js';

/**
 * Takes chunks of `job` from the shared counter and computes them until none are left; returns
 * how many it did. A GEMM chunk is a smaller GEMM (split.ts); a convolution chunk is a range of
 * pixels (conv-split.ts).
 */
export function runChunks(kernels: KernelExports, ctl: Int32Array, job: Job, scratch: number): number {
  for (let done = 0; ; done++) {
    const i = Atomics.add(ctl, NEXT, 1);
    if (i >= job.count) return done;
    if (isGemmJob(job)) {
      const g = chunkCall(job, i);
      kernels.gemm(g.transA !== 0, g.transB !== 0, g.m, g.n, g.k, g.a, g.lda, g.b, g.ldb, g.c, g.ldc, g.accumulate !== 0, scratch);
    } else if (isAugmentJob(job)) {
      runAugmentChunk(kernels, job, i);
    } else {
      // A thread's later chunks of a job reuse the filters its first one prepared in its scratch.
      runConvChunk(kernels, job, i, scratch, done > 0);
    }
  }
}

function runConvChunk(kernels: KernelExports, job: ConvJob, i: number, scratch: number, prepared: boolean): void {
  const c = job.call;
  const start = i * job.step;
  const end = Math.min(c.rows, start + job.step);
  switch (job.kind) {
    case JobKind.convForward:
      kernels.conv2d(c.src, c.weights, c.bias, c.dst, ...windowArgs(c), c.filters, c.act, start, end, scratch, prepared, c.algorithm);
      return;
    case JobKind.convInputGrad:
      kernels.conv2dBackwardInput(c.src, c.weights, c.dst, ...windowArgs(c), c.filters, start, end, scratch, prepared, c.algorithm);
      return;
    case JobKind.convFilterGrad:
      // Two halves of the pixels: the first sums into dW, the second into the partial buffer.
      kernels.conv2dBackwardFilter(c.src, c.weights, i === 0 ? c.dst : job.partial, ...windowArgs(c), c.filters, start, end, scratch, c.algorithm);
      return;
  }
}
