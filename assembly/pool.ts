// Max pooling over NHWC windows. Padding counts as −∞: only in-image positions compete, the
// first one seen (row-major window order) wins ties, and a window entirely in padding gives
// y = −∞ with argmax −1. argmax holds flat indices relative to x (int32).
// Pointers are element indices (byte address = ptr << 2).

export function maxPool(
  x: usize, y: usize, argmax: usize,
  n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  x <<= 2;
  y <<= 2;
  argmax <<= 2;
  if (ASC_FEATURE_SIMD && kh == 2 && kw == 2 && sh == 2 && sw == 2 && padTop == 0 && padLeft == 0 && 2 * oh <= h && 2 * ow <= w && (c & 3) == 0) {
    pool2x2(x, y, argmax, n, h, w, c, oh, ow);
    return;
  }
  let o: usize = 0; // byte offset of the current output pixel's first channel
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * sh - padTop;
      const ky0 = max(0, -iy0), ky1 = min(kh, h - iy0);
      for (let ox = 0; ox < ow; ox++) {
        const ix0 = ox * sw - padLeft;
        const kx0 = max(0, -ix0), kx1 = min(kw, w - ix0);
        if (ky0 >= ky1 || kx0 >= kx1) {
          for (let ch = 0; ch < c; ch++) {
            store<f32>(y + o + (<usize>ch << 2), -Infinity);
            store<i32>(argmax + o + (<usize>ch << 2), -1);
          }
        } else {
          // index of (b, iy0+ky0, ix0+kx0, 0): the window's first in-image pixel
          const first = ((b * h + iy0 + ky0) * w + ix0 + kx0) * c;
          poolPixel(x, y + o, argmax + o, first, w * c, c, ky1 - ky0, kx1 - kx0);
        }
        o += <usize>c << 2;
      }
    }
  }
}

/** One output pixel: max over a rows×cols block of in-image pixels starting at index `first`. */
@inline
function poolPixel(x: usize, yp: usize, ap: usize, first: i32, rowStride: i32, c: i32, rows: i32, cols: i32): void {
  let ch = 0;
  if (ASC_FEATURE_SIMD) {
    const lanes = i32x4(0, 1, 2, 3);
    for (; ch + 4 <= c; ch += 4) {
      let best = v128.load(x + (<usize>(first + ch) << 2));
      let bestIndex = i32x4.add(i32x4.splat(first + ch), lanes);
      for (let r = 0; r < rows; r++) {
        for (let q = (r == 0 ? 1 : 0); q < cols; q++) {
          const index = first + r * rowStride + q * c + ch;
          const v = v128.load(x + (<usize>index << 2));
          const better = f32x4.gt(v, best);
          best = v128.bitselect(v, best, better);
          bestIndex = v128.bitselect(i32x4.add(i32x4.splat(index), lanes), bestIndex, better);
        }
      }
      v128.store(yp + (<usize>ch << 2), best);
      v128.store(ap + (<usize>ch << 2), bestIndex);
    }
  }
  for (; ch < c; ch++) {
    let bestIndex = first + ch;
    let best = load<f32>(x + (<usize>bestIndex << 2));
    for (let r = 0; r < rows; r++) {
      for (let q = (r == 0 ? 1 : 0); q < cols; q++) {
        const index = first + r * rowStride + q * c + ch;
        const v = load<f32>(x + (<usize>index << 2));
        if (v > best) {
          best = v;
          bestIndex = index;
        }
      }
    }
    store<f32>(yp + (<usize>ch << 2), best);
    store<i32>(ap + (<usize>ch << 2), bestIndex);
  }
}

export function maxPoolBackward(
  dy: usize, argmax: usize, dx: usize,
  n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
): void {
  dy <<= 2;
  argmax <<= 2;
  dx <<= 2;
  memory.fill(dx, 0, <usize>n * <usize>h * <usize>w * <usize>c << 2);
  const outputs = <usize>n * <usize>oh * <usize>ow * <usize>c;
  for (let o: usize = 0; o < outputs; o++) {
    const index = load<i32>(argmax + (o << 2));
    if (index >= 0) {
      const p = dx + (<usize>index << 2);
      store<f32>(p, load<f32>(p) + load<f32>(dy + (o << 2)));
    }
  }
}

/**
 * The usual 2×2 stride-2 pool, every window inside the image ('same' padding of an odd size
 * pads the bottom/right and goes the general way), whole 4-channel groups: the four window
 * pixels are fixed offsets (0, c, w·c, w·c + c) from the top-left one, so each 4-channel group
 * is 4 loads and 3 compare-selects, no per-element index arithmetic. Same result as poolPixel:
 * compared in window order, strictly greater wins.
 */
function pool2x2(x: usize, y: usize, argmax: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32): void {
  const right = <usize>c << 2, down = <usize>(w * c) << 2;
  const lanes = i32x4(0, 1, 2, 3);
  const dRight = i32x4.splat(c), dDown = i32x4.splat(w * c), dBoth = i32x4.splat(w * c + c);
  let o: usize = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      // index (relative to x) of the top-left input of this output row's first window
      let first = ((b * h + 2 * oy) * w) * c;
      for (let ox = 0; ox < ow; ox++) {
        for (let ch = 0; ch < c; ch += 4) {
          const i00 = i32x4.add(i32x4.splat(first + ch), lanes);
          const p = x + (<usize>(first + ch) << 2);
          let best = v128.load(p);
          let bestIndex = i00;
          let v = v128.load(p + right);
          let better = f32x4.gt(v, best);
          best = v128.bitselect(v, best, better);
          bestIndex = v128.bitselect(i32x4.add(i00, dRight), bestIndex, better);
          v = v128.load(p + down);
          better = f32x4.gt(v, best);
          best = v128.bitselect(v, best, better);
          bestIndex = v128.bitselect(i32x4.add(i00, dDown), bestIndex, better);
          v = v128.load(p + down + right);
          better = f32x4.gt(v, best);
          best = v128.bitselect(v, best, better);
          bestIndex = v128.bitselect(i32x4.add(i00, dBoth), bestIndex, better);
          v128.store(y + o, best);
          v128.store(argmax + o, bestIndex);
          o += 16;
        }
        first += 2 * c;
      }
    }
  }
}
