// Separates ink from paper in a luminance image: estimates the (unevenly lit)
// background on a coarse grid, decides which polarity the ink has, and maps
// ink strength to [0,1] with an Otsu threshold for "certainly ink" while
// keeping the grey levels of anti-aliased edges.
import { scratchF32, scratchF64, scratchI32 } from './scratch.js';
import type { GreyImage } from './types.js';

export type Polarity = 'dark-on-light' | 'light-on-dark';

export interface InkMap {
  readonly width: number;
  readonly height: number;
  /** Ink strength in [0,1]: 0 background, 1 solid ink; edges keep their grey level. */
  readonly ink: Float32Array;
  /** 1 where the ink is above the Otsu threshold (certainly ink), else 0. */
  readonly strong: Uint8Array;
  readonly polarity: Polarity;
  /** Typical luminance difference between ink and background, in [0,1]. */
  readonly contrast: number;
  /** Robust standard deviation of the background after removing lighting (noise, texture). */
  readonly noise: number;
}

const BINS = 256;
const MIN_NOISE = 0.5 / 255;

export function extractInk(grey: GreyImage): InkMap {
  const { width, height } = grey;
  const n = width * height;
  // Larger images are lightly smoothed so pixel noise and JPEG speckle do not reach the mask.
  const lum = Math.min(width, height) >= 64 ? boxBlur3(grey.data, width, height) : grey.data;

  // The background is interpolated one row at a time (never a whole image of it): this
  // runs on every request, and for a 28x28 drawing allocations and passes are the cost.
  const grid = backgroundGrid(lum, width, height);
  const row = scratchF32('ink.row', width);
  const residual = scratchF32('ink.residual', n);
  for (let y = 0, i = 0; y < height; y++) {
    if (y === 0 || !grid.uniform) grid.interpolateRow(grid.p50, y, row);
    for (let x = 0; x < width; x++, i++) residual[i] = lum[i]! - row[x]!;
  }
  const noise = Math.max(MIN_NOISE, 1.4826 * medianAbs(residual));

  // Polarity: the ink is the heavy tail of the residual beyond the noise.
  let brightTail = 0;
  let darkTail = 0;
  const cut = 3 * noise;
  for (let i = 0; i < n; i++) {
    const r = residual[i]!;
    if (r > cut) brightTail += r - cut;
    else if (r < -cut) darkTail += -r - cut;
  }
  const polarity: Polarity = brightTail > darkTail ? 'light-on-dark' : 'dark-on-light';
  const darkInk = polarity === 'dark-on-light';

  // Background on the paper side of each cell's distribution (robust to cells that are mostly ink).
  const paper = darkInk ? grid.p75 : grid.p25;
  const strength = residual; // reused buffer
  let maxStrength = 0;
  for (let y = 0, i = 0; y < height; y++) {
    if (y === 0 || !grid.uniform) grid.interpolateRow(paper, y, row);
    for (let x = 0; x < width; x++, i++) {
      const d = darkInk ? row[x]! - lum[i]! : lum[i]! - row[x]!;
      const v = d > 0 ? d : 0;
      strength[i] = v;
      if (v > maxStrength) maxStrength = v;
    }
  }

  const threshold = Math.max(3 * noise, otsuAbove(strength, 2 * noise, maxStrength));
  // Strong pixels, and the histogram of their strength for the median contrast, in one pass.
  const strong = new Uint8Array(n);
  const strongHist = scratchI32('ink.strongHist', BINS, true);
  const histScale = BINS / Math.max(maxStrength, 1e-6);
  let strongCount = 0;
  for (let i = 0; i < n; i++) {
    const v = strength[i]!;
    if (v >= threshold) {
      strong[i] = 1;
      strongCount++;
      strongHist[Math.min(BINS - 1, Math.floor(v * histScale))]!++;
    }
  }
  const ink = new Float32Array(n);
  if (strongCount === 0) return { width, height, ink, strong, polarity, contrast: 0, noise };

  const contrast = histMedian(strongHist, strongCount, histScale, maxStrength);
  const lo = Math.max(3 * noise, 0.2 * threshold);
  const span = Math.max(contrast - lo, 1e-6);
  for (let i = 0; i < n; i++) {
    const v = (strength[i]! - lo) / span;
    ink[i] = v <= 0 ? 0 : v >= 1 ? 1 : v;
  }
  return { width, height, ink, strong, polarity, contrast, noise };
}

interface BackgroundGrid {
  p25: Float32Array;
  p50: Float32Array;
  p75: Float32Array;
  /** One cell (images under 64 px): every row has the same values. */
  uniform: boolean;
  /** Bilinear interpolation of per-cell values between cell centres: the values of row y, into `out`. */
  interpolateRow(cells: Float32Array, y: number, out: Float32Array): void;
}

/** Per-cell luminance percentiles on a grid of cells about 32 px wide (at most 8×8), median-smoothed across cells. */
function backgroundGrid(lum: Float32Array, width: number, height: number): BackgroundGrid {
  const nx = clamp(Math.floor(width / 32), 1, 8);
  const ny = clamp(Math.floor(height / 32), 1, 8);
  const cellOfX = scratchI32('grid.cellOfX', width);
  const cellOfY = scratchI32('grid.cellOfY', height);
  for (let x = 0; x < width; x++) cellOfX[x] = Math.min(nx - 1, Math.floor((x * nx) / width));
  for (let y = 0; y < height; y++) cellOfY[y] = Math.min(ny - 1, Math.floor((y * ny) / height)) * nx;
  const hist = scratchI32('grid.hist', nx * ny * BINS, true);
  const counts = scratchI32('grid.counts', nx * ny, true);
  for (let y = 0, i = 0; y < height; y++) {
    const rowCell = cellOfY[y]!;
    for (let x = 0; x < width; x++, i++) {
      const cell = rowCell + cellOfX[x]!;
      const bin = Math.min(BINS - 1, Math.max(0, Math.floor(lum[i]! * BINS)));
      hist[cell * BINS + bin]!++;
      counts[cell]!++;
    }
  }
  const cells = nx * ny;
  const p25 = new Float32Array(cells);
  const p50 = new Float32Array(cells);
  const p75 = new Float32Array(cells);
  for (let c = 0; c < cells; c++) {
    p25[c] = histPercentile(hist, c * BINS, counts[c]!, 0.25);
    p50[c] = histPercentile(hist, c * BINS, counts[c]!, 0.5);
    p75[c] = histPercentile(hist, c * BINS, counts[c]!, 0.75);
  }
  const smooth = (v: Float32Array): Float32Array => medianFilterCells(v, nx, ny);
  const x0 = scratchI32('grid.x0', width);
  const fx = scratchF32('grid.fx', width);
  for (let x = 0; x < width; x++) {
    const t = clamp(((x + 0.5) * nx) / width - 0.5, 0, nx - 1);
    x0[x] = Math.min(nx - 2, Math.floor(t));
    fx[x] = nx === 1 ? 0 : t - x0[x]!;
    if (nx === 1) x0[x] = 0;
  }
  // Each row mixes the same two x-interpolated cell rows, so those are computed once per
  // cell row (in float64, exactly as the per-pixel formula did) and reused for every row.
  const along = scratchF64('grid.along', ny * width);
  let alongOf: Float32Array | null = null;
  const interpolateRow = (cellValues: Float32Array, y: number, out: Float32Array): void => {
    if (cells === 1) {
      out.fill(cellValues[0]!); // what the formula below gives with one cell
      return;
    }
    if (alongOf !== cellValues) {
      for (let cy = 0, i = 0; cy < ny; cy++) {
        for (let x = 0; x < width; x++, i++) {
          const c = cy * nx + x0[x]!;
          const c1 = nx === 1 ? c : c + 1;
          const f = fx[x]!;
          along[i] = cellValues[c]! * (1 - f) + cellValues[c1]! * f;
        }
      }
      alongOf = cellValues;
    }
    const t = clamp(((y + 0.5) * ny) / height - 0.5, 0, ny - 1);
    const cy = ny === 1 ? 0 : Math.min(ny - 2, Math.floor(t));
    const fy = ny === 1 ? 0 : t - cy;
    const top = cy * width;
    const bottom = ny === 1 ? top : top + width;
    for (let x = 0; x < width; x++) out[x] = along[top + x]! * (1 - fy) + along[bottom + x]! * fy;
  };
  return { p25: smooth(p25), p50: smooth(p50), p75: smooth(p75), uniform: cells === 1, interpolateRow };
}

function histPercentile(hist: Int32Array, start: number, total: number, q: number): number {
  const target = q * total;
  let acc = 0;
  for (let b = 0; b < BINS; b++) {
    acc += hist[start + b]!;
    if (acc >= target) return (b + 0.5) / BINS;
  }
  return 1;
}

/** 3×3 median over the cell grid, so one cell full of ink does not become "background". */
function medianFilterCells(v: Float32Array, nx: number, ny: number): Float32Array {
  if (nx * ny < 4) return v;
  const out = new Float32Array(v.length);
  const window: number[] = [];
  for (let cy = 0; cy < ny; cy++) {
    for (let cx = 0; cx < nx; cx++) {
      window.length = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (x >= 0 && y >= 0 && x < nx && y < ny) window.push(v[y * nx + x]!);
        }
      }
      window.sort((a, b) => a - b);
      out[cy * nx + cx] = window[window.length >> 1]!;
    }
  }
  return out;
}

function boxBlur3(src: Float32Array, width: number, height: number): Float32Array {
  const tmp = scratchF32('blur.tmp', src.length);
  const out = scratchF32('blur.out', src.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const l = x > 0 ? x - 1 : x;
      const r = x < width - 1 ? x + 1 : x;
      tmp[row + x] = (src[row + l]! + src[row + x]! + src[row + r]!) / 3;
    }
  }
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : y) * width;
    const row = y * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    for (let x = 0; x < width; x++) out[row + x] = (tmp[up + x]! + tmp[row + x]! + tmp[down + x]!) / 3;
  }
  return out;
}

/** Median of |v| by a 1024-bin histogram over [0,1] (exact enough for a noise estimate). */
function medianAbs(v: Float32Array): number {
  const bins = 1024;
  const hist = scratchI32('medianAbs.hist', bins, true);
  for (let i = 0; i < v.length; i++) hist[Math.min(bins - 1, Math.floor(Math.abs(v[i]!) * bins))]!++;
  let acc = 0;
  for (let b = 0; b < bins; b++) {
    acc += hist[b]!;
    if (acc >= v.length / 2) return (b + 0.5) / bins;
  }
  return 1;
}

/** Otsu's threshold over the values above `floor` (the background bulk is left out so small digits on large pages still split well). */
function otsuAbove(v: Float32Array, floor: number, max: number): number {
  if (max <= floor) return Infinity;
  const hist = scratchF64('otsu.hist', BINS, true);
  const scale = BINS / (max - floor);
  let total = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x <= floor) continue;
    hist[Math.min(BINS - 1, Math.floor((x - floor) * scale))]!++;
    total++;
  }
  if (total < 2) return Infinity;
  let sumAll = 0;
  for (let b = 0; b < BINS; b++) sumAll += b * hist[b]!;
  let wB = 0;
  let sumB = 0;
  let best = -1;
  let bestBin = 0;
  for (let b = 0; b < BINS - 1; b++) {
    wB += hist[b]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += b * hist[b]!;
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      bestBin = b;
    }
  }
  return floor + (bestBin + 1) / scale;
}

/** The median of the values binned in `hist` (bin = floor(v · scale)), at the bin centre. */
function histMedian(hist: Int32Array, count: number, scale: number, max: number): number {
  let acc = 0;
  for (let b = 0; b < BINS; b++) {
    acc += hist[b]!;
    if (acc >= count / 2) return (b + 0.5) / scale;
  }
  return max;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
