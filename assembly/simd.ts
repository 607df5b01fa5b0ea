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
