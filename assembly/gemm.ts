// GEMM: C[M×N] = (accumulate ? C : 0) + op(A)·op(B), the hot loop of Dense and Conv2D.
//
// GotoBLAS/BLIS structure: for each block of N (NC) and K (KC), B is packed into 8-column
// panels; for each block of M (MC), A is packed into 4-row panels (a row-major A is read in
// place instead); a 4×8 micro-kernel multiplies one A panel by one B panel with 8 f32x4
// accumulators. V8 gives wasm xmm0–xmm15 only: 8 accumulators + 2 B vectors + 1 A splat fit,
// a 6×8 tile or a 3-step unrolled loop spills. Packing handles every transpose combination
// and pads ragged edges with zeros, so the micro-kernel always runs full tiles; edge tiles go
// through a small scratch tile and are copied out.
//
// Products of one to three rows skip the packing altogether (gemm-small.ts).
//
// What bounds it: the engine's code for the micro-kernel's loop (read it with V8's
// --print-wasm-code). Besides its 16 FMAs, a trip of two K steps issues the B and splat loads,
// pointer bumps, the loop's stack check and branch, and an address add per splat load (V8 adds
// the offset to the memory base in a register of its own), so the loop cannot issue FMAs at the
// core's peak rate; bench/gemm.ts prints the conv-shaped product next to its registers-only
// ceiling. Tried, none faster there: 4 K steps a trip (all 8 B vectors loaded first, 3
// accumulators spilled), packed A through one pointer (an address add per splat), packed A
// broadcast by shuffles (one accumulator spilled).
//
// Strides (lda, ldb, ldc) are explicit so a thread can compute a slice of a bigger product.
// Pointers are element indices into linear memory (byte address = ptr << 2); `scratch` is a
// byte address of GEMM_SCRATCH_BYTES owned by the calling thread.

import { SMALL_M, gemmSmallM } from './gemm-small';
import { storeTransposed } from './simd';
import { ZEROS, tile4x8Trips } from './tile';

/** Micro-tile rows (A splats per K step). */
const MR: i32 = 4;
/** Micro-tile columns (two f32x4 per row). */
const NR: i32 = 8;
/** K steps per micro-kernel loop trip; packed panels are zero-padded to a multiple of it. */
const KU: i32 = 2;
/** Largest K block: an A panel (4×KC) and a B panel (KC×8) stay in L1. */
const KC_MAX: i32 = 576;
/** M block (multiple of MR): the packed A block (MC×KC) stays in L2. */
const MC: i32 = 128;
/** N block (multiple of NR): the packed B block (KC×NC). */
const NC: i32 = 1024;

export const PACK_A_BYTES: usize = <usize>(MC * KC_MAX) << 2;
export const PACK_B_BYTES: usize = <usize>(KC_MAX * NC) << 2;
const TILE_BYTES: usize = <usize>(MR * NR) << 2;

/** Bytes of per-thread scratch that gemm needs (packed A block, packed B block, edge tile). */
export const GEMM_SCRATCH_BYTES: usize = PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES;

export function gemmScratchBytes(): usize {
  return GEMM_SCRATCH_BYTES;
}

export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  accumulate: bool, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  a <<= 2;
  b <<= 2;
  c <<= 2;
  if (k <= 0) {
    if (!accumulate) zeroRows(c, m, n, ldc);
    return;
  }
  if (ASC_FEATURE_SIMD && !transA && !transB && m <= SMALL_M) {
    gemmSmallM(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    return;
  }
  const packA = scratch;
  const packB = scratch + PACK_A_BYTES;
  const tile = packB + PACK_B_BYTES;
  // Split K into equal blocks (576 = 2·288 beats 384 + 192), each a multiple of 4.
  const kBlocks = (k + KC_MAX - 1) / KC_MAX;
  const kcStep = (((k + kBlocks - 1) / kBlocks) + 3) & ~3;
  const ldcBytes = <usize>ldc << 2;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kcStep) {
      const kc = min(kcStep, k - pc);
      const kcPad = (kc + KU - 1) & -KU;
      const trips = kcPad / KU;
      const overwrite = pc == 0 && !accumulate;
      // A row-major A is read in place: its 4 rows are the panel, with a row stride of lda
      // instead of KU floats. No packing pass, A streams from memory once.
      const direct = ASC_FEATURE_SIMD && !transA && kc == kcPad;
      packBBlock(transB, b, ldb, pc, jc, kc, nc, packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packABlock(transA, a, lda, ic, pc, mc, kc, packA, direct);
        for (let jr = 0; jr < nc; jr += NR) {
          const pb = packB + (<usize>(jr * kcPad) << 2);
          const cols = min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            let pa = packA + (<usize>(ir * kcPad) << 2);
            let aRow: usize = KU << 2, aStep: usize = MR * KU << 2;
            if (direct && rows == MR) {
              pa = a + ((<usize>(ic + ir) * <usize>lda + <usize>pc) << 2);
              aRow = <usize>lda << 2;
              aStep = KU << 2;
            }
            const cp = c + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2);
            if (rows == MR && cols == NR) {
              microKernel(pa, aRow, aStep, pb, trips, cp, ldcBytes, overwrite);
            } else {
              microKernel(pa, aRow, aStep, pb, trips, tile, <usize>NR << 2, true);
              storeEdge(tile, cp, ldc, rows, cols, overwrite);
            }
          }
        }
      }
    }
  }
}

function zeroRows(c: usize, m: i32, n: i32, ldc: i32): void {
  for (let i = 0; i < m; i++) memory.fill(c + ((<usize>i * <usize>ldc) << 2), 0, <usize>n << 2);
}

/** Adds (or writes) the valid rows×cols corner of an MR×NR tile into C. */
function storeEdge(tile: usize, cp: usize, ldc: i32, rows: i32, cols: i32, overwrite: bool): void {
  for (let r = 0; r < rows; r++) {
    const dst = cp + ((<usize>r * <usize>ldc) << 2);
    const src = tile + (<usize>(r * NR) << 2);
    for (let j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      const v = load<f32>(src + o);
      store<f32>(dst + o, overwrite ? v : load<f32>(dst + o) + v);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Micro-kernels: C tile (4×8 at cp, row stride ldcBytes) = (overwrite ? 0 : C) + A·B over
// `trips` × KU K steps.
//
// A: row r's KU consecutive steps at pa + r·aRow, the next KU steps aStep further (packed:
// aRow = KU·4, aStep = 4·KU·4; read in place from a row-major A: aRow = lda·4, aStep = KU·4).
// B: KU·8 floats per trip, step j's 8 columns at j·8.
// Two steps per loop trip: one pointer bump per two steps keeps the loop within the 4-µop/cycle
// issue budget; more unrolling lets V8 hoist every load of the trip and spill accumulators.

function microKernel(pa: usize, aRow: usize, aStep: usize, pb: usize, trips: i32, cp: usize, ldcBytes: usize, overwrite: bool): void {
  if (ASC_FEATURE_SIMD) {
    // The accumulators start from C (or zeros), so after the loop there is only a store, as the
    // kernel needs (tile.ts).
    const a1 = pa + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
    if (overwrite) tile4x8Trips(pa, a1, a2, a3, aStep, trips, pb, 32, ZEROS, 0, cp, ldcBytes);
    else tile4x8Trips(pa, a1, a2, a3, aStep, trips, pb, 32, cp, ldcBytes, cp, ldcBytes);
  } else {
    // The scalar build always packs A.
    for (let j: usize = 0; j < <usize>NR; j += 2) microKernelScalar(pa, pb + (j << 2), trips, cp + (j << 2), ldcBytes, overwrite);
  }
}


/**
 * Scalar fallback: a 4×2 slice of the tile over a packed A panel (B: 8 floats per K step, this
 * slice's 2 at pb). 8 accumulators: a 4×4 slice spills on x64's 16 float registers.
 */
function microKernelScalar(pa: usize, pb: usize, trips: i32, cp: usize, ldcBytes: usize, overwrite: bool): void {
  let c00: f32 = 0, c01: f32 = 0, c10: f32 = 0, c11: f32 = 0;
  let c20: f32 = 0, c21: f32 = 0, c30: f32 = 0, c31: f32 = 0;
  for (let t = 0; t < trips; t++) {
    for (let j = 0; j < KU; j++) {
      // step j of this trip: row r's value at (r·KU + j)
      const ap = pa + (<usize>j << 2);
      const b0 = load<f32>(pb), b1 = load<f32>(pb, 4);
      let a = load<f32>(ap);
      c00 += a * b0; c01 += a * b1;
      a = load<f32>(ap, KU << 2);
      c10 += a * b0; c11 += a * b1;
      a = load<f32>(ap, KU << 3);
      c20 += a * b0; c21 += a * b1;
      a = load<f32>(ap, 3 * KU << 2);
      c30 += a * b0; c31 += a * b1;
      pb += NR << 2;
    }
    pa += <usize>(MR * KU) << 2;
  }
  storeRow2(cp, c00, c01, overwrite);
  storeRow2(cp + ldcBytes, c10, c11, overwrite);
  storeRow2(cp + 2 * ldcBytes, c20, c21, overwrite);
  storeRow2(cp + 3 * ldcBytes, c30, c31, overwrite);
}

@inline
function storeRow2(p: usize, v0: f32, v1: f32, overwrite: bool): void {
  if (!overwrite) {
    v0 += load<f32>(p);
    v1 += load<f32>(p, 4);
  }
  store<f32>(p, v0);
  store<f32>(p, v1, 4);
}

// ---------------------------------------------------------------------------------------------
// Packing. Element (i, p) of op(A) lives at a + (transA ? p·lda + i : i·lda + p);
// element (p, j) of op(B) at b + (transB ? j·ldb + p : p·ldb + j). Panels are zero-padded to
// whole rows/columns of the tile and to a multiple of KU steps.

/**
 * Packs op(A)[ic..ic+mc, pc..pc+kc] into 4-row panels: per KU-step trip, row r's KU values at
 * r·KU. With `raggedOnly` (A is read in place) only a last panel of fewer than 4 rows is packed.
 */
function packABlock(transA: bool, a: usize, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, dst: usize, raggedOnly: bool): void {
  const kcPad = (kc + KU - 1) & -KU;
  const ldaBytes = <usize>lda << 2;
  let p0 = 0; // K steps already packed (SIMD, full panels)
  if (ASC_FEATURE_SIMD && transA && !raggedOnly) {
    // op(A) rows are adjacent in memory: walk A's rows (K) in order, reading each block row
    // contiguously, and deal every 4 values out to their panel. Going panel by panel instead
    // reads 16 bytes per 2 KB-strided line, which no prefetcher follows.
    const panels = mc >> 2;
    const panelBytes = <usize>kcPad << 4;
    for (; p0 + 4 <= kc; p0 += 4) {
      const s = a + ((<usize>(pc + p0) * <usize>lda + <usize>ic) << 2);
      let d = dst + (<usize>p0 << 4);
      for (let q = 0; q < panels; q++) {
        const o = <usize>q << 4;
        const k0 = v128.load(s + o), k1 = v128.load(s + ldaBytes + o);
        const k2 = v128.load(s + 2 * ldaBytes + o), k3 = v128.load(s + 3 * ldaBytes + o);
        v128.store(d, v128.shuffle<f32>(k0, k1, 0, 4, 1, 5));
        v128.store(d, v128.shuffle<f32>(k0, k1, 2, 6, 3, 7), 16);
        v128.store(d, v128.shuffle<f32>(k2, k3, 0, 4, 1, 5), 32);
        v128.store(d, v128.shuffle<f32>(k2, k3, 2, 6, 3, 7), 48);
        d += panelBytes;
      }
    }
  }
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    if (raggedOnly && rows == MR) continue;
    let p = rows == MR ? p0 : 0;
    let d = dst + (<usize>(ir * kcPad + p * MR) << 2);
    if (ASC_FEATURE_SIMD && rows == MR && !transA) {
      // Each row's K steps are contiguous: 4 steps of 4 rows, 4 shuffles into two trips.
      let s = a + ((<usize>(ic + ir) * <usize>lda + <usize>pc) << 2);
      for (; p + 4 <= kc; p += 4) {
        const r0 = v128.load(s), r1 = v128.load(s + ldaBytes);
        const r2 = v128.load(s + 2 * ldaBytes), r3 = v128.load(s + 3 * ldaBytes);
        v128.store(d, v128.shuffle<f32>(r0, r1, 0, 1, 4, 5));
        v128.store(d, v128.shuffle<f32>(r2, r3, 0, 1, 4, 5), 16);
        v128.store(d, v128.shuffle<f32>(r0, r1, 2, 3, 6, 7), 32);
        v128.store(d, v128.shuffle<f32>(r2, r3, 2, 3, 6, 7), 48);
        s += 16;
        d += 64;
      }
    }
    // The rest (everything without SIMD, a short panel, K steps past a multiple of 4), zero-padded.
    for (; p < kcPad; p += KU) {
      for (let r = 0; r < MR; r++) {
        for (let j = 0; j < KU; j++) {
          const kk = p + j;
          let v: f32 = 0;
          if (r < rows && kk < kc) {
            const i = <usize>(ic + ir + r), q = <usize>(pc + kk);
            v = load<f32>(a + ((transA ? q * <usize>lda + i : i * <usize>lda + q) << 2));
          }
          store<f32>(d + (<usize>(r * KU + j) << 2), v);
        }
      }
      d += <usize>(MR * KU) << 2;
    }
  }
}

/** Packs op(B)[pc..pc+kc, jc..jc+nc] into 8-column panels: per K step, 8 columns. */
function packBBlock(transB: bool, b: usize, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, dst: usize): void {
  const kcPad = (kc + KU - 1) & -KU;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const panel = dst + (<usize>(jr * kcPad) << 2);
    if (transB) {
      const src = b + ((<usize>(jc + jr) * <usize>ldb + <usize>pc) << 2);
      transposeInto(src, <usize>ldb << 2, panel, NR, cols, kc);
    } else {
      const src = b + ((<usize>pc * <usize>ldb + <usize>(jc + jr)) << 2);
      copyStrided(src, <usize>ldb << 2, panel, NR, cols, kc);
    }
    // Zero steps up to the padded length.
    memory.fill(panel + (<usize>(kc * NR) << 2), 0, <usize>((kcPad - kc) * NR) << 2);
  }
}

/** dst[p·width + j] = src[p·strideBytes + j] for j < valid, 0 for valid ≤ j < width, p < kc. */
function copyStrided(src: usize, strideBytes: usize, dst: usize, width: i32, valid: i32, kc: i32): void {
  if (ASC_FEATURE_SIMD && valid == width && width == 8) {
    for (let p = 0; p < kc; p++) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      src += strideBytes;
      dst += 32;
    }
    return;
  }
  for (let p = 0; p < kc; p++) {
    let j = 0;
    for (; j < valid; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
    for (; j < width; j++) store<f32>(dst + (<usize>j << 2), 0);
    src += strideBytes;
    dst += <usize>width << 2;
  }
}

/** dst[p·width + j] = src[j·strideBytes + p] for j < valid, 0 for valid ≤ j < width, p < kc. */
function transposeInto(src: usize, strideBytes: usize, dst: usize, width: i32, valid: i32, kc: i32): void {
  const dstStride = <usize>width << 2;
  let p = 0;
  if (ASC_FEATURE_SIMD && valid == width) {
    for (; p + 4 <= kc; p += 4) {
      const s = src + (<usize>p << 2);
      const d = dst + <usize>p * dstStride;
      for (let j = 0; j < width; j += 4) {
        transpose4(s + <usize>j * strideBytes, strideBytes, d + (<usize>j << 2), dstStride);
      }
    }
  }
  for (; p < kc; p++) {
    const s = src + (<usize>p << 2);
    const d = dst + <usize>p * dstStride;
    let j = 0;
    for (; j < valid; j++) store<f32>(d + (<usize>j << 2), load<f32>(s + <usize>j * strideBytes));
    for (; j < width; j++) store<f32>(d + (<usize>j << 2), 0);
  }
}

/** Transposes the 4×4 block at src (row stride srcStride) into dst (row stride dstStride). */
@inline
function transpose4(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  storeTransposed(v128.load(src), v128.load(src + srcStride), v128.load(src + 2 * srcStride), v128.load(src + 3 * srcStride), dst, dstStride);
}

/**
 * C[i, j] += P[i·n + j] over m×n: folds a worker's partial product into C when a GEMM is split
 * along K between two threads. Pointers are element indices.
 */
export function gemmAddPartial(c: usize, ldc: i32, p: usize, m: i32, n: i32): void {
  c <<= 2;
  p <<= 2;
  for (let i = 0; i < m; i++) {
    const row = c + ((<usize>i * <usize>ldc) << 2);
    const src = p + ((<usize>i * <usize>n) << 2);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= n; j += 4) {
        const o = <usize>j << 2;
        v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(src + o)));
      }
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, load<f32>(row + o) + load<f32>(src + o));
    }
  }
}
