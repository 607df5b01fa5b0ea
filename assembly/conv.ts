// im2col / col2im over NHWC batches: the convolution is then one GEMM (see gemm.ts). The
// layers use the fused kernels (conv-forward.ts, conv-backward.ts), which never write the
// column matrix; these remain for what those cannot run (layers too wide for their buffers,
// strided or narrow input gradients) and for the kernel contract.
// Pointers are element indices (byte address = ptr << 2). In NHWC the kw·c values a window
// row needs are contiguous in the input, so each (output pixel, ky) costs one copy of the
// in-image part plus zero fills for the padded parts.
import { addFloats, gatherWindow } from './copy';

export function im2col(
  x: usize, cols: usize,
  n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
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
): void {
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
