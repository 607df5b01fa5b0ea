import { uniformHash } from '../kernels.js';
import type { Ptr } from '../kernels.js';

/**
 * Inverted dropout: keep element j when uniformHash(seed, j) ≥ rate;
 * mask[j] = kept ? 1/(1−rate) : 0 and y = x·mask. y may alias x.
 */
export function dropout(f: Float32Array, x: Ptr, y: Ptr, mask: Ptr, n: number, rate: number, seed: number): void {
  const scale = Math.fround(1 / (1 - rate));
  for (let j = 0; j < n; j++) {
    const m = uniformHash(seed, j) >= rate ? scale : 0;
    f[mask + j] = m;
    f[y + j] = f[x + j] * m;
  }
}

/** out = a ⊙ b; out may alias a or b. */
export function multiply(f: Float32Array, a: Ptr, b: Ptr, out: Ptr, n: number): void {
  for (let j = 0; j < n; j++) f[out + j] = f[a + j] * f[b + j];
}

/** x[0..n) = value. */
export function fill(f: Float32Array, x: Ptr, n: number, value: number): void {
  f.fill(value, x, x + n);
}

export function firstNonFinite(f: Float32Array, x: Ptr, n: number): number {
  for (let i = 0; i < n; i++) if (!Number.isFinite(f[x + i]!)) return i;
  return -1;
}
