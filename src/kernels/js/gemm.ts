import type { Ptr } from '../kernels.js';

/**
 * C[M×N] = (accumulate ? C : 0) + op(A)·op(B). A is M×K (K×M when transA),
 * B is K×N (N×K when transB). Dot products are summed in float64.
 */
export function gemm(
  f: Float32Array,
  transA: boolean, transB: boolean,
  m: number, n: number, k: number,
  a: Ptr, b: Ptr, c: Ptr,
  accumulate: boolean,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const aip = transA ? f[a + p * m + i] : f[a + i * k + p];
        const bpj = transB ? f[b + j * k + p] : f[b + p * n + j];
        sum += aip * bpj;
      }
      const ij = c + i * n + j;
      f[ij] = accumulate ? f[ij] + sum : sum;
    }
  }
}
