// Separates ink from paper in a luminance image: estimates the (unevenly lit)
// background on a coarse grid, decides which polarity the ink has, and maps
// ink strength to [0,1] with an Otsu threshold for "certainly ink" while
// keeping the grey levels of anti-aliased edges.
//
// This runs on every request, and for a 28x28 drawing the passes over the pixels and the
// fixed costs around them are the cost: two passes visit every pixel (measureNoise and
// listInk) and the rest only the pixels that may be ink, histograms are binned with integer
// truncation instead of Math.floor/min/max (see binOf), and the caller provides the
// image-sized arrays it keeps (scratch arrays serve the rest).
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
/** Bins of the |residual| histogram whose median is the noise estimate (over [0,1]). */
const NOISE_BINS = 1024;
const MIN_NOISE = 0.5 / 255;

export function extractInk(grey: GreyImage): InkMap {
  const n = grey.width * grey.height;
  const { inkCount: _, ...map } = extractInkInto(grey, new Float32Array(n), new Uint8Array(n), scratchI32('extractInk.inked', n));
  return map;
}

/**
 * extractInk into caller-owned arrays of width × height elements (every element of `ink`
 * and `strong` is written), so a caller that does not hand them on can pass scratch arrays.
 * `inked` receives, in increasing order, the indices of the pixels that may have ink
 * (inked[0 .. inkCount)); every other pixel has ink 0 and is not strong. Later passes over
 * the ink can visit only those: on a 28x28 drawing, a fifth of the pixels.
 */
export function extractInkInto(grey: GreyImage, ink: Float32Array, strong: Uint8Array, inked: Int32Array): InkMap & { inkCount: number } {
  const { width, height } = grey;
  const n = width * height;
  // Larger images are lightly smoothed so pixel noise and JPEG speckle do not reach the mask.
  const lum = Math.min(width, height) >= 64 ? boxBlur3(grey.data, width, height) : grey.data;
  const p = pixelPasses(lum, width, height);
  const { noise, maxDark, maxLight } = measureNoise(p);
  const { polarity, inkCount, otsu } = listInk(p, noise, maxDark, maxLight, inked);
  const darkInk = polarity === 'dark-on-light';
  const strength = darkInk ? p.darkStrength : p.lightStrength; // of the listed pixels
  const maxStrength = darkInk ? maxDark : maxLight;
  const threshold = Math.max(3 * noise, otsu);

  // Strong pixels, and the histogram of their strength for the median contrast, in one pass.
  strong.fill(0, 0, n);
  ink.fill(0, 0, n);
  const strongHist = scratchI32('ink.strongHist', BINS, true);
  const histScale = BINS / Math.max(maxStrength, 1e-6);
  let strongCount = 0;
  for (let k = 0; k < inkCount; k++) {
    const v = strength[k]!;
    if (v >= threshold) {
      strong[inked[k]!] = 1;
      strongCount++;
      countBin(strongHist, v * histScale, BINS - 1);
    }
  }
  if (strongCount === 0) return { width, height, ink, strong, polarity, contrast: 0, noise, inkCount: 0 };

  const contrast = histMedian(strongHist, BINS, strongCount, histScale, maxStrength);
  const lo = Math.max(3 * noise, 0.2 * threshold);
  const span = Math.max(contrast - lo, 1e-6);
  // Infinite luminance (not from image bytes) makes span NaN, and then every pixel's level
  // (s − lo) / span that NaN, not only the listed pixels'.
  if (Number.isNaN(span)) ink.fill(span, 0, n);
  for (let k = 0; k < inkCount; k++) {
    const v = (strength[k]! - lo) / span;
    ink[inked[k]!] = v <= 0 ? 0 : v >= 1 ? 1 : v;
  }
  return { width, height, ink, strong, polarity, contrast, noise, inkCount };
}

/**
 * What the two passes over all pixels (measureNoise, then listInk) share. Strength is
 * measured from the paper side of each cell's background distribution (robust to cells that
 * are mostly ink): the 75th percentile for dark ink, the 25th for light ink; a strength is
 * max(0, difference), and each value is taken as a float32 array holds it.
 */
interface PixelPasses {
  readonly lum: Float32Array;
  readonly width: number;
  readonly height: number;
  readonly grid: BackgroundGrid;
  /** The background rows (one row for every y on a uniform grid). */
  readonly r25: Float32Array;
  readonly r50: Float32Array;
  readonly r75: Float32Array;
  /**
   * On a uniform grid (a small drawing) every value depends on the luminance alone and the
   * second pass computes it again; on a grid, the first pass keeps the residual and both
   * strengths for it instead (cheaper than interpolating the rows again).
   */
  readonly kept: boolean;
  readonly residual: Float32Array;
  /** Per pixel when kept; then compacted by listInk to the listed pixels. */
  readonly darkStrength: Float32Array;
  readonly lightStrength: Float32Array;
}

function pixelPasses(lum: Float32Array, width: number, height: number): PixelPasses {
  const n = width * height;
  // The background is interpolated one row at a time (never a whole image of it): this
  // runs on every request, and for a 28x28 drawing allocations and passes are the cost.
  const grid = backgroundGrid(lum, width, height);
  const kept = !grid.uniform;
  return {
    lum,
    width,
    height,
    grid,
    r25: scratchF32('ink.r25', width),
    r50: scratchF32('ink.r50', width),
    r75: scratchF32('ink.r75', width),
    kept,
    residual: scratchF32('ink.residual', kept ? n : 0),
    darkStrength: scratchF32('ink.darkStrength', n),
    lightStrength: scratchF32('ink.lightStrength', n),
  };
}

/**
 * First pass: the noise, as the robust standard deviation of the residual from the median
 * background (the median of its magnitude by a histogram), and the largest strength for
 * either polarity. On a uniform grid a run of equal pixels (the paper) is counted in a register.
 */
function measureNoise(p: PixelPasses): { noise: number; maxDark: number; maxLight: number } {
  const { lum, width, height, grid, r25, r50, r75, kept, residual, darkStrength, lightStrength } = p;
  const absHist = scratchI32('ink.absHist', NOISE_BINS, true);
  let maxDark = 0;
  let maxLight = 0;
  let runLum = NaN;
  let run = 0;
  let runBin = 0;
  for (let y = 0, i = 0; y < height; y++) {
    if (y === 0 || !grid.uniform) grid.rowsAt(y, r25, r50, r75);
    for (let x = 0; x < width; x++, i++) {
      const l = lum[i]!;
      if (l === runLum) {
        run++;
        continue;
      }
      const r = Math.fround(l - r50[x]!);
      const bin = binOf(Math.abs(r) * NOISE_BINS, NOISE_BINS - 1);
      if (bin >= 0) {
        absHist[bin]!++;
        if (grid.uniform) {
          absHist[runBin]! += run; // the run so far ends; a new one may start here
          runLum = l;
          runBin = bin;
          run = 0;
        }
      }
      const dark = r75[x]! - l;
      if (dark > maxDark) maxDark = dark;
      const light = l - r25[x]!;
      if (light > maxLight) maxLight = light;
      if (kept) {
        residual[i] = r;
        darkStrength[i] = dark > 0 ? dark : 0;
        lightStrength[i] = light > 0 ? light : 0;
      }
    }
  }
  absHist[runBin]! += run;
  const noise = Math.max(MIN_NOISE, 1.4826 * histMedian(absHist, NOISE_BINS, width * height, NOISE_BINS, 1));
  return { noise, maxDark, maxLight };
}

/**
 * Second pass. Polarity: the ink is the heavy tail of the residual beyond the noise. Both
 * strengths are histogrammed above 2 × noise for Otsu's threshold (the background bulk is
 * left out so small digits on large pages still split well); a strength whose maximum is not
 * above that floor has no threshold (scale 0). Pixels with neither strength above the floor
 * cannot reach the threshold or `lo` (both at least 3 × noise): they are background whatever
 * the polarity. The others are listed in `inked`, their strengths compacted into the strength
 * arrays (entry k ≤ i is written after entry i is read).
 */
function listInk(
  p: PixelPasses,
  noise: number,
  maxDark: number,
  maxLight: number,
  inked: Int32Array,
): { polarity: Polarity; inkCount: number; otsu: number } {
  const { lum, width, height, r25, r50, r75, kept, residual, darkStrength, lightStrength } = p;
  const floor = 2 * noise;
  const darkScale = maxDark > floor ? BINS / (maxDark - floor) : 0;
  const lightScale = maxLight > floor ? BINS / (maxLight - floor) : 0;
  const darkHist = scratchI32('ink.darkOtsu', BINS, true);
  const lightHist = scratchI32('ink.lightOtsu', BINS, true);
  let inkCount = 0;
  let darkTotal = 0;
  let lightTotal = 0;
  let brightTail = 0;
  let darkTail = 0;
  const cut = 3 * noise;
  // On a uniform grid, a pixel as bright as the last plain background pixel (no tail, neither
  // strength above the floor) is plain background too.
  let paperLum = NaN;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      let r: number, d: number, lt: number;
      if (kept) {
        r = residual[i]!;
        d = darkStrength[i]!;
        lt = lightStrength[i]!;
      } else {
        const l = lum[i]!;
        if (l === paperLum) continue;
        r = Math.fround(l - r50[x]!);
        const dark = r75[x]! - l;
        d = Math.fround(dark > 0 ? dark : 0);
        const light = l - r25[x]!;
        lt = Math.fround(light > 0 ? light : 0);
      }
      if (r > cut) brightTail += r - cut;
      else if (r < -cut) darkTail += -r - cut;
      if (d <= floor && lt <= floor) {
        if (!kept && r <= cut && r >= -cut) paperLum = lum[i]!;
        continue;
      }
      inked[inkCount] = i;
      darkStrength[inkCount] = d;
      lightStrength[inkCount++] = lt;
      if (d > floor && darkScale > 0) {
        countBin(darkHist, (d - floor) * darkScale, BINS - 1); // d > floor: a positive bin position
        darkTotal++;
      }
      if (lt > floor && lightScale > 0) {
        countBin(lightHist, (lt - floor) * lightScale, BINS - 1);
        lightTotal++;
      }
    }
  }
  const polarity: Polarity = brightTail > darkTail ? 'light-on-dark' : 'dark-on-light';
  const otsu =
    polarity === 'dark-on-light'
      ? otsuThreshold(darkHist, darkTotal, floor, darkScale)
      : otsuThreshold(lightHist, lightTotal, floor, lightScale);
  return { polarity, inkCount, otsu };
}

/**
 * Math.min(top, Math.floor(s)) for s ≥ 0 without the float rounding call: below `top`,
 * s | 0 truncates, which is floor for non-negative s under 2^31. −1 for NaN (no bin: as
 * indexing a typed array with NaN writes nothing).
 */
function binOf(s: number, top: number): number {
  return s < top ? s | 0 : s >= top ? top : -1;
}

/** hist[binOf(s, top)]++, for s ≥ 0 or NaN. */
function countBin(hist: Int32Array, s: number, top: number): void {
  const bin = binOf(s, top);
  if (bin >= 0) hist[bin]!++;
}

interface BackgroundGrid {
  /** One cell (images under 64 px): every row has the same values. */
  uniform: boolean;
  /**
   * Row y of the 25th, 50th and 75th percentile backgrounds (bilinear interpolation of the
   * median-smoothed per-cell values between cell centres), into r25, r50, r75.
   */
  rowsAt(y: number, r25: Float32Array, r50: Float32Array, r75: Float32Array): void;
}

/** Per-cell luminance percentiles on a grid of cells about 32 px wide (at most 8×8), median-smoothed across cells. */
function backgroundGrid(lum: Float32Array, width: number, height: number): BackgroundGrid {
  const nx = clamp(Math.floor(width / 32), 1, 8);
  const ny = clamp(Math.floor(height / 32), 1, 8);
  const cells = nx * ny;
  const hist = scratchI32('grid.hist', cells * BINS, true);
  const counts = scratchI32('grid.counts', cells, true);
  if (cells === 1) {
    lumHistogram(lum, width * height, hist);
    counts[0] = width * height;
  } else {
    cellHistograms(lum, width, height, nx, ny, hist, counts);
  }
  const p25 = new Float32Array(cells);
  const p50 = new Float32Array(cells);
  const p75 = new Float32Array(cells);
  for (let c = 0; c < cells; c++) quartiles(hist, c, counts[c]!, p25, p50, p75);
  if (cells === 1) {
    // What the bilinear formula below gives with one cell; none of its tables are needed.
    const rowsAt = (_y: number, r25: Float32Array, r50: Float32Array, r75: Float32Array): void => {
      r25.fill(p25[0]!);
      r50.fill(p50[0]!);
      r75.fill(p75[0]!);
    };
    return { uniform: true, rowsAt };
  }
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
  const along = (cellValues: Float32Array, name: string): Float64Array => {
    const out = scratchF64(name, ny * width);
    for (let cy = 0, i = 0; cy < ny; cy++) {
      for (let x = 0; x < width; x++, i++) {
        const c = cy * nx + x0[x]!;
        const c1 = nx === 1 ? c : c + 1;
        const f = fx[x]!;
        out[i] = cellValues[c]! * (1 - f) + cellValues[c1]! * f;
      }
    }
    return out;
  };
  const a25 = along(medianFilterCells(p25, nx, ny), 'grid.along25');
  const a50 = along(medianFilterCells(p50, nx, ny), 'grid.along50');
  const a75 = along(medianFilterCells(p75, nx, ny), 'grid.along75');
  const rowsAt = (y: number, r25: Float32Array, r50: Float32Array, r75: Float32Array): void => {
    const t = clamp(((y + 0.5) * ny) / height - 0.5, 0, ny - 1);
    const cy = ny === 1 ? 0 : Math.min(ny - 2, Math.floor(t));
    const fy = ny === 1 ? 0 : t - cy;
    const top = cy * width;
    const bottom = ny === 1 ? top : top + width;
    for (let x = 0; x < width; x++) {
      r25[x] = a25[top + x]! * (1 - fy) + a25[bottom + x]! * fy;
      r50[x] = a50[top + x]! * (1 - fy) + a50[bottom + x]! * fy;
      r75[x] = a75[top + x]! * (1 - fy) + a75[bottom + x]! * fy;
    }
  };
  return { uniform: false, rowsAt };
}

/**
 * Adds the first n luminances to a BINS-bin histogram, bin min(BINS − 1, max(0, floor(v · BINS))):
 * s | 0 truncates towards zero, which is that floor for 0 ≤ s < 2^31 and also 0 for −1 < s < 0.
 * A NaN is counted in no bin (as indexing a typed array with NaN writes nothing). Runs of
 * equal luminance (the paper of a drawing) are counted in a register.
 */
function lumHistogram(lum: Float32Array, n: number, hist: Int32Array): void {
  let runLum = NaN;
  let run = 0;
  let runBin = 0;
  for (let i = 0; i < n; i++) {
    const l = lum[i]!;
    if (l === runLum) {
      run++;
      continue;
    }
    hist[runBin]! += run;
    const s = l * BINS;
    const bin = s < BINS - 1 ? (s > 0 ? s | 0 : 0) : s >= BINS - 1 ? BINS - 1 : -1;
    // A NaN starts no run (and NaN never equals runLum).
    runLum = l;
    runBin = bin < 0 ? 0 : bin;
    run = bin < 0 ? 0 : 1;
  }
  hist[runBin]! += run;
}

/** lumHistogram per grid cell (cell c's bins start at c · BINS), with the cells' pixel counts. */
function cellHistograms(lum: Float32Array, width: number, height: number, nx: number, ny: number, hist: Int32Array, counts: Int32Array): void {
  // Where each column's and each row's cells start in `hist`, and how many pixels wide and
  // high each cell is (a cell's pixel count is their product).
  const xStart = scratchI32('grid.xStart', width);
  const yStart = scratchI32('grid.yStart', height);
  const cellWidth = new Int32Array(nx);
  const cellHeight = new Int32Array(ny);
  for (let x = 0; x < width; x++) {
    const cx = Math.min(nx - 1, Math.floor((x * nx) / width));
    xStart[x] = cx * BINS;
    cellWidth[cx]!++;
  }
  for (let y = 0; y < height; y++) {
    const cy = Math.min(ny - 1, Math.floor((y * ny) / height));
    yStart[y] = cy * nx * BINS;
    cellHeight[cy]!++;
  }
  for (let cy = 0; cy < ny; cy++) for (let cx = 0; cx < nx; cx++) counts[cy * nx + cx] = cellWidth[cx]! * cellHeight[cy]!;
  for (let y = 0, i = 0; y < height; y++) {
    const rowStart = yStart[y]!;
    for (let x = 0; x < width; x++, i++) {
      const start = rowStart + xStart[x]!;
      const s = lum[i]! * BINS;
      if (s < BINS - 1) hist[start + (s > 0 ? s | 0 : 0)]!++;
      else if (s >= BINS - 1) hist[start + BINS - 1]!++;
    }
  }
}

/**
 * The 25th, 50th and 75th percentiles of cell c's histogram (bin centres; 1 if not reached),
 * in one scan: the first bin where the running count reaches q · total, for each q (a bin
 * centre is never 1, so 1 also means "not reached yet").
 */
function quartiles(hist: Int32Array, c: number, total: number, p25: Float32Array, p50: Float32Array, p75: Float32Array): void {
  let v25 = 1;
  let v50 = 1;
  let v75 = 1;
  let acc = 0;
  for (let b = 0, start = c * BINS; b < BINS && v75 === 1; b++) {
    acc += hist[start + b]!;
    const centre = (b + 0.5) / BINS;
    if (v25 === 1 && acc >= 0.25 * total) v25 = centre;
    if (v50 === 1 && acc >= 0.5 * total) v50 = centre;
    if (v75 === 1 && acc >= 0.75 * total) v75 = centre;
  }
  p25[c] = v25;
  p50[c] = v50;
  p75[c] = v75;
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
    // The end pixels repeat themselves in place of the missing neighbour.
    const first = y * width;
    const last = first + width - 1;
    tmp[first] = (src[first]! + src[first]! + src[Math.min(first + 1, last)]!) / 3;
    for (let i = first + 1; i < last; i++) tmp[i] = (src[i - 1]! + src[i]! + src[i + 1]!) / 3;
    if (last > first) tmp[last] = (src[last - 1]! + src[last]! + src[last]!) / 3;
  }
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : y) * width;
    const row = y * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    for (let x = 0; x < width; x++) out[row + x] = (tmp[up + x]! + tmp[row + x]! + tmp[down + x]!) / 3;
  }
  return out;
}

/** Otsu's threshold from a histogram of `total` values above `floor`, binned by floor((v − floor) · scale); Infinity when there is none. */
function otsuThreshold(hist: Int32Array, total: number, floor: number, scale: number): number {
  if (scale === 0 || total < 2) return Infinity;
  // Empty bins are skipped: they add nothing to the sums and leave the between-class
  // variance equal to the previous bin's, which cannot beat it (small drawings fill few bins).
  let sumAll = 0;
  for (let b = 0; b < BINS; b++) if (hist[b] !== 0) sumAll += b * hist[b]!;
  let wB = 0;
  let sumB = 0;
  let best = -1;
  let bestBin = 0;
  for (let b = 0; b < BINS - 1; b++) {
    const count = hist[b]!;
    if (count === 0) continue;
    wB += count;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += b * count;
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

/**
 * The median of `count` values binned in hist[0 .. bins) (bin = floor(v · scale)), at the
 * bin centre; `max` if the bins hold fewer.
 */
function histMedian(hist: Int32Array, bins: number, count: number, scale: number, max: number): number {
  let acc = 0;
  for (let b = 0; b < bins; b++) {
    acc += hist[b]!;
    if (acc >= count / 2) return (b + 0.5) / scale;
  }
  return max;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
