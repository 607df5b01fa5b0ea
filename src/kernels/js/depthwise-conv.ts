import type { Ptr, Window2D } from '../kernels.js';

/**
 * Calls visit(xIndex, yIndex, wIndex) for every (input value, output value, kernel weight) product
 * of a depthwise convolution that lies inside the image: the one loop nest its three kernels share.
 */
function depthwiseTaps(g: Window2D, m: number, visit: (xi: number, yi: number, wi: number) => void): void {
  const dh = g.dh ?? 1;
  const dw = g.dw ?? 1;
  const outC = g.c * m;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const yRow = ((b * g.oh + oy) * g.ow + ox) * outC;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh + ky * dh - g.padTop;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw + kx * dw - g.padLeft;
            if (ix < 0 || ix >= g.w) continue;
            const xRow = ((b * g.h + iy) * g.w + ix) * g.c;
            const wRow = (ky * g.kw + kx) * outC;
            for (let ch = 0; ch < g.c; ch++) {
              for (let j = 0; j < m; j++) visit(xRow + ch, yRow + ch * m + j, wRow + ch * m + j);
            }
          }
        }
      }
    }
  }
}

/** y[b,oy,ox, ch·m+j] = Σ_{ky,kx} x[b, oy·sh+ky·dh−padTop, ox·sw+kx·dw−padLeft, ch]·w[ky,kx,ch,j]. */
export function depthwiseConv2d(f: Float32Array, x: Ptr, w: Ptr, y: Ptr, g: Window2D, m: number): void {
  f.fill(0, y, y + g.n * g.oh * g.ow * g.c * m);
  depthwiseTaps(g, m, (xi, yi, wi) => {
    f[y + yi] += f[x + xi] * f[w + wi];
  });
}

/** dx = ∂(Σ dy·y)/∂x of depthwiseConv2d. */
export function depthwiseConv2dBackwardInput(f: Float32Array, dy: Ptr, w: Ptr, dx: Ptr, g: Window2D, m: number): void {
  f.fill(0, dx, dx + g.n * g.h * g.w * g.c);
  depthwiseTaps(g, m, (xi, yi, wi) => {
    f[dx + xi] += f[dy + yi] * f[w + wi];
  });
}

/** dw = ∂(Σ dy·y)/∂w of depthwiseConv2d. */
export function depthwiseConv2dBackwardFilter(f: Float32Array, x: Ptr, dy: Ptr, dw: Ptr, g: Window2D, m: number): void {
  f.fill(0, dw, dw + g.kh * g.kw * g.c * m);
  depthwiseTaps(g, m, (xi, yi, wi) => {
    f[dw + wi] += f[x + xi] * f[dy + yi];
  });
}
