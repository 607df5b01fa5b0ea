// Elastic distortion (Simard, Steinkraus & Platt 2003) on NHWC batches: per image a random
// displacement field per axis, smoothed by a separable Gaussian and scaled, then one bilinear
// resampling. Pointers are element indices (byte address = ptr << 2). Every sum is float32 over
// all taps in order, lane by lane in the vector loops, exactly as the reference
// (src/kernels/js/elastic-warp.ts) rounds it, so both backends displace by the same fields.

import { samplePoint } from './affine-warp';
import { hash } from './elementwise';

/** See Kernels.elasticWarp; computes images start ≤ b < end of the batch (a thread's chunk). */
export function elasticWarp(x: usize, y: usize, fields: usize, taps: usize, radius: i32, alpha: f32, seed: i32, start: i32, end: i32, h: i32, w: i32, c: i32, fillMode: i32, fillValue: f32): void {
  const hw = h * w;
  const paddedW = w + 2 * radius;
  const perImage = <usize>(h * paddedW + (h + 2 * radius) * w + 2 * hw);
  const imageBytes = <usize>hw * (<usize>c << 2);
  const tapBytes = taps << 2;
  for (let b = start; b < end; b++) {
    const noise = (fields << 2) + <usize>b * perImage * 4;
    const rows = noise + (<usize>(h * paddedW) << 2);
    const dxField = rows + (<usize>((h + 2 * radius) * w) << 2);
    const dyField = dxField + (<usize>hw << 2);
    smoothNoise(noise, rows, dxField, tapBytes, radius, alpha, seed, (2 * b) * hw, h, w);
    smoothNoise(noise, rows, dyField, tapBytes, radius, alpha, seed, (2 * b + 1) * hw, h, w);
    const image = (x << 2) + <usize>b * imageBytes;
    let out = (y << 2) + <usize>b * imageBytes;
    const pixel = <usize>c << 2;
    for (let oy = 0; oy < h; oy++) {
      for (let ox = 0; ox < w; ox++) {
        const at = <usize>(oy * w + ox) << 2;
        samplePoint(image, out, <f64>ox + <f64>load<f32>(dxField + at), <f64>oy + <f64>load<f32>(dyField + at), w, h, c, fillMode, fillValue);
        out += pixel;
      }
    }
  }
}

/**
 * One displacement field (byte addresses): uniform noise in [−1, 1] from hash counters
 * first + row·w + col into `noise` (h rows of w + 2·radius, zero margins), smoothed along rows
 * into `rows` ((h + 2·radius) rows of w, zero margins), then along columns into `field`, times alpha.
 */
function smoothNoise(noise: usize, rows: usize, field: usize, taps: usize, radius: i32, alpha: f32, seed: i32, first: i32, h: i32, w: i32): void {
  const paddedW = w + 2 * radius;
  const span = 2 * radius + 1;
  for (let r = 0; r < h; r++) {
    const line = noise + (<usize>(r * paddedW) << 2);
    memory.fill(line, 0, <usize>radius << 2);
    for (let col = 0; col < w; col++) {
      // u = (hash >>> 8)·2⁻²⁴ as uniformHash; 2u − 1 is exact in float32.
      const u = <f32>(hash(seed, first + r * w + col) >>> 8) * (<f32>1 / <f32>16777216);
      store<f32>(line + (<usize>(radius + col) << 2), 2 * u - 1);
    }
    memory.fill(line + (<usize>(radius + w) << 2), 0, <usize>radius << 2);
  }
  const rowBytes = <usize>w << 2;
  memory.fill(rows, 0, <usize>radius * rowBytes);
  memory.fill(rows + <usize>(radius + h) * rowBytes, 0, <usize>radius * rowBytes);
  for (let r = 0; r < h; r++) {
    const src = noise + (<usize>(r * paddedW) << 2);
    const dst = rows + <usize>(radius + r) * rowBytes;
    let col = 0;
    if (ASC_FEATURE_SIMD) {
      for (; col + 4 <= w; col += 4) {
        let s = f32x4.splat(0);
        for (let t = 0; t < span; t++) s = f32x4.add(s, f32x4.mul(f32x4.splat(load<f32>(taps + (<usize>t << 2))), v128.load(src + (<usize>(col + t) << 2))));
        v128.store(dst + (<usize>col << 2), s);
      }
    }
    for (; col < w; col++) {
      let s: f32 = 0;
      for (let t = 0; t < span; t++) s += load<f32>(taps + (<usize>t << 2)) * load<f32>(src + (<usize>(col + t) << 2));
      store<f32>(dst + (<usize>col << 2), s);
    }
  }
  for (let r = 0; r < h; r++) {
    const src = rows + <usize>r * rowBytes;
    const dst = field + <usize>r * rowBytes;
    let col = 0;
    if (ASC_FEATURE_SIMD) {
      const a = f32x4.splat(alpha);
      for (; col + 4 <= w; col += 4) {
        let s = f32x4.splat(0);
        for (let t = 0; t < span; t++) s = f32x4.add(s, f32x4.mul(f32x4.splat(load<f32>(taps + (<usize>t << 2))), v128.load(src + <usize>t * rowBytes + (<usize>col << 2))));
        v128.store(dst + (<usize>col << 2), f32x4.mul(a, s));
      }
    }
    for (; col < w; col++) {
      let s: f32 = 0;
      for (let t = 0; t < span; t++) s += load<f32>(taps + (<usize>t << 2)) * load<f32>(src + <usize>t * rowBytes + (<usize>col << 2));
      store<f32>(dst + (<usize>col << 2), alpha * s);
    }
  }
}
