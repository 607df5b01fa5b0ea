// The paper's background under uneven light: per-cell luminance quartiles on a coarse grid,
// median-smoothed across cells and interpolated one row at a time.
import { BINS, lumHistogram } from './histogram.js';
import { scratchF32, scratchF64, scratchI32 } from './scratch.js';

export interface BackgroundGrid {
  /** One cell (images under 64 px): every row has the same values. */
  uniform: boolean;
  /**
   * Row y of the 25th, 50th and 75th percentile backgrounds (bilinear interpolation of the
   * median-smoothed per-cell values between cell centres), into r25, r50, r75.
   */
  rowsAt(y: number, r25: Float32Array, r50: Float32Array, r75: Float32Array): void;
}

/** Per-cell luminance percentiles on a grid of cells about 32 px wide (at most 8×8), median-smoothed across cells. */
export function backgroundGrid(lum: Float32Array, width: number, height: number): BackgroundGrid {
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

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
