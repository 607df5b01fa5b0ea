// Depthwise convolution over NHWC batches (DepthwiseConv2D, and the first half of
// SeparableConv2D): every input channel ch has its own `m` filters (the depth multiplier), and
// output channel ch·m+j is Σ over the window of x[.., ch]·w[ky, kx, ch, j]. There is no sum over
// channels, so no GEMM to hand it to: the kernels walk the window taps of one pixel and run along
// the channels, which are contiguous in NHWC in x, y and the [kh, kw, c, m] kernel alike. With
// m = 1 (MobileNet's case) the three are aligned channel for channel and every tap is a SIMD
// multiply-add of whole channel vectors. With other multipliers the forward pass and the kernel
// gradient swizzle each output lane's input channel into place, and the input gradient sums the
// products of every output channel as m = 1 does and then each channel's m of them.
//
// The taps a pixel reads are listed as pairs of byte offsets (into the pixel source, into the
// kernel) in `taps`, the caller's scratch: the forward pass and the input gradient then share the
// one accumulation loop, and that loop has no bounds checks. Pixels whose window lies wholly in
// the image (most of them) share one list of every tap, relative to the window's corner, made
// once per call; only border pixels list theirs one by one. Pointers are element indices (byte
// address = ptr << 2), as everywhere in assembly/; offsets may be negative (i32, wrapping adds).
import { loadLanes, madd, storeLanes } from './simd';

/** Bytes one listed tap takes in the scratch: two i32 byte offsets. */
const TAP_BYTES: usize = 8;

/**
 * Lists all kh×kw taps with source offsets ky·stepY + kx·stepX (bytes) and kernel rows of outC
 * values: the list every interior pixel shares. Returns kh·kw.
 */
function fullTaps(taps: usize, stepY: i32, stepX: i32, kh: i32, kw: i32, outC: i32): i32 {
  let at = taps;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      store<i32>(at, ky * stepY + kx * stepX);
      store<i32>(at, ((ky * kw + kx) * outC) << 2, 4);
      at += TAP_BYTES;
    }
  }
  return kh * kw;
}

/**
 * Lists the taps of the window at (iy0, ix0), taps dh rows and dw columns apart, that fall inside
 * the h×wd image: for each, the byte offset of its pixel in an image with c channels and that of
 * its kernel row (ky, kx) in a kernel of outC values per row. Returns how many.
 */
@inline
function windowTaps(taps: usize, iy0: i32, ix0: i32, h: i32, wd: i32, c: i32, kh: i32, kw: i32, dh: i32, dw: i32, outC: i32): i32 {
  let count = 0;
  for (let ky = 0; ky < kh; ky++) {
    const iy = iy0 + ky * dh;
    if (iy < 0 || iy >= h) continue;
    for (let kx = 0; kx < kw; kx++) {
      const ix = ix0 + kx * dw;
      if (ix < 0 || ix >= wd) continue;
      const at = taps + <usize>count * TAP_BYTES;
      store<i32>(at, ((iy * wd + ix) * c) << 2);
      store<i32>(at, ((ky * kw + kx) * outC) << 2, 4);
      count++;
    }
  }
  return count;
}

/**
 * Lists the output pixels (of an oh×ow map with outC channels) whose windows read input pixel
 * (iy, ix), with the kernel row each reads it through: output oy reads row oy·sh + ky·dh − padTop.
 */
@inline
function inputTaps(
  taps: usize, iy: i32, ix: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32, outC: i32,
): i32 {
  let count = 0;
  for (let ky = 0; ky < kh; ky++) {
    const ty = iy + padTop - ky * dh;
    if (ty < 0) break; // ty only falls as ky grows
    let oy = ty;
    if (sh != 1) {
      if (ty % sh != 0) continue;
      oy = ty / sh;
    }
    if (oy >= oh) continue;
    for (let kx = 0; kx < kw; kx++) {
      const tx = ix + padLeft - kx * dw;
      if (tx < 0) break;
      let ox = tx;
      if (sw != 1) {
        if (tx % sw != 0) continue;
        ox = tx / sw;
      }
      if (ox >= ow) continue;
      const at = taps + <usize>count * TAP_BYTES;
      store<i32>(at, ((oy * ow + ox) * outC) << 2);
      store<i32>(at, ((ky * kw + kx) * outC) << 2, 4);
      count++;
    }
  }
  return count;
}

/** dst[o] = Σ over the listed taps t of src[t.src + o]·w[t.w + o], for o < channels (src, w, dst: bytes). */
function sumTapsAligned(dst: usize, src: usize, w: usize, taps: usize, count: i32, channels: i32): void {
  const end = taps + <usize>count * TAP_BYTES;
  let o: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    // Four accumulators in flight: one would wait on the previous multiply-add every tap.
    for (; o + 16 <= channels; o += 16) {
      const off = <usize>o << 2;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      for (let t = taps; t < end; t += TAP_BYTES) {
        const s = src + <usize>load<i32>(t) + off;
        const k = w + <usize>load<i32>(t, 4) + off;
        a0 = madd(v128.load(s), v128.load(k), a0);
        a1 = madd(v128.load(s, 16), v128.load(k, 16), a1);
        a2 = madd(v128.load(s, 32), v128.load(k, 32), a2);
        a3 = madd(v128.load(s, 48), v128.load(k, 48), a3);
      }
      v128.store(dst + off, a0);
      v128.store(dst + off, a1, 16);
      v128.store(dst + off, a2, 32);
      v128.store(dst + off, a3, 48);
    }
    for (; o < channels; o += 4) {
      const off = <usize>o << 2;
      const lanes = channels - o;
      let a = f32x4.splat(0);
      for (let t = taps; t < end; t += TAP_BYTES) {
        a = madd(loadLanes(src + <usize>load<i32>(t) + off, lanes), loadLanes(w + <usize>load<i32>(t, 4) + off, lanes), a);
      }
      storeLanes(dst + off, a, lanes);
    }
    return;
  }
  for (; o < channels; o++) {
    const off = <usize>o << 2;
    let a: f32 = 0;
    for (let t = taps; t < end; t += TAP_BYTES) a += load<f32>(src + <usize>load<i32>(t) + off) * load<f32>(w + <usize>load<i32>(t, 4) + off);
    store<f32>(dst + off, a);
  }
}

/**
 * With multiplier m, outputs o..o+3 need input channels (o + l)/m, which lie among the four
 * consecutive channels from `first` = min(o/m, c − 4) (kept inside the pixel); a swizzle puts each
 * lane's channel in place from a vector loaded there. Writes, at `picks`, that swizzle (a v128)
 * for every whole group of four outputs, then each group's `first` as a byte offset (i32), the
 * same for every pixel, so the kernels make them once per call. Returns the number of groups:
 * 0 in builds without SIMD and for fewer than 4 channels (the scalar loops take those).
 */
function writeLanePicks(picks: usize, c: i32, m: i32): i32 {
  if (!ASC_FEATURE_SIMD || c < 4) return 0;
  const groups = (c * m) >> 2;
  const firsts = picks + (<usize>groups << 4);
  for (let group = 0; group < groups; group++) {
    const o = group << 2;
    const first = min(o / m, c - 4);
    let channel = i32x4.splat(o / m - first);
    channel = i32x4.replace_lane(channel, 1, (o + 1) / m - first);
    channel = i32x4.replace_lane(channel, 2, (o + 2) / m - first);
    channel = i32x4.replace_lane(channel, 3, (o + 3) / m - first);
    // Channel k's float is bytes 4k..4k+3 of the loaded vector.
    v128.store(picks + (<usize>group << 4), i32x4.add(i32x4.mul(channel, i32x4.splat(0x04040404)), i32x4.splat(0x03020100)));
    store<i32>(firsts + (<usize>group << 2), first << 2);
  }
  return groups;
}

/** Forward with multiplier m: dst[o] = Σ_t x[t.src + o/m]·w[t.w + o] for o < c·m (output o = ch·m + j). */
function sumTapsMultiplied(dst: usize, x: usize, w: usize, taps: usize, count: i32, c: i32, m: i32, picks: usize, groups: i32): void {
  const end = taps + <usize>count * TAP_BYTES;
  const outC = c * m;
  let o = 0;
  if (ASC_FEATURE_SIMD) {
    // Outputs o..o+3 at a time, each lane's channel swizzled into place (writeLanePicks); the
    // ragged last outputs take the loop below.
    const firsts = picks + (<usize>groups << 4);
    for (let group = 0; group < groups; group++, o += 4) {
      const pick = v128.load(picks + (<usize>group << 4));
      const xOff = <usize>load<i32>(firsts + (<usize>group << 2));
      const wOff = <usize>o << 2;
      let a = f32x4.splat(0);
      for (let t = taps; t < end; t += TAP_BYTES) {
        a = madd(i8x16.swizzle(v128.load(x + <usize>load<i32>(t) + xOff), pick), v128.load(w + <usize>load<i32>(t, 4) + wOff), a);
      }
      v128.store(dst + wOff, a);
    }
  }
  for (; o < outC; o++) {
    const xOff = <usize>(o / m) << 2;
    const wOff = <usize>o << 2;
    let a: f32 = 0;
    for (let t = taps; t < end; t += TAP_BYTES) a += load<f32>(x + <usize>load<i32>(t) + xOff) * load<f32>(w + <usize>load<i32>(t, 4) + wOff);
    store<f32>(dst + wOff, a);
  }
}

/**
 * Input gradient with multiplier m: dx[ch] = Σ_t Σ_j dy[t.src + ch·m+j]·w[t.w + ch·m+j]. SIMD
 * builds sum over the taps for every output channel first (sumTapsAligned's vectors, into
 * `sums`: scratch of c·m floats), then over each channel's m outputs.
 */
function sumTapsReduced(dx: usize, dy: usize, w: usize, taps: usize, count: i32, c: i32, m: i32, sums: usize): void {
  if (ASC_FEATURE_SIMD) {
    sumTapsAligned(sums, dy, w, taps, count, c * m);
    for (let ch = 0; ch < c; ch++) {
      const row = sums + (<usize>(ch * m) << 2);
      let a: f32 = 0;
      for (let j = 0; j < m; j++) a += load<f32>(row + (<usize>j << 2));
      store<f32>(dx + (<usize>ch << 2), a);
    }
    return;
  }
  const end = taps + <usize>count * TAP_BYTES;
  for (let ch = 0; ch < c; ch++) {
    let a: f32 = 0;
    for (let t = taps; t < end; t += TAP_BYTES) {
      const s = dy + <usize>load<i32>(t) + (<usize>(ch * m) << 2);
      const k = w + <usize>load<i32>(t, 4) + (<usize>(ch * m) << 2);
      for (let j = 0; j < m; j++) a += load<f32>(s + (<usize>j << 2)) * load<f32>(k + (<usize>j << 2));
    }
    store<f32>(dx + (<usize>ch << 2), a);
  }
}

/** Whether a window starting at (iy0, ix0) and spanning (kh−1)·dh+1 × (kw−1)·dw+1 pixels lies wholly in the h×wd image. */
@inline
function inside(iy0: i32, ix0: i32, h: i32, wd: i32, kh: i32, kw: i32, dh: i32, dw: i32): bool {
  return iy0 >= 0 && ix0 >= 0 && iy0 + (kh - 1) * dh < h && ix0 + (kw - 1) * dw < wd;
}

/**
 * y [n·oh·ow, c·m] = the depthwise convolution of x by w (see the Kernels contract); taps: scratch
 * of 16 bytes per window tap and, with m > 1, 20 bytes per four output channels more (the input
 * gradient: c·m floats more).
 */
export function depthwiseConv2d(
  x: usize, w: usize, y: usize,
  n: i32, h: i32, wd: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  dh: i32, dw: i32, m: i32, taps: usize,
): void {
  x <<= 2;
  w <<= 2;
  let out = y << 2;
  const outC = c * m;
  const pixelBytes = <usize>outC << 2;
  const all = fullTaps(taps, (dh * wd * c) << 2, (dw * c) << 2, kh, kw, outC);
  const border = taps + <usize>all * TAP_BYTES;
  // After the two tap lists (at most kh·kw taps each).
  const picks = taps + <usize>(kh * kw) * 2 * TAP_BYTES;
  const groups = m > 1 ? writeLanePicks(picks, c, m) : 0;
  for (let b = 0; b < n; b++) {
    const image = x + (<usize>(b * h * wd * c) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * sh - padTop;
      for (let ox = 0; ox < ow; ox++) {
        const ix0 = ox * sw - padLeft;
        // An interior window reads the shared list from its corner; a border one lists its taps from the image's start.
        const interior = inside(iy0, ix0, h, wd, kh, kw, dh, dw);
        const src = interior ? image + <usize>(((iy0 * wd + ix0) * c) << 2) : image;
        const list = interior ? taps : border;
        const count = interior ? all : windowTaps(border, iy0, ix0, h, wd, c, kh, kw, dh, dw, outC);
        if (m == 1) sumTapsAligned(out, src, w, list, count, c);
        else sumTapsMultiplied(out, src, w, list, count, c, m, picks, groups);
        out += pixelBytes;
      }
    }
  }
}

/** dx [n, h, w, c] = the gradient of depthwiseConv2d with respect to x, each input pixel gathered from the outputs it fed. */
export function depthwiseConv2dBackwardInput(
  dy: usize, w: usize, dx: usize,
  n: i32, h: i32, wd: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  dh: i32, dw: i32, m: i32, taps: usize,
): void {
  dy <<= 2;
  w <<= 2;
  let out = dx << 2;
  const outC = c * m;
  const pixelBytes = <usize>c << 2;
  // With stride 1, input pixel (iy, ix) is read by output (iy + padTop − ky·dh, ix + padLeft − kx·dw):
  // the shared list walks back from that anchor. Strided layers list every pixel's taps.
  const strided = sh != 1 || sw != 1;
  const all = strided ? 0 : fullTaps(taps, -((dh * ow * outC) << 2), -((dw * outC) << 2), kh, kw, outC);
  const border = taps + <usize>all * TAP_BYTES;
  // After the two tap lists (at most kh·kw taps each).
  const sums = taps + <usize>(kh * kw) * 2 * TAP_BYTES;
  for (let b = 0; b < n; b++) {
    const grads = dy + (<usize>(b * oh * ow * outC) << 2);
    for (let iy = 0; iy < h; iy++) {
      const ay = iy + padTop;
      for (let ix = 0; ix < wd; ix++) {
        const ax = ix + padLeft;
        const interior = !strided && inside(ay - (kh - 1) * dh, ax - (kw - 1) * dw, oh, ow, kh, kw, dh, dw);
        const src = interior ? grads + <usize>(((ay * ow + ax) * outC) << 2) : grads;
        const list = interior ? taps : border;
        const count = interior ? all : inputTaps(border, iy, ix, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow, outC);
        if (m == 1) sumTapsAligned(out, src, w, list, count, c);
        else sumTapsReduced(out, src, w, list, count, c, m, sums);
        out += pixelBytes;
      }
    }
  }
}

/**
 * Kernel gradient with multiplier m at one output pixel: dst[t.w + o] += x[t.src + o/m]·dy[o] for
 * o < c·m over the listed taps (base: the taps' pixel source; all bytes). SIMD builds take outputs
 * four at a time with the forward pass's swizzles (writeLanePicks), so the dy vector and its
 * swizzle stay in registers across the taps.
 */
@inline
function addTapProductsMultiplied(dwOut: usize, base: usize, grad: usize, list: usize, count: i32, c: i32, m: i32, picks: usize, groups: i32): void {
  const end = list + <usize>count * TAP_BYTES;
  const outC = c * m;
  let o = 0;
  if (ASC_FEATURE_SIMD) {
    const firsts = picks + (<usize>groups << 4);
    for (let group = 0; group < groups; group++, o += 4) {
      const pick = v128.load(picks + (<usize>group << 4));
      const src = base + <usize>load<i32>(firsts + (<usize>group << 2));
      const wOff = <usize>o << 2;
      const g = v128.load(grad + wOff);
      for (let t = list; t < end; t += TAP_BYTES) {
        const d = dwOut + <usize>load<i32>(t, 4) + wOff;
        v128.store(d, madd(i8x16.swizzle(v128.load(src + <usize>load<i32>(t)), pick), g, v128.load(d)));
      }
    }
  }
  for (; o < outC; o++) {
    const xOff = <usize>(o / m) << 2;
    const wOff = <usize>o << 2;
    const g = load<f32>(grad + wOff);
    for (let t = list; t < end; t += TAP_BYTES) {
      const d = dwOut + <usize>load<i32>(t, 4) + wOff;
      store<f32>(d, load<f32>(d) + load<f32>(base + <usize>load<i32>(t) + xOff) * g);
    }
  }
}

/**
 * dwOut [kh, kw, c, m] = the gradient of depthwiseConv2d with respect to w (overwritten); taps:
 * scratch of 16 bytes per window tap and, with m > 1, 20 bytes per four output channels more.
 */
export function depthwiseConv2dBackwardFilter(
  x: usize, dy: usize, dwOut: usize,
  n: i32, h: i32, wd: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  dh: i32, dw: i32, m: i32, taps: usize,
): void {
  x <<= 2;
  dwOut <<= 2;
  let grad = dy << 2;
  const outC = c * m;
  memory.fill(dwOut, 0, <usize>(kh * kw * outC) << 2);
  const all = fullTaps(taps, (dh * wd * c) << 2, (dw * c) << 2, kh, kw, outC);
  const border = taps + <usize>all * TAP_BYTES;
  // After the two tap lists (at most kh·kw taps each).
  const picks = taps + <usize>(kh * kw) * 2 * TAP_BYTES;
  const groups = m > 1 ? writeLanePicks(picks, c, m) : 0;
  for (let b = 0; b < n; b++) {
    const image = x + (<usize>(b * h * wd * c) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * sh - padTop;
      for (let ox = 0; ox < ow; ox++) {
        const ix0 = ox * sw - padLeft;
        const interior = inside(iy0, ix0, h, wd, kh, kw, dh, dw);
        const base = interior ? image + <usize>(((iy0 * wd + ix0) * c) << 2) : image;
        const list = interior ? taps : border;
        const count = interior ? all : windowTaps(border, iy0, ix0, h, wd, c, kh, kw, dh, dw, outC);
        if (m == 1) {
          const end = list + <usize>count * TAP_BYTES;
          for (let t = list; t < end; t += TAP_BYTES) addProducts(dwOut + <usize>load<i32>(t, 4), base + <usize>load<i32>(t), grad, c);
        } else addTapProductsMultiplied(dwOut, base, grad, list, count, c, m, picks, groups);
        grad += <usize>outC << 2;
      }
    }
  }
}

/** dst[o] += a[o]·b[o] for o < count (bytes). */
@inline
function addProducts(dst: usize, a: usize, b: usize, count: i32): void {
  const bytes = <usize>count << 2;
  let o: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; o + 16 <= bytes; o += 16) v128.store(dst + o, madd(v128.load(a + o), v128.load(b + o), v128.load(dst + o)));
  }
  for (; o < bytes; o += 4) store<f32>(dst + o, load<f32>(dst + o) + load<f32>(a + o) * load<f32>(b + o));
}
