// Image augmentation kernels (Keras' Random* preprocessing layers) on NHWC batches.
// Pointers are element indices (byte address = ptr << 2). Sampling coordinates are computed in
// f64 from the f32 transforms, as the JS reference does, so both backends sample the same points
// (wrap mode jumps at the border: an f32 coordinate a rounding apart could land on the other
// side). Channels run 4 to a vector.

// Fill modes (keep in sync with FillMode in src/kernels/kernels.ts).
const CONSTANT = 0;
const NEAREST = 1;
const REFLECT = 2;
const WRAP = 3;

@inline
function clampTo(v: f64, lo: f64, hi: f64): f64 {
  return min(max(v, lo), hi);
}

/** TensorFlow's MapCoordinate: where coordinate v lands on an axis of `len` pixels. */
function mapCoordinate(v: f64, len: i32, mode: i32): f64 {
  const last = <f64>(len - 1);
  // Inside the image every mode leaves the coordinate as it is.
  if (v >= 0 && v <= last) return v;
  if (mode == CONSTANT) return clampTo(v, -2, <f64>len + 1);
  if (mode == NEAREST || len <= 1) return clampTo(v, 0, last);
  let u = v;
  const size = <f64>len;
  if (mode == REFLECT) {
    const period = 2 * size;
    if (u < 0) {
      if (u < period) u += period * trunc<f64>(-u / period);
      u = u < -size ? u + period : -u - 1;
    } else {
      u -= period * trunc<f64>(u / period);
      if (u >= size) u = period - u - 1;
    }
  } else if (mode == WRAP) {
    if (u < 0) u += size * (trunc<f64>(-u / last) + 1);
    else u -= size * trunc<f64>(u / last);
  }
  return clampTo(u, 0, last);
}

/** See Kernels.affineWarp. */
export function affineWarp(x: usize, y: usize, transforms: usize, n: i32, h: i32, w: i32, c: i32, fillMode: i32, fillValue: f32): void {
  const pixel = <usize>c << 2;
  const imageBytes = <usize>h * <usize>w * pixel;
  const rowBytes = <usize>w * pixel;
  for (let b = 0; b < n; b++) {
    const t = (transforms << 2) + <usize>b * 24;
    const t0 = <f64>load<f32>(t), t1 = <f64>load<f32>(t, 4), t2 = <f64>load<f32>(t, 8);
    const t3 = <f64>load<f32>(t, 12), t4 = <f64>load<f32>(t, 16), t5 = <f64>load<f32>(t, 20);
    const image = (x << 2) + <usize>b * imageBytes;
    // With a constant fill of 0, a sample more than a pixel beyond the box around the image's
    // nonzero values reads four zeros, so only each row's stretch that can reach the box is
    // sampled and the rest is written as the 0 the reference computes there. Digits (ink on a
    // dark ground) leave about half of every warp's pixels out (bench/augment-kernels.ts).
    const box = fillMode == CONSTANT && fillValue == 0 && isFinite(t0 + t1 + t2 + t3 + t4 + t5) ? inkBox(image, h, w, c) : WHOLE_IMAGE;
    for (let oy = 0; oy < h; oy++) {
      const row = (y << 2) + <usize>b * imageBytes + <usize>oy * rowBytes;
      let from = 0, to = w;
      if (box == NO_INK) to = 0;
      else if (box == PART) {
        rowReach(oy, w, t0, t1, t2, t3, t4, t5);
        from = reachFrom;
        to = reachTo;
      }
      zero(row, <usize>from * pixel);
      zero(row + <usize>to * pixel, <usize>(w - to) * pixel);
      let ox = from;
      if (ASC_FEATURE_SIMD && c == 1) {
        // One channel (greyscale digits): four output pixels at a time, where all their
        // neighbours are inside the image or the fill is a constant; the others take the
        // general path below.
        for (; ox + 4 <= to; ox += 4) {
          const out = row + (<usize>ox << 2);
          if (!warpFour(image, out, ox, oy, w, h, t0, t1, t2, t3, t4, t5, fillMode, fillValue)) {
            for (let k = 0; k < 4; k++) warpPixel(image, out + (<usize>k << 2), ox + k, oy, w, h, c, t0, t1, t2, t3, t4, t5, fillMode, fillValue);
          }
        }
      }
      for (; ox < to; ox++) warpPixel(image, row + <usize>ox * pixel, ox, oy, w, h, c, t0, t1, t2, t3, t4, t5, fillMode, fillValue);
    }
  }
}

/** Writes `bytes` (a multiple of 4) zero bytes at `at`: a few floats a row, where memory.fill's call costs more than the stores. */
@inline
function zero(at: usize, bytes: usize): void {
  const end = at + bytes;
  if (ASC_FEATURE_SIMD) for (; at + 16 <= end; at += 16) v128.store(at, i32x4.splat(0));
  for (; at < end; at += 4) store<f32>(at, 0);
}

// inkBox's box and rowReach's stretch: module globals, as a function returns one value (each
// thread runs its own instance, so its own globals).
let boxX0: f64 = 0, boxX1: f64 = 0, boxY0: f64 = 0, boxY1: f64 = 0;
let spanLo: f64 = 0, spanHi: f64 = 0;
let reachFrom: i32 = 0, reachTo: i32 = 0;
/** rowReach's allowance for the rounding of its stretch's ends against the per-pixel coordinates (both f64, from the same f32 transform). */
const SPARE: f64 = 1e-6;

// What inkBox found: no nonzero value, a box of them smaller than the image, or the whole image.
const NO_INK = 0;
const PART = 1;
const WHOLE_IMAGE = 2;

/** Sets the box of the image's nonzero values (columns boxX0..boxX1, rows boxY0..boxY1) and says what it covers. */
function inkBox(image: usize, h: i32, w: i32, c: i32): i32 {
  const rowValues = w * c;
  let x0 = w, x1 = -1, y0 = h, y1 = -1;
  for (let yy = 0; yy < h; yy++) {
    const row = image + (<usize>(yy * rowValues) << 2);
    let first = 0;
    while (first < rowValues && load<f32>(row + (<usize>first << 2)) == 0) first++;
    if (first == rowValues) continue;
    let last = rowValues - 1;
    while (load<f32>(row + (<usize>last << 2)) == 0) last--;
    if (y0 == h) y0 = yy;
    y1 = yy;
    x0 = min(x0, first / c);
    x1 = max(x1, last / c);
  }
  boxX0 = <f64>x0;
  boxX1 = <f64>x1;
  boxY0 = <f64>y0;
  boxY1 = <f64>y1;
  if (y1 < 0) return NO_INK;
  return x0 == 0 && x1 == w - 1 && y0 == 0 && y1 == h - 1 ? WHOLE_IMAGE : PART;
}

/**
 * Sets [reachFrom, reachTo): the output pixels of row oy whose sample (x, y) = (t0·ox + t1·oy + t2,
 * t3·ox + t4·oy + t5) lies within a pixel of reading the box (bilinear sampling reads floor(p)
 * and floor(p) + 1, so a sample reads the box when boxX0 − 1 ≤ x < boxX1 + 1, and alike in y), give or
 * take SPARE. Pixels outside read only zeros.
 */
function rowReach(oy: i32, w: i32, t0: f64, t1: f64, t2: f64, t3: f64, t4: f64, t5: f64): void {
  spanLo = 0;
  spanHi = <f64>w;
  narrow(t0, t1 * <f64>oy + t2, boxX0 - 1 - SPARE, boxX1 + 1 + SPARE);
  narrow(t3, t4 * <f64>oy + t5, boxY0 - 1 - SPARE, boxY1 + 1 + SPARE);
  if (spanHi <= spanLo) {
    reachFrom = reachTo = 0;
  } else {
    reachFrom = <i32>floor(spanLo);
    reachTo = <i32>min(ceil(spanHi), <f64>w);
  }
}

/** Narrows [spanLo, spanHi] to the ox with lo < a·ox + b < hi. */
@inline
function narrow(a: f64, b: f64, lo: f64, hi: f64): void {
  if (a > 0) {
    spanLo = max(spanLo, (lo - b) / a);
    spanHi = min(spanHi, (hi - b) / a);
  } else if (a < 0) {
    spanLo = max(spanLo, (hi - b) / a);
    spanHi = min(spanHi, (lo - b) / a);
  } else if (!(b > lo && b < hi)) {
    spanHi = spanLo;
  }
}

/**
 * One output pixel, every channel, any fill mode. Not inlined (nor samplePoint, mapCoordinate):
 * one copy keeps the build small (test/bundle-size.test.ts), and the four-pixel path takes most
 * pixels of one-channel images.
 */
function warpPixel(image: usize, out: usize, ox: i32, oy: i32, w: i32, h: i32, c: i32, t0: f64, t1: f64, t2: f64, t3: f64, t4: f64, t5: f64, fillMode: i32, fillValue: f32): void {
  // The same operations in the same order as the reference: identical float64 coordinates.
  samplePoint(image, out, t0 * <f64>ox + t1 * <f64>oy + t2, t3 * <f64>ox + t4 * <f64>oy + t5, w, h, c, fillMode, fillValue);
}

/**
 * Every channel of the image at the input point (x, y), mapped by the fill mode, bilinear; the
 * sampling step of affineWarp and elasticWarp.
 */
export function samplePoint(image: usize, out: usize, x: f64, y: f64, w: i32, h: i32, c: i32, fillMode: i32, fillValue: f32): void {
  const pixel = <usize>c << 2;
  const px = mapCoordinate(x, w, fillMode);
  const py = mapCoordinate(y, h, fillMode);
  const fx = floor<f64>(px);
  const fy = floor<f64>(py);
  // Coordinates are within [−2, len + 1] here, so the conversions cannot overflow.
  const x0 = <i32>fx, y0 = <i32>fy;
  const wx0 = <f32>(fx + 1 - px), wx1 = <f32>(px - fx);
  const wy0 = <f32>(fy + 1 - py), wy1 = <f32>(py - fy);
  const inX0 = x0 >= 0 && x0 < w, inX1 = x0 + 1 >= 0 && x0 + 1 < w;
  const inY0 = y0 >= 0 && y0 < h, inY1 = y0 + 1 >= 0 && y0 + 1 < h;
  // Byte addresses of the four neighbours, or 0 for one outside the image (reads fillValue).
  const row0 = image + <usize>(y0 * w) * pixel;
  const row1 = row0 + <usize>w * pixel;
  const p00: usize = inY0 && inX0 ? row0 + <usize>x0 * pixel : 0;
  const p01: usize = inY0 && inX1 ? row0 + <usize>(x0 + 1) * pixel : 0;
  const p10: usize = inY1 && inX0 ? row1 + <usize>x0 * pixel : 0;
  const p11: usize = inY1 && inX1 ? row1 + <usize>(x0 + 1) * pixel : 0;
  samplePixel(p00, p01, p10, p11, out, c, wx0, wx1, wy0, wy1, fillValue);
}

/**
 * Output pixels ox..ox+3 of row oy of a one-channel image, by the reference's operations
 * (coordinates in f64x2, two pixels per vector), sampled by sampleFour.
 */
@inline
function warpFour(image: usize, out: usize, ox: i32, oy: i32, w: i32, h: i32, t0: f64, t1: f64, t2: f64, t3: f64, t4: f64, t5: f64, fillMode: i32, fill: f32): bool {
  const xa = f64x2(<f64>ox, <f64>(ox + 1));
  const xb = f64x2(<f64>(ox + 2), <f64>(ox + 3));
  const rowX = f64x2.splat(t1 * <f64>oy), rowY = f64x2.splat(t4 * <f64>oy);
  const vt0 = f64x2.splat(t0), vt2 = f64x2.splat(t2), vt3 = f64x2.splat(t3), vt5 = f64x2.splat(t5);
  const pxa = f64x2.add(f64x2.add(f64x2.mul(vt0, xa), rowX), vt2);
  const pxb = f64x2.add(f64x2.add(f64x2.mul(vt0, xb), rowX), vt2);
  const pya = f64x2.add(f64x2.add(f64x2.mul(vt3, xa), rowY), vt5);
  const pyb = f64x2.add(f64x2.add(f64x2.mul(vt3, xb), rowY), vt5);
  return sampleFour(image, out, pxa, pxb, pya, pyb, w, h, fillMode, fill);
}

/**
 * Four one-channel output pixels at the input points (pxa, pya) and (pxb, pyb) (two per f64x2),
 * as samplePoint computes each (warpFour's sampling step). When all four sample strictly inside (0 ≤ x < w − 1,
 * 0 ≤ y < h − 1) no fill mode applies and the neighbours are read as they are; otherwise only the
 * constant mode is done here: coordinates clamped to [−2, len + 1] as the reference does,
 * neighbours read at addresses clamped into the image and replaced by the fill value where they
 * lie outside. Returns false, writing nothing, for the other modes.
 */
function sampleFour(image: usize, out: usize, pxa: v128, pxb: v128, pya: v128, pyb: v128, w: i32, h: i32, fillMode: i32, fill: f32): bool {
  const zero = f64x2.splat(0);
  const maxX = f64x2.splat(<f64>(w - 1)), maxY = f64x2.splat(<f64>(h - 1));
  const inside = i64x2.all_true(v128.and(
    v128.and(v128.and(f64x2.ge(pxa, zero), f64x2.lt(pxa, maxX)), v128.and(f64x2.ge(pxb, zero), f64x2.lt(pxb, maxX))),
    v128.and(v128.and(f64x2.ge(pya, zero), f64x2.lt(pya, maxY)), v128.and(f64x2.ge(pyb, zero), f64x2.lt(pyb, maxY))),
  ));
  if (!inside) {
    if (fillMode != CONSTANT) return false;
    const lo = f64x2.splat(-2), hiX = f64x2.splat(<f64>w + 1), hiY = f64x2.splat(<f64>h + 1);
    pxa = f64x2.min(f64x2.max(pxa, lo), hiX);
    pxb = f64x2.min(f64x2.max(pxb, lo), hiX);
    pya = f64x2.min(f64x2.max(pya, lo), hiY);
    pyb = f64x2.min(f64x2.max(pyb, lo), hiY);
  }
  const fxa = f64x2.floor(pxa), fxb = f64x2.floor(pxb), fya = f64x2.floor(pya), fyb = f64x2.floor(pyb);
  const one = f64x2.splat(1);
  // The four pixels' weights as f32x4: each f64x2 pair demoted into the low half, halves joined.
  const wx1 = join(f64x2.sub(pxa, fxa), f64x2.sub(pxb, fxb));
  const wx0 = join(f64x2.sub(f64x2.add(fxa, one), pxa), f64x2.sub(f64x2.add(fxb, one), pxb));
  const wy1 = join(f64x2.sub(pya, fya), f64x2.sub(pyb, fyb));
  const wy0 = join(f64x2.sub(f64x2.add(fya, one), pya), f64x2.sub(f64x2.add(fyb, one), pyb));
  const x0 = i64x2.shuffle(i32x4.trunc_sat_f64x2_s_zero(fxa), i32x4.trunc_sat_f64x2_s_zero(fxb), 0, 2);
  const y0 = i64x2.shuffle(i32x4.trunc_sat_f64x2_s_zero(fya), i32x4.trunc_sat_f64x2_s_zero(fyb), 0, 2);
  let v00: v128, v01: v128, v10: v128, v11: v128;
  if (inside) {
    const at = i32x4.shl(i32x4.add(i32x4.mul(y0, i32x4.splat(w)), x0), 2);
    const row = <usize>w << 2;
    const p0 = image + <usize>i32x4.extract_lane(at, 0), p1 = image + <usize>i32x4.extract_lane(at, 1);
    const p2 = image + <usize>i32x4.extract_lane(at, 2), p3 = image + <usize>i32x4.extract_lane(at, 3);
    v00 = f32x4(load<f32>(p0), load<f32>(p1), load<f32>(p2), load<f32>(p3));
    v01 = f32x4(load<f32>(p0, 4), load<f32>(p1, 4), load<f32>(p2, 4), load<f32>(p3, 4));
    v10 = f32x4(load<f32>(p0 + row), load<f32>(p1 + row), load<f32>(p2 + row), load<f32>(p3 + row));
    v11 = f32x4(load<f32>(p0 + row, 4), load<f32>(p1 + row, 4), load<f32>(p2 + row, 4), load<f32>(p3 + row, 4));
  } else {
    const x1 = i32x4.add(x0, i32x4.splat(1)), y1 = i32x4.add(y0, i32x4.splat(1));
    const wv = i32x4.splat(w), hv = i32x4.splat(h);
    const inX0 = inRange(x0, wv), inX1 = inRange(x1, wv), inY0 = inRange(y0, hv), inY1 = inRange(y1, hv);
    const rows0 = i32x4.mul(clampIndex(y0, h), wv), rows1 = i32x4.mul(clampIndex(y1, h), wv);
    const cx0 = clampIndex(x0, w), cx1 = clampIndex(x1, w);
    const fill4 = f32x4.splat(fill);
    v00 = v128.bitselect(gather(image, i32x4.add(rows0, cx0)), fill4, v128.and(inY0, inX0));
    v01 = v128.bitselect(gather(image, i32x4.add(rows0, cx1)), fill4, v128.and(inY0, inX1));
    v10 = v128.bitselect(gather(image, i32x4.add(rows1, cx0)), fill4, v128.and(inY1, inX0));
    v11 = v128.bitselect(gather(image, i32x4.add(rows1, cx1)), fill4, v128.and(inY1, inX1));
  }
  const top = f32x4.add(f32x4.mul(wx0, v00), f32x4.mul(wx1, v01));
  const bottom = f32x4.add(f32x4.mul(wx0, v10), f32x4.mul(wx1, v11));
  v128.store(out, f32x4.add(f32x4.mul(wy0, top), f32x4.mul(wy1, bottom)));
  return true;
}

/** Lanes of i with 0 ≤ i < len, as all-ones masks. */
@inline
function inRange(i: v128, len: v128): v128 {
  return v128.and(i32x4.ge_s(i, i32x4.splat(0)), i32x4.lt_s(i, len));
}

@inline
function clampIndex(i: v128, len: i32): v128 {
  return i32x4.min_s(i32x4.max_s(i, i32x4.splat(0)), i32x4.splat(len - 1));
}

/** The floats at image + 4·index for the four lanes of index. */
@inline
function gather(image: usize, index: v128): v128 {
  const at = i32x4.shl(index, 2);
  return f32x4(
    load<f32>(image + <usize>i32x4.extract_lane(at, 0)), load<f32>(image + <usize>i32x4.extract_lane(at, 1)),
    load<f32>(image + <usize>i32x4.extract_lane(at, 2)), load<f32>(image + <usize>i32x4.extract_lane(at, 3)),
  );
}

/** Two f64x2 as one f32x4: a's lanes, then b's. */
@inline
function join(a: v128, b: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 2);
}

/** out[ch] = wy0·(wx0·v00 + wx1·v01) + wy1·(wx0·v10 + wx1·v11) over the channels; a 0 address reads fill. */
@inline
function samplePixel(p00: usize, p01: usize, p10: usize, p11: usize, out: usize, c: i32, wx0: f32, wx1: f32, wy0: f32, wy1: f32, fill: f32): void {
  let ch = 0;
  if (ASC_FEATURE_SIMD && c >= 4) {
    const fill4 = f32x4.splat(fill);
    const ax0 = f32x4.splat(wx0), ax1 = f32x4.splat(wx1), ay0 = f32x4.splat(wy0), ay1 = f32x4.splat(wy1);
    for (; ch + 4 <= c; ch += 4) {
      const off = <usize>ch << 2;
      const v00 = p00 ? v128.load(p00 + off) : fill4;
      const v01 = p01 ? v128.load(p01 + off) : fill4;
      const v10 = p10 ? v128.load(p10 + off) : fill4;
      const v11 = p11 ? v128.load(p11 + off) : fill4;
      const top = f32x4.add(f32x4.mul(ax0, v00), f32x4.mul(ax1, v01));
      const bottom = f32x4.add(f32x4.mul(ax0, v10), f32x4.mul(ax1, v11));
      v128.store(out + off, f32x4.add(f32x4.mul(ay0, top), f32x4.mul(ay1, bottom)));
    }
  }
  for (; ch < c; ch++) {
    const off = <usize>ch << 2;
    const v00 = p00 ? load<f32>(p00 + off) : fill;
    const v01 = p01 ? load<f32>(p01 + off) : fill;
    const v10 = p10 ? load<f32>(p10 + off) : fill;
    const v11 = p11 ? load<f32>(p11 + off) : fill;
    store<f32>(out + off, wy0 * (wx0 * v00 + wx1 * v01) + wy1 * (wx0 * v10 + wx1 * v11));
  }
}

/** See Kernels.adjustContrast: per image and channel, y = clamp((x − mean)·factor + mean, lo, hi). */
export function adjustContrast(x: usize, y: usize, factors: usize, n: i32, pixels: i32, c: i32, lo: f32, hi: f32): void {
  const pixel = <usize>c << 2;
  for (let b = 0; b < n; b++) {
    const first = <usize>b * <usize>pixels * pixel;
    const factor = load<f32>((factors << 2) + (<usize>b << 2));
    for (let ch = 0; ch < c; ch++) {
      const start = first + (<usize>ch << 2);
      let sum: f64 = 0;
      for (let p = 0; p < pixels; p++) sum += <f64>load<f32>((x << 2) + start + <usize>p * pixel);
      const mean = <f32>(sum / <f64>pixels);
      for (let p = 0; p < pixels; p++) {
        const at = start + <usize>p * pixel;
        const v = (load<f32>((x << 2) + at) - mean) * factor + mean;
        store<f32>((y << 2) + at, min(max(v, lo), hi));
      }
    }
  }
}
