import type { Ptr } from '../kernels.js';

/** Per column of a rows×cols matrix: mean and biased variance, the variance around the stored mean. */
export function channelMoments(f: Float32Array, x: Ptr, mean: Ptr, variance: Ptr, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += f[x + r * cols + c]!;
    f[mean + c] = sum / rows;
    const m = f[mean + c]!;
    let squares = 0;
    for (let r = 0; r < rows; r++) {
      const d = f[x + r * cols + c]! - m;
      squares += d * d;
    }
    f[variance + c] = squares / rows;
  }
}

/**
 * Whether a relu after the affine map (x − center)·gateScale + gateShift let the gradient through
 * at this value (no gate when gateScale < 0, no shift when gateShift < 0); `centered` is x − center.
 */
function gateOpen(f: Float32Array, centered: number, c: number, gateScale: Ptr, gateShift: Ptr): boolean {
  return gateScale < 0 || centered * f[gateScale + c]! + (gateShift < 0 ? 0 : f[gateShift + c]!) > 0;
}

/** sumDy[c] = Σ_r g[r,c]; sumDyXc[c] = Σ_r g[r,c]·(x[r,c] − mean[c]), g = dy where the gate is open, else 0. */
export function channelGradSums(f: Float32Array, dy: Ptr, x: Ptr, mean: Ptr, sumDy: Ptr, sumDyXc: Ptr, rows: number, cols: number, gateScale: Ptr, gateShift: Ptr): void {
  for (let c = 0; c < cols; c++) {
    const m = f[mean + c]!;
    let s = 0;
    let sx = 0;
    for (let r = 0; r < rows; r++) {
      const centered = f[x + r * cols + c]! - m;
      const g = gateOpen(f, centered, c, gateScale, gateShift) ? f[dy + r * cols + c]! : 0;
      s += g;
      sx += g * centered;
    }
    f[sumDy + c] = s;
    f[sumDyXc + c] = sx;
  }
}

/** y = (x − center[c])·scale[c] + shift[c] (no center when center < 0, no shift when shift < 0); y may alias x. */
export function channelAffine(f: Float32Array, x: Ptr, y: Ptr, center: Ptr, scale: Ptr, shift: Ptr, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const centered = center < 0 ? f[x + i]! : f[x + i]! - f[center + c]!;
      f[y + i] = centered * f[scale + c]! + (shift < 0 ? 0 : f[shift + c]!);
    }
  }
}

/** y = max((x − center[c])·scale[c] + shift[c], 0), channelAffine followed by relu; y may alias x. */
export function channelAffineRelu(f: Float32Array, x: Ptr, y: Ptr, center: Ptr, scale: Ptr, shift: Ptr, rows: number, cols: number): void {
  channelAffine(f, x, y, center, scale, shift, rows, cols);
  for (let i = 0; i < rows * cols; i++) f[y + i] = f[y + i]! > 0 ? f[y + i]! : 0;
}

/** out = g·p[c] + (b − center[c])·q[c] + shift[c], g = a where the gate (on b) is open, else 0; out may alias a. */
export function channelCombine(f: Float32Array, a: Ptr, b: Ptr, center: Ptr, out: Ptr, p: Ptr, q: Ptr, shift: Ptr, rows: number, cols: number, gateScale: Ptr, gateShift: Ptr): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const centered = f[b + i]! - f[center + c]!;
      const g = gateOpen(f, centered, c, gateScale, gateShift) ? f[a + i]! : 0;
      f[out + i] = g * f[p + c]! + centered * f[q + c]! + f[shift + c]!;
    }
  }
}
