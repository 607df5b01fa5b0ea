// The shared first half of single-digit preprocessing and multi-digit
// segmentation: greyscale, working resolution, ink extraction, connected
// components, and the image-level verdict (blank, noise, texture).
import { labelComponents, type Components } from './components.js';
import { toGrey, toGreyScaled } from './grey.js';
import { extractInkInto, type Polarity } from './ink.js';
import { rejection, type Rejection } from './rejection.js';
import { scratchF32, scratchI32, scratchU8 } from './scratch.js';
import type { Box, GreyImage, PipelineImage, RgbaImage, ScaledGreyImage } from './types.js';

export interface AnalyzeOptions {
  /**
   * Larger images are area-downscaled (in the same pass as the greyscale conversion) so
   * their longer side is this many pixels before analysis. Default MAX_WORKING_SIDE.
   */
  maxWorkingSide?: number;
  /** Ink must differ from the paper by at least this much luminance (0..1). Default 0.1. */
  minContrast?: number;
  /** ... and by at least this many noise standard deviations. Default 4. */
  minContrastToNoise?: number;
  /** More separate marks than this is texture or noise, not writing. Default 24. */
  maxMarks?: number;
  /** Ink covering more than this fraction of the image is texture or a photo. Default 0.35. */
  maxInkFraction?: number;
}

export interface ImageStats {
  polarity: Polarity;
  contrast: number;
  noise: number;
  /** Strong-ink pixels / all pixels. */
  inkFraction: number;
  /** Ink components left after dropping specks. */
  marks: number;
}

export interface Analysis {
  /** Working resolution. */
  readonly width: number;
  readonly height: number;
  /** Original pixels per working pixel along x and y (1 unless downscaled). */
  readonly scaleX: number;
  readonly scaleY: number;
  readonly ink: Float32Array;
  readonly components: Components;
  /** Ids of components that are not specks, ordered by their left edge. */
  readonly marks: number[];
  readonly stats: ImageStats;
  /** Set when the image as a whole holds no writing. */
  readonly rejection?: Rejection;
}

/** Components with fewer strong pixels than this fraction of the largest one are specks. */
const SPECK_FRACTION = 0.03;

/**
 * Default working resolution (longer side). Lower is faster but loses digits: measured on
 * 1200x900 JPEG photos each holding one 57-116 px digit, 112 px read 15/40 of them, 160 px 35/40,
 * 256 and 512 px all 40; and at 112-144 px the thin strokes of a fixture (digit-9-2-colour-
 * jpeg-30) already fade below the confidence threshold.
 */
export const MAX_WORKING_SIDE = 512;

export function analyzeImage(image: PipelineImage, options: AnalyzeOptions = {}): Analysis {
  return analyze(image, options, false);
}

/**
 * analyzeImage whose `ink` and `components.labels` are scratch arrays, overwritten by the
 * next call: for a caller that is done with the analysis before it returns (preprocessDigit,
 * segmentDigits).
 */
export function analyzeImageTransient(image: PipelineImage, options: AnalyzeOptions): Analysis {
  return analyze(image, options, true);
}

function analyze(image: PipelineImage, options: AnalyzeOptions, transient: boolean): Analysis {
  if (image.width <= 0 || image.height <= 0) throw new RangeError(`invalid image size ${image.width}x${image.height}`);
  // The grey image, the strong-ink mask and the list of inked pixels do not outlive this
  // function: scratch arrays.
  const grey = 'grey' in image ? checkedWorkingGrey(image, options) : workingGrey(image, options);
  const { width, height } = grey;
  const n = width * height;
  const inked = scratchI32('analyze.inked', n);
  const ink = transient ? scratchF32('analyze.ink', n) : new Float32Array(n);
  const inkMap = extractInkInto(grey, ink, scratchU8('analyze.strong', n), inked);
  const labels = transient ? scratchI32('analyze.labels', n, true) : new Int32Array(n);
  const components = labelComponents(inkMap.ink, inkMap.strong, width, height, inked, inkMap.inkCount, labels);

  let largest = 0;
  let strongTotal = 0;
  for (let id = 1; id <= components.count; id++) {
    largest = Math.max(largest, components.strongArea[id]!);
    strongTotal += components.strongArea[id]!;
  }
  const marks: number[] = [];
  const minStrong = Math.max(2, SPECK_FRACTION * largest);
  for (let id = 1; id <= components.count; id++) if (components.strongArea[id]! >= minStrong) marks.push(id);
  marks.sort((a, b) => components.x0[a]! - components.x0[b]!);

  const stats: ImageStats = {
    polarity: inkMap.polarity,
    contrast: inkMap.contrast,
    noise: inkMap.noise,
    inkFraction: strongTotal / (width * height),
    marks: marks.length,
  };
  const rejected = imageRejection(stats, options);
  return {
    width,
    height,
    scaleX: image.width / width,
    scaleY: image.height / height,
    ink: inkMap.ink,
    components,
    marks,
    stats,
    ...(rejected === undefined ? {} : { rejection: rejected }),
  };
}

/**
 * The image greyscaled at its analysis size: area-averaged down to `maxWorkingSide` on the
 * longer side when it is larger (the costly pass over a large photo), else at full size.
 */
export function workingGrey(image: RgbaImage, options: Pick<AnalyzeOptions, 'maxWorkingSide'> = {}): GreyImage {
  const { width, height } = workingSize(image.width, image.height, options);
  return width < image.width || height < image.height ? toGreyScaled(image, width, height) : toGrey(image, scratchF32('analyze.grey', width * height));
}

function workingSize(w: number, h: number, options: Pick<AnalyzeOptions, 'maxWorkingSide'>): { width: number; height: number } {
  const maxSide = options.maxWorkingSide ?? MAX_WORKING_SIDE;
  const longer = Math.max(w, h);
  if (longer <= maxSide) return { width: w, height: h };
  return { width: Math.max(1, Math.round((w * maxSide) / longer)), height: Math.max(1, Math.round((h * maxSide) / longer)) };
}

/** A precomputed working grey (ScaledGreyImage) must have the size this analysis works at. */
function checkedWorkingGrey(image: ScaledGreyImage, options: AnalyzeOptions): GreyImage {
  const { width, height } = workingSize(image.width, image.height, options);
  if (image.grey.width !== width || image.grey.height !== height || image.grey.data.length !== width * height) {
    throw new RangeError(`a ${image.width}x${image.height} image is analysed at ${width}x${height}, but its working grey is ${image.grey.width}x${image.grey.height}`);
  }
  return image.grey;
}

function imageRejection(s: ImageStats, o: AnalyzeOptions): Rejection | undefined {
  if (s.marks === 0) return s.noise > 0.1 ? rejection('noise', 'no distinct ink: noise or texture everywhere') : rejection('blank', 'no ink found (blank image)');
  if (s.contrast < (o.minContrast ?? 0.1)) return rejection('blank', `contrast too low (${s.contrast.toFixed(3)}): blank or uniform image`);
  if (s.contrast < (o.minContrastToNoise ?? 4) * s.noise) return rejection('noise', 'marks are indistinguishable from noise');
  if (s.inkFraction > (o.maxInkFraction ?? 0.35)) return rejection('texture', 'ink covers most of the image (texture or photo)');
  if (s.marks > (o.maxMarks ?? 24)) return rejection('texture', `too many separate marks (${s.marks}): texture or noise`);
  return undefined;
}

/**
 * Copies the soft ink of the selected components inside the working-resolution
 * rectangle [x0..x1]×[y0..y1] (inclusive); everything else in the crop is 0. The crop
 * goes to `out` ((x1 − x0 + 1) × (y1 − y0 + 1) elements, all written) if given.
 */
export function cropInk(
  a: Analysis,
  selected: Uint8Array,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  out: Float32Array = new Float32Array((x1 - x0 + 1) * (y1 - y0 + 1)),
): Float32Array {
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const { labels } = a.components;
  for (let y = 0; y < h; y++) {
    const row = (y + y0) * a.width + x0;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      out[y * w + x] = selected[labels[i]!] ? a.ink[i]! : 0;
    }
  }
  return out;
}

/** Working-resolution rectangle (inclusive corners) → box in original image pixels. */
export function toOriginalBox(a: Analysis, x0: number, y0: number, x1: number, y1: number): Box {
  const x = Math.floor(x0 * a.scaleX);
  const y = Math.floor(y0 * a.scaleY);
  return { x, y, width: Math.ceil((x1 + 1) * a.scaleX) - x, height: Math.ceil((y1 + 1) * a.scaleY) - y };
}
