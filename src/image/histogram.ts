// Histogram helpers of the ink pipeline: binning without Math.floor, the luminance
// histogram, Otsu's threshold and a histogram median.

/** Luminance and strength histograms have this many bins over their range. */
export const BINS = 256;

/**
 * Math.min(top, Math.floor(s)) for s ≥ 0 without the float rounding call: below `top`,
 * s | 0 truncates, which is floor for non-negative s under 2^31. −1 for NaN (no bin: as
 * indexing a typed array with NaN writes nothing).
 */
export function binOf(s: number, top: number): number {
  return s < top ? s | 0 : s >= top ? top : -1;
}

/** hist[binOf(s, top)]++, for s ≥ 0 or NaN. */
export function countBin(hist: Int32Array, s: number, top: number): void {
  const bin = binOf(s, top);
  if (bin >= 0) hist[bin]!++;
}

/**
 * Adds the first n luminances to a BINS-bin histogram, bin min(BINS − 1, max(0, floor(v · BINS))):
 * s | 0 truncates towards zero, which is that floor for 0 ≤ s < 2^31 and also 0 for −1 < s < 0.
 * A NaN is counted in no bin (as indexing a typed array with NaN writes nothing). Runs of
 * equal luminance (the paper of a drawing) are counted in a register.
 */
export function lumHistogram(lum: Float32Array, n: number, hist: Int32Array): void {
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


/** Otsu's threshold from a histogram of `total` values above `floor`, binned by floor((v − floor) · scale); Infinity when there is none. */
export function otsuThreshold(hist: Int32Array, total: number, floor: number, scale: number): number {
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
export function histMedian(hist: Int32Array, bins: number, count: number, scale: number, max: number): number {
  let acc = 0;
  for (let b = 0; b < bins; b++) {
    acc += hist[b]!;
    if (acc >= count / 2) return (b + 0.5) / scale;
  }
  return max;
}
