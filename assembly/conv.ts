// im2col / col2im over NHWC batches: the convolution is then one GEMM (see gemm.ts). The
// layers use the fused kernels (conv-forward.ts, conv-backward.ts), which never write the
// column matrix; these remain for what those cannot run (layers too wide for their buffers,
// strided or narrow input gradients) and for the kernel contract.
// Pointers are element indices (byte address = ptr << 2). In NHWC the kw·c values a window
// row needs are contiguous in the input, so each (output pixel, ky) costs one copy of the
// in-image part plus zero fills for the padded parts. A dilated window (taps dh rows, dw columns
// apart: Conv2D's dilationRate) has no contiguous rows, so it is copied one tap (c floats) at a time.
import { addFloats, copyFloats, gatherWindow, zeroFloats } from './copy';

export function im2col(
  x: usize, cols: usize,
  n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  dh: i32, dw: i32,
): void {
  if (dh != 1 || dw != 1) {
    im2colDilated(x, cols, n, h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow, dh, dw);
    return;
  }
  x <<= 2;
  let out = cols << 2;
  const rowBytes = <usize>(kh * kw * c) << 2;
  const imageBytes = <usize>(h * w * c) << 2;
  for (let b = 0; b < n; b++) {
    const image = x + <usize>b * imageBytes;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        gatherWindow(out, image, oy * sh - padTop, ox * sw - padLeft, h, w, c, kh, kw);
        out += rowBytes;
      }
    }
  }
}

export function col2im(
  cols: usize, dx: usize,
  n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  dh: i32, dw: i32,
): void {
  if (dh != 1 || dw != 1) {
    col2imDilated(cols, dx, n, h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow, dh, dw);
    return;
  }
  dx <<= 2;
  let src = cols << 2;
  memory.fill(dx, 0, <usize>n * <usize>h * <usize>w * <usize>c << 2);
  const rowFloats = kw * c;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const ix0 = ox * sw - padLeft;
        const kx0 = max(0, -ix0);
        const kx1 = min(kw, w - ix0);
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky - padTop;
          if (iy >= 0 && iy < h && kx0 < kx1) {
            const dst = dx + ((<usize>((b * h + iy) * w + ix0 + kx0) * <usize>c) << 2);
            addFloats(dst, src + (<usize>(kx0 * c) << 2), (kx1 - kx0) * c);
          }
          src += <usize>rowFloats << 2;
        }
      }
    }
  }
}

function im2colDilated(
  x: usize, cols: usize,
  n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  dh: i32, dw: i32,
): void {
  x <<= 2;
  let out = cols << 2;
  const tapBytes = <usize>c << 2;
  for (let b = 0; b < n; b++) {
    const image = x + (<usize>(b * h * w * c) << 2);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - padTop;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx * dw - padLeft;
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) copyFloats(out, image + (<usize>((iy * w + ix) * c) << 2), c);
            else zeroFloats(out, c);
            out += tapBytes;
          }
        }
      }
    }
  }
}

function col2imDilated(
  cols: usize, dx: usize,
  n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  dh: i32, dw: i32,
): void {
  dx <<= 2;
  let src = cols << 2;
  memory.fill(dx, 0, <usize>n * <usize>h * <usize>w * <usize>c << 2);
  const tapBytes = <usize>c << 2;
  for (let b = 0; b < n; b++) {
    const image = dx + (<usize>(b * h * w * c) << 2);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - padTop;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx * dw - padLeft;
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) addFloats(image + (<usize>((iy * w + ix) * c) << 2), src, c);
            src += tapBytes;
          }
        }
      }
    }
  }
}
