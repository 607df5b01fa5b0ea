// RGBA → luminance, compositing transparency onto a backdrop first, optionally
// area-downscaled in the same pass.
import type { GreyImage, RgbaImage } from './types.js';

/**
 * Rec. 601 luminance in [0,1]. Transparent pixels are composited on white,
 * except when the opaque pixels are a light minority (light strokes drawn on a
 * transparent canvas), which are composited on black so the strokes stay visible.
 * `into` (width × height elements, all written) is used instead of a new array if given.
 */
export function toGrey(image: RgbaImage, into?: Float32Array): GreyImage {
  const { width, height, data } = image;
  const n = width * height;
  checkLength(image);
  const out = into ?? new Float32Array(n);
  let translucent = false;
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    out[i] = luma(data, p);
    if (data[p + 3] !== 255) translucent = true;
  }
  if (!translucent) return { width, height, data: out };
  // Only now (most images are opaque) the opaque pixels' luma is summed, in the same order.
  let opaque = 0;
  let opaqueLuma = 0;
  for (let p = 3; p < 4 * n; p += 4) {
    if (data[p]! >= 128) {
      opaque++;
      opaqueLuma += luma(data, p - 3);
    }
  }
  const backdrop = backdropOf(opaque, n, opaqueLuma);
  for (let i = 0, p = 3; i < n; i++, p += 4) {
    const alpha = data[p]! / 255;
    out[i] = out[i]! * alpha + backdrop * (1 - alpha);
  }
  return { width, height, data: out };
}

const GREY_LUMA = Float64Array.from({ length: 256 }, (_, v) => (0.299 * v + 0.587 * v + 0.114 * v) / 255);

/** Rec. 601 luminance in [0,1] of the pixel at byte offset p. */
function luma(data: RgbaImage['data'], p: number): number {
  const r = data[p]!;
  const g = data[p + 1]!;
  const b = data[p + 2]!;
  // Grey pixels (most of a drawing, every grey PNG or JPEG) from a table of the same formula.
  if (r === g && g === b) return GREY_LUMA[r]!;
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}

/**
 * toGrey followed by area averaging to width × height (≤ the image's size), in one
 * pass over the RGBA bytes and without a full-resolution float copy: a 12 MP photo
 * would otherwise cost 48 MB and two passes before anything is analysed.
 */
export function toGreyScaled(image: RgbaImage, width: number, height: number): GreyImage {
  checkLength(image);
  const { width: sw, height: sh, data } = image;
  if (width > sw || height > sh || width < 1 || height < 1) throw new RangeError(`cannot downscale ${sw}x${sh} to ${width}x${height}`);
  return { width, height, data: isOpaque(data, sw * sh) ? shrinkOpaque(image, width, height) : shrinkTranslucent(image, width, height) };
}

function isOpaque(data: RgbaImage['data'], n: number): boolean {
  for (let p = 3; p < 4 * n; p += 4) if (data[p] !== 255) return false;
  return true;
}

/**
 * The common case (every JPEG, most PNGs). Source rows are first summed vertically at
 * full width (one multiply-add per pixel, next to the luma), and each finished output
 * row is then summed horizontally: that second step runs once per output row only.
 */
function shrinkOpaque({ width: sw, height: sh, data }: RgbaImage, width: number, height: number): Float32Array {
  const xs = overlaps(sw, width);
  const ys = overlaps(sh, height);
  const out = new Float32Array(width * height);
  let cur = new Float32Array(sw); // output row j, still at full width
  let next = new Float32Array(sw); // the part of a straddling source row that belongs to row j + 1
  let j = 0;
  for (let y = 0, p = 0; y < sh; y++) {
    if (ys.cell[y] !== j) {
      shrinkRow(cur, out, j * width, xs);
      [cur, next] = [next, cur];
      next.fill(0);
      j = ys.cell[y]!;
    }
    const a = ys.w0[y]! / 255;
    const b = ys.w1[y]! / 255;
    if (b > 0) {
      for (let x = 0; x < sw; x++, p += 4) {
        const luma = 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
        cur[x] += luma * a;
        next[x] += luma * b;
      }
    } else {
      for (let x = 0; x < sw; x++, p += 4) cur[x] += (0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!) * a;
    }
  }
  shrinkRow(cur, out, j * width, xs);
  return out;
}

/** Area-averages one row of `src` into out[start ..] with the horizontal weights. */
function shrinkRow(src: Float32Array, out: Float32Array, start: number, { cell, w0, w1 }: Overlaps): void {
  // Pixels come in order, so the current cell's sum stays in a register; a pixel
  // straddling two cells carries its remainder into the next one.
  let c = 0;
  let sum = 0;
  let carry = 0;
  for (let x = 0; x < src.length; x++) {
    const cx = cell[x]!;
    if (cx !== c) {
      out[start + c] = sum;
      c = cx;
      sum = carry;
    }
    const v = src[x]!;
    sum += v * w0[x]!;
    carry = v * w1[x]!;
  }
  out[start + c] = sum;
}

/**
 * With transparency: compositing is linear, so averaging luma·alpha and alpha
 * separately and compositing afterwards (on toGrey's backdrop) equals compositing first.
 */
function shrinkTranslucent({ width: sw, height: sh, data }: RgbaImage, width: number, height: number): Float32Array {
  const xs = overlaps(sw, width);
  const ys = overlaps(sh, height);
  const lumaAlpha = new Float32Array(width * height);
  const alpha = new Float32Array(width * height);
  const rowLA = new Float32Array(width);
  const rowA = new Float32Array(width);
  let opaque = 0;
  let opaqueLuma = 0;
  for (let y = 0, p = 0; y < sh; y++) {
    rowLA.fill(0);
    rowA.fill(0);
    for (let x = 0; x < sw; x++, p += 4) {
      const luma = (0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!) / 255;
      const a = data[p + 3]! / 255;
      if (data[p + 3]! >= 128) {
        opaque++;
        opaqueLuma += luma;
      }
      const c = xs.cell[x]!;
      rowLA[c] += luma * a * xs.w0[x]!;
      rowA[c] += a * xs.w0[x]!;
      if (xs.w1[x]! > 0) {
        rowLA[c + 1] += luma * a * xs.w1[x]!;
        rowA[c + 1] += a * xs.w1[x]!;
      }
    }
    for (const [r, w] of [[ys.cell[y]!, ys.w0[y]!], [ys.cell[y]! + 1, ys.w1[y]!]] as const) {
      if (w <= 0) continue;
      addRow(lumaAlpha, rowLA, r * width, w, width);
      addRow(alpha, rowA, r * width, w, width);
    }
  }
  const backdrop = backdropOf(opaque, sw * sh, opaqueLuma);
  for (let i = 0; i < lumaAlpha.length; i++) lumaAlpha[i] = lumaAlpha[i]! + backdrop * (1 - alpha[i]!);
  return lumaAlpha;
}

function addRow(out: Float32Array, row: Float32Array, start: number, w: number, n: number): void {
  for (let i = 0; i < n; i++) out[start + i] += row[i]! * w;
}

/**
 * Area-averaging weights along one axis when shrinking: source pixel s covers
 * [s, s+1), output cell c covers [c·k, (c+1)·k) with k = src/dst ≥ 1, so s
 * overlaps at most two cells: `cell[s]` with weight w0 and the next with w1
 * (weights are overlap / k, so each cell's weights sum to 1).
 */
interface Overlaps {
  cell: Int32Array;
  w0: Float32Array;
  w1: Float32Array;
}

function overlaps(src: number, dst: number): Overlaps {
  const k = src / dst;
  const cell = new Int32Array(src);
  const w0 = new Float32Array(src);
  const w1 = new Float32Array(src);
  for (let s = 0; s < src; s++) {
    const c = Math.min(dst - 1, Math.floor(s / k));
    const end = (c + 1) * k; // right edge of cell c
    cell[s] = c;
    if (s + 1 <= end || c === dst - 1) {
      w0[s] = 1 / k;
    } else {
      w0[s] = (end - s) / k;
      w1[s] = (s + 1 - end) / k;
    }
  }
  return { cell, w0, w1 };
}

function backdropOf(opaque: number, n: number, opaqueLuma: number): number {
  return opaque > 0 && opaque < n / 2 && opaqueLuma / opaque > 0.5 ? 0 : 1;
}

function checkLength({ width, height, data }: RgbaImage): void {
  if (data.length < width * height * 4) throw new RangeError(`RGBA data holds ${data.length} bytes, ${width}x${height} needs ${width * height * 4}`);
}
