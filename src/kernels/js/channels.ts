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

/** sumDy[c] = Σ_r dy[r,c]; sumDyXc[c] = Σ_r dy[r,c]·(x[r,c] − mean[c]). */
export function channelGradSums(f: Float32Array, dy: Ptr, x: Ptr, mean: Ptr, sumDy: Ptr, sumDyXc: Ptr, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    const m = f[mean + c]!;
    let s = 0;
    let sx = 0;
    for (let r = 0; r < rows; r++) {
      const g = f[dy + r * cols + c]!;
      s += g;
      sx += g * (f[x + r * cols + c]! - m);
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

/** out = a·p[c] + (b − center[c])·q[c] + shift[c]; out may alias a. */
export function channelCombine(f: Float32Array, a: Ptr, b: Ptr, center: Ptr, out: Ptr, p: Ptr, q: Ptr, shift: Ptr, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      f[out + i] = f[a + i]! * f[p + c]! + (f[b + i]! - f[center + c]!) * f[q + c]! + f[shift + c]!;
    }
  }
}
