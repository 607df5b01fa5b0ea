// Elastic distortion (Simard, Steinkraus & Platt 2003) on NHWC batches: per image a random
// displacement field per axis, smoothed by a separable Gaussian and scaled, then one bilinear
// resampling. Pointers are element indices (byte address = ptr << 2). Every sum is float32 over
// all distances in order, lane by lane in the vector loops, exactly as the reference
// (src/kernels/js/elastic-warp.ts) rounds it, so both backends displace by the same fields.
// The resampling is samplePoint, one pixel at a time: a four-pixel path as affineWarp's (sampleFour)
// about halves the kernel's time but costs ~150 bytes gzip that the minimal bundle's 60 KB budget
// (test/bundle-size.test.ts) does not have.

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
 * into `rows` ((h + 2·radius) rows of w, zero margins), then along columns into `field`, times
 * alpha. `taps` (bytes) holds the radius + 1 weights of distances 0 … radius.
 */
function smoothNoise(noise: usize, rows: usize, field: usize, taps: usize, radius: i32, alpha: f32, seed: i32, first: i32, h: i32, w: i32): void {
  const paddedW = w + 2 * radius;
  for (let r = 0; r < h; r++) {
    const line = noise + (<usize>(r * paddedW) << 2);
    memory.fill(line, 0, <usize>radius << 2);
    let col = 0;
    if (ASC_FEATURE_SIMD) {
      // Four counters at a time: the same lowbias32 as hash(), lane by lane.
      const scale = f32x4.splat(<f32>1 / <f32>16777216);
      for (; col + 4 <= w; col += 4) {
        let v = i32x4.add(i32x4.splat(seed), i32x4.mul(i32x4.add(i32x4.splat(first + r * w + col), i32x4(0, 1, 2, 3)), i32x4.splat(<i32>0x9e3779b9)));
        v = v128.xor(v, i32x4.shr_u(v, 16));
        v = i32x4.mul(v, i32x4.splat(0x7feb352d));
        v = v128.xor(v, i32x4.shr_u(v, 15));
        v = i32x4.mul(v, i32x4.splat(<i32>0x846ca68b));
        v = v128.xor(v, i32x4.shr_u(v, 16));
        const u = f32x4.mul(f32x4.convert_i32x4_s(i32x4.shr_u(v, 8)), scale);
        v128.store(line + (<usize>(radius + col) << 2), f32x4.sub(f32x4.add(u, u), f32x4.splat(1)));
      }
    }
    for (; col < w; col++) {
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
    smoothLine(noise + (<usize>(r * paddedW + radius) << 2), rows + <usize>(radius + r) * rowBytes, 4, taps, radius, 1, w);
  }
  for (let r = 0; r < h; r++) {
    smoothLine(rows + <usize>(radius + r) * rowBytes, field + <usize>r * rowBytes, rowBytes, taps, radius, alpha, w);
  }
}

/**
 * One line of w smoothed values (byte addresses): dst[i] = scale·(taps[0]·v[i] + Σ_{d=1..radius}
 * taps[d]·(v[i − d] + v[i + d])) in float32 and in that order, the neighbours of src + 4i at
 * ±d·stride bytes (4: along a row; a row's bytes: along a column). A scale of 1 changes nothing.
 */
function smoothLine(src: usize, dst: usize, stride: usize, taps: usize, radius: i32, scale: f32, w: i32): void {
  const centre = load<f32>(taps);
  let col = 0;
  if (ASC_FEATURE_SIMD) {
    for (; col + 4 <= w; col += 4) {
      const at = src + (<usize>col << 2);
      let s = f32x4.mul(f32x4.splat(centre), v128.load(at));
      for (let d = 1; d <= radius; d++) {
        const off = <usize>d * stride;
        s = f32x4.add(s, f32x4.mul(f32x4.splat(load<f32>(taps + (<usize>d << 2))), f32x4.add(v128.load(at - off), v128.load(at + off))));
      }
      v128.store(dst + (<usize>col << 2), f32x4.mul(f32x4.splat(scale), s));
    }
  }
  for (; col < w; col++) {
    const at = src + (<usize>col << 2);
    let s = centre * load<f32>(at);
    for (let d = 1; d <= radius; d++) {
      const off = <usize>d * stride;
      s += load<f32>(taps + (<usize>d << 2)) * (load<f32>(at - off) + load<f32>(at + off));
    }
    store<f32>(dst + (<usize>col << 2), scale * s);
  }
}
