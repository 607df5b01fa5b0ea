/** Small seeded PRNG utilities so tests (JS reference and WASM parity) are reproducible. */

/** A generator of uniform floats in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny 32-bit-state PRNG; the same seed always yields the same sequence. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
