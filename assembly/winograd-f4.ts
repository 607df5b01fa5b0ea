// The transforms of Winograd's F(4×4, 3×3) (winograd.ts runs them): a 4×4 block of outputs from
// a 6×6 input tile, 36 multiply-adds per block and (channel, filter) pair where F(2×2, 3×3)
// needs 64 and the direct convolution 144. Matrices as in Lavin & Gray (2016):
//
//   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
//   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1⁄24 1⁄12 ⅙; 1⁄24 −1⁄12 ⅙; 0 0 1]
//   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
//
// Each 2-D transform is the 1-D one along the rows into a small L1 buffer (`tmp`), then down
// the columns. Byte addresses; v128 values hold 4 channels or 4 filters.
import { relu4, storeLanes } from './simd';

@inline function mul(a: v128, k: f32): v128 { return f32x4.mul(a, f32x4.splat(k)); }
@inline function add(a: v128, b: v128): v128 { return f32x4.add(a, b); }
@inline function sub(a: v128, b: v128): v128 { return f32x4.sub(a, b); }

/** Bᵀ·d for the 6 values at p, p + step, …, stored at q, q + qStep, …. */
@inline
function inputColumn(p: usize, step: usize, q: usize, qStep: usize): void {
  const d0 = v128.load(p), d1 = v128.load(p + step), d2 = v128.load(p + 2 * step);
  const d3 = v128.load(p + 3 * step), d4 = v128.load(p + 4 * step), d5 = v128.load(p + 5 * step);
  v128.store(q, add(sub(mul(d0, 4), mul(d2, 5)), d4));
  const s = add(d3, d4), t = sub(d4, d3);
  v128.store(q + qStep, sub(s, mul(add(d1, d2), 4)));
  v128.store(q + 2 * qStep, add(t, mul(sub(d1, d2), 4)));
  const u = sub(d4, d2), e = mul(sub(d3, d1), 2);
  v128.store(q + 3 * qStep, add(u, e));
  v128.store(q + 4 * qStep, sub(u, e));
  v128.store(q + 5 * qStep, add(sub(mul(d1, 4), mul(d3, 5)), d5));
}

/**
 * V = Bᵀ·d·B of one 6×6 tile, 4 channels at a time: d(i, j) at src + i·rowStride + j·pix;
 * channels ch..ch+3 of V(i, j) to dst + (6i + j)·xiStride + (ch/4)·groupStride. tmp: 36 × 16 bytes.
 */
export function transformInput6(src: usize, rowStride: usize, pix: usize, c: i32, dst: usize, xiStride: usize, groupStride: usize, tmp: usize): void {
  for (let ch = 0; ch < c; ch += 4) {
    const o = <usize>ch << 2;
    // Rows: tmp(i, j) = (d·B)(i, j), 6 floats per row apart by 16 bytes.
    for (let i = 0; i < 6; i++) inputColumn(src + o + <usize>i * rowStride, pix, tmp + <usize>(i * 6) * 16, 16);
    // Columns: V(·, j) = Bᵀ·tmp(·, j).
    const d = dst + <usize>(ch >> 2) * groupStride;
    for (let j = 0; j < 6; j++) inputColumn(tmp + <usize>j * 16, 96, d + <usize>j * xiStride, 6 * xiStride);
  }
}

/** G·(a, b, c) → 6 values at q, q + qStep, …. */
@inline
function kernelColumn(a: v128, b: v128, c: v128, q: usize, qStep: usize): void {
  v128.store(q, mul(a, 0.25));
  const ac = add(a, c);
  v128.store(q + qStep, mul(add(ac, b), -1.0 / 6));
  v128.store(q + 2 * qStep, mul(sub(ac, b), -1.0 / 6));
  const p = add(mul(a, 1.0 / 24), mul(c, 1.0 / 6)), r = mul(b, 1.0 / 12);
  v128.store(q + 3 * qStep, add(p, r));
  v128.store(q + 4 * qStep, sub(p, r));
  v128.store(q + 5 * qStep, c);
}

/**
 * U = G·g·Gᵀ of one 3×3 slice (taps g(ky, kx) at g + (3ky + kx)·16, 4 filters each) into
 * u + ξ·xiBytes, ξ = 6i + j. tmp: 18 × 16 bytes.
 */
export function transformKernel6(g: usize, u: usize, xiBytes: usize, tmp: usize): void {
  // Columns: tmp(i, kx) = (G·g)(i, kx), rows of 3 taps 16 bytes apart.
  for (let kx = 0; kx < 3; kx++) {
    const p = g + (<usize>kx << 4);
    kernelColumn(v128.load(p), v128.load(p, 48), v128.load(p, 96), tmp + (<usize>kx << 4), 48);
  }
  // Rows: U(i, ·) = G·tmp(i, ·).
  for (let i = 0; i < 6; i++) {
    const p = tmp + <usize>i * 48;
    kernelColumn(v128.load(p), v128.load(p, 16), v128.load(p, 32), u + <usize>(6 * i) * xiBytes, xiBytes);
  }
}

/** Aᵀ·(m0..m5) at p, p + step, …: 4 values stored at q, q + qStep, …. */
@inline
function outputColumn(p: usize, step: usize, q: usize, qStep: usize): void {
  const m0 = v128.load(p), m1 = v128.load(p + step), m2 = v128.load(p + 2 * step);
  const m3 = v128.load(p + 3 * step), m4 = v128.load(p + 4 * step), m5 = v128.load(p + 5 * step);
  const s12 = add(m1, m2), d12 = sub(m1, m2), s34 = add(m3, m4), d34 = sub(m3, m4);
  v128.store(q, add(add(m0, s12), s34));
  v128.store(q + qStep, add(d12, mul(d34, 2)));
  v128.store(q + 2 * qStep, add(s12, mul(s34, 4)));
  v128.store(q + 3 * qStep, add(add(d12, mul(d34, 8)), m5));
}

/**
 * y = Aᵀ·M·A + bias (4 floats at biasP) for one tile and 4 filters: M(ξ) at mt + ξ·mRow. Writes the rows × cols
 * corner of the 4×4 block at out (pixel rows rowBytes apart, pixels pixBytes apart), `valid`
 * filters (4 = a whole vector). tmp: 24 × 16 bytes.
 */
export function transformOutput6(
  mt: usize, mRow: usize, biasP: usize, out: usize, rowBytes: usize, pixBytes: usize, rows: i32, cols: i32, valid: i32, relu: bool, tmp: usize,
): void {
  const bias = v128.load(biasP);
  // Rows: tmp(i, q) = (M·A)(i, q), i < 6, q < 4.
  for (let i = 0; i < 6; i++) outputColumn(mt + <usize>(6 * i) * mRow, mRow, tmp + <usize>(i * 4) * 16, 16);
  // Columns: y(·, q) = Aᵀ·tmp(·, q), into tmp's first 16 slots (row-major 4×4), then stored.
  for (let q = 0; q < 4; q++) outputColumn(tmp + <usize>q * 16, 64, tmp + 384 + <usize>q * 16, 64);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      let v = add(v128.load(tmp + 384 + <usize>(r * 4 + q) * 16), bias);
      if (relu) v = relu4(v);
      storeLanes(out + <usize>r * rowBytes + <usize>q * pixBytes, v, valid);
    }
  }
}
