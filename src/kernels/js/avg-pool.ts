import type { Ptr, Window2D } from '../kernels.js';

/**
 * Visits every output of a pooling window op with its in-image window (rows [y0, y1), columns
 * [x0, x1), clipped to the image) and the flat output index of its first channel.
 */
function forEachWindow(g: Window2D, visit: (out: number, b: number, y0: number, y1: number, x0: number, x1: number) => void): void {
  let out = 0;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      const top = oy * g.sh - g.padTop;
      for (let ox = 0; ox < g.ow; ox++) {
        const left = ox * g.sw - g.padLeft;
        visit(out, b, Math.max(top, 0), Math.min(top + g.kh, g.h), Math.max(left, 0), Math.min(left + g.kw, g.w));
        out += g.c;
      }
    }
  }
}

/** Mean of each window's in-image inputs (TensorFlow leaves padding out of the count); 0 for an all-padding window. */
export function avgPool(f: Float32Array, x: Ptr, y: Ptr, g: Window2D): void {
  forEachWindow(g, (out, b, y0, y1, x0, x1) => {
    const count = Math.max(y1 - y0, 0) * Math.max(x1 - x0, 0);
    for (let ch = 0; ch < g.c; ch++) {
      let sum = 0;
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = x0; ix < x1; ix++) sum += f[x + ((b * g.h + iy) * g.w + ix) * g.c + ch]!;
      }
      f[y + out + ch] = count === 0 ? 0 : sum / count;
    }
  });
}

/** dx = 0, then dy[o]/count(o) added to every in-image input of window o. */
export function avgPoolBackward(f: Float32Array, dy: Ptr, dx: Ptr, g: Window2D): void {
  f.fill(0, dx, dx + g.n * g.h * g.w * g.c);
  forEachWindow(g, (out, b, y0, y1, x0, x1) => {
    const count = (y1 - y0) * (x1 - x0);
    if (y1 <= y0 || x1 <= x0) return;
    for (let ch = 0; ch < g.c; ch++) {
      const share = f[dy + out + ch]! / count;
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = x0; ix < x1; ix++) f[dx + ((b * g.h + iy) * g.w + ix) * g.c + ch]! += share;
      }
    }
  });
}
