// Cuts between touching digits. A vertical cut at a column-profile minimum
// slices through slanted or overlapping digits (two italic 8s), so the cut is a
// path from the top row to the bottom row instead: one column per row, moving at
// most one column between rows, found by dynamic programming as the cheapest
// path within a band around the expected position. Crossing ink costs, and so
// does running through a hole: a cut through the loop of a 0, 6, 8 or 9 breaks
// a digit, while the right cut passes outside every loop and crosses only where
// the digits touch. Bends cost a little, and so does straying from the centre.
// Ink is then assigned to the side of the path it lies on, so neither digit
// keeps the other's strokes.

/** Cost of entering ink (per unit of ink gained from one path pixel to the next): each stroke crossed. */
const ENTRY_COST = 6;
/**
 * Cost per path pixel: of ink (running along a merged stroke; faint edge pixels
 * from a third of full ink up cost as much as the core, so the cut does not hug
 * a stroke's edge), or of enclosed background (cutting a loop).
 */
const INK_COST = 0.15;
const HOLE_COST = 0.5;
/** Extra cost of moving one column between rows. */
const STEP_COST = 0.03;
/** Cost per row of being a whole band half-width away from the centre column. */
const OFF_CENTRE_COST = 0.02;

export interface CutBand {
  /** Columns the cut may use (inclusive). */
  lo: number;
  hi: number;
  /** Preferred column (e.g. the column-profile minimum). */
  centre: number;
}

/**
 * The cheapest top-to-bottom path through `ink` (width × height, row-major) in
 * each band, left to right. Each path gives, per row, the first column of its
 * right-hand side (pixels at x < path[y] are left of the cut); a path never
 * falls left of its predecessor.
 */
export function findCutPaths(ink: Float32Array, width: number, height: number, bands: readonly CutBand[]): Int32Array[] {
  const pixel = pixelCosts(ink, width, height);
  const paths = bands.map((b) => cheapestPath(ink, pixel, width, height, b));
  for (let j = 1; j < paths.length; j++) {
    const prev = paths[j - 1]!;
    const path = paths[j]!;
    for (let y = 0; y < height; y++) if (path[y]! <= prev[y]!) path[y] = Math.min(width, prev[y]! + 1);
  }
  return paths;
}

/** Dynamic programming over rows; allocates O(height × band). */
function cheapestPath(ink: Float32Array, pixel: Float32Array, width: number, height: number, b: CutBand): Int32Array {
  const lo = Math.max(0, Math.min(b.lo, width - 1));
  const hi = Math.max(lo, Math.min(b.hi, width - 1));
  const band = hi - lo + 1;
  const halfBand = Math.max(1, band / 2);
  const offCentre = new Float64Array(band);
  for (let x = 0; x < band; x++) offCentre[x] = (OFF_CENTRE_COST * Math.abs(lo + x - b.centre)) / halfBand;
  let cost = new Float64Array(band);
  let next = new Float64Array(band);
  const from = new Int8Array(height * band); // −1, 0, +1: the column, relative to x, in row y − 1 that (y, x) was entered from
  for (let x = 0; x < band; x++) cost[x] = ENTRY_COST * ink[lo + x]! + pixel[lo + x]! + offCentre[x]!;
  for (let y = 1; y < height; y++) {
    const row = y * width + lo;
    for (let x = 0; x < band; x++) {
      const i = row + x;
      let best = cost[x]! + ENTRY_COST * Math.max(0, ink[i]! - ink[i - width]!);
      let step = 0;
      if (x > 0) {
        const c = cost[x - 1]! + diagonalCost(ink, i, i - width - 1, i - 1, i - width);
        if (c < best) { best = c; step = -1; }
      }
      if (x < band - 1) {
        const c = cost[x + 1]! + diagonalCost(ink, i, i - width + 1, i + 1, i - width);
        if (c < best) { best = c; step = 1; }
      }
      next[x] = best + pixel[i]! + offCentre[x]!;
      from[y * band + x] = step;
    }
    [cost, next] = [next, cost];
  }
  let end = 0;
  for (let x = 1; x < band; x++) if (cost[x]! < cost[end]!) end = x;
  const path = new Int32Array(height);
  for (let y = height - 1, x = end; y >= 0; y--) {
    path[y] = lo + x;
    x += from[y * band + x]!;
  }
  return path;
}

/**
 * A diagonal step from `prev` to `i` also passes between the two pixels `a` and `b`
 * beside it: the ink it enters counts through the denser of them, so it cannot
 * slip unseen through a diagonal stroke.
 */
function diagonalCost(ink: Float32Array, i: number, prev: number, a: number, b: number): number {
  const slip = Math.max(ink[a]!, ink[b]!);
  return STEP_COST + ENTRY_COST * Math.max(0, slip - ink[prev]!, ink[i]! - slip);
}

/** Per pixel: INK_COST (scaled down for faint ink), or HOLE_COST for background enclosed by ink (4-connected, not reaching the border). */
function pixelCosts(ink: Float32Array, width: number, height: number): Float32Array {
  const n = width * height;
  const outside = new Uint8Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  const push = (i: number): void => {
    if (!outside[i] && ink[i]! < 0.5) {
      outside[i] = 1;
      stack[top++] = i;
    }
  };
  for (let x = 0; x < width; x++) { push(x); push(n - width + x); }
  for (let y = 0; y < height; y++) { push(y * width); push(y * width + width - 1); }
  while (top > 0) {
    const i = stack[--top]!;
    const x = i % width;
    if (x > 0) push(i - 1);
    if (x < width - 1) push(i + 1);
    if (i >= width) push(i - width);
    if (i < n - width) push(i + width);
  }
  const cost = new Float32Array(n);
  for (let i = 0; i < n; i++) cost[i] = outside[i] || ink[i]! >= 0.5 ? INK_COST * Math.min(1, 3 * ink[i]!) : Math.max(INK_COST * ink[i]!, HOLE_COST);
  return cost;
}

export interface CutPiece {
  /** Bounding box of the piece's ink, relative to the cut crop (inclusive). */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** The piece's ink cropped to that box; the neighbours' ink is 0. */
  ink: Float32Array;
  /** Pixels with ink ≥ 0.5. */
  strong: number;
}

/**
 * Splits `ink` along the given paths (left to right, as from findCutPaths): piece i
 * holds the pixels with paths[i − 1][y] ≤ x < paths[i][y]. Empty pieces are null.
 */
export function splitAlongPaths(ink: Float32Array, width: number, height: number, paths: readonly Int32Array[]): (CutPiece | null)[] {
  const pieces: (CutPiece | null)[] = [];
  for (let i = 0; i <= paths.length; i++) {
    const left = i > 0 ? paths[i - 1]! : null;
    const right = i < paths.length ? paths[i]! : null;
    let x0 = width, y0 = height, x1 = -1, y1 = -1, strong = 0;
    for (let y = 0; y < height; y++) {
      const a = left ? left[y]! : 0;
      const b = right ? right[y]! : width;
      for (let x = a, k = y * width + a; x < b; x++, k++) {
        const v = ink[k]!;
        if (v <= 0) continue;
        if (v >= 0.5) strong++;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
    if (x1 < 0) {
      pieces.push(null);
      continue;
    }
    const w = x1 - x0 + 1;
    const out = new Float32Array(w * (y1 - y0 + 1));
    for (let y = y0; y <= y1; y++) {
      const a = Math.max(x0, left ? left[y]! : 0);
      const b = Math.min(x1 + 1, right ? right[y]! : width);
      for (let x = a; x < b; x++) out[(y - y0) * w + x - x0] = ink[y * width + x]!;
    }
    pieces.push({ x0, y0, x1, y1, ink: out, strong });
  }
  return pieces;
}
