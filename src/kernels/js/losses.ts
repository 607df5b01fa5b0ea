import type { Ptr } from '../kernels.js';

const EPSILON = 1e-7;

/**
 * Softmax + cross-entropy: dz = (p − t)/rows; returns mean over rows of −Σ t·log(max(p, 1e-7)).
 */
export function softmaxCrossEntropy(f: Float32Array, p: Ptr, t: Ptr, dz: Ptr, rows: number, cols: number): number {
  let loss = 0;
  for (let j = 0; j < rows * cols; j++) {
    const pj = f[p + j];
    const tj = f[t + j];
    if (tj !== 0) loss -= tj * Math.log(Math.max(pj, EPSILON));
    f[dz + j] = (pj - tj) / rows;
  }
  return loss / rows;
}

/**
 * Cross-entropy of probabilities: p clipped to [1e-7, 1−1e-7]; dp = −t/(p_clipped·rows),
 * 0 where p was clipped. Returns the mean over rows of −Σ t·log(p_clipped).
 */
export function crossEntropy(f: Float32Array, p: Ptr, t: Ptr, dp: Ptr, rows: number, cols: number): number {
  let loss = 0;
  for (let j = 0; j < rows * cols; j++) {
    const pj = f[p + j];
    const tj = f[t + j];
    const clipped = pj < EPSILON || pj > 1 - EPSILON;
    const pc = Math.min(Math.max(pj, EPSILON), 1 - EPSILON);
    if (tj !== 0) loss -= tj * Math.log(pc);
    f[dp + j] = clipped ? 0 : -tj / (pc * rows);
  }
  return loss / rows;
}

/** Returns Σ(p−t)²/(rows·cols); dp = 2(p−t)/(rows·cols). */
export function meanSquaredError(f: Float32Array, p: Ptr, t: Ptr, dp: Ptr, rows: number, cols: number): number {
  const count = rows * cols;
  let loss = 0;
  for (let j = 0; j < count; j++) {
    const d = f[p + j] - f[t + j];
    loss += d * d;
    f[dp + j] = (2 * d) / count;
  }
  return loss / count;
}
