// Area-averaging (box filter) resampling: every output pixel is the mean of the
// source area it covers, fractional pixels weighted by their overlap.
import { scratchF32, scratchI32 } from './scratch.js';

interface AxisWeights {
  first: Int32Array; // first source index per output index
  count: Int32Array; // number of source indices per output index
  offset: Int32Array; // start of that output index's weights in `weight`
  weight: Float32Array;
}

// Scratch names per axis (both axes' weights are alive at once).
const X = { first: 'resample.x.first', count: 'resample.x.count', offset: 'resample.x.offset', weight: 'resample.x.weight' };
const Y = { first: 'resample.y.first', count: 'resample.y.count', offset: 'resample.y.offset', weight: 'resample.y.weight' };

function axisWeights(names: typeof X, srcStart: number, srcLen: number, dstLen: number): AxisWeights {
  const scale = srcLen / dstLen;
  const first = scratchI32(names.first, dstLen);
  const count = scratchI32(names.count, dstLen);
  const offset = scratchI32(names.offset, dstLen);
  const weight = scratchF32(names.weight, dstLen * (Math.ceil(scale) + 2));
  let w = 0;
  for (let i = 0; i < dstLen; i++) {
    const a = i * scale;
    const b = Math.min(srcLen, (i + 1) * scale);
    const lo = Math.floor(a);
    const hi = Math.min(srcLen, Math.ceil(b));
    first[i] = srcStart + lo;
    offset[i] = w;
    for (let s = lo; s < hi; s++) {
      const overlap = Math.min(b, s + 1) - Math.max(a, s);
      if (overlap > 0) weight[w++] = overlap / (b - a);
      else weight[w++] = 0;
    }
    count[i] = hi - lo;
  }
  return { first, count, offset, weight };
}

/**
 * Resamples the rectangle (x, y, w, h) of `src` (row stride `srcWidth`) to
 * dstWidth×dstHeight by area averaging. Separable: rows first, then columns.
 * The result goes to `out` (dstWidth × dstHeight elements, all written) if given.
 */
export function resampleArea(
  src: Float32Array,
  srcWidth: number,
  x: number,
  y: number,
  w: number,
  h: number,
  dstWidth: number,
  dstHeight: number,
  out: Float32Array = new Float32Array(dstWidth * dstHeight),
): Float32Array {
  if (w === dstWidth && h === dstHeight) return copyRect(src, srcWidth, x, y, w, h, out);
  const wx = axisWeights(X, x, w, dstWidth);
  const wy = axisWeights(Y, y, h, dstHeight);
  const rows = scratchF32('resample.rows', dstWidth * h); // horizontally resampled source rows, all written
  // Two taps per output pixel (shrinking by less than 2, as for most digit crops) is the common
  // case on both axes: the general loops, unrolled, with the same operations in the same order.
  // Horizontal pass, one output column at a time: its taps are the same on every row.
  for (let i = 0; i < dstWidth; i++) {
    const first = y * srcWidth + wx.first[i]!;
    const o = wx.offset[i]!;
    const c = wx.count[i]!;
    if (c === 2) {
      const w0 = wx.weight[o]!;
      const w1 = wx.weight[o + 1]!;
      for (let r = 0, p = first, q = i; r < h; r++, p += srcWidth, q += dstWidth) rows[q] = 0 + src[p]! * w0 + src[p + 1]! * w1;
      continue;
    }
    for (let r = 0, p = first, q = i; r < h; r++, p += srcWidth, q += dstWidth) {
      let sum = 0;
      for (let k = 0; k < c; k++) sum += src[p + k]! * wx.weight[o + k]!;
      rows[q] = sum;
    }
  }
  // Vertical pass: each output row accumulates its weighted source rows in float32 (the
  // two-tap case rounds the first term with Math.fround, as storing it in `out` did).
  for (let j = 0; j < dstHeight; j++) {
    const f = wy.first[j]! - y;
    const o = wy.offset[j]!;
    const c = wy.count[j]!;
    const dst = j * dstWidth;
    if (c === 2 && wy.weight[o] !== 0 && wy.weight[o + 1] !== 0) {
      const w0 = wy.weight[o]!;
      const w1 = wy.weight[o + 1]!;
      const a = f * dstWidth;
      const b = a + dstWidth;
      for (let i = 0; i < dstWidth; i++) out[dst + i] = Math.fround(0 + rows[a + i]! * w0) + rows[b + i]! * w1;
      continue;
    }
    out.fill(0, dst, dst + dstWidth);
    for (let k = 0; k < c; k++) {
      const wk = wy.weight[o + k]!;
      if (wk === 0) continue;
      const row = (f + k) * dstWidth;
      for (let i = 0; i < dstWidth; i++) out[dst + i] = out[dst + i]! + rows[row + i]! * wk;
    }
  }
  return out;
}

/**
 * The same size: what the weights above give, without them. Each output pixel has the
 * single weight 1 (overlap 1 / width 1) on both axes, so it is 0 + (0 + v · 1) · 1 = v + 0
 * exactly (the + 0 turns a −0 into 0, as those sums did).
 */
function copyRect(src: Float32Array, srcWidth: number, x: number, y: number, w: number, h: number, out: Float32Array): Float32Array {
  for (let r = 0, o = 0; r < h; r++) {
    const row = (y + r) * srcWidth + x;
    for (let i = 0; i < w; i++, o++) out[o] = src[row + i]! + 0;
  }
  return out;
}
