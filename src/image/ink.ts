// Separates ink from paper in a luminance image: estimates the (unevenly lit)
// background on a coarse grid, decides which polarity the ink has, and maps
// ink strength to [0,1] with an Otsu threshold for "certainly ink" while
// keeping the grey levels of anti-aliased edges.
//
// This runs on every request, and for a 28x28 drawing the passes over the pixels and the
// fixed costs around them are the cost: two passes visit every pixel (measureNoise and
// listInk) and the rest only the pixels that may be ink, histograms are binned with integer
// truncation instead of Math.floor/min/max (see binOf), and the caller provides the
// image-sized arrays it keeps (scratch arrays serve the rest). The passes live in
// ink-passes.ts, the background grid in background-grid.ts, histograms in histogram.ts.
import { BINS, countBin, histMedian } from './histogram.js';
import { boxBlur3, listInk, measureNoise, pixelPasses } from './ink-passes.js';
import { scratchF32, scratchI32 } from './scratch.js';
import type { GreyImage, Polarity } from './types.js';

export type { Polarity };

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
