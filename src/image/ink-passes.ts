// The two passes of ink extraction over every pixel (measureNoise, then listInk) and the
// blur that precedes them on large images.
import { backgroundGrid, type BackgroundGrid } from './background-grid.js';
import { BINS, binOf, countBin, histMedian, otsuThreshold } from './histogram.js';
import type { Polarity } from './types.js';
import { scratchF32, scratchI32 } from './scratch.js';

/** Bins of the |residual| histogram whose median is the noise estimate (over [0,1]). */
const NOISE_BINS = 1024;
const MIN_NOISE = 0.5 / 255;

/**
 * What the two passes over all pixels (measureNoise, then listInk) share. Strength is
 * measured from the paper side of each cell's background distribution (robust to cells that
 * are mostly ink): the 75th percentile for dark ink, the 25th for light ink; a strength is
 * max(0, difference), and each value is taken as a float32 array holds it.
 */
export interface PixelPasses {
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

export function pixelPasses(lum: Float32Array, width: number, height: number): PixelPasses {
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
export function measureNoise(p: PixelPasses): { noise: number; maxDark: number; maxLight: number } {
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
export function listInk(
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

/** 3×3 box blur (two separable passes) into a scratch array. */
export function boxBlur3(src: Float32Array, width: number, height: number): Float32Array {
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
