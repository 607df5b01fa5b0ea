// Measurements of one candidate digit (a crop of soft ink) and the rules that
// decide whether it looks like handwriting at all.
import { rejection, type Rejection } from './rejection.js';
import { scratchI32, scratchU8 } from './scratch.js';
import { findRoot, union } from './union-find.js';

export interface ShapeFeatures {
  /** Crop size in working pixels. */
  width: number;
  height: number;
  /** Σ ink (soft area). */
  mass: number;
  /** Pixels with ink ≥ 0.5, as a fraction of the crop area. */
  fill: number;
  /** Mean stroke width (2·area / perimeter) relative to the longer crop side; MNIST averages 0.13. */
  strokeRatio: number;
  /** Enclosed background regions (0 has one, 8 has two; a grid has many). */
  holes: number;
}

export interface ShapeLimits {
  /** Longer side below this many working pixels is too small to read. Default 8. */
  minSize?: number;
  /** Strokes thicker than this fraction of the digit size make a blob. Default 0.3. */
  maxStrokeRatio?: number;
  /** Crops filled more than this (and not thin like a 1) are blobs. Default 0.7. */
  maxFill?: number;
  /** More enclosed regions than this look like a grid or texture. Default 3. */
  maxHoles?: number;
}

export function measureShape(crop: Float32Array, width: number, height: number): ShapeFeatures {
  const { mass, area, perimeter } = inkAreaAndPerimeter(crop, width, height);
  return {
    width,
    height,
    mass,
    fill: area / (width * height),
    strokeRatio: perimeter > 0 ? (2 * mass) / perimeter / Math.max(width, height) : 0,
    holes: countHoles(crop, width, height, Math.max(3, 0.004 * width * height)),
  };
}

/** Mean stroke width (2·area / perimeter) relative to the longer side; MNIST averages 0.13. */
export function strokeRatio(crop: Float32Array, width: number, height: number): number {
  const { mass, perimeter } = inkAreaAndPerimeter(crop, width, height);
  return perimeter > 0 ? (2 * mass) / perimeter / Math.max(width, height) : 0;
}

/** Σ ink, pixels with ink ≥ 0.5, and how many of those touch a pixel below 0.5 (or the crop edge). */
function inkAreaAndPerimeter(crop: Float32Array, width: number, height: number): { mass: number; area: number; perimeter: number } {
  let mass = 0;
  let area = 0;
  let perimeter = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const v = crop[i]!;
      mass += v;
      if (v < 0.5) continue;
      area++;
      if (
        x === 0 || y === 0 || x === width - 1 || y === height - 1 ||
        crop[i - 1]! < 0.5 || crop[i + 1]! < 0.5 || crop[i - width]! < 0.5 || crop[i + width]! < 0.5
      ) perimeter++;
    }
  }
  return { mass, area, perimeter };
}

/** Why this shape is not a digit, or undefined if it could be one. */
export function shapeRejection(f: ShapeFeatures, limits: ShapeLimits = {}): Rejection | undefined {
  const longer = Math.max(f.width, f.height);
  const shorter = Math.min(f.width, f.height);
  if (longer < (limits.minSize ?? 8)) return rejection('too-small', `ink too small to read (${longer} px)`);
  if (f.strokeRatio > (limits.maxStrokeRatio ?? 0.3)) return rejection('blob', 'a filled blob, not pen strokes');
  if (f.fill > (limits.maxFill ?? 0.7) && shorter / longer > 0.4) return rejection('blob', 'a filled blob, not pen strokes');
  if (f.width > 2.5 * f.height) return rejection('line', 'a horizontal stroke, not a digit');
  if (f.holes > (limits.maxHoles ?? 3)) return rejection('grid', `grid or texture (${f.holes} enclosed regions)`);
  return undefined;
}

/**
 * 4-connected background (< 0.5; NaN is not background) regions of at least minArea pixels
 * that do not touch the crop border. Each row's background runs are joined (union-find
 * over runs) to the runs of the row above that they overlap: a few operations per run
 * rather than per pixel.
 */
function countHoles(crop: Float32Array, width: number, height: number, minArea: number): number {
  const n = width * height;
  // Per run: union-find parent, pixel count, whether it touches the border, columns [x0, x1).
  const parent = scratchI32('holes.parent', n);
  const size = scratchI32('holes.size', n);
  const border = scratchU8('holes.border', n);
  const runX0 = scratchI32('holes.x0', n);
  const runX1 = scratchI32('holes.x1', n);
  let runs = 0;
  for (let y = 0, above = 0, rowRuns = 0; y < height; y++, above = rowRuns) {
    // The row above's runs are [above, rowRuns); this row's start at rowRuns.
    rowRuns = runs;
    const row = y * width;
    for (let x = 0; x < width; ) {
      if (!(crop[row + x]! < 0.5)) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < width && crop[row + x]! < 0.5) x++;
      const r = runs++;
      parent[r] = r;
      size[r] = x - x0;
      border[r] = y === 0 || y === height - 1 || x0 === 0 || x === width ? 1 : 0;
      runX0[r] = x0;
      runX1[r] = x;
      while (above < rowRuns && runX1[above]! <= x0) above++; // runs above ending before this one
      for (let q = above; q < rowRuns && runX0[q]! < x; q++) union(parent, r, q);
    }
  }
  for (let r = 0; r < runs; r++) {
    const root = findRoot(parent, r);
    if (root === r) continue;
    size[root]! += size[r]!;
    border[root]! |= border[r]!;
  }
  let holes = 0;
  for (let r = 0; r < runs; r++) if (parent[r] === r && !border[r] && size[r]! >= minArea) holes++;
  return holes;
}
