// Convolution with a 3×3 kernel and stride 1 by Winograd's minimal filtering F(m×m, 3×3)
// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016). An m×m block of
// output pixels costs (m+2)² multiply-adds per (channel, filter) pair instead of 9·m²:
// F(4×4) 36 for 144 (winograd-f4.ts has its transforms), F(2×2) 16 for 36 (here; used when
// F(4×4)'s larger U does not fit), for a few additions per value on the way in and out.
//
//   U = G·g·Gᵀ      each 3×3 filter slice g becomes (m+2)×(m+2) (once per call and thread)
//   V = Bᵀ·d·B      each (m+2)×(m+2) input tile d (tiles overlap by 2) likewise, per channel
//   M[ξ] = V[ξ]·U[ξ] for the P = (m+2)² positions ξ: P GEMMs [tiles × C]·[C × F]
//   y = Aᵀ·M·A      the m×m output block, then bias and activation
//
// Tiles go through in blocks: a block's V and M (and U) stay in L2, and the GEMMs run on
// tile4x8 with V read in place (rows of C floats) and U laid out as its 8-filter panels.
//
// The same routine computes conv2dBackwardInput (stride 1): there the "image" is dy, padded by
// 2 − pad, and the kernel is turned 180° with its channel and filter axes swapped (`flipped`).
//
// Pointers are byte addresses; `scratch` is the calling thread's GEMM scratch.
import { LINEAR, RELU } from './act';
import { GEMM_SCRATCH_BYTES } from './gemm';
import { ZEROS, tile4x8 } from './tile';
import { loadLanes, relu4, storeLanes } from './simd';
import { copyFloats, zeroFloats } from './copy';
import { transformInput6, transformKernel6, transformOutput6 } from './winograd-f4';

export const NR: i32 = 8;
/** Most tiles per block; fewer when a block's V and M would outgrow BLOCK_BYTES. */
const TB_MAX: i32 = 64;
/** V and M of one block of tiles: kept well inside a core's L2 (1 MB here) next to U. */
const BLOCK_BYTES: i32 = 256 << 10;
/** Fewer channels than this leave too little work per GEMM step to pay for the transforms. */
export const WINOGRAD_MIN_CHANNELS: i32 = 16;

/** Bytes of small transform buffers at the end of the scratch (transformInput6 / Kernel6 / Output6). */
const TMP_BYTES: usize = 1024;

/** Positions of the transformed tile for output tiles of m×m: (m + 2)². */
export function positions(m: i32): i32 {
  return (m + 2) * (m + 2);
}

/** Bytes of U (or of the filter gradient's sums): P matrices of C rows × F (rounded up to 8) floats. */
export function uBytes(c: i32, fPad: i32, p: i32): usize {
  return <usize>(p * c * fPad) << 2;
}

/** Tiles per block for C channels, F (padded) filters and P positions. */
export function blockTiles(c: i32, fPad: i32, p: i32): i32 {
  return min(TB_MAX, (BLOCK_BYTES / (4 * p * (c + fPad))) & ~3);
}

/**
 * Whether a 3×3 stride-1 layer of C input channels and F filters fits the Winograd path with
 * m×m output tiles: channels in whole SIMD groups, enough of them, and U, a block of 4+ tiles,
 * one gathered border tile, the padded bias and the transform buffers in the thread's scratch.
 */
export function winogradFits(c: i32, filters: i32, m: i32): bool {
  if ((c & 3) != 0 || c < WINOGRAD_MIN_CHANNELS || filters < 1) return false;
  const fPad = (filters + NR - 1) & -NR;
  const p = positions(m);
  const tb = blockTiles(c, fPad, p);
  if (tb < 4) return false;
  const need = uBytes(c, fPad, p) + (<usize>(p * tb * (c + fPad) + p * c + fPad) << 2) + TMP_BYTES;
  return need <= GEMM_SCRATCH_BYTES;
}

/** A 3×3 window at stride 1: the shape Winograd's F(m×m, 3×3) computes. */
export function winogradShape(kh: i32, kw: i32, sh: i32, sw: i32): bool {
  return kh == 3 && kw == 3 && sh == 1 && sw == 1;
}

/** Output tile size of the convolution's Winograd path: 4 (F(4×4, 3×3)) if it fits, else 2, else 0 (none). */
export function winogradTile(c: i32, filters: i32): i32 {
  return winogradFits(c, filters, 4) ? 4 : winogradFits(c, filters, 2) ? 2 : 0;
}

/**
 * y = act(conv3x3(x) + bias) for the output pixels of the tiles whose first (top-left) pixel
 * lies in [rowStart, rowEnd). Chunks of pixel rows that cover [0, n·oh·ow) therefore cover every
 * tile exactly once, and a tile's pixels are written by one thread only.
 * x [n, h, wd, c]; y [n, oh, ow, filters]; w is the layer's [3, 3, c, filters] kernel, or with
 * `flipped` the kernel of the layer whose input gradient this is ([3, 3, filters, c]).
 * bias: element index of `filters` floats, or < 0 for none. prepared: U and the bias are already
 * in this thread's scratch (an earlier chunk of the same call). m: the output tile, 2 or 4, as
 * convPlan chose it (it fits: winogradTile).
 */
export function conv3x3Winograd(
  x: usize, w: usize, bias: i32, y: usize,
  h: i32, wd: i32, c: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  filters: i32, act: i32, flipped: bool, rowStart: i32, rowEnd: i32, scratch: usize, prepared: bool, m: i32,
): void {
  const p = positions(m);
  const th = (oh + m - 1) / m, tw = (ow + m - 1) / m;
  const t0 = firstTileFrom(rowStart, oh, ow, th, tw, m), t1 = firstTileFrom(rowEnd, oh, ow, th, tw, m);
  const fPad = (filters + NR - 1) & -NR;
  const tb = blockTiles(c, fPad, p);
  // Scratch: U | V block | M block | one gathered border tile | padded bias | transform buffers.
  const u = scratch;
  const v = u + uBytes(c, fPad, p);
  const mBlock = v + (<usize>(p * tb * c) << 2);
  const border = mBlock + (<usize>(p * tb * fPad) << 2);
  const biasPad = border + (<usize>(p * c) << 2);
  const tmp = biasPad + (<usize>fPad << 2);
  if (!prepared) {
    // A transform of every filter: once per thread and call, not per chunk (chunks are many).
    transformKernel(w, u, c, filters, fPad, flipped, m, tmp);
    if (bias >= 0) copyFloats(biasPad, <usize>bias << 2, filters);
    else zeroFloats(biasPad, filters);
    zeroFloats(biasPad + (<usize>filters << 2), fPad - filters);
  }
  // Only after preparing: a chunk of pixel rows may start no tile, and the next chunk on this
  // thread counts on what this one prepared.
  if (t0 >= t1) return;

  const pix = <usize>c << 2; // bytes per input pixel
  const vTile = <usize>p * pix; // bytes of one tile's V (P positions × C)
  const mRow = <usize>fPad << 2;
  const mTile = <usize>p * mRow;
  const imageBytes = <usize>(h * wd) * pix;
  const perImage = th * tw; // tiles, in (image, tile row, tile column) order
  for (let tStart = t0; tStart < t1; tStart += tb) {
    const tiles = min(tb, t1 - tStart);
    const rounded = (tiles + 3) & ~3;
    // V of each tile; the padding tiles of the last quad get zeros.
    for (let t = 0; t < tiles; t++) {
      const tile = tStart + t, b = tile / perImage, ty = (tile % perImage) / tw, tx = tile % tw;
      transformTile(x + <usize>b * imageBytes, m * ty - padTop, m * tx - padLeft, h, wd, c, m, v + <usize>t * vTile, pix, 16, border, tmp);
    }
    zeroFloats(v + <usize>tiles * vTile, (rounded - tiles) * p * c);
    // The P products, one 4-tile × 8-filter block of M at a time.
    for (let xi = 0; xi < p; xi++) {
      for (let j = 0; j < fPad; j += NR) {
        const panel = u + (<usize>(xi * fPad + j) * pix); // U[ξ], filters j..j+7: C rows × 8
        for (let t = 0; t < rounded; t += 4) {
          const a0 = v + <usize>t * vTile + <usize>xi * pix;
          tile4x8(a0, a0 + vTile, a0 + 2 * vTile, a0 + 3 * vTile, c, panel, 32, ZEROS, 0,
            mBlock + <usize>t * mTile + <usize>xi * mRow + (<usize>j << 2), mTile, false);
        }
      }
    }
    // y = Aᵀ·M·A per tile and group of 4 filters.
    const rowBytes = <usize>(ow * filters) << 2;
    for (let t = 0; t < tiles; t++) {
      const tile = tStart + t, b = tile / perImage, oy = m * ((tile % perImage) / tw), ox = m * (tile % tw);
      const out = y + (<usize>((b * oh + oy) * ow + ox) * <usize>filters << 2);
      const mt = mBlock + <usize>t * mTile;
      if (m == 2) {
        transformOutput(mt, mRow, biasPad, out, rowBytes, filters, oy + 1 < oh, ox + 1 < ow, act);
      } else {
        const rows = min(m, oh - oy), cols = min(m, ow - ox);
        for (let f = 0; f < filters; f += 4) {
          const o = <usize>f << 2;
          transformOutput6(mt + o, mRow, biasPad + o, out + o, rowBytes, <usize>filters << 2, rows, cols, filters - f, act == RELU, tmp);
        }
      }
    }
  }
}

/** Index of the first tile (m×m pixels) whose top-left pixel is pixel `p` or later (tiles in (image, row, column) order). */
export function firstTileFrom(p: i32, oh: i32, ow: i32, th: i32, tw: i32, m: i32): i32 {
  const perImage = oh * ow;
  const b = p / perImage, r = p % perImage;
  const oy = r / ow, ox = r % ow;
  // A pixel row that is not a multiple of m starts no tile: the next tile row does. In one that
  // is, tile columns start every m pixels; past the last one the index runs on into the next row.
  if (oy % m != 0) return (b * th + oy / m + 1) * tw;
  return (b * th + oy / m) * tw + (ox + m - 1) / m;
}

/**
 * V of the (m+2)×(m+2) input tile at (iy0, ix0) of one image (transformInput's layout: dst,
 * xiStride, groupStride). A tile that reaches past the image is gathered into `border` first,
 * zeros outside. tmp: the transform buffers.
 */
export function transformTile(
  image: usize, iy0: i32, ix0: i32, h: i32, wd: i32, c: i32, m: i32, dst: usize, xiStride: usize, groupStride: usize, border: usize, tmp: usize,
): void {
  const pix = <usize>c << 2;
  const alpha = m + 2;
  let src = border, rowStride = <usize>alpha * pix;
  if (iy0 >= 0 && iy0 + alpha <= h && ix0 >= 0 && ix0 + alpha <= wd) {
    src = image + <usize>(iy0 * wd + ix0) * pix;
    rowStride = <usize>wd * pix;
  } else {
    gatherTile(image, iy0, ix0, h, wd, pix, alpha, border);
  }
  if (m == 2) transformInput(src, rowStride, pix, c, dst, xiStride, groupStride);
  else transformInput6(src, rowStride, pix, c, dst, xiStride, groupStride, tmp);
}

/** The alpha×alpha input tile at (iy0, ix0) of one image into dst (rows of alpha pixels), zeros outside. */
function gatherTile(image: usize, iy0: i32, ix0: i32, h: i32, wd: i32, pix: usize, alpha: i32, dst: usize): void {
  const c = <i32>(pix >> 2);
  for (let i = 0; i < alpha; i++) {
    const iy = iy0 + i;
    for (let j = 0; j < alpha; j++) {
      const ix = ix0 + j;
      const d = dst + <usize>(i * alpha + j) * pix;
      if (iy >= 0 && iy < h && ix >= 0 && ix < wd) copyFloats(d, image + <usize>(iy * wd + ix) * pix, c);
      else zeroFloats(d, c);
    }
  }
}

/**
 * V = Bᵀ·d·B for one tile, 4 channels at a time, Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1].
 * d(i, j) is the pixel at src + i·rowStride + j·pix; channels ch..ch+3 of V(i, j) go to
 * dst + (4i + j)·xiStride + (ch/4)·groupStride. Column by column (loading each d twice) keeps
 * 8 values live instead of 16 spilled ones.
 */
function transformInput(src: usize, rowStride: usize, pix: usize, c: i32, dst: usize, xiStride: usize, groupStride: usize): void {
  const p1 = pix, p2 = pix << 1, p3 = p1 + p2;
  for (let ch = 0; ch < c; ch += 4) {
    const o = <usize>ch << 2;
    const r0 = src + o, r1 = r0 + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride;
    const d = dst + <usize>(ch >> 2) * groupStride;
    // column 0: d(i,0) − d(i,2)
    storeColumn(d, xiStride, 0,
      f32x4.sub(v128.load(r0), v128.load(r0 + p2)), f32x4.sub(v128.load(r1), v128.load(r1 + p2)),
      f32x4.sub(v128.load(r2), v128.load(r2 + p2)), f32x4.sub(v128.load(r3), v128.load(r3 + p2)));
    // column 1: d(i,1) + d(i,2)
    storeColumn(d, xiStride, 1,
      f32x4.add(v128.load(r0 + p1), v128.load(r0 + p2)), f32x4.add(v128.load(r1 + p1), v128.load(r1 + p2)),
      f32x4.add(v128.load(r2 + p1), v128.load(r2 + p2)), f32x4.add(v128.load(r3 + p1), v128.load(r3 + p2)));
    // column 2: d(i,2) − d(i,1)
    storeColumn(d, xiStride, 2,
      f32x4.sub(v128.load(r0 + p2), v128.load(r0 + p1)), f32x4.sub(v128.load(r1 + p2), v128.load(r1 + p1)),
      f32x4.sub(v128.load(r2 + p2), v128.load(r2 + p1)), f32x4.sub(v128.load(r3 + p2), v128.load(r3 + p1)));
    // column 3: d(i,1) − d(i,3)
    storeColumn(d, xiStride, 3,
      f32x4.sub(v128.load(r0 + p1), v128.load(r0 + p3)), f32x4.sub(v128.load(r1 + p1), v128.load(r1 + p3)),
      f32x4.sub(v128.load(r2 + p1), v128.load(r2 + p3)), f32x4.sub(v128.load(r3 + p1), v128.load(r3 + p3)));
  }
}

/** Bᵀ applied down column j (s0..s3 = rows 0..3 of d·B) and stored at positions 4i + j. */
@inline
function storeColumn(d: usize, xiStride: usize, j: i32, s0: v128, s1: v128, s2: v128, s3: v128): void {
  v128.store(d + <usize>j * xiStride, f32x4.sub(s0, s2));
  v128.store(d + <usize>(4 + j) * xiStride, f32x4.add(s1, s2));
  v128.store(d + <usize>(8 + j) * xiStride, f32x4.sub(s2, s1));
  v128.store(d + <usize>(12 + j) * xiStride, f32x4.sub(s1, s3));
}

/**
 * U = G·g·Gᵀ for every (input channel, filter), written as tile4x8's B operand: U[ξ] for
 * filters j..j+7 is C rows of 8 floats at u + (ξ·fPad + j)·C·4, zeros past F. Four filters at
 * a time: the 9 taps go to a buffer, then through F(2×2)'s G (kernel4x4) or F(4×4)'s.
 */
function transformKernel(w: usize, u: usize, c: i32, filters: i32, fPad: i32, flipped: bool, m: i32, tmp: usize): void {
  const xiBytes = <usize>(c * fPad) << 2;
  const taps = tmp + 512; // after transformKernel6's 18 × 16 bytes
  for (let f = 0; f < fPad; f += 4) {
    const panel = u + <usize>(f & ~7) * (<usize>c << 2) + (<usize>(f & 7) << 2);
    for (let ch = 0; ch < c; ch++) {
      for (let k = 0; k < 9; k++) v128.store(taps + (<usize>k << 4), tap(w, k / 3, k % 3, ch, f, c, filters, flipped));
      const dst = panel + (<usize>ch << 5);
      if (m == 2) kernel4x4(taps, dst, xiBytes, tmp);
      else transformKernel6(taps, dst, xiBytes, tmp);
    }
  }
}

/** F(2×2)'s U = G·g·Gᵀ of one slice, G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]: taps at g + (3ky + kx)·16, U(i, j) to u + (4i + j)·xiBytes. */
function kernel4x4(g: usize, u: usize, xiBytes: usize, tmp: usize): void {
  for (let kx = 0; kx < 3; kx++) {
    const p = g + (<usize>kx << 4);
    kernelColumn4(v128.load(p), v128.load(p, 48), v128.load(p, 96), tmp + (<usize>kx << 4), 48);
  }
  for (let i = 0; i < 4; i++) {
    const p = tmp + <usize>i * 48;
    kernelColumn4(v128.load(p), v128.load(p, 16), v128.load(p, 32), u + <usize>(4 * i) * xiBytes, xiBytes);
  }
}

/** G·(a, b, c) → a, (a+b+c)/2, (a−b+c)/2, c at q, q + qStep, …. */
@inline
function kernelColumn4(a: v128, b: v128, c: v128, q: usize, qStep: usize): void {
  const half = f32x4.splat(0.5);
  const s = f32x4.mul(f32x4.add(a, c), half), d = f32x4.mul(b, half);
  v128.store(q, a);
  v128.store(q + qStep, f32x4.add(s, d));
  v128.store(q + 2 * qStep, f32x4.sub(s, d));
  v128.store(q + 3 * qStep, c);
}

/**
 * Kernel tap (ky, kx) from input channel `ch` to filters f..f+3 (zeros past `filters`). With
 * `flipped`, w is [3, 3, filters, c] of the forward layer: tap (ky, kx) of channel ch → filter fo
 * is w[2−ky, 2−kx, fo, ch].
 */
@inline
function tap(w: usize, ky: i32, kx: i32, ch: i32, f: i32, c: i32, filters: i32, flipped: bool): v128 {
  if (!flipped) {
    return loadLanes(w + (<usize>(((ky * 3 + kx) * c + ch) * filters + f) << 2), filters - f);
  }
  const p = w + (<usize>(((2 - ky) * 3 + (2 - kx)) * filters + f) * <usize>c + <usize>ch << 2);
  const stride = <usize>c << 2;
  let out = f32x4.splat(0);
  if (f < filters) out = f32x4.replace_lane(out, 0, load<f32>(p));
  if (f + 1 < filters) out = f32x4.replace_lane(out, 1, load<f32>(p + stride));
  if (f + 2 < filters) out = f32x4.replace_lane(out, 2, load<f32>(p + 2 * stride));
  if (f + 3 < filters) out = f32x4.replace_lane(out, 3, load<f32>(p + 3 * stride));
  return out;
}

/**
 * y = Aᵀ·M·A + bias for one tile, Aᵀ = [1 1 1 0; 0 1 −1 −1], 4 filters at a time: M(ξ) at
 * mt + ξ·mRow. Writes the 2×2 block at out (row stride rowBytes), its right column only if
 * `right` and its bottom row only if `down` (odd output sizes).
 */
function transformOutput(mt: usize, mRow: usize, biasPad: usize, out: usize, rowBytes: usize, filters: i32, down: bool, right: bool, act: i32): void {
  for (let f = 0; f < filters; f += 4) {
    const m = mt + (<usize>f << 2);
    // Along each row i: s_i0 = m_i0 + m_i1 + m_i2, s_i1 = m_i1 − m_i2 − m_i3.
    let a = v128.load(m), b = v128.load(m + mRow), c = v128.load(m + 2 * mRow), d = v128.load(m + 3 * mRow);
    const s00 = f32x4.add(f32x4.add(a, b), c), s01 = f32x4.sub(f32x4.sub(b, c), d);
    a = v128.load(m + 4 * mRow); b = v128.load(m + 5 * mRow); c = v128.load(m + 6 * mRow); d = v128.load(m + 7 * mRow);
    const s10 = f32x4.add(f32x4.add(a, b), c), s11 = f32x4.sub(f32x4.sub(b, c), d);
    a = v128.load(m + 8 * mRow); b = v128.load(m + 9 * mRow); c = v128.load(m + 10 * mRow); d = v128.load(m + 11 * mRow);
    const s20 = f32x4.add(f32x4.add(a, b), c), s21 = f32x4.sub(f32x4.sub(b, c), d);
    a = v128.load(m + 12 * mRow); b = v128.load(m + 13 * mRow); c = v128.load(m + 14 * mRow); d = v128.load(m + 15 * mRow);
    const s30 = f32x4.add(f32x4.add(a, b), c), s31 = f32x4.sub(f32x4.sub(b, c), d);
    // Down the columns, plus the bias.
    const bias = v128.load(biasPad + (<usize>f << 2));
    const relu = act == RELU;
    const o = out + (<usize>f << 2);
    const valid = filters - f;
    storeLanes(o, finish(f32x4.add(f32x4.add(f32x4.add(s00, s10), s20), bias), relu), valid);
    if (right) storeLanes(o + (<usize>filters << 2), finish(f32x4.add(f32x4.add(f32x4.add(s01, s11), s21), bias), relu), valid);
    if (down) {
      const o2 = o + rowBytes;
      storeLanes(o2, finish(f32x4.add(f32x4.sub(f32x4.sub(s10, s20), s30), bias), relu), valid);
      if (right) storeLanes(o2 + (<usize>filters << 2), finish(f32x4.add(f32x4.sub(f32x4.sub(s11, s21), s31), bias), relu), valid);
    }
  }
}

@inline
function finish(v: v128, relu: bool): v128 {
  return relu ? relu4(v) : v;
}

/** Activations the output transform applies itself. */
export function winogradAct(act: i32): bool {
  return act == LINEAR || act == RELU;
}
