// Convolution forward as an implicit GEMM: y[M×F] = act(im2col(x)·W + bias) without the im2col
// buffer. M = n·oh·ow output pixels, K = kh·kw·c, W is the Keras kernel [kh, kw, c, F] read as
// a row-major K×F matrix.
//
// Four output pixels make a 4×8 tile (tile.ts). Their windows are kh runs of kw·c consecutive
// floats each (NHWC). Four pixels side by side in one output row, windows inside the image,
// are read in place, one window row per tile4x8 call (convTileInPlace); other tiles (the
// border, runs too short or odd) have their windows gathered into a 4×K buffer that stays in L1
// while every group of 8 filters is multiplied with it: what im2col wrote for those 4 rows,
// without the round trip through memory. (Looping over the runs inside the micro-kernel made
// V8 spill the accumulators: see tile.ts; one call per run does not.) The filters, 8 at a
// time, are copied into contiguous K×8 panels first (packPanels). The accumulators start from
// the bias and ReLU is applied right after, so the output is written once. Single-channel
// stride-1 layers (an MNIST net's first) read x in place instead, 8 or 4 pixels side by side
// (convCore).
//
// 3×3 stride-1 layers with 16+ channels and a linear or ReLU output take Winograd's algorithm
// instead (winograd.ts): 2.25–4× fewer multiply-adds.
//
// Why: im2col wrote, and the GEMM read back, K floats per output pixel (25× the input for a
// 5×5 kernel) — for the default model that was most of the memory traffic of inference.
// Pointers are element indices (byte address = ptr << 2); `scratch` is a byte address of the
// calling thread's GEMM scratch (gemm.ts); rows [rowStart, rowEnd) let two threads share M.
import { RELU, LINEAR, applyAct } from './act';
import { activation } from './activations';
import { PACK_A_BYTES, PACK_B_BYTES } from './gemm';
import { copyFloats, gatherPixelWindow, gatherWindow, zeroFloats } from './copy';
import { convTile8x4, tile4x8, tile4x8Packed } from './tile';
import { conv3x3Winograd } from './winograd';
import { CONV_SCALAR, CONV_WINOGRAD_F2, winogradTileOf } from './conv-algorithms';

const MR: i32 = 4;
const NR: i32 = 8;

/**
 * Whether conv2d can run a layer with this K and F in its scratch: the 4×K gather buffer and
 * the K window offsets in the packed-A region; the filter panels (K × F rounded up to 8), the
 * padded bias and one tile in the packed-B one.
 */
export function convForwardFits(k: i32, filters: i32): bool {
  const fPad = (filters + NR - 1) & -NR;
  return k > 0 && filters > 0 && <usize>((MR + 1) * k) << 2 <= PACK_A_BYTES &&
    (<usize>k * <usize>fPad + <usize>(fPad + MR * NR) << 2) <= PACK_B_BYTES;
}

/**
 * y = act(conv(x)·W + bias) for output pixels [rowStart, rowEnd) by `algorithm` (convPlan's
 * answer for the forward direction). `prepared`: the calling thread ran an earlier chunk of this
 * same call, so the filters it prepared (panels and padded bias, or Winograd's transformed
 * kernel) are still in its scratch and are not prepared again.
 */
export function conv2d(
  x: usize, w: usize, bias: i32, y: usize,
  n: i32, h: i32, wd: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  filters: i32, act: i32, rowStart: i32, rowEnd: i32, scratch: usize, prepared: bool, algorithm: i32,
): void {
  if (rowStart >= rowEnd) return;
  if (!ASC_FEATURE_SIMD || algorithm == CONV_SCALAR) { // the constant keeps SIMD code out of the scalar build
    convScalar(x << 2, w << 2, bias, y << 2, h, wd, c, kh, kw, sh, sw, padTop, padLeft, oh, ow, filters, act, rowStart, rowEnd, scratch);
    return;
  }
  if (algorithm >= CONV_WINOGRAD_F2) {
    conv3x3Winograd(x << 2, w << 2, bias, y << 2, h, wd, c, padTop, padLeft, oh, ow, filters, act, false, rowStart, rowEnd, scratch, prepared, winogradTileOf(algorithm));
    return;
  }
  const k = kh * kw * c;
  const panels = scratch + PACK_A_BYTES;
  const biasPad = panels + (<usize>k * <usize>((filters + NR - 1) & -NR) << 2);
  if (!prepared) {
    packPanels(w << 2, k, filters, panels);
    padBias(bias, filters, biasPad);
  }
  convCore(x << 2, panels, biasPad, y << 2, h, wd, c, kh, kw, sh, sw, padTop, padLeft, oh, ow, filters, act, rowStart, rowEnd, scratch);
}

/**
 * Copies the K×F matrix W (row-major) into panels of 8 filters, K×8 contiguous floats each,
 * zeros past F. Read in place, one 8-filter slice of every row of W was a cache line of its own
 * (and rows F·4 bytes apart crowd a few L1 sets): the tiles streamed W from L2 at 1 byte per
 * multiply-add. A panel is contiguous and stays in L1 across the tile's K steps.
 */
export function packPanels(w: usize, k: i32, filters: i32, dst: usize): void {
  const rowBytes = <usize>filters << 2;
  for (let j = 0; j < filters; j += NR) {
    const cols = min(NR, filters - j);
    let src = w + (<usize>j << 2);
    if (cols == NR) {
      for (let p = 0; p < k; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += rowBytes;
        dst += 32;
      }
    } else {
      for (let p = 0; p < k; p++) {
        copyFloats(dst, src, cols);
        zeroFloats(dst + (<usize>cols << 2), NR - cols);
        src += rowBytes;
        dst += 32;
      }
    }
  }
}

/** The bias (element index; < 0: none) as whole 8-filter groups, zeros past F. */
export function padBias(bias: i32, filters: i32, dst: usize): void {
  const fPad = (filters + NR - 1) & -NR;
  if (bias >= 0) copyFloats(dst, <usize>bias << 2, filters);
  else zeroFloats(dst, filters);
  zeroFloats(dst + (<usize>filters << 2), fPad - filters);
}

/**
 * The SIMD body of conv2d on byte addresses, with the filters already in panels (packPanels)
 * and the bias padded (padBias, then one 4×8 tile of room after it); `gather` (scratch's
 * packed-A region) holds 5×K floats.
 */
export function convCore(
  x: usize, panels: usize, biasPad: usize, y: usize,
  h: i32, wd: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  filters: i32, act: i32, rowStart: i32, rowEnd: i32, gather: usize,
): void {
  const k = kh * kw * c;
  const fPad = (filters + NR - 1) & -NR;
  const tile = biasPad + (<usize>fPad << 2);
  const panelBytes = <usize>k << 5;
  const ldc = <usize>filters << 2;
  const imageBytes = <usize>(h * wd * c) << 2;
  const kBytes = <usize>k << 2;
  const relu = act == RELU;
  // Output pixel of row `rowStart`; advanced one pixel at a time (no divisions per tile).
  const perImage = oh * ow;
  let b = rowStart / perImage;
  let oy = (rowStart % perImage) / ow;
  let ox = rowStart % ow;
  const a0 = gather, a1 = gather + kBytes, a2 = a1 + kBytes, a3 = a2 + kBytes;
  // A single-channel layer with stride 1 (the first layer of an MNIST net) has runs of kw
  // floats only, too short to copy one by one. But pixels side by side in one output row read
  // consecutive inputs at every window position: 8 of them run convTile8x4 on x in place
  // (filters in groups of 4), 4 of them pack a K step with one 16-byte load.
  const packed = c == 1 && sw == 1;
  const direct = packed && (filters & 3) == 0;
  const offsets = gather + (<usize>(MR * k) << 2); // convTile8x4's window offsets
  if (direct) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) store<u32>(offsets + (<usize>(ky * kw + kx) << 2), <u32>(ky * wd + kx) << 2);
    }
  }
  // Window rows of kw·c floats, long enough to run a tile on (see convTileInPlace).
  const inPlace = !packed && kw * c >= IN_PLACE_MIN_RUN && ((kw * c) & 1) == 0;
  for (let i = rowStart; i < rowEnd; i += MR) {
    const rows = min(MR, rowEnd - i);
    const iy0 = oy * sh - padTop, ix0 = ox * sw - padLeft;
    const cRow = y + <usize>i * ldc;
    // Pixels computed by one of the three fast paths (all within one output row), else 0.
    let done = 0;
    if (direct && i + 2 * MR <= rowEnd && ox + 2 * MR <= ow && iy0 >= 0 && iy0 + kh <= h && ix0 >= 0 && ix0 + 2 * MR - 1 + kw <= wd) {
      const x0 = x + <usize>b * imageBytes + (<usize>(iy0 * wd + ix0) << 2);
      for (let f = 0; f < filters; f += 4) {
        const wp = panels + <usize>(f >> 3) * panelBytes + (<usize>(f & 7) << 2);
        convTile8x4(x0, offsets, k, wp, 32, biasPad + (<usize>f << 2), cRow + (<usize>f << 2), ldc, relu);
      }
      done = 2 * MR;
    } else if (packed && rows == MR && ox + MR <= ow && iy0 >= 0 && iy0 + kh <= h && ix0 >= 0 && ix0 + MR - 1 + kw <= wd) {
      let src = x + <usize>b * imageBytes + (<usize>(iy0 * wd + ix0) << 2);
      let d = gather;
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          v128.store(d, v128.load(src + (<usize>kx << 2)));
          d += 16;
        }
        src += <usize>wd << 2;
      }
      for (let j = 0; j < fPad; j += NR) {
        const pb = panels + <usize>(j >> 3) * panelBytes;
        const init = biasPad + (<usize>j << 2);
        if (j + NR <= filters) {
          tile4x8Packed(gather, k, pb, 32, init, 0, cRow + (<usize>j << 2), ldc, relu);
        } else {
          tile4x8Packed(gather, k, pb, 32, init, 0, tile, <usize>NR << 2, relu);
          storeTileColumns(tile, cRow + (<usize>j << 2), ldc, MR, filters - j);
        }
      }
      done = MR;
    } else if (inPlace && rows == MR && ox + MR <= ow && iy0 >= 0 && iy0 + kh <= h && ix0 >= 0 && ix0 + (MR - 1) * sw + kw <= wd) {
      convTileInPlace(x + <usize>b * imageBytes + (<usize>((iy0 * wd + ix0) * c) << 2), panels, biasPad, cRow, tile, wd, c, kh, kw, sw, filters, relu);
      done = MR;
    }
    if (done > 0) {
      i += done - MR; // the loop adds MR
      ox += done;
      if (ox == ow) {
        ox = 0;
        if (++oy == oh) {
          oy = 0;
          b++;
        }
      }
      continue;
    }
    // The 4 pixels' windows, as im2col would write them (zeros in the padding and past rowEnd).
    for (let r = 0; r < MR; r++) {
      const dst = gather + <usize>r * kBytes;
      if (r < rows) {
        gatherWindow(dst, x + <usize>b * imageBytes, oy * sh - padTop, ox * sw - padLeft, h, wd, c, kh, kw);
        if (++ox == ow) {
          ox = 0;
          if (++oy == oh) {
            oy = 0;
            b++;
          }
        }
      } else {
        zeroFloats(dst, k);
      }
    }
    for (let j = 0; j < fPad; j += NR) {
      const pb = panels + <usize>(j >> 3) * panelBytes;
      const init = biasPad + (<usize>j << 2);
      if (rows == MR && j + NR <= filters) {
        tile4x8(a0, a1, a2, a3, k, pb, 32, init, 0, cRow + (<usize>j << 2), ldc, relu);
      } else {
        tile4x8(a0, a1, a2, a3, k, pb, 32, init, 0, tile, <usize>NR << 2, relu);
        const cols = min(NR, filters - j);
        storeTileColumns(tile, cRow + (<usize>j << 2), ldc, rows, cols);
      }
    }
  }
  if (act != RELU && act != LINEAR) {
    const first = (<usize>rowStart * <usize>filters);
    activation(act, (y >> 2) + first, (y >> 2) + first, (rowEnd - rowStart) * filters);
  }
}

/** The first `cols` columns of `rows` rows of a 4×8 tile (row stride 32 bytes) into C at cp. */
function storeTileColumns(tile: usize, cp: usize, ldcBytes: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) copyFloats(cp + <usize>r * ldcBytes, tile + (<usize>(r * NR) << 2), cols);
}

/** Shortest window row (kw·c floats) worth a tile4x8 call of its own: 8 two-step trips. */
const IN_PLACE_MIN_RUN: i32 = 16;

/**
 * One 4×F tile of four pixels side by side in one output row, windows inside the image, read
 * in place: window row ky of pixel r is kw·c consecutive floats of image row iy0 + ky, starting
 * r·sw·c floats after pixel 0's, so each window row is one tile4x8 over those four runs and the
 * matching kw·c rows of the filter panel, accumulating into C (the first starts from the bias,
 * the last applies ReLU). kh calls per tile cost kh − 1 extra loads and stores of the tile;
 * gathering the 4×K windows first cost more on every in-place shape of the shipped
 * architectures, most on the 5×5×8 → 16 conv of the default model (compare builds with
 * bench/compare-builds.ts --models compact,lenet). `x0`: byte address of pixel 0's window
 * corner (channel 0).
 */
function convTileInPlace(
  x0: usize, panels: usize, biasPad: usize, cRow: usize, tile: usize,
  wd: i32, c: i32, kh: i32, kw: i32, sw: i32, filters: i32, relu: bool,
): void {
  const run = kw * c;
  const runPanelBytes = <usize>run << 5; // run rows of an 8-filter panel
  const panelBytes = <usize>kh * runPanelBytes;
  const pixelBytes = <usize>(sw * c) << 2;
  const imageRowBytes = <usize>(wd * c) << 2;
  const ldc = <usize>filters << 2;
  for (let j = 0; j < filters; j += NR) {
    const full = j + NR <= filters;
    // A last, partial group of filters goes through the spare tile, then is copied out.
    const cp = full ? cRow + (<usize>j << 2) : tile;
    const ldcBytes = full ? ldc : <usize>NR << 2;
    let a = x0;
    let pb = panels + <usize>(j >> 3) * panelBytes;
    for (let ky = 0; ky < kh; ky++) {
      const first = ky == 0;
      tile4x8(a, a + pixelBytes, a + 2 * pixelBytes, a + 3 * pixelBytes, run, pb, 32,
        first ? biasPad + (<usize>j << 2) : cp, first ? 0 : ldcBytes, cp, ldcBytes, relu && ky == kh - 1);
      a += imageRowBytes;
      pb += runPanelBytes;
    }
    if (!full) {
      storeTileColumns(tile, cRow + (<usize>j << 2), ldc, MR, filters - j);
    }
  }
}

/** The scalar build: one output pixel at a time, its window gathered, dot products per filter. */
function convScalar(
  x: usize, w: usize, bias: i32, y: usize,
  h: i32, wd: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  filters: i32, act: i32, rowStart: i32, rowEnd: i32, scratch: usize,
): void {
  const k = kh * kw * c;
  for (let i = rowStart; i < rowEnd; i++) {
    gatherPixelWindow(scratch, x, i, h, wd, c, kh, kw, sh, sw, padTop, padLeft, oh, ow);
    const out = y + (<usize>i * <usize>filters << 2);
    for (let f = 0; f < filters; f++) {
      let sum: f32 = bias >= 0 ? load<f32>((<usize>(bias + f)) << 2) : 0;
      let wp = w + (<usize>f << 2);
      for (let p = 0; p < k; p++) {
        sum += load<f32>(scratch + (<usize>p << 2)) * load<f32>(wp);
        wp += <usize>filters << 2;
      }
      store<f32>(out + (<usize>f << 2), applyAct(act, sum));
    }
  }
}
