// SIMD helpers shared by the GEMM and convolution kernels.

/** c + a·b: fused (one rounding) in the relaxed-SIMD build, mul then add in the plain one. */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** max(v, 0) with NaN → 0, the same as the scalar `v > 0 ? v : 0`. */
@inline
export function relu4(v: v128): v128 {
  return v128.and(v, f32x4.gt(v, f32x4.splat(0)));
}

/** The first `valid` floats at p (all 4 when valid ≥ 4), zeros in the other lanes. */
@inline
export function loadLanes(p: usize, valid: i32): v128 {
  if (valid >= 4) return v128.load(p);
  let out = f32x4.splat(0);
  if (valid > 0) out = f32x4.replace_lane(out, 0, load<f32>(p));
  if (valid > 1) out = f32x4.replace_lane(out, 1, load<f32>(p, 4));
  if (valid > 2) out = f32x4.replace_lane(out, 2, load<f32>(p, 8));
  return out;
}

/** Stores the first `valid` lanes of v at p (all 4 when valid ≥ 4): a ragged group of filters. */
@inline
export function storeLanes(p: usize, v: v128, valid: i32): void {
  if (valid >= 4) {
    v128.store(p, v);
    return;
  }
  if (valid > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (valid > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (valid > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** Stores the transpose of the 4×4 block whose rows are r0..r3: row i of dst (stride ld bytes) gets column i. */
@inline
export function storeTransposed(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, ld: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(dst + ld, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * ld, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * ld, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}
