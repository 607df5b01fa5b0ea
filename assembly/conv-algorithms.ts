// The codes of convPlan's answer (conv-plan.ts), shared by the kernels that take it as an
// argument. Keep them in sync with src/kernels/wasm/conv-algorithms.ts.

/** The directions a convolution is computed in. */
export const CONV_FORWARD: i32 = 0;
export const CONV_INPUT_GRAD: i32 = 1;
export const CONV_FILTER_GRAD: i32 = 2;

/** im2col, a GEMM and col2im in JS: for layers the fused kernels' buffers cannot hold (and strided input gradients). */
export const CONV_BY_COLUMNS: i32 = 0;
/** Plain loops: the build without SIMD. */
export const CONV_SCALAR: i32 = 1;
/** Implicit GEMM: windows read in place or gathered per 4 pixels; the input gradient with the flipped kernel. */
export const CONV_DIRECT: i32 = 2;
/** Winograd's minimal filtering F(2×2, 3×3) or F(4×4, 3×3): 3×3 stride-1 layers with 16+ channels in groups of 4. */
export const CONV_WINOGRAD_F2: i32 = 3;
export const CONV_WINOGRAD_F4: i32 = 4;

/** The Winograd output tile size of an algorithm code (2 or 4). */
export function winogradTileOf(algorithm: i32): i32 {
  return algorithm == CONV_WINOGRAD_F4 ? 4 : 2;
}
