/** Small seeded PRNG utilities so tests (JS reference and WASM parity) are reproducible. */

/** A generator of uniform floats in [0, 1). */
export type Rng = () => number;

export { mulberry32 } from '../../src/synthetic/rng.js';

/** n uniform values in [lo, hi), rounded to float32. */
export function randomArray(rng: Rng, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng();
  return out;
}

/** A uniform integer in [lo, hi). */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor((hi - lo) * rng());
}
