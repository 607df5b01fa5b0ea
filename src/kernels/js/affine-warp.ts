import type { FillModeCode, Ptr } from '../kernels.js';
import { FillMode } from '../kernels.js';

/** The reference of Kernels.affineWarp: plain loops, one output value at a time. */
export function affineWarp(f: Float32Array, x: Ptr, y: Ptr, transforms: Ptr, n: number, h: number, w: number, c: number, fillMode: FillModeCode, fillValue: number): void {
  for (let b = 0; b < n; b++) {
    const t = transforms + 6 * b;
    const image = x + b * h * w * c;
    for (let oy = 0; oy < h; oy++) {
      for (let ox = 0; ox < w; ox++) {
        sampleBilinear(f, image, y + ((b * h + oy) * w + ox) * c, f[t]! * ox + f[t + 1]! * oy + f[t + 2]!, f[t + 3]! * ox + f[t + 4]! * oy + f[t + 5]!, h, w, c, fillMode, fillValue);
      }
    }
  }
}

/** Every channel of the image at `image` sampled at the input point (x, y) into `out`: the fill mode's coordinates, then bilinear. */
export function sampleBilinear(f: Float32Array, image: Ptr, out: Ptr, x: number, y: number, h: number, w: number, c: number, fillMode: FillModeCode, fillValue: number): void {
  const px = mapCoordinate(x, w, fillMode);
  const py = mapCoordinate(y, h, fillMode);
  const x0 = Math.floor(px);
  const y0 = Math.floor(py);
  const x1 = x0 + 1;
  const y1 = y0 + 1;
  for (let ch = 0; ch < c; ch++) {
    const read = (yy: number, xx: number): number => (yy >= 0 && yy < h && xx >= 0 && xx < w ? f[image + (yy * w + xx) * c + ch]! : fillValue);
    const top = (x1 - px) * read(y0, x0) + (px - x0) * read(y0, x1);
    const bottom = (x1 - px) * read(y1, x0) + (px - x0) * read(y1, x1);
    f[out + ch] = (y1 - py) * top + (py - y0) * bottom;
  }
}

/** Where a sampling coordinate lands along an axis of `len` pixels under a fill mode (TensorFlow's MapCoordinate). */
export function mapCoordinate(v: number, len: number, mode: FillModeCode): number {
  switch (mode) {
    case FillMode.constant:
      return Math.min(Math.max(v, -2), len + 1);
    case FillMode.nearest:
      return Math.min(Math.max(v, 0), len - 1);
    case FillMode.reflect: {
      // Mirror about the outer edge of the first and last pixel: (d c b a | a b c d | d c b a).
      let u = v;
      if (len <= 1) u = 0;
      else if (u < 0) {
        const period = 2 * len;
        if (u < period) u += period * Math.trunc(-u / period);
        u = u < -len ? u + period : -u - 1;
      } else if (u > len - 1) {
        const period = 2 * len;
        u -= period * Math.trunc(u / period);
        if (u >= len) u = period - u - 1;
      }
      return Math.min(Math.max(u, 0), len - 1);
    }
    case FillMode.wrap: {
      // Repeat the image: (a b c d | a b c d | a b c d).
      let u = v;
      if (len <= 1) u = 0;
      else if (u < 0) u += len * (Math.trunc(-u / (len - 1)) + 1);
      else if (u > len - 1) u -= len * Math.trunc(u / (len - 1));
      return Math.min(Math.max(u, 0), len - 1);
    }
  }
}

/** The reference of Kernels.adjustContrast. */
export function adjustContrast(f: Float32Array, x: Ptr, y: Ptr, factors: Ptr, n: number, pixels: number, c: number, lo: number, hi: number): void {
  for (let b = 0; b < n; b++) {
    const image = b * pixels * c;
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      for (let p = 0; p < pixels; p++) sum += f[x + image + p * c + ch]!;
      const mean = Math.fround(sum / pixels);
      const factor = f[factors + b]!;
      for (let p = 0; p < pixels; p++) {
        const i = image + p * c + ch;
        f[y + i] = Math.min(Math.max((f[x + i]! - mean) * factor + mean, lo), hi);
      }
    }
  }
}
