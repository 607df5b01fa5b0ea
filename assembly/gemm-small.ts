// GEMM for products with one to three rows, C = (accumulate ? C : 0) + A·B with A (M×K) and B
// (K×N) both row-major and read in place: the Dense layers of predict on one image.
//
// The packed path (gemm.ts) copies B into panels so that many 4-row tiles can reuse them; with
// M = 1 that copy of B costs more than the product (bench/gemm.ts 'dense 256->256, one image').
// Here each row runs a one-row kernel over B as it lies: 32 columns at a time
// (8 accumulators; every B element loaded once, two whole cache lines per B row), then 4,
// then single dot products. From 4 rows on the packed path is as fast or faster: a 4×8 tile reading B in place uses 32 bytes of each row
// per pass, so every line of B is fetched once per 8-column panel. Byte addresses.
import { ZEROS, row1x32, row1x4 } from './tile';

/** Largest M sent here. */
export const SMALL_M: i32 = 3;

export function gemmSmallM(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: bool): void {
  const ldbBytes = <usize>ldb << 2;
  for (let r = 0; r < m; r++) {
    rowColumns(a + (<usize>(r * lda) << 2), k, b, ldbBytes, c + (<usize>(r * ldc) << 2), n, accumulate);
  }
}

/** One row of C: 32 columns at a time, then 4, then single dot products. */
function rowColumns(ap: usize, k: i32, b: usize, ldbBytes: usize, cRow: usize, n: i32, accumulate: bool): void {
  let j = 0;
  for (; j + 32 <= n; j += 32) {
    const cp = cRow + (<usize>j << 2);
    row1x32(ap, k, b + (<usize>j << 2), ldbBytes, accumulate ? cp : ZEROS, cp);
  }
  for (; j + 4 <= n; j += 4) {
    const cp = cRow + (<usize>j << 2);
    row1x4(ap, k, b + (<usize>j << 2), ldbBytes, accumulate ? cp : ZEROS, cp);
  }
  for (; j < n; j++) {
    let s0: f32 = 0, s1: f32 = 0; // two chains, as in row1x4
    let bp = b + (<usize>j << 2);
    let p = 0;
    for (; p + 2 <= k; p += 2) {
      s0 += load<f32>(ap + (<usize>p << 2)) * load<f32>(bp);
      s1 += load<f32>(ap + (<usize>p << 2), 4) * load<f32>(bp + ldbBytes);
      bp += ldbBytes << 1;
    }
    if (p < k) s0 += load<f32>(ap + (<usize>p << 2)) * load<f32>(bp);
    const cp = cRow + (<usize>j << 2);
    store<f32>(cp, (accumulate ? load<f32>(cp) : 0) + (s0 + s1));
  }
}
