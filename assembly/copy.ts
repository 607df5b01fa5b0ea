// Small-block copy/fill/add helpers for the window kernels (im2col, col2im, pooling, the conv
// tile gather). memory.copy / memory.fill leave wasm for an engine routine (~20 ns a call),
// more than copying the 3–200 floats of a window row costs, so runs below LONG_BYTES are
// copied by a SIMD loop.

const LONG_BYTES: usize = 2048;

@inline
export function copyFloats(dst: usize, src: usize, count: i32): void {
  const bytes = <usize>count << 2;
  if (bytes >= LONG_BYTES) {
    memory.copy(dst, src, bytes);
    return;
  }
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; o + 16 <= bytes; o += 16) v128.store(dst + o, v128.load(src + o));
  }
  for (; o < bytes; o += 4) store<f32>(dst + o, load<f32>(src + o));
}

@inline
export function zeroFloats(dst: usize, count: i32): void {
  const bytes = <usize>count << 2;
  if (bytes >= LONG_BYTES) {
    memory.fill(dst, 0, bytes);
    return;
  }
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    for (; o + 16 <= bytes; o += 16) v128.store(dst + o, zero);
  }
  for (; o < bytes; o += 4) store<f32>(dst + o, 0);
}

/** dst[i] += src[i] for i < count. */
@inline
export function addFloats(dst: usize, src: usize, count: i32): void {
  const bytes = <usize>count << 2;
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; o + 16 <= bytes; o += 16) v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; o < bytes; o += 4) store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
}

/**
 * Writes one im2col row: the kh·kw·c window of the NHWC image at x (byte address of image b's
 * first pixel) whose top-left corner is (iy0, ix0), zeros where it leaves the image.
 */
@inline
export function gatherWindow(dst: usize, image: usize, iy0: i32, ix0: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32): void {
  const runFloats = kw * c;
  const kx0 = max(0, -ix0);
  const kx1 = min(kw, w - ix0);
  for (let ky = 0; ky < kh; ky++) {
    const iy = iy0 + ky;
    if (iy < 0 || iy >= h || kx0 >= kx1) {
      zeroFloats(dst, runFloats);
    } else {
      if (kx0 > 0) zeroFloats(dst, kx0 * c);
      const src = image + ((<usize>(iy * w + ix0 + kx0) * <usize>c) << 2);
      copyFloats(dst + (<usize>(kx0 * c) << 2), src, (kx1 - kx0) * c);
      if (kx1 < kw) zeroFloats(dst + (<usize>(kx1 * c) << 2), (kw - kx1) * c);
    }
    dst += <usize>runFloats << 2;
  }
}

/**
 * gatherWindow for output pixel i of the batch (row i of im2col: image i / (oh·ow), then row
 * and column of the output): the scalar builds' one-pixel-at-a-time loops.
 */
@inline
export function gatherPixelWindow(
  dst: usize, x: usize, i: i32,
  h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const perImage = oh * ow;
  const b = i / perImage, oy = (i % perImage) / ow, ox = i % ow;
  gatherWindow(dst, x + (<usize>(b * h * w * c) << 2), oy * sh - padTop, ox * sw - padLeft, h, w, c, kh, kw);
}
