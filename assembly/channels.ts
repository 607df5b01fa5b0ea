// Per-channel kernels over a rows×cols matrix whose columns are channels (BatchNormalization).
// Pointers are element indices (byte address = ptr << 2). Every kernel makes one pass over its
// rows×cols inputs: at MNIST sizes they do not fit in cache, so each extra pass is a trip to memory.
import { madd, relu4 } from './simd';

// Column reductions run over blocks of this many rows: each group of channels reduces the block
// in registers and then adds that to its total, so the block's rows stay in L1 while every group
// sweeps them (one pass over memory for any channel count), and a column total gets one f32
// rounding per block instead of one per row.
const BLOCK_ROWS = 16;

/**
 * Merges a block's mean and sum of squared deviations (n rows) into the running ones of the `seen`
 * rows before it (Chan et al.): the running mean moves by δ·n/(seen + n) and the squares gain
 * δ²·seen·n/(seen + n), δ = block mean − running mean. No E[x²] − mean² cancellation.
 */
@inline
function mergeMoments(meanAt: usize, m2At: usize, blockM2: v128, blockMean: v128, seen: f32, n: f32): void {
  const total = seen + n;
  const mean = v128.load(meanAt);
  const delta = f32x4.sub(blockMean, mean);
  v128.store(meanAt, madd(delta, f32x4.splat(n / total), mean));
  const m2 = f32x4.add(v128.load(m2At), blockM2);
  v128.store(m2At, madd(f32x4.mul(delta, delta), f32x4.splat((seen * n) / total), m2));
}

/** One column's block of the moments, scalar: the ragged channels of the SIMD build, every channel of the plain one. */
@inline
function momentsColumn(rowX: usize, stride: usize, o: usize, mean: usize, m2: usize, n: i32, seen: f32): void {
  let s: f32 = 0;
  for (let r = 0; r < n; r++) s += load<f32>(rowX + <usize>r * stride + o);
  const bm = s / <f32>n;
  let q: f32 = 0;
  for (let r = 0; r < n; r++) {
    const d = load<f32>(rowX + <usize>r * stride + o) - bm;
    q += d * d;
  }
  const total = seen + <f32>n;
  const m = load<f32>(mean + o);
  const delta = bm - m;
  store<f32>(mean + o, m + (delta * <f32>n) / total);
  store<f32>(m2 + o, load<f32>(m2 + o) + q + (delta * delta * seen * <f32>n) / total);
}

export function channelMoments(x: usize, mean: usize, variance: usize, rows: i32, cols: i32): void {
  x <<= 2;
  mean <<= 2;
  variance <<= 2; // holds the running sum of squared deviations until the end
  const stride = <usize>cols << 2;
  memory.fill(mean, 0, stride);
  memory.fill(variance, 0, stride);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const n = min(BLOCK_ROWS, rows - r0);
    const rowX = x + <usize>r0 * stride;
    const seen = <f32>r0;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f32x4.splat(0);
      const inv = f32x4.splat(1 / <f32>n);
      // 8 channels at a time: the block's sum (first sweep, from memory), then the squares around
      // the block's mean (second sweep, from L1).
      for (; c + 8 <= cols; c += 8) {
        const o = <usize>c << 2;
        let s0 = zero, s1 = zero;
        let p = rowX + o;
        for (let r = 0; r < n; r++) {
          s0 = f32x4.add(s0, v128.load(p));
          s1 = f32x4.add(s1, v128.load(p, 16));
          p += stride;
        }
        const b0 = f32x4.mul(s0, inv), b1 = f32x4.mul(s1, inv);
        let q0 = zero, q1 = zero;
        p = rowX + o;
        for (let r = 0; r < n; r++) {
          const d0 = f32x4.sub(v128.load(p), b0);
          const d1 = f32x4.sub(v128.load(p, 16), b1);
          q0 = madd(d0, d0, q0);
          q1 = madd(d1, d1, q1);
          p += stride;
        }
        mergeMoments(mean + o, variance + o, q0, b0, seen, <f32>n);
        mergeMoments(mean + o + 16, variance + o + 16, q1, b1, seen, <f32>n);
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
        mergeMoments(mean + o, variance + o, q, b, seen, <f32>n);
      }
    }
    for (; c < cols; c++) momentsColumn(rowX, stride, <usize>c << 2, mean, variance, n, seen);
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

/** A vector of the optional per-channel shift: zeros when there is none. */
@inline
function shiftAt(hasShift: bool, p: usize): v128 {
  return hasShift ? v128.load(p) : f32x4.splat(0);
}

@inline
function gradSums(gated: bool, dy: usize, x: usize, mean: usize, k: usize, h: usize, hasShift: bool, sumDy: usize, sumDyXc: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  memory.fill(sumDy, 0, stride);
  memory.fill(sumDyXc, 0, stride);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const n = min(BLOCK_ROWS, rows - r0);
    const rowDy = dy + <usize>r0 * stride;
    const rowX = x + <usize>r0 * stride;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f32x4.splat(0);
      // 8 channels at a time: four independent sums whose additions overlap, and with the gate's
      // scale and shift still within V8's 16 vector registers.
      for (; c + 8 <= cols; c += 8) {
        const o = <usize>c << 2;
        const m0 = v128.load(mean + o), m1 = v128.load(mean + o, 16);
        const k0 = gated ? v128.load(k + o) : zero, k1 = gated ? v128.load(k + o, 16) : zero;
        const h0 = gated ? shiftAt(hasShift, h + o) : zero, h1 = gated ? shiftAt(hasShift, h + o + 16) : zero;
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
        const hv = gated ? shiftAt(hasShift, h + o) : zero;
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
  if (gateScale >= 0) gradSums(true, dy << 2, x << 2, mean << 2, k, h, gateShift >= 0, sumDy << 2, sumDyXc << 2, rows, cols);
  else gradSums(false, dy << 2, x << 2, mean << 2, 0, 0, false, sumDy << 2, sumDyXc << 2, rows, cols);
}

@inline
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
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const v = hasCenter ? f32x4.sub(v128.load(xr + o), v128.load(cp + o)) : v128.load(xr + o);
        const a = madd(v, v128.load(scale + o), shiftAt(hasShift, sp + o));
        v128.store(yr + o, relu ? relu4(a) : a);
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      const v: f32 = hasCenter ? load<f32>(xr + o) - load<f32>(cp + o) : load<f32>(xr + o);
      const t: f32 = hasShift ? load<f32>(sp + o) : 0;
      const a = v * load<f32>(scale + o) + t;
      store<f32>(yr + o, relu ? (a > 0 ? a : 0) : a);
    }
  }
}

export function channelAffine(x: usize, y: usize, center: i32, scale: usize, shift: i32, rows: i32, cols: i32): void {
  affine(false, x, y, center, scale, shift, rows, cols);
}

export function channelAffineRelu(x: usize, y: usize, center: i32, scale: usize, shift: i32, rows: i32, cols: i32): void {
  affine(true, x, y, center, scale, shift, rows, cols);
}

@inline
function combine(gated: bool, a: usize, b: usize, center: usize, out: usize, p: usize, q: usize, shift: usize, k: usize, h: usize, hasShift: bool, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * rowBytes;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f32x4.splat(0);
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const centered = f32x4.sub(v128.load(b + row + o), v128.load(center + o));
        const g = gate4(gated, v128.load(a + row + o), centered, gated ? v128.load(k + o) : zero, gated ? shiftAt(hasShift, h + o) : zero);
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
  if (gateScale >= 0) combine(true, a << 2, b << 2, center << 2, out << 2, p << 2, q << 2, shift << 2, k, h, gateShift >= 0, rows, cols);
  else combine(false, a << 2, b << 2, center << 2, out << 2, p << 2, q << 2, shift << 2, 0, 0, false, rows, cols);
}
