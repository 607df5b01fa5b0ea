// Per-channel kernels over a rows×cols matrix whose columns are channels (BatchNormalization).
// Pointers are element indices (byte address = ptr << 2). Every kernel reads its rows×cols inputs
// from memory once: activations can outgrow the cache, and then each extra pass is a trip to memory.
import { madd } from './simd';

/**
 * Rows per block of the column reductions: each group of channels reduces the block in registers
 * and then adds that to its total, so the block (at most 8 KB of each array) stays in L1 while
 * every group sweeps it, and a column total gets one f32 rounding per block instead of one per row.
 */
@inline
function blockRows(cols: i32): i32 {
  return max(1, min(64, 2048 / cols));
}

/**
 * Merges a block's mean and sum of squared deviations into the running ones of the rows before
 * it (Chan et al.): the running mean moves by δ·n/(seen + n) and the squares gain
 * δ²·seen·n/(seen + n), δ = block mean − running mean, n the block's rows (`toMean` and `toM2`
 * hold those two weights). No E[x²] − mean² cancellation.
 */
@inline
function mergeMoments(meanAt: usize, m2At: usize, blockM2: v128, blockMean: v128, toMean: v128, toM2: v128): void {
  const mean = v128.load(meanAt);
  const delta = f32x4.sub(blockMean, mean);
  v128.store(meanAt, madd(delta, toMean, mean));
  v128.store(m2At, madd(f32x4.mul(delta, delta), toM2, f32x4.add(v128.load(m2At), blockM2)));
}

/** One column's block of the moments, scalar: the ragged channels of the SIMD build, every channel of the plain one. */
@inline
function momentsColumn(rowX: usize, stride: usize, o: usize, mean: usize, m2: usize, n: i32, toMean: f32, toM2: f32): void {
  let s: f32 = 0;
  for (let r = 0; r < n; r++) s += load<f32>(rowX + <usize>r * stride + o);
  const bm = s / <f32>n;
  let q: f32 = 0;
  for (let r = 0; r < n; r++) {
    const d = load<f32>(rowX + <usize>r * stride + o) - bm;
    q += d * d;
  }
  const m = load<f32>(mean + o);
  const delta = bm - m;
  store<f32>(mean + o, m + delta * toMean);
  store<f32>(m2 + o, load<f32>(m2 + o) + q + delta * delta * toM2);
}

export function channelMoments(x: usize, mean: usize, variance: usize, rows: i32, cols: i32): void {
  x <<= 2;
  mean <<= 2;
  variance <<= 2; // holds the running sum of squared deviations until the end
  const stride = <usize>cols << 2;
  memory.fill(mean, 0, stride);
  memory.fill(variance, 0, stride);
  // Blocks as large as L1 allows: each costs a merge per channel.
  const block = blockRows(cols);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const n = min(block, rows - r0);
    const rowX = x + <usize>r0 * stride;
    const total = <f32>(r0 + n);
    const toMean = <f32>n / total;
    const toM2 = (<f32>r0 * <f32>n) / total;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f32x4.splat(0);
      const inv = f32x4.splat(1 / <f32>n);
      const toMeanV = f32x4.splat(toMean);
      const toM2V = f32x4.splat(toM2);
      // 16 channels at a time: the block's sums (first sweep, from memory), then the squares
      // around the block's means (second sweep, from L1); four independent chains each.
      for (; c + 16 <= cols; c += 16) {
        const o = <usize>c << 2;
        let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
        let p = rowX + o;
        for (let r = 0; r < n; r++) {
          s0 = f32x4.add(s0, v128.load(p));
          s1 = f32x4.add(s1, v128.load(p, 16));
          s2 = f32x4.add(s2, v128.load(p, 32));
          s3 = f32x4.add(s3, v128.load(p, 48));
          p += stride;
        }
        const b0 = f32x4.mul(s0, inv), b1 = f32x4.mul(s1, inv), b2 = f32x4.mul(s2, inv), b3 = f32x4.mul(s3, inv);
        let q0 = zero, q1 = zero, q2 = zero, q3 = zero;
        p = rowX + o;
        for (let r = 0; r < n; r++) {
          const d0 = f32x4.sub(v128.load(p), b0);
          const d1 = f32x4.sub(v128.load(p, 16), b1);
          const d2 = f32x4.sub(v128.load(p, 32), b2);
          const d3 = f32x4.sub(v128.load(p, 48), b3);
          q0 = madd(d0, d0, q0);
          q1 = madd(d1, d1, q1);
          q2 = madd(d2, d2, q2);
          q3 = madd(d3, d3, q3);
          p += stride;
        }
        mergeMoments(mean + o, variance + o, q0, b0, toMeanV, toM2V);
        mergeMoments(mean + o + 16, variance + o + 16, q1, b1, toMeanV, toM2V);
        mergeMoments(mean + o + 32, variance + o + 32, q2, b2, toMeanV, toM2V);
        mergeMoments(mean + o + 48, variance + o + 48, q3, b3, toMeanV, toM2V);
      }
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        let s = zero;
        let p = rowX + o;
        for (let r = 0; r < n; r++) {
          s = f32x4.add(s, v128.load(p));
          p += stride;
        }
        const b = f32x4.mul(s, inv);
        let q = zero;
        p = rowX + o;
        for (let r = 0; r < n; r++) {
          const d = f32x4.sub(v128.load(p), b);
          q = madd(d, d, q);
          p += stride;
        }
        mergeMoments(mean + o, variance + o, q, b, toMeanV, toM2V);
      }
    }
    for (; c < cols; c++) momentsColumn(rowX, stride, <usize>c << 2, mean, variance, n, toMean, toM2);
  }
  for (let c = 0; c < cols; c++) {
    const p = variance + (<usize>c << 2);
    store<f32>(p, load<f32>(p) / <f32>rows);
  }
}

/** dy where the relu of (x − mean)·k + h was open (value > 0), else 0; `d` is x − mean. */
@inline
function gate4(gated: bool, g: v128, d: v128, k: v128, h: v128): v128 {
  if (!gated) return g;
  return v128.and(g, f32x4.gt(madd(d, k, h), f32x4.splat(0)));
}

@inline
function gate1(gated: bool, g: f32, d: f32, k: f32, h: f32): f32 {
  if (!gated) return g;
  return d * k + h > 0 ? g : 0;
}

@inline
function addTo(p: usize, v: v128): void {
  v128.store(p, f32x4.add(v128.load(p), v));
}

/**
 * channelGradSums with or without the gate (a compile-time constant). 8 channels at a time: four
 * independent sums whose additions overlap, and the gate's per-channel vectors still within V8's
 * 16 vector registers.
 */
@inline
function gradSums(gated: bool, hasShift: bool, dy: usize, x: usize, mean: usize, k: usize, h: usize, sumDy: usize, sumDyXc: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  memory.fill(sumDy, 0, stride);
  memory.fill(sumDyXc, 0, stride);
  const block = blockRows(cols);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const n = min(block, rows - r0);
    const rowDy = dy + <usize>r0 * stride;
    const rowX = x + <usize>r0 * stride;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f32x4.splat(0);
      for (; c + 8 <= cols; c += 8) {
        const o = <usize>c << 2;
        const m0 = v128.load(mean + o), m1 = v128.load(mean + o, 16);
        const k0 = gated ? v128.load(k + o) : zero, k1 = gated ? v128.load(k + o, 16) : zero;
        const h0 = gated && hasShift ? v128.load(h + o) : zero, h1 = gated && hasShift ? v128.load(h + o, 16) : zero;
        let s0 = zero, s1 = zero, t0 = zero, t1 = zero;
        let pd = rowDy + o;
        let px = rowX + o;
        for (let r = 0; r < n; r++) {
          const d0 = f32x4.sub(v128.load(px), m0);
          const d1 = f32x4.sub(v128.load(px, 16), m1);
          const g0 = gate4(gated, v128.load(pd), d0, k0, h0);
          const g1 = gate4(gated, v128.load(pd, 16), d1, k1, h1);
          s0 = f32x4.add(s0, g0);
          s1 = f32x4.add(s1, g1);
          t0 = madd(g0, d0, t0);
          t1 = madd(g1, d1, t1);
          pd += stride;
          px += stride;
        }
        addTo(sumDy + o, s0);
        addTo(sumDy + o + 16, s1);
        addTo(sumDyXc + o, t0);
        addTo(sumDyXc + o + 16, t1);
      }
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const m = v128.load(mean + o);
        const kv = gated ? v128.load(k + o) : zero;
        const hv = gated && hasShift ? v128.load(h + o) : zero;
        let s = zero, t = zero;
        let pd = rowDy + o;
        let px = rowX + o;
        for (let r = 0; r < n; r++) {
          const d = f32x4.sub(v128.load(px), m);
          const g = gate4(gated, v128.load(pd), d, kv, hv);
          s = f32x4.add(s, g);
          t = madd(g, d, t);
          pd += stride;
          px += stride;
        }
        addTo(sumDy + o, s);
        addTo(sumDyXc + o, t);
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      const m = load<f32>(mean + o);
      const kc: f32 = gated ? load<f32>(k + o) : 0;
      const hc: f32 = gated && hasShift ? load<f32>(h + o) : 0;
      let s: f32 = 0, t: f32 = 0;
      for (let r = 0; r < n; r++) {
        const at = <usize>r * stride + o;
        const d = load<f32>(rowX + at) - m;
        const g = gate1(gated, load<f32>(rowDy + at), d, kc, hc);
        s += g;
        t += g * d;
      }
      store<f32>(sumDy + o, load<f32>(sumDy + o) + s);
      store<f32>(sumDyXc + o, load<f32>(sumDyXc + o) + t);
    }
  }
}

export function channelGradSums(dy: usize, x: usize, mean: usize, sumDy: usize, sumDyXc: usize, rows: i32, cols: i32, gateScale: i32, gateShift: i32): void {
  const k = <usize>gateScale << 2;
  const h = <usize>gateShift << 2;
  dy <<= 2;
  x <<= 2;
  mean <<= 2;
  sumDy <<= 2;
  sumDyXc <<= 2;
  if (gateScale < 0) gradSums(false, false, dy, x, mean, 0, 0, sumDy, sumDyXc, rows, cols);
  else gradSums(true, gateShift >= 0, dy, x, mean, k, h, sumDy, sumDyXc, rows, cols);
}

/**
 * channelAffine, and with `relu` channelAffineRelu: one function (the relu a mask, not a branch)
 * rather than two copies, to keep the build small. Row by row, in memory order: the per-channel
 * vectors come from L1 on every row, which beat walking blocks of rows column group by column
 * group once the arrays outgrow the cache.
 */
function affine(relu: bool, x: usize, y: usize, center: i32, scale: usize, shift: i32, rows: i32, cols: i32): void {
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
      const zero = f32x4.splat(0);
      // Lanes the relu keeps whatever their value: all of them without relu, none with it.
      const keep = relu ? zero : i32x4.splat(-1);
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const v = hasCenter ? f32x4.sub(v128.load(xr + o), v128.load(cp + o)) : v128.load(xr + o);
        const a = madd(v, v128.load(scale + o), hasShift ? v128.load(sp + o) : zero);
        v128.store(yr + o, v128.and(a, v128.or(f32x4.gt(a, zero), keep)));
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      const v: f32 = hasCenter ? load<f32>(xr + o) - load<f32>(cp + o) : load<f32>(xr + o);
      const a = v * load<f32>(scale + o) + (hasShift ? load<f32>(sp + o) : 0);
      store<f32>(yr + o, relu && !(a > 0) ? 0 : a);
    }
  }
}

export function channelAffine(x: usize, y: usize, center: i32, scale: usize, shift: i32, rows: i32, cols: i32): void {
  affine(false, x, y, center, scale, shift, rows, cols);
}

export function channelAffineRelu(x: usize, y: usize, center: i32, scale: usize, shift: i32, rows: i32, cols: i32): void {
  affine(true, x, y, center, scale, shift, rows, cols);
}

/** channelCombine, row by row in memory order like affine, with or without the gate (a compile-time constant). */
@inline
function combine(gated: bool, hasShift: bool, a: usize, b: usize, center: usize, out: usize, p: usize, q: usize, shift: usize, k: usize, h: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * rowBytes;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f32x4.splat(0);
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const centered = f32x4.sub(v128.load(b + row + o), v128.load(center + o));
        const g = gate4(gated, v128.load(a + row + o), centered, gated ? v128.load(k + o) : zero, gated && hasShift ? v128.load(h + o) : zero);
        v128.store(out + row + o, madd(centered, v128.load(q + o), madd(g, v128.load(p + o), v128.load(shift + o))));
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      const centered = load<f32>(b + row + o) - load<f32>(center + o);
      const g = gate1(gated, load<f32>(a + row + o), centered, gated ? load<f32>(k + o) : 0, gated && hasShift ? load<f32>(h + o) : 0);
      store<f32>(out + row + o, g * load<f32>(p + o) + centered * load<f32>(q + o) + load<f32>(shift + o));
    }
  }
}

export function channelCombine(a: usize, b: usize, center: usize, out: usize, p: usize, q: usize, shift: usize, rows: i32, cols: i32, gateScale: i32, gateShift: i32): void {
  const k = <usize>gateScale << 2;
  const h = <usize>gateShift << 2;
  a <<= 2;
  b <<= 2;
  center <<= 2;
  out <<= 2;
  p <<= 2;
  q <<= 2;
  shift <<= 2;
  if (gateScale < 0) combine(false, false, a, b, center, out, p, q, shift, 0, 0, rows, cols);
  else combine(true, gateShift >= 0, a, b, center, out, p, q, shift, k, h, rows, cols);
}
