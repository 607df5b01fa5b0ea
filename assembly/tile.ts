// The 4×8 micro-kernel family. tile4x8Trips is the one loop: the packed GEMM (gemm.ts) and the
// in-place tiles below (the implicit-GEMM convolution, conv-forward.ts) all run on it.
// tile4x8PackedEven is the one near-copy, for the reason written above it. Byte addresses.
//
// Packing B pays when a B panel is reused by many 4-row tiles; for a product with few rows
// (predict on one image: M = 1 for a Dense layer) it costs more than the product itself, so
// these kernels read B where it lies, one row of 8 (or 32) columns per K step, `bStep` bytes
// apart. A is read in place too: one pointer per tile row, K consecutive floats each.
import { madd, relu4, storeTransposed } from './simd';

/** 32 zero floats (static data, never written): the starting accumulators of a fresh tile. */
export const ZEROS: usize = memory.data(128, 16);

/**
 * C tile (4 rows × 8 columns at cp, row stride ldcBytes) = init + A·B over k steps; row r of A
 * is k consecutive floats at a_r. init: row r starts from the 8 floats at initP + r·initStride
 * (C itself to accumulate, a bias row with stride 0, or a row of zeros). relu: clamp at 0.
 */
export function tile4x8(
  a0: usize, a1: usize, a2: usize, a3: usize, k: i32,
  pb: usize, bStep: usize, initP: usize, initStride: usize, cp: usize, ldcBytes: usize, relu: bool,
): void {
  const even = k & ~1;
  tile4x8Trips(a0, a1, a2, a3, 8, even >> 1, pb, bStep, initP, initStride, cp, ldcBytes);
  if (even < k || relu) {
    // An odd last step and the ReLU are a second pass over the tile (in L1): inside the
    // kernel either of them cost it a third of its speed (see tile4x8Trips).
    const o = <usize>even << 2;
    tileFinish(a0 + o, a1 + o, a2 + o, a3 + o, even < k, pb + <usize>even * bStep, cp, ldcBytes, relu);
  }
}

// V8 keeps this loop in registers only in this exact shape: 8 accumulators, one straight loop
// over an even K, two K steps per trip with the second step's B row through its own pointer,
// nothing but stores after the loop. An odd-step tail or a ReLU after the loop (even in an
// inlined copy), an outer loop (K in several runs, to read an image window in place) or one B
// pointer bumped between the steps each made V8 load all 12 operands of a trip first and spill
// 3 accumulators, which cost about a third of the speed (bench/gemm.ts, the conv-shaped product).
//
// C tile (4 rows × 8 columns at cp, row stride ldcBytes) = init + A·B over `trips` trips of two
// K steps. Row r of A holds a trip's two steps at a_r and a_r + 4, the next trip aStep bytes
// further (8 when A is read in place, 2·4·4 in gemm.ts's packed panels). B: step j's 8 columns
// at pb + j·bStep. init as in tile4x8.
export function tile4x8Trips(
  a0: usize, a1: usize, a2: usize, a3: usize, aStep: usize, trips: i32,
  pb: usize, bStep: usize, initP: usize, initStride: usize, cp: usize, ldcBytes: usize,
): void {
  let r = initP;
  let c00 = v128.load(r), c01 = v128.load(r, 16);
  r += initStride;
  let c10 = v128.load(r), c11 = v128.load(r, 16);
  r += initStride;
  let c20 = v128.load(r), c21 = v128.load(r, 16);
  r += initStride;
  let c30 = v128.load(r), c31 = v128.load(r, 16);
  const end = a0 + <usize>trips * aStep;
  const bStep2 = bStep << 1;
  let pb2 = pb + bStep;
  while (a0 < end) {
    let b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(a0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(a1);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(a2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(a3);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    b0 = v128.load(pb2); b1 = v128.load(pb2, 16);
    a = v128.load32_splat(a0, 4);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(a1, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(a2, 4);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(a3, 4);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pb += bStep2;
    pb2 += bStep2;
    a0 += aStep;
    a1 += aStep;
    a2 += aStep;
    a3 += aStep;
  }
  v128.store(cp, c00);
  v128.store(cp, c01, 16);
  cp += ldcBytes;
  v128.store(cp, c10);
  v128.store(cp, c11, 16);
  cp += ldcBytes;
  v128.store(cp, c20);
  v128.store(cp, c21, 16);
  cp += ldcBytes;
  v128.store(cp, c30);
  v128.store(cp, c31, 16);
}

/** The second pass of tile4x8 over the stored tile: one more K step if `step`, then ReLU if `relu`. */
function tileFinish(a0: usize, a1: usize, a2: usize, a3: usize, step: bool, pb: usize, cp: usize, ldcBytes: usize, relu: bool): void {
  const b0 = v128.load(pb), b1 = v128.load(pb, 16);
  finishRow(a0, step, b0, b1, cp, relu);
  finishRow(a1, step, b0, b1, cp + ldcBytes, relu);
  finishRow(a2, step, b0, b1, cp + 2 * ldcBytes, relu);
  finishRow(a3, step, b0, b1, cp + 3 * ldcBytes, relu);
}

@inline
function finishRow(ap: usize, step: bool, b0: v128, b1: v128, cp: usize, relu: bool): void {
  let c0 = v128.load(cp), c1 = v128.load(cp, 16);
  if (step) {
    const a = v128.load32_splat(ap);
    c0 = madd(a, b0, c0);
    c1 = madd(a, b1, c1);
  }
  if (relu) {
    c0 = relu4(c0);
    c1 = relu4(c1);
  }
  v128.store(cp, c0);
  v128.store(cp, c1, 16);
}

/**
 * tile4x8 with A packed: K steps of 4 floats (rows 0..3 of one step) at pa. The convolution
 * packs a single-channel layer's tiles this way, one 16-byte load per K step (conv-forward.ts).
 */
export function tile4x8Packed(
  pa: usize, k: i32, pb: usize, bStep: usize, initP: usize, initStride: usize, cp: usize, ldcBytes: usize, relu: bool,
): void {
  const even = k & ~1;
  tile4x8PackedEven(pa, even, pb, bStep, initP, initStride, cp, ldcBytes);
  if (even < k || relu) {
    const a = pa + (<usize>even << 4);
    tileFinish(a, a + 4, a + 8, a + 12, even < k, pb + <usize>even * bStep, cp, ldcBytes, relu);
  }
}

/**
 * tile4x8Trips over A packed step by step (the 4 rows of one K step side by side, the layout a
 * 16-byte gather writes): a trip's second step sits 16 bytes after its first, not 4, and the
 * splat loads need those offsets as constants, so this is the one near-copy of the loop (a
 * variable offset would add an address computation per splat, which the one-pointer variant of
 * gemm.ts's kernel showed to be slower; bench/gemm.ts). Same shape, same caveats.
 */
function tile4x8PackedEven(pa: usize, k: i32, pb: usize, bStep: usize, initP: usize, initStride: usize, cp: usize, ldcBytes: usize): void {
  let r = initP;
  let c00 = v128.load(r), c01 = v128.load(r, 16);
  r += initStride;
  let c10 = v128.load(r), c11 = v128.load(r, 16);
  r += initStride;
  let c20 = v128.load(r), c21 = v128.load(r, 16);
  r += initStride;
  let c30 = v128.load(r), c31 = v128.load(r, 16);
  const end = pa + (<usize>k << 4);
  const bStep2 = bStep << 1;
  let pb2 = pb + bStep;
  while (pa < end) {
    let b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    b0 = v128.load(pb2); b1 = v128.load(pb2, 16);
    a = v128.load32_splat(pa, 16);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 20);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 24);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 28);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pb += bStep2;
    pb2 += bStep2;
    pa += 32;
  }
  v128.store(cp, c00);
  v128.store(cp, c01, 16);
  cp += ldcBytes;
  v128.store(cp, c10);
  v128.store(cp, c11, 16);
  cp += ldcBytes;
  v128.store(cp, c20);
  v128.store(cp, c21, 16);
  cp += ldcBytes;
  v128.store(cp, c30);
  v128.store(cp, c31, 16);
}

/**
 * Single-channel convolution, 8 output pixels side by side (stride 1) × 4 filters, read in
 * place: at window position k the 8 pixels read 8 consecutive inputs, x0 + offs[k] (a table of
 * byte offsets), two 16-byte loads; the 4 filters' weights are splats from wp, wStep bytes per
 * k. Accumulators hold pixels (not filters) in their lanes, so they start from the 4 biases at
 * bp splatted, and are transposed on the way out: y row p (ldy bytes apart) gets its 4 filters.
 * Against packing 4 pixels' windows (a 16-byte load and store per k) for a 4×8 tile it is
 * faster on a 28×28 first layer with 8 or 16 filters (bench/run.ts --only training --models
 * compact, whose first conv it is).
 */
export function convTile8x4(
  x0: usize, offs: usize, k: i32, wp: usize, wStep: usize, bp: usize, y: usize, ldy: usize, relu: bool,
): void {
  if (!ASC_FEATURE_SIMD) return; // exported (index.ts), so compiled in the scalar build too; never called there
  let c00 = v128.load32_splat(bp), c01 = c00;
  let c10 = v128.load32_splat(bp, 4), c11 = c10;
  let c20 = v128.load32_splat(bp, 8), c21 = c20;
  let c30 = v128.load32_splat(bp, 12), c31 = c30;
  const end = offs + (<usize>k << 2);
  while (offs < end) {
    const xp = x0 + <usize>load<u32>(offs);
    const xa = v128.load(xp), xb = v128.load(xp, 16);
    let w = v128.load32_splat(wp);
    c00 = madd(w, xa, c00); c01 = madd(w, xb, c01);
    w = v128.load32_splat(wp, 4);
    c10 = madd(w, xa, c10); c11 = madd(w, xb, c11);
    w = v128.load32_splat(wp, 8);
    c20 = madd(w, xa, c20); c21 = madd(w, xb, c21);
    w = v128.load32_splat(wp, 12);
    c30 = madd(w, xa, c30); c31 = madd(w, xb, c31);
    wp += wStep;
    offs += 4;
  }
  if (relu) {
    c00 = relu4(c00); c01 = relu4(c01); c10 = relu4(c10); c11 = relu4(c11);
    c20 = relu4(c20); c21 = relu4(c21); c30 = relu4(c30); c31 = relu4(c31);
  }
  storeTransposed(c00, c10, c20, c30, y, ldy);
  storeTransposed(c01, c11, c21, c31, y + 4 * ldy, ldy);
}

/**
 * One row of C, 32 columns: C[0..32) = init + Σ_k a[k]·B[k, 0..32), A one run of k floats
 * at ap. The GEMV of a Dense layer on one sample: 8 accumulators, 8 B loads per A splat.
 */
export function row1x32(ap: usize, k: i32, pb: usize, bStep: usize, initP: usize, cp: usize): void {
  if (!ASC_FEATURE_SIMD) return; // exported (index.ts), so compiled in the scalar build too; never called there
  let c0 = v128.load(initP), c1 = v128.load(initP, 16), c2 = v128.load(initP, 32), c3 = v128.load(initP, 48);
  let c4 = v128.load(initP, 64), c5 = v128.load(initP, 80), c6 = v128.load(initP, 96), c7 = v128.load(initP, 112);
  const end = ap + (<usize>k << 2);
  while (ap < end) {
    const a = v128.load32_splat(ap);
    c0 = madd(a, v128.load(pb), c0);
    c1 = madd(a, v128.load(pb, 16), c1);
    c2 = madd(a, v128.load(pb, 32), c2);
    c3 = madd(a, v128.load(pb, 48), c3);
    c4 = madd(a, v128.load(pb, 64), c4);
    c5 = madd(a, v128.load(pb, 80), c5);
    c6 = madd(a, v128.load(pb, 96), c6);
    c7 = madd(a, v128.load(pb, 112), c7);
    pb += bStep;
    ap += 4;
  }
  v128.store(cp, c0); v128.store(cp, c1, 16); v128.store(cp, c2, 32); v128.store(cp, c3, 48);
  v128.store(cp, c4, 64); v128.store(cp, c5, 80); v128.store(cp, c6, 96); v128.store(cp, c7, 112);
}

/** One row, 4 columns (the same, for what is left of N below 32). */
export function row1x4(ap: usize, k: i32, pb: usize, bStep: usize, initP: usize, cp: usize): void {
  // Two accumulators over alternate K steps hide the add latency of a single chain.
  let c0 = v128.load(initP), c1 = f32x4.splat(0);
  const pairEnd = ap + (<usize>(k & ~1) << 2);
  while (ap < pairEnd) {
    c0 = madd(v128.load32_splat(ap), v128.load(pb), c0);
    pb += bStep;
    c1 = madd(v128.load32_splat(ap, 4), v128.load(pb), c1);
    pb += bStep;
    ap += 8;
  }
  if (k & 1) c0 = madd(v128.load32_splat(ap), v128.load(pb), c0);
  v128.store(cp, f32x4.add(c0, c1));
}
