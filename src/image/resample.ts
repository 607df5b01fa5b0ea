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
): Float32Array {
  const wx = axisWeights(X, x, w, dstWidth);
  const wy = axisWeights(Y, y, h, dstHeight);
  const rows = scratchF32('resample.rows', dstWidth * h); // horizontally resampled source rows, all written
  for (let r = 0; r < h; r++) {
    const row = (y + r) * srcWidth;
    for (let i = 0; i < dstWidth; i++) {
      const f = row + wx.first[i]!;
      const o = wx.offset[i]!;
      let sum = 0;
      for (let k = 0, c = wx.count[i]!; k < c; k++) sum += src[f + k]! * wx.weight[o + k]!;
      rows[r * dstWidth + i] = sum;
    }
  }
  const out = new Float32Array(dstWidth * dstHeight);
  for (let j = 0; j < dstHeight; j++) {
    const f = wy.first[j]! - y;
    const o = wy.offset[j]!;
    const c = wy.count[j]!;
    for (let k = 0; k < c; k++) {
      const wk = wy.weight[o + k]!;
      if (wk === 0) continue;
      const row = (f + k) * dstWidth;
      const dst = j * dstWidth;
      for (let i = 0; i < dstWidth; i++) out[dst + i] = out[dst + i]! + rows[row + i]! * wk;
    }
  }
  return out;
}
