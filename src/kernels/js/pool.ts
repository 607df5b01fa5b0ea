import type { Ptr, Window2D } from '../kernels.js';

/**
 * Max pooling over NHWC windows; padding counts as −∞, so it never wins.
 * argmax[o] = flat index (relative to x) of the first maximum in the window,
 * or −1 (and y = −∞) if the window lies entirely in padding.
 */
export function maxPool(f: Float32Array, i: Int32Array, x: Ptr, y: Ptr, argmax: Ptr, g: Window2D): void {
  let o = 0;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        for (let ch = 0; ch < g.c; ch++) {
          let best = -Infinity;
          let bestIndex = -1;
          for (let ky = 0; ky < g.kh; ky++) {
            const iy = oy * g.sh + ky - g.padTop;
            if (iy < 0 || iy >= g.h) continue;
            for (let kx = 0; kx < g.kw; kx++) {
              const ix = ox * g.sw + kx - g.padLeft;
              if (ix < 0 || ix >= g.w) continue;
              const index = ((b * g.h + iy) * g.w + ix) * g.c + ch;
              const v = f[x + index];
              // The first input seen always wins its window so far; later ones need to be strictly greater.
              if (bestIndex < 0 || v > best) {
                best = v;
                bestIndex = index;
              }
            }
          }
          f[y + o] = best;
          i[argmax + o] = bestIndex;
          o++;
        }
      }
    }
  }
}

/** dx = 0 (n·h·w·c values), then dx[argmax[o]] += dy[o] for every output o (argmax −1 is skipped). */
export function maxPoolBackward(f: Float32Array, i: Int32Array, dy: Ptr, argmax: Ptr, dx: Ptr, g: Window2D): void {
  f.fill(0, dx, dx + g.n * g.h * g.w * g.c);
  const outputs = g.n * g.oh * g.ow * g.c;
  for (let o = 0; o < outputs; o++) {
    const index = i[argmax + o];
    if (index >= 0) f[dx + index] += f[dy + o];
  }
}
