import { NEXT } from './control.js';
import type { KernelExports } from './exports.js';
import { JOB_COUNT, chunkArgs } from './split.js';

/** Takes chunks of `job` from the shared counter and computes them until none are left; returns how many it did. */
export function runChunks(kernels: KernelExports, ctl: Int32Array, job: ArrayLike<number>, scratch: number): number {
  const count = job[JOB_COUNT]!;
  for (let done = 0; ; done++) {
    const i = Atomics.add(ctl, NEXT, 1);
    if (i >= count) return done;
    const g = chunkArgs(job, i);
    kernels.gemm(g[0] !== 0, g[1] !== 0, g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11] !== 0, scratch);
  }
}
