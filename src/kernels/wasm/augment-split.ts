/**
 * How the augmentation kernels (assembly/affine-warp.ts, elastic-warp.ts) are shared between the
 * main thread and its worker: chunks of whole samples. Every sample is warped on its own, from its
 * own parameters, so a chunk computes exactly what the whole call computes for those samples and
 * the threaded result equals the one-thread result bit for bit, however the chunks fall.
 */
import type { KernelExports } from './exports.js';
import { AugmentOp, bitsFloat, type AugmentJob } from './jobs.js';

const MAX_CHUNKS = 8;
/**
 * Smallest call shared with the worker, in image values (n·h·w·c): a small batch is not worth
 * waking it. Set by judgement, not measured (bench/augment-kernels.ts times a batch of 64 MNIST
 * digits, 50,176 values, well above it).
 */
const MIN_VALUES = 8192;

/** How a batch is cut: `count` chunks of `step` samples. */
export interface SampleSplit {
  count: number;
  step: number;
}

/**
 * Chunks of `n` samples of `imageValues` values each, or null if one thread should do it.
 * Decided before the job is built, so a call that stays on one thread allocates nothing.
 */
export function splitSamples(n: number, imageValues: number): SampleSplit | null {
  if (n < 2 || n * imageValues < MIN_VALUES) return null;
  const step = Math.ceil(n / Math.min(MAX_CHUNKS, n));
  return { count: Math.ceil(n / step), step };
}

/** Computes chunk i (samples i·step … up to n) of an augment job. */
export function runAugmentChunk(kernels: KernelExports, job: AugmentJob, i: number): void {
  const a = job.call;
  const start = i * job.step;
  const count = Math.min(a.n, start + job.step) - start;
  const image = a.h * a.w * a.c;
  const at = start * image;
  switch (a.op) {
    case AugmentOp.affineWarp:
      kernels.affineWarp(a.x + at, a.y + at, a.params + 6 * start, count, a.h, a.w, a.c, a.mode, bitsFloat(a.value));
      return;
    case AugmentOp.adjustContrast:
      kernels.adjustContrast(a.x + at, a.y + at, a.params + start, count, a.h * a.w, a.c, bitsFloat(a.value), bitsFloat(a.value2));
      return;
    case AugmentOp.elasticWarp:
      kernels.elasticWarp(a.x, a.y, a.work, a.params, a.radius, bitsFloat(a.value2), a.seed, start, start + count, a.h, a.w, a.c, a.mode, bitsFloat(a.value));
      return;
  }
}
