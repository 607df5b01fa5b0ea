// Multi-digit segmentation of one line of writing ("2024"): ink components are
// grouped into digits left to right — pieces stacked over each other (the flag
// of a 5, a broken stroke) are merged, small fragments join their neighbour or
// are dropped, and groups much wider than a digit are split at the minima of
// their column ink profile, along a cut path that may slant and bend
// (cut.ts). Each digit is then normalised like a single digit.
import { analyzeImageTransient, cropInk, toOriginalBox, type Analysis, type AnalyzeOptions, type ImageStats } from './analyze.js';
import { findCutPaths, splitAlongPaths } from './cut.js';
import { normalizeDigit, type NormalizeOptions } from './normalize.js';
import { reasonOf, rejection, type RejectionCode } from './rejection.js';
import { measureShape, shapeRejection, type ShapeFeatures, type ShapeLimits } from './shape.js';
import type { Box, PipelineImage } from './types.js';

export interface SegmentOptions extends AnalyzeOptions, ShapeLimits, NormalizeOptions {
  /** A digit made of more separate marks than this is not a digit (ruled lines, hatching). Default 6. */
  maxDigitMarks?: number;
  /** Groups wider than this × their height are taken as touching digits and split. Default 1.15. */
  splitAspect?: number;
  /** At most this many digits are returned (the rest is taken as noise). Default 32. */
  maxDigits?: number;
}

export interface DigitSegment {
  /** Digit bounding box in original image pixels. */
  box: Box;
  /** 28×28 MNIST-style input. */
  input: Float32Array;
  isDigit: boolean;
  reason?: string;
  /** The reason's machine-readable code (set with reason). */
  reasonCode?: RejectionCode;
  shape: ShapeFeatures;
}

export interface SegmentResult {
  /** Left to right. */
  segments: DigitSegment[];
  /** True when the image holds writing and every segment looks like a digit. */
  isDigit: boolean;
  reason?: string;
  /** The reason's machine-readable code (set with reason). */
  reasonCode?: RejectionCode;
  stats: ImageStats;
}

interface Group {
  ids: number[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  strong: number;
  /** The group's ink cropped to its box, when it is a piece cut from a larger group (else the selected components' ink). */
  ink?: Float32Array;
}

const width = (g: Group): number => g.x1 - g.x0 + 1;
const height = (g: Group): number => g.y1 - g.y0 + 1;

export function segmentDigits(image: PipelineImage, options: SegmentOptions = {}): SegmentResult {
  const a = analyzeImageTransient(image, options); // nothing returned below refers to its arrays
  if (a.rejection !== undefined) return { segments: [], isDigit: false, ...reasonOf(a.rejection), stats: a.stats };

  let groups = mergeStacked(a.marks.map((id) => groupOf(a, id)));
  groups = absorbFragments(groups);
  const pieces = splitWide(a, groups, options.splitAspect ?? 1.15).slice(0, options.maxDigits ?? 32);

  const segments = pieces.map((p): DigitSegment => {
    const crop = inkOf(a, p);
    const shape = measureShape(crop, width(p), height(p));
    const why =
      p.ids.length > (options.maxDigitMarks ?? 6) ? rejection('grid', `too many separate marks (${p.ids.length}) for one digit`) : shapeRejection(shape, options);
    return {
      box: toOriginalBox(a, p.x0, p.y0, p.x1, p.y1),
      input: normalizeDigit(crop, width(p), height(p), options),
      isDigit: why === undefined,
      ...(why === undefined ? {} : reasonOf(why)),
      shape,
    };
  });
  const firstBad = segments.find((s) => !s.isDigit);
  const why =
    segments.length === 0
      ? rejection('no-digits', 'no digits found')
      : firstBad
        ? rejection('non-digit-segment', `segment ${segments.indexOf(firstBad) + 1}: ${firstBad.reason}`)
        : undefined;
  return { segments, isDigit: why === undefined, ...(why === undefined ? {} : reasonOf(why)), stats: a.stats };
}

function groupOf(a: Analysis, id: number): Group {
  const c = a.components;
  return { ids: [id], x0: c.x0[id]!, y0: c.y0[id]!, x1: c.x1[id]!, y1: c.y1[id]!, strong: c.strongArea[id]! };
}

function join(p: Group, q: Group): Group {
  return {
    ids: [...p.ids, ...q.ids],
    x0: Math.min(p.x0, q.x0),
    y0: Math.min(p.y0, q.y0),
    x1: Math.max(p.x1, q.x1),
    y1: Math.max(p.y1, q.y1),
    strong: p.strong + q.strong,
  };
}

/** Merges groups whose column ranges overlap by at least half of the narrower one (parts of one digit stacked vertically). */
function mergeStacked(groups: Group[]): Group[] {
  const out = [...groups].sort((p, q) => p.x0 - q.x0);
  for (let merged = true; merged; ) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const p = out[i]!;
        const q = out[j]!;
        if (q.x0 > p.x1) break;
        const overlap = Math.min(p.x1, q.x1) - Math.max(p.x0, q.x0) + 1;
        if (overlap >= 0.5 * Math.min(width(p), width(q))) {
          out[i] = join(p, q);
          out.splice(j, 1);
          merged = true;
          break;
        }
      }
    }
  }
  return out;
}

/** Fragments (much shorter and lighter than the line's digits) join a close neighbour, or are dropped as punctuation or specks. */
function absorbFragments(groups: Group[]): Group[] {
  if (groups.length < 2) return groups;
  const lineHeight = Math.max(...groups.map(height));
  const strongs = groups.map((g) => g.strong).sort((p, q) => p - q);
  const medianStrong = strongs[strongs.length >> 1]!;
  const isFragment = (g: Group): boolean => height(g) < 0.5 * lineHeight && g.strong < 0.35 * medianStrong;
  const out = groups.filter((g) => !isFragment(g));
  for (const f of groups.filter(isFragment)) {
    let best = -1;
    let bestGap = Infinity;
    out.forEach((g, i) => {
      const gap = Math.max(0, f.x0 - g.x1, g.x0 - f.x1);
      if (gap < bestGap) {
        bestGap = gap;
        best = i;
      }
    });
    if (best >= 0 && bestGap <= 0.15 * lineHeight) out[best] = join(out[best]!, f);
  }
  return out.sort((p, q) => p.x0 - q.x0);
}

/**
 * Splits groups that hold several touching digits near the column-profile
 * minima around the expected cut positions, along cut paths that may slant and
 * bend around loops (cut.ts). Clear cases are much wider than a digit, or wide
 * with more holes than one digit has (two touching 8s). Borderline widths are
 * split only where the profile has a real dip, both halves are full height
 * (not the flag of a 5) and the cut keeps every hole (not a round 0 halved).
 */
function splitWide(a: Analysis, groups: Group[], splitAspect: number): Group[] {
  const normal = groups.filter((g) => width(g) <= splitAspect * height(g)).map((g) => width(g) / height(g));
  normal.sort((p, q) => p - q);
  const typicalAspect = normal.length > 0 ? Math.max(0.5, normal[normal.length >> 1]!) : 0.75;
  const out: Group[] = [];
  for (const g of groups) {
    const w = width(g);
    const h = height(g);
    const aspect = w / h;
    if (aspect > 6 || aspect <= 0.8) {
      out.push(g); // a digit, or a long line that the shape check rejects
      continue;
    }
    const clear = aspect > splitAspect || holesOf(a, g) > 2;
    if (!clear && aspect <= 0.9) {
      out.push(g);
      continue;
    }
    const k = Math.max(2, Math.round(w / (typicalAspect * h)));
    const crop = inkOf(a, g);
    const profile = columnProfile(crop, w, h);
    const cuts = findCuts(profile, k);
    const pieces = cutPieces(g, crop, cuts, k);
    if (clear || isCleanCut(a, g, pieces, profile, cuts[0]!)) out.push(...pieces);
    else out.push(g);
  }
  return out;
}

/** Where cut j of k is searched: columns lo..hi, within ±45% of a digit width of the expected position. */
function cutBand(w: number, k: number, j: number): { lo: number; hi: number; expected: number } {
  const step = w / k;
  const expected = j * step;
  return { lo: Math.max(1, Math.round(expected - 0.45 * step)), hi: Math.min(w - 2, Math.round(expected + 0.45 * step)), expected };
}

/** k−1 cut columns: the lowest profile value in each cut's band, preferring the expected position. */
function findCuts(profile: Float32Array, k: number): number[] {
  const w = profile.length;
  const step = w / k;
  const cuts: number[] = [];
  for (let j = 1; j < k; j++) {
    const { lo, hi, expected } = cutBand(w, k, j);
    let best = Math.round(expected);
    let bestScore = Infinity;
    for (let x = lo; x <= hi; x++) {
      const score = profile[x]! * (1 + (0.5 * Math.abs(x - expected)) / step);
      if (score < bestScore) {
        bestScore = score;
        best = x;
      }
    }
    cuts.push(best);
  }
  return cuts;
}

/** Splits group g (ink `crop`) along the cheapest cut paths near the column cuts; each piece keeps only the ink on its side. */
function cutPieces(g: Group, crop: Float32Array, cuts: number[], k: number): Group[] {
  const w = width(g);
  const h = height(g);
  const bands = cuts.map((centre, j) => ({ ...cutBand(w, k, j + 1), centre }));
  const paths = findCutPaths(crop, w, h, bands);
  const pieces: Group[] = [];
  for (const p of splitAlongPaths(crop, w, h, paths)) {
    if (p) pieces.push({ ids: g.ids, x0: g.x0 + p.x0, y0: g.y0 + p.y0, x1: g.x0 + p.x1, y1: g.y0 + p.y1, strong: p.strong, ink: p.ink });
  }
  return pieces;
}

function isCleanCut(a: Analysis, g: Group, pieces: Group[], profile: Float32Array, cut: number): boolean {
  if (pieces.length !== 2 || pieces.some((p) => height(p) < 0.75 * height(g))) return false; // both halves full-height digits
  const mean = profile.reduce((sum, v) => sum + v, 0) / profile.length;
  if (profile[cut]! >= 0.75 * mean) return false;
  return holesOf(a, pieces[0]!) + holesOf(a, pieces[1]!) >= holesOf(a, g);
}

function selection(a: Analysis, g: Group): Uint8Array {
  const selected = new Uint8Array(a.components.count + 1);
  for (const id of g.ids) selected[id] = 1;
  return selected;
}

/** The group's ink cropped to its box. */
function inkOf(a: Analysis, g: Group): Float32Array {
  return g.ink ?? cropInk(a, selection(a, g), g.x0, g.y0, g.x1, g.y1);
}

function holesOf(a: Analysis, g: Group): number {
  return measureShape(inkOf(a, g), width(g), height(g)).holes;
}

function columnProfile(crop: Float32Array, w: number, h: number): Float32Array {
  const profile = new Float32Array(w);
  for (let y = 0, i = 0; y < h; y++) for (let x = 0; x < w; x++, i++) profile[x] += crop[i]!;
  return profile;
}
