// Elementwise kernels: dropout, multiply, fill, firstNonFinite. Pointers are element indices (byte = ptr << 2).

/**
 * Inverted dropout with the counter-based lowbias32 hash of src/kernels/kernels.ts
 * (`uniformHash`), bit for bit: u = (h >>> 8)·2⁻²⁴ and element i is kept when u ≥ rate.
 * Since u is a multiple of 2⁻²⁴, that is exactly (h >>> 8) ≥ ceil(rate·2²⁴): an integer test,
 * so the f64 rate never has to be rounded to f32.
 */
export function dropout(x: usize, y: usize, mask: usize, n: i32, rate: f64, seed: i32): void {
  x <<= 2;
  y <<= 2;
  mask <<= 2;
  const scale = <f32>(1.0 / (1.0 - rate));
  const threshold = <i32>Math.min(Math.max(Math.ceil(rate * 16777216.0), 0), 16777217);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const scaleV = f32x4.splat(scale);
    const thresholdV = i32x4.splat(threshold);
    const step = i32x4.splat(4 * <i32>0x9e3779b9);
    let hv = i32x4.add(i32x4.splat(seed), i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(<i32>0x9e3779b9)));
    for (; i + 4 <= n; i += 4) {
      let v = hv;
      v = v128.xor(v, i32x4.shr_u(v, 16));
      v = i32x4.mul(v, i32x4.splat(0x7feb352d));
      v = v128.xor(v, i32x4.shr_u(v, 15));
      v = i32x4.mul(v, i32x4.splat(<i32>0x846ca68b));
      v = v128.xor(v, i32x4.shr_u(v, 16));
      const keep = i32x4.ge_s(i32x4.shr_u(v, 8), thresholdV);
      const m = v128.and(scaleV, keep);
      const o = <usize>i << 2;
      v128.store(mask + o, m);
      v128.store(y + o, f32x4.mul(v128.load(x + o), m));
      hv = i32x4.add(hv, step);
    }
  }
  for (; i < n; i++) {
    const m: f32 = <i32>(hash(seed, i) >>> 8) >= threshold ? scale : 0;
    const o = <usize>i << 2;
    store<f32>(mask + o, m);
    store<f32>(y + o, load<f32>(x + o) * m);
  }
}

/** lowbias32 of seed + i·0x9E3779B9 (wrapping 32-bit arithmetic); also elastic-warp.ts's noise. */
@inline
export function hash(seed: i32, i: i32): u32 {
  let v = <u32>(seed + i * <i32>0x9e3779b9);
  v ^= v >>> 16;
  v *= 0x7feb352d;
  v ^= v >>> 15;
  v *= 0x846ca68b;
  v ^= v >>> 16;
  return v;
}

export function multiply(a: usize, b: usize, out: usize, n: i32): void {
  a <<= 2;
  b <<= 2;
  out <<= 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

export function fill(x: usize, n: i32, value: f32): void {
  x <<= 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const v = f32x4.splat(value);
    for (; i + 4 <= n; i += 4) v128.store(x + (<usize>i << 2), v);
  }
  for (; i < n; i++) store<f32>(x + (<usize>i << 2), value);
}

/**
 * The index of the first NaN or ±Infinity among x[0..n), or −1. v − v is 0 for every finite v
 * and NaN otherwise, so four values are tested with one subtraction and one compare.
 */
export function firstNonFinite(x: usize, n: i32): i32 {
  x <<= 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // 16 values per test: the flags of four vectors are or-ed and tested once (a branch per
    // vector cost as much as the scan). A block with a bad value is then searched value by value.
    const zero = f32x4.splat(0);
    for (; i + 16 <= n; i += 16) {
      const p = x + (<usize>i << 2);
      const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 32), d = v128.load(p, 48);
      const bad = v128.or(
        v128.or(f32x4.ne(f32x4.sub(a, a), zero), f32x4.ne(f32x4.sub(b, b), zero)),
        v128.or(f32x4.ne(f32x4.sub(c, c), zero), f32x4.ne(f32x4.sub(d, d), zero)),
      );
      if (v128.any_true(bad)) break;
    }
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v - v != 0) return i;
  }
  return -1;
}
