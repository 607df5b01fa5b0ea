// Per-channel kernels over a rows×cols matrix whose columns are channels (BatchNormalization).
// Pointers are element indices (byte address = ptr << 2).
import { madd } from './simd';

// Column sums run over blocks of this many rows: each group of channels sums the block in
// registers and then adds that to its total, so the block's rows stay in L1 while every group
// sweeps them (one pass over memory for any channel count), and a column total gets one f32
// rounding per block instead of one per row.
const BLOCK_ROWS = 16;

// What sweep() sums per column c.
const SUM = 0; // a
const SQUARES = 1; // (a − center[c])²
const GRAD_SUMS = 2; // a into out1, a·(b − center[c]) into out2

/** The first sum of `mode` for one vector of a column group: a, or (a − center)². */
@inline
function add1(mode: i32, va: v128, m: v128, s: v128): v128 {
  if (mode == SQUARES) {
    const d = f32x4.sub(va, m);
    return madd(d, d, s);
  }
  return f32x4.add(s, va);
}

/** GRAD_SUMS' second sum: a·(b − center). */
@inline
function add2(va: v128, vb: v128, m: v128, t: v128): v128 {
  return madd(va, f32x4.sub(vb, m), t);
}

@inline
function addTo(p: usize, v: v128): void {
  v128.store(p, f32x4.add(v128.load(p), v));
}

/** Adds the column sums of `mode` over all rows to out1 (and out2); callers zero them first. */
@inline
function sweep(mode: i32, a: usize, b: usize, center: usize, out1: usize, out2: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const n = min(BLOCK_ROWS, rows - r0);
    const rowA = a + <usize>r0 * stride;
    const rowB = b + <usize>r0 * stride;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f32x4.splat(0);
      // 16 channels at a time: four independent sums whose additions overlap (one 4-channel sum
      // waits for its previous addition on every row).
      for (; c + 16 <= cols; c += 16) {
        const o = <usize>c << 2;
        const m0 = mode == SUM ? zero : v128.load(center + o);
        const m1 = mode == SUM ? zero : v128.load(center + o, 16);
        const m2 = mode == SUM ? zero : v128.load(center + o, 32);
        const m3 = mode == SUM ? zero : v128.load(center + o, 48);
        let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
        let t0 = zero, t1 = zero, t2 = zero, t3 = zero;
        let pa = rowA + o;
        let pb = rowB + o;
        for (let r = 0; r < n; r++) {
          const a0 = v128.load(pa), a1 = v128.load(pa, 16), a2 = v128.load(pa, 32), a3 = v128.load(pa, 48);
          s0 = add1(mode, a0, m0, s0);
          s1 = add1(mode, a1, m1, s1);
          s2 = add1(mode, a2, m2, s2);
          s3 = add1(mode, a3, m3, s3);
          if (mode == GRAD_SUMS) {
            t0 = add2(a0, v128.load(pb), m0, t0);
            t1 = add2(a1, v128.load(pb, 16), m1, t1);
            t2 = add2(a2, v128.load(pb, 32), m2, t2);
            t3 = add2(a3, v128.load(pb, 48), m3, t3);
          }
          pa += stride;
          pb += stride;
        }
        addTo(out1 + o, s0);
        addTo(out1 + o + 16, s1);
        addTo(out1 + o + 32, s2);
        addTo(out1 + o + 48, s3);
        if (mode == GRAD_SUMS) {
          addTo(out2 + o, t0);
          addTo(out2 + o + 16, t1);
          addTo(out2 + o + 32, t2);
          addTo(out2 + o + 48, t3);
        }
      }
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const m = mode == SUM ? zero : v128.load(center + o);
        let s = zero;
        let t = zero;
        let pa = rowA + o;
        let pb = rowB + o;
        for (let r = 0; r < n; r++) {
          const va = v128.load(pa);
          s = add1(mode, va, m, s);
          if (mode == GRAD_SUMS) t = add2(va, v128.load(pb), m, t);
          pa += stride;
          pb += stride;
        }
        addTo(out1 + o, s);
        if (mode == GRAD_SUMS) addTo(out2 + o, t);
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      const m: f32 = mode == SUM ? 0 : load<f32>(center + o);
      let s1: f32 = 0;
      let s2: f32 = 0;
      for (let r = 0; r < n; r++) {
        const at = <usize>r * stride + o;
        const va = load<f32>(rowA + at);
        if (mode == SQUARES) {
          const d = va - m;
          s1 += d * d;
        } else {
          s1 += va;
          if (mode == GRAD_SUMS) s2 += va * (load<f32>(rowB + at) - m);
        }
      }
      store<f32>(out1 + o, load<f32>(out1 + o) + s1);
      if (mode == GRAD_SUMS) store<f32>(out2 + o, load<f32>(out2 + o) + s2);
    }
  }
}

/** v[0..n) /= d. */
function divideAll(v: usize, n: i32, d: f32): void {
  for (let i = 0; i < n; i++) {
    const p = v + (<usize>i << 2);
    store<f32>(p, load<f32>(p) / d);
  }
}

export function channelMoments(x: usize, mean: usize, variance: usize, rows: i32, cols: i32): void {
  x <<= 2;
  mean <<= 2;
  variance <<= 2;
  const bytes = <usize>cols << 2;
  memory.fill(mean, 0, bytes);
  sweep(SUM, x, 0, 0, mean, 0, rows, cols);
  divideAll(mean, cols, <f32>rows);
  // Around the mean (a second pass) rather than E[x²] − mean²: no cancellation when the mean is large.
  memory.fill(variance, 0, bytes);
  sweep(SQUARES, x, 0, mean, variance, 0, rows, cols);
  divideAll(variance, cols, <f32>rows);
}

export function channelGradSums(dy: usize, x: usize, mean: usize, sumDy: usize, sumDyXc: usize, rows: i32, cols: i32): void {
  dy <<= 2;
  x <<= 2;
  mean <<= 2;
  sumDy <<= 2;
  sumDyXc <<= 2;
  const bytes = <usize>cols << 2;
  memory.fill(sumDy, 0, bytes);
  memory.fill(sumDyXc, 0, bytes);
  sweep(GRAD_SUMS, dy, x, mean, sumDy, sumDyXc, rows, cols);
}

export function channelAffine(x: usize, y: usize, center: i32, scale: usize, shift: i32, rows: i32, cols: i32): void {
  x <<= 2;
  y <<= 2;
  scale <<= 2;
  const hasCenter = center >= 0;
  const cp = <usize>center << 2;
  const hasShift = shift >= 0;
  const sp = <usize>shift << 2;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = y + <usize>r * rowBytes;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const v = hasCenter ? f32x4.sub(v128.load(xr + o), v128.load(cp + o)) : v128.load(xr + o);
        const t = hasShift ? v128.load(sp + o) : f32x4.splat(0);
        v128.store(yr + o, madd(v, v128.load(scale + o), t));
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      const v: f32 = hasCenter ? load<f32>(xr + o) - load<f32>(cp + o) : load<f32>(xr + o);
      const t: f32 = hasShift ? load<f32>(sp + o) : 0;
      store<f32>(yr + o, v * load<f32>(scale + o) + t);
    }
  }
}

export function channelCombine(a: usize, b: usize, center: usize, out: usize, p: usize, q: usize, shift: usize, rows: i32, cols: i32): void {
  a <<= 2;
  b <<= 2;
  center <<= 2;
  out <<= 2;
  p <<= 2;
  q <<= 2;
  shift <<= 2;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * rowBytes;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const centered = f32x4.sub(v128.load(b + row + o), v128.load(center + o));
        const v = madd(centered, v128.load(q + o), madd(v128.load(a + row + o), v128.load(p + o), v128.load(shift + o)));
        v128.store(out + row + o, v);
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      const v = load<f32>(a + row + o) * load<f32>(p + o) + (load<f32>(b + row + o) - load<f32>(center + o)) * load<f32>(q + o) + load<f32>(shift + o);
      store<f32>(out + row + o, v);
    }
  }
}
