// The filter gradient of a 3×3 stride-1 convolution by Winograd's F(2×2, 3×3), transposed
// (winograd.ts has the forward). Forward: y = Aᵀ·[(G·g·Gᵀ) ⊙ (Bᵀ·d·B)]·A per 2×2 output block,
// so the gradient of the kernel slice g sums, over the blocks,
//
//   dg = Gᵀ·[(Bᵀ·d·B) ⊙ (A·dy·Aᵀ)]·G
//
// where dy is the block's 2×2 of output gradient. The sum over blocks happens between the
// transforms: S[ξ] = Σ_t V_t[ξ]ᵀ·Z_t[ξ], 16 GEMMs [C × tiles]·[tiles × F], then dW = Gᵀ·S·G
// once. 16 multiply-adds per block and (channel, filter) pair instead of 36.
//
// The forward uses F(4×4, 3×3) where it fits; here F(2×2) stays. F(4×4)'s transposed form was
// tried: summed over the seed model's second layer at batch 32, its float32 result moved by
// 1.3e-4 of the largest gradient between a 1- and a 2-thread run (the parity tolerance is 1e-4):
// the ±8 and 1/24 factors of its transforms cost a few bits over sums of 18,432 pixels.
//
// Byte addresses; `scratch` is the calling thread's GEMM scratch.
import { NR, blockTiles, firstTileFrom, transformTile, uBytes } from './winograd';
import { ZEROS, tile4x8Packed } from './tile';
import { zeroFloats } from './copy';
import { loadLanes, storeLanes } from './simd';

/**
 * out [9·c × filters] (the [3, 3, c, filters] kernel's gradient, overwritten) = Σ over the tiles
 * whose top-left output pixel lies in [rowStart, rowEnd) of the tile's contribution: chunks of
 * pixel rows covering [0, n·oh·ow) add up to the whole gradient. Same fit as the forward
 * (winogradFits(c, filters, 2)).
 */
export function conv3x3WinogradFilter(
  x: usize, dy: usize, out: usize,
  h: i32, wd: i32, c: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  filters: i32, rowStart: i32, rowEnd: i32, scratch: usize,
): void {
  const th = (oh + 1) >> 1, tw = (ow + 1) >> 1;
  const t0 = firstTileFrom(rowStart, oh, ow, th, tw, 2), t1 = firstTileFrom(rowEnd, oh, ow, th, tw, 2);
  const fPad = (filters + NR - 1) & -NR;
  const tb = blockTiles(c, fPad, 16);
  // Scratch: S | V block | Z block | one gathered border tile.
  const sums = scratch;
  const v = sums + uBytes(c, fPad, 16);
  const z = v + (<usize>(16 * tb * c) << 2);
  const border = z + (<usize>(16 * tb * fPad) << 2);

  const pix = <usize>c << 2;
  const rowF = <usize>fPad << 2; // one tile's Z at one position: fPad floats
  const vXi = <usize>tb * pix; // V: [ξ][channel group][tile][4], so a group is tile4x8Packed's A
  const zXi = <usize>tb * rowF; // Z: [ξ][tile][fPad], tile4x8Packed's B with a row per tile
  const sXi = <usize>c * rowF; // S: [ξ][c][fPad]
  const imageBytes = <usize>(h * wd) * pix;
  const perImage = th * tw;
  let first = true;
  for (let tStart = t0; tStart < t1; tStart += tb) {
    const tiles = min(tb, t1 - tStart);
    for (let t = 0; t < tiles; t++) {
      const tile = tStart + t, b = tile / perImage, ty = (tile % perImage) / tw, tx = tile % tw;
      transformTile(x + <usize>b * imageBytes, 2 * ty - padTop, 2 * tx - padLeft, h, wd, c, 2, v + (<usize>t << 4), vXi, <usize>tb << 4, border, 0);
      const oy = 2 * ty, ox = 2 * tx;
      transformGradient(dy + (<usize>((b * oh + oy) * ow + ox) * <usize>filters << 2), <usize>(ow * filters) << 2,
        filters, fPad, oy + 1 < oh, ox + 1 < ow, z + <usize>t * rowF, zXi);
    }
    // S[ξ] += V[ξ]ᵀ·Z[ξ], 4 channels × 8 filters at a time; the first block starts from zero.
    for (let xi = 0; xi < 16; xi++) {
      for (let g = 0; g < c; g += 4) {
        const pa = v + <usize>xi * vXi + <usize>(g >> 2) * (<usize>tb << 4);
        for (let j = 0; j < fPad; j += NR) {
          const cp = sums + <usize>xi * sXi + <usize>g * rowF + (<usize>j << 2);
          tile4x8Packed(pa, tiles, z + <usize>xi * zXi + (<usize>j << 2), rowF, first ? ZEROS : cp, first ? 0 : rowF, cp, rowF, false);
        }
      }
    }
    first = false;
  }
  if (first) zeroFloats(sums, 16 * c * fPad); // no tile in this range
  transformSums(sums, sXi, rowF, out, c, filters);
}

/**
 * Z = A·dy·Aᵀ for one tile, A = [1 0; 1 1; 1 −1; 0 −1], 4 filters at a time: dy's 2×2 block at
 * p (row stride rowBytes; the right column and bottom row only if `right` / `down`, zeros
 * otherwise); Z(i, j) for filters f..f+3 at dst + (4i + j)·zXi + f·4, zeros from `filters` to fPad.
 */
function transformGradient(p: usize, rowBytes: usize, filters: i32, fPad: i32, down: bool, right: bool, dst: usize, zXi: usize): void {
  const zero = f32x4.splat(0);
  for (let f = 0; f < fPad; f += 4) {
    const o = <usize>f << 2;
    const valid = filters - f;
    const p00 = loadLanes(p + o, valid);
    const p01 = right ? loadLanes(p + o + (<usize>filters << 2), valid) : zero;
    const p10 = down ? loadLanes(p + o + rowBytes, valid) : zero;
    const p11 = down && right ? loadLanes(p + o + rowBytes + (<usize>filters << 2), valid) : zero;
    // A·dy: rows [p00 p01], [p00+p10 p01+p11], [p00−p10 p01−p11], [−p10 −p11]; then each row [a b] → [a, a+b, a−b, −b].
    const d = dst + o;
    storeZRow(d, zXi, 0, p00, p01);
    storeZRow(d, zXi, 1, f32x4.add(p00, p10), f32x4.add(p01, p11));
    storeZRow(d, zXi, 2, f32x4.sub(p00, p10), f32x4.sub(p01, p11));
    storeZRow(d, zXi, 3, f32x4.neg(p10), f32x4.neg(p11));
  }
}

@inline
function storeZRow(d: usize, zXi: usize, i: i32, a: v128, b: v128): void {
  const q = d + <usize>(4 * i) * zXi;
  v128.store(q, a);
  v128.store(q + zXi, f32x4.add(a, b));
  v128.store(q + 2 * zXi, f32x4.sub(a, b));
  v128.store(q + 3 * zXi, f32x4.neg(b));
}

/**
 * dW = Gᵀ·S·G for every (channel, filter), Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1]: S(ξ) for channel
 * ch and filters f..f+3 at sums + ξ·sXi + ch·rowF + f·4; dW row (ky·3 + kx)·c + ch.
 */
function transformSums(sums: usize, sXi: usize, rowF: usize, out: usize, c: i32, filters: i32): void {
  const half = f32x4.splat(0.5);
  const ldo = <usize>filters << 2;
  const tapBytes = <usize>c * ldo; // dW rows of one tap (ky, kx)
  for (let ch = 0; ch < c; ch++) {
    for (let f = 0; f < filters; f += 4) {
      const s = sums + <usize>ch * rowF + (<usize>f << 2);
      const o = out + <usize>ch * ldo + (<usize>f << 2);
      const valid = filters - f;
      for (let kx = 0; kx < 3; kx++) {
        // T = S·G, column kx, rows 0..3; then Gᵀ down the column: rows ky = 0, 1, 2 of dW.
        const a = sgColumn(s, sXi, 0, kx, half), b = sgColumn(s, sXi, 1, kx, half);
        const cc = sgColumn(s, sXi, 2, kx, half), d = sgColumn(s, sXi, 3, kx, half);
        const m = f32x4.mul(f32x4.add(b, cc), half);
        storeLanes(o + <usize>kx * tapBytes, f32x4.add(a, m), valid);
        storeLanes(o + <usize>(3 + kx) * tapBytes, f32x4.mul(f32x4.sub(b, cc), half), valid);
        storeLanes(o + <usize>(6 + kx) * tapBytes, f32x4.add(m, d), valid);
      }
    }
  }
}

/** (S·G)(i, kx) from row i of S (positions 4i..4i+3): s0 + (s1+s2)/2, (s1−s2)/2, (s1+s2)/2 + s3. */
@inline
function sgColumn(s: usize, sXi: usize, i: i32, kx: i32, half: v128): v128 {
  const p = s + <usize>(4 * i) * sXi;
  const s1 = v128.load(p + sXi), s2 = v128.load(p + 2 * sXi);
  if (kx == 1) return f32x4.mul(f32x4.sub(s1, s2), half);
  const m = f32x4.mul(f32x4.add(s1, s2), half);
  return kx == 0 ? f32x4.add(v128.load(p), m) : f32x4.add(m, v128.load(p + 3 * sXi));
}

