// Single-digit preprocessing: the whole image is taken to hold one digit.
import { analyzeImageTransient, cropInk, toOriginalBox, type AnalyzeOptions, type ImageStats } from './analyze.js';
import { MNIST_SIZE, normalizeDigit, type NormalizeOptions } from './normalize.js';
import { reasonOf, rejection, type RejectionCode } from './rejection.js';
import { scratchF32 } from './scratch.js';
import { measureShape, shapeRejection, type ShapeFeatures, type ShapeLimits } from './shape.js';
import type { Box, PipelineImage } from './types.js';

export interface PreprocessOptions extends AnalyzeOptions, ShapeLimits, NormalizeOptions {
  /** A single digit made of more separate marks than this is not a digit. Default 6. */
  maxDigitMarks?: number;
}

export interface PreprocessResult {
  /** 28×28 floats in [0,1], ink bright, centre of mass at (14,14); all zero when nothing was found. */
  input: Float32Array;
  isDigit: boolean;
  /** Why the image does not look like a digit (set exactly when isDigit is false). */
  reason?: string;
  /** The reason's machine-readable code (set with reason). */
  reasonCode?: RejectionCode;
  /** The digit's ink bounding box in original image pixels, null if there is no ink. */
  box: Box | null;
  stats: ImageStats & { shape?: ShapeFeatures };
}

/** Image (RGBA, e.g. a browser ImageData or decodeImage's result) → MNIST-style 28×28 input plus a verdict. */
export function preprocessDigit(image: PipelineImage, options: PreprocessOptions = {}): PreprocessResult {
  const a = analyzeImageTransient(image, options); // nothing returned below refers to its arrays
  if (a.marks.length === 0) {
    return { input: new Float32Array(MNIST_SIZE * MNIST_SIZE), isDigit: false, ...reasonOf(a.rejection ?? rejection('blank', 'no ink found')), box: null, stats: a.stats };
  }

  const c = a.components;
  // Start from the largest mark and take the others that belong to it: near it, or large themselves.
  const bySize = [...a.marks].sort((p, q) => c.strongArea[q]! - c.strongArea[p]!);
  const main = bySize[0]!;
  let x0 = c.x0[main]!, y0 = c.y0[main]!, x1 = c.x1[main]!, y1 = c.y1[main]!;
  const reach = 0.5 * Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const selected = new Uint8Array(c.count + 1);
  selected[main] = 1;
  let count = 1;
  for (const id of bySize.slice(1)) {
    const gapX = Math.max(0, c.x0[id]! - x1, x0 - c.x1[id]!);
    const gapY = Math.max(0, c.y0[id]! - y1, y0 - c.y1[id]!);
    if (Math.max(gapX, gapY) > reach && c.strongArea[id]! < 0.25 * c.strongArea[main]!) continue;
    selected[id] = 1;
    count++;
    x0 = Math.min(x0, c.x0[id]!); y0 = Math.min(y0, c.y0[id]!);
    x1 = Math.max(x1, c.x1[id]!); y1 = Math.max(y1, c.y1[id]!);
  }

  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const crop = cropInk(a, selected, x0, y0, x1, y1, scratchF32('preprocess.crop', w * h)); // read by the next two calls only
  const shape = measureShape(crop, w, h);
  const why =
    a.rejection ??
    (count > (options.maxDigitMarks ?? 6) ? rejection('grid', `too many separate marks (${count}) for one digit`) : undefined) ??
    shapeRejection(shape, options);
  const input = normalizeDigit(crop, w, h, options, shape.strokeRatio);
  const box = toOriginalBox(a, x0, y0, x1, y1);
  // The analysis made its stats object for this call alone: extended in place, not copied.
  const stats: PreprocessResult['stats'] = a.stats;
  stats.shape = shape;
  return why === undefined ? { input, isDigit: true, box, stats } : { input, isDigit: false, ...reasonOf(why), box, stats };
}
