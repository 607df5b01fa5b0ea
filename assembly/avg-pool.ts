// Average pooling over NHWC windows as TensorFlow computes it: padding is left out of the count,
// so an output is the mean of its window's in-image inputs (0 for a window entirely in padding).
// Pointers are element indices (byte address = ptr << 2). Channels run 4 to a vector.

export function avgPool(
  x: usize, y: usize,
  n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  eachWindow(false, x << 2, y << 2, n, h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow);
}

/** dx = 0, then each dy[o]/count(o) is added to every in-image input of window o. */
export function avgPoolBackward(
  dy: usize, dx: usize,
  n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  memory.fill(dx << 2, 0, <usize>n * <usize>h * <usize>w * <usize>c << 2);
  eachWindow(true, dx << 2, dy << 2, n, h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow);
}

/**
 * Visits every output pixel's window, clipped to the image: forward averages the image (x) into
 * the outputs (y); backward spreads the outputs (dy) back over the image (dx). Byte addresses.
 */
@inline
function eachWindow(
  backward: bool, image: usize, outputs: usize,
  n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const rowStride = <usize>(w * c) << 2;
  const pixel = <usize>c << 2;
  let o = outputs; // the current output pixel's first channel
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const top = oy * sh - padTop;
      const y0 = max(top, 0), y1 = min(top + kh, h);
      for (let ox = 0; ox < ow; ox++) {
        const left = ox * sw - padLeft;
        const x0 = max(left, 0), x1 = min(left + kw, w);
        const rows = y1 - y0, cols = x1 - x0;
        const inside = rows > 0 && cols > 0;
        const first = image + (<usize>((b * h + y0) * w + x0) * pixel);
        const inv: f32 = inside ? 1 / <f32>(rows * cols) : 0;
        if (!backward) averageWindow(first, o, rows, cols, rowStride, pixel, c, inv);
        else if (inside) spreadWindow(first, o, rows, cols, rowStride, pixel, c, inv);
        o += pixel;
      }
    }
  }
}

/** yp[ch] = inv · Σ over the rows×cols window at `first` of x[.., ch]. */
@inline
function averageWindow(first: usize, yp: usize, rows: i32, cols: i32, rowStride: usize, pixel: usize, c: i32, inv: f32): void {
  let ch = 0;
  if (ASC_FEATURE_SIMD) {
    for (; ch + 4 <= c; ch += 4) {
      let sum = f32x4.splat(0);
      for (let r = 0; r < rows; r++) {
        let p = first + <usize>r * rowStride + (<usize>ch << 2);
        for (let q = 0; q < cols; q++) {
          sum = f32x4.add(sum, v128.load(p));
          p += pixel;
        }
      }
      v128.store(yp + (<usize>ch << 2), f32x4.mul(sum, f32x4.splat(inv)));
    }
  }
  for (; ch < c; ch++) {
    let sum: f32 = 0;
    for (let r = 0; r < rows; r++) {
      let p = first + <usize>r * rowStride + (<usize>ch << 2);
      for (let q = 0; q < cols; q++) {
        sum += load<f32>(p);
        p += pixel;
      }
    }
    store<f32>(yp + (<usize>ch << 2), sum * inv);
  }
}

/** dx[.., ch] += inv · dyp[ch] over the rows×cols window at `first`. */
@inline
function spreadWindow(first: usize, dyp: usize, rows: i32, cols: i32, rowStride: usize, pixel: usize, c: i32, inv: f32): void {
  let ch = 0;
  if (ASC_FEATURE_SIMD) {
    for (; ch + 4 <= c; ch += 4) {
      const share = f32x4.mul(v128.load(dyp + (<usize>ch << 2)), f32x4.splat(inv));
      for (let r = 0; r < rows; r++) {
        let p = first + <usize>r * rowStride + (<usize>ch << 2);
        for (let q = 0; q < cols; q++) {
          v128.store(p, f32x4.add(v128.load(p), share));
          p += pixel;
        }
      }
    }
  }
  for (; ch < c; ch++) {
    const share = load<f32>(dyp + (<usize>ch << 2)) * inv;
    for (let r = 0; r < rows; r++) {
      let p = first + <usize>r * rowStride + (<usize>ch << 2);
      for (let q = 0; q < cols; q++) {
        store<f32>(p, load<f32>(p) + share);
        p += pixel;
      }
    }
  }
}
