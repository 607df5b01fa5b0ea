import type { Ptr, Window2D } from '../kernels.js';

/**
 * Unfolds NHWC x into cols [n·oh·ow, kh·kw·c]: row (b,oy,ox), column (ky,kx,ch)
 * holds x[b, oy·sh+ky·dh−padTop, ox·sw+kx·dw−padLeft, ch], or 0 outside the image.
 */
export function im2col(f: Float32Array, x: Ptr, cols: Ptr, g: Window2D): void {
  const dh = g.dh ?? 1;
  const dw = g.dw ?? 1;
  let out = cols;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh + ky * dh - g.padTop;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw + kx * dw - g.padLeft;
            const inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
            const src = x + ((b * g.h + iy) * g.w + ix) * g.c;
            for (let ch = 0; ch < g.c; ch++) {
              f[out++] = inside ? f[src + ch] : 0;
            }
          }
        }
      }
    }
  }
}

/** Adjoint of im2col: dx = 0, then every cols entry is added back to the pixel it came from. */
export function col2im(f: Float32Array, cols: Ptr, dx: Ptr, g: Window2D): void {
  const dh = g.dh ?? 1;
  const dw = g.dw ?? 1;
  f.fill(0, dx, dx + g.n * g.h * g.w * g.c);
  let src = cols;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh + ky * dh - g.padTop;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw + kx * dw - g.padLeft;
            const inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
            const dst = dx + ((b * g.h + iy) * g.w + ix) * g.c;
            for (let ch = 0; ch < g.c; ch++) {
              if (inside) f[dst + ch] += f[src];
              src++;
            }
          }
        }
      }
    }
  }
}
