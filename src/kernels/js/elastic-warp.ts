import { elasticFieldFloats, uniformHash, type FillModeCode, type Ptr } from '../kernels.js';
import { sampleBilinear } from './affine-warp.js';

/**
 * The reference of Kernels.elasticWarp: the fields by plain loops, every float32 rounding written
 * out (Math.fround) in the kernel's order, then affineWarp's sampling at (ox + dx, oy + dy).
 */
export function elasticWarp(f: Float32Array, x: Ptr, y: Ptr, fields: Ptr, taps: Ptr, radius: number, alpha: number, seed: number, n: number, h: number, w: number, c: number, fillMode: FillModeCode, fillValue: number): void {
  const hw = h * w;
  const a = Math.fround(alpha);
  for (let b = 0; b < n; b++) {
    // The kernel's layout (elasticFieldFloats); the noise is drawn where it is read, so its part stays unused here.
    const rows = fields + b * elasticFieldFloats(h, w, radius) + h * (w + 2 * radius);
    const dxField = rows + (h + 2 * radius) * w;
    const dyField = dxField + hw;
    for (const [axis, field] of [[0, dxField], [1, dyField]] as const) {
      const noise = (r: number, col: number): number => (col < 0 || col >= w ? 0 : 2 * uniformHash(seed, (2 * b + axis) * hw + r * w + col) - 1);
      f.fill(0, rows, rows + (h + 2 * radius) * w);
      for (let r = 0; r < h; r++) {
        for (let col = 0; col < w; col++) {
          let s = Math.fround(f[taps]! * noise(r, col));
          for (let d = 1; d <= radius; d++) s = Math.fround(s + Math.fround(f[taps + d]! * Math.fround(noise(r, col - d) + noise(r, col + d))));
          f[rows + (r + radius) * w + col] = s;
        }
      }
      for (let r = 0; r < h; r++) {
        for (let col = 0; col < w; col++) {
          const at = rows + (r + radius) * w + col;
          let s = Math.fround(f[taps]! * f[at]!);
          for (let d = 1; d <= radius; d++) s = Math.fround(s + Math.fround(f[taps + d]! * Math.fround(f[at - d * w]! + f[at + d * w]!)));
          f[field + r * w + col] = Math.fround(a * s);
        }
      }
    }
    const image = x + b * hw * c;
    for (let oy = 0; oy < h; oy++) {
      for (let ox = 0; ox < w; ox++) {
        const at = oy * w + ox;
        sampleBilinear(f, image, y + (b * hw + at) * c, ox + f[dxField + at]!, oy + f[dyField + at]!, h, w, c, fillMode, fillValue);
      }
    }
  }
}
