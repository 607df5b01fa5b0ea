// How a convolution runs, decided in one place for each direction. The JS side (src/kernels/
// wasm) asks convPlan once per call and switches on the answer: the columns algorithm runs there
// (im2col + GEMM + col2im), the others here, where the kernels take the answer as an argument
// and never decide again. The codes are in conv-algorithms.ts.
import { convForwardFits } from './conv-forward';
import { convBackwardFilterFits, convBackwardInputFits } from './conv-backward';
import { winogradAct, winogradFits, winogradShape, winogradTile } from './winograd';
import {
  CONV_BY_COLUMNS, CONV_DIRECT, CONV_FORWARD, CONV_INPUT_GRAD, CONV_SCALAR, CONV_WINOGRAD_F2, CONV_WINOGRAD_F4,
} from './conv-algorithms';

function byTile(m: i32): i32 {
  return m == 4 ? CONV_WINOGRAD_F4 : CONV_WINOGRAD_F2;
}

/**
 * The algorithm for one direction of a convolution with this geometry (the window arguments as
 * the kernels take them, without the batch size and padding, which no choice depends on, and the
 * dilation dh, dw last).
 */
export function convPlan(
  direction: i32, h: i32, wd: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, oh: i32, ow: i32, filters: i32, act: i32,
  dh: i32, dw: i32,
): i32 {
  // Only the column matrix knows dilated windows (im2col/col2im take the dilation); Winograd and
  // the direct kernels assume adjacent taps. Undilated layers are planned exactly as before.
  if (dh != 1 || dw != 1) return CONV_BY_COLUMNS;
  const k = kh * kw * c;
  const winograd = ASC_FEATURE_SIMD && winogradShape(kh, kw, sh, sw);
  if (direction == CONV_FORWARD) {
    if (!convForwardFits(k, filters)) return CONV_BY_COLUMNS;
    if (!ASC_FEATURE_SIMD) return CONV_SCALAR;
    if (winograd && winogradAct(act) && winogradTile(c, filters) > 0) return byTile(winogradTile(c, filters));
    return CONV_DIRECT;
  }
  if (direction == CONV_INPUT_GRAD) {
    // dx is a convolution of dy: its "channels" are the filters and its "filters" the channels.
    if (winograd && winogradTile(filters, c) > 0) return byTile(winogradTile(filters, c));
    // The flipped convolution skips the column matrix but computes every input pixel from a whole
    // window, zeros in the border included, and re-gathers a window per 4 pixels for only c/8
    // filter panels: it pays from 32 channels and for an input at most 1.25× the output
    // (bench/run.ts --only training --models seed, and the columns path on narrow layers).
    if (c >= 32 && 4 * h * wd <= 5 * oh * ow && convBackwardInputFits(k, c, filters, sh, sw)) return ASC_FEATURE_SIMD ? CONV_DIRECT : CONV_SCALAR;
    return CONV_BY_COLUMNS;
  }
  if (!convBackwardFilterFits(k, filters)) return CONV_BY_COLUMNS;
  if (!ASC_FEATURE_SIMD) return CONV_SCALAR;
  // F(4×4) is not used for the filter gradient: see winograd-filter.ts.
  if (winograd && winogradFits(c, filters, 2)) return CONV_WINOGRAD_F2;
  return CONV_DIRECT;
}
