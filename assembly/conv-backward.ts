// The two backward products of a convolution without an im2col buffer (see conv-forward.ts):
//
//   conv2dBackwardInput   dx = col2im(dy·Wᵀ). With stride 1 this is a forward convolution of
//                         dy (padded by kh−1−padTop, kw−1−padLeft) with the kernel turned 180°
//                         and its channel/filter axes swapped, so it runs on convCore. Each
//                         thread computes whole input pixels: nothing is scattered, no races.
//   conv2dBackwardFilter  dW = im2col(x)ᵀ·dy, a GEMM whose A operand is packed straight from x:
//                         4 consecutive patch entries (ky, kx, ch..ch+3) of one pixel are 4
//                         adjacent floats of x when c is a multiple of 4, one 16-byte load.
//
// 3×3 stride-1 layers with 16+ channels take Winograd's algorithm instead (winograd.ts for the
// input gradient, winograd-filter.ts for the filter gradient).
//
// What they replace wrote and read back the K·n·oh·ow-float column matrix twice per layer and
// step (42 MB for the seed model's second conv at batch 32). Pointers are element indices;
// `scratch` is the calling thread's GEMM scratch (bytes); rows [rowStart, rowEnd) let two
// threads share the work.
import { PACK_A_BYTES, PACK_B_BYTES } from './gemm';
import { convCore, convForwardFits, padBias } from './conv-forward';
import { LINEAR } from './act';
import { conv3x3Winograd } from './winograd';
import { CONV_SCALAR, CONV_WINOGRAD_F2, winogradTileOf } from './conv-algorithms';
import { conv3x3WinogradFilter } from './winograd-filter';
import { ZEROS, tile4x8Packed } from './tile';
import { gatherPixelWindow, gatherWindow, zeroFloats } from './copy';

const NR: i32 = 8;
/** Output pixels per block of conv2dBackwardFilter: the block of dy (P×F) stays in L1. */
const P: i32 = 128;
/**
 * Extra bytes between two entry groups of a packed block. Without them the groups were 2 KB
 * apart, so the 144 lines a window is dealt out to fell into 2 of L1's 64 sets.
 */
const GROUP_PAD: usize = 64;

// ---------------------------------------------------------------------------------------------
// dx

/** Whether the direct flipped convolution can run this layer (stride 1; its flipped kernel and buffers fit). */
export function convBackwardInputFits(k: i32, c: i32, filters: i32, sh: i32, sw: i32): bool {
  return sh == 1 && sw == 1 && convForwardFits(k / c * filters, c);
}

/** dx [n·h·w, c] = col2im(dy·Wᵀ) for input pixels [rowStart, rowEnd) (stride 1 only) by `algorithm` (convPlan's answer); `prepared` as in conv2d. */
export function conv2dBackwardInput(
  dy: usize, w: usize, dx: usize,
  n: i32, h: i32, wd: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  filters: i32, rowStart: i32, rowEnd: i32, scratch: usize, prepared: bool, algorithm: i32,
): void {
  if (rowStart >= rowEnd) return;
  dy <<= 2;
  w <<= 2;
  dx <<= 2;
  if (!ASC_FEATURE_SIMD || algorithm == CONV_SCALAR) { // the constant keeps SIMD code out of the scalar build
    backwardInputScalar(dy, w, dx, h, wd, c, kh, kw, padTop, padLeft, oh, ow, filters, rowStart, rowEnd);
    return;
  }
  if (algorithm >= CONV_WINOGRAD_F2) {
    // dy (oh×ow, F channels) padded by 2 − pad is the image, dx (h×w, c "filters") the output.
    conv3x3Winograd(dy, w, -1, dx, oh, ow, filters, 2 - padTop, 2 - padLeft, h, wd, c, LINEAR, true, rowStart, rowEnd, scratch, prepared, winogradTileOf(algorithm));
    return;
  }
  // The flipped kernel W'[(ky', kx', f), ch] = W[(kh−1−ky', kw−1−kx', ch), f], a (kh·kw·F)×c
  // matrix, written straight into 8-column panels (as packPanels would lay it out).
  const panels = scratch + PACK_A_BYTES;
  const biasPad = panels + (<usize>((c + NR - 1) / NR) * <usize>(kh * kw * filters) << 5);
  if (!prepared) flipKernel(w, panels, c, kh, kw, filters, biasPad);
  // dy is the image now (oh×ow, F channels); dx the output (h×w, c "filters").
  convCore(dy, panels, biasPad, dx, oh, ow, filters, kh, kw, 1, 1, kh - 1 - padTop, kw - 1 - padLeft, h, wd, c, LINEAR,
    rowStart, rowEnd, scratch);
}

/** The flipped kernel in 8-column panels at `panels`, then a zero bias at biasPad (its end). */
function flipKernel(w: usize, panels: usize, c: i32, kh: i32, kw: i32, filters: i32, biasPad: usize): void {
  let d = panels;
  for (let j = 0; j < c; j += NR) {
    const cols = min(NR, c - j);
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const src = w + (<usize>(((kh - 1 - ky) * kw + (kw - 1 - kx)) * c + j) * <usize>filters << 2);
        for (let f = 0; f < filters; f++) {
          for (let cc = 0; cc < NR; cc++) {
            store<f32>(d + (<usize>cc << 2), cc < cols ? load<f32>(src + (<usize>(cc * filters + f) << 2)) : 0);
          }
          d += 32;
        }
      }
    }
  }
  padBias(-1, c, biasPad);
}

/** The scalar build: each input pixel gathers what every window covering it sends back. */
function backwardInputScalar(
  dy: usize, w: usize, dx: usize,
  h: i32, wd: i32, c: i32, kh: i32, kw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  filters: i32, rowStart: i32, rowEnd: i32,
): void {
  const perImage = h * wd;
  for (let i = rowStart; i < rowEnd; i++) {
    const b = i / perImage, iy = (i % perImage) / wd, ix = i % wd;
    const out = dx + (<usize>i * <usize>c << 2);
    for (let ch = 0; ch < c; ch++) store<f32>(out + (<usize>ch << 2), 0);
    for (let ky = 0; ky < kh; ky++) {
      const oy = iy + padTop - ky; // stride 1: the output pixel whose window puts (ky, kx) here
      if (oy < 0 || oy >= oh) continue;
      for (let kx = 0; kx < kw; kx++) {
        const ox = ix + padLeft - kx;
        if (ox < 0 || ox >= ow) continue;
        const g = dy + (<usize>((b * oh + oy) * ow + ox) * <usize>filters << 2);
        const wr = w + (<usize>((ky * kw + kx) * c) * <usize>filters << 2);
        for (let ch = 0; ch < c; ch++) {
          let sum: f32 = 0;
          for (let f = 0; f < filters; f++) sum += load<f32>(g + (<usize>f << 2)) * load<f32>(wr + (<usize>(ch * filters + f) << 2));
          store<f32>(out + (<usize>ch << 2), load<f32>(out + (<usize>ch << 2)) + sum);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// dW

/** Pixels per block of conv2dBackwardFilter for patch size k: the packed block (k × P floats) fits its buffer. */
function blockPixels(k: i32): i32 {
  const groups = <usize>((k + 3) >> 2);
  return min(P, <i32>((PACK_B_BYTES / groups - GROUP_PAD) >> 4) & ~3);
}

/** Whether conv2dBackwardFilter's buffers fit: a block of at least 4 pixels, one window row, a dy panel. */
export function convBackwardFilterFits(k: i32, filters: i32): bool {
  const kPad = (k + 3) & ~3;
  return k > 0 && filters > 0 && blockPixels(k) >= 4 && (<usize>(kPad + P * NR + 4 * NR) << 2) <= PACK_A_BYTES;
}

/** out [K×F] = Σ over output pixels p in [rowStart, rowEnd) of im2col(x)[p]ᵀ·dy[p] (overwrites out), by `algorithm` (convPlan's answer). */
export function conv2dBackwardFilter(
  x: usize, dy: usize, out: usize,
  n: i32, h: i32, wd: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  filters: i32, rowStart: i32, rowEnd: i32, scratch: usize, algorithm: i32,
): void {
  x <<= 2;
  dy <<= 2;
  out <<= 2;
  const k = kh * kw * c;
  if (rowStart >= rowEnd) {
    zeroFloats(out, k * filters);
    return;
  }
  if (!ASC_FEATURE_SIMD || algorithm == CONV_SCALAR) { // the constant keeps SIMD code out of the scalar build
    backwardFilterScalar(x, dy, out, h, wd, c, kh, kw, sh, sw, padTop, padLeft, oh, ow, filters, rowStart, rowEnd, scratch);
    return;
  }
  if (algorithm == CONV_WINOGRAD_F2) {
    conv3x3WinogradFilter(x, dy, out, h, wd, c, padTop, padLeft, oh, ow, filters, rowStart, rowEnd, scratch);
    return;
  }
  // A block of pixels is packed as dW's A operand: entry group g (patch entries 4g..4g+3) of
  // pixel p at packed + (g·P + p)·16, so each group is a K-major panel for tile4x8Packed.
  // Windows are gathered one at a time (sequential reads of x) and dealt out to the groups;
  // packing group by group instead re-read every pixel once per group and dominated the call
  // (bench/run.ts --only training --models lenet shows the step time).
  const block = blockPixels(k);
  const groups = (k + 3) >> 2;
  const packed = scratch + PACK_A_BYTES;
  const window = scratch; // one pixel's window, k floats zero-padded to a multiple of 4
  const dyPanel = window + (<usize>(groups << 2) << 2); // ragged filter columns of the block, P×8
  const tile = dyPanel + (<usize>(P * NR) << 2);
  const groupBytes = (<usize>block << 4) + GROUP_PAD;
  const fFull = filters & -NR;
  const fPad = (filters + NR - 1) & -NR;
  const ldo = <usize>filters << 2;
  const imageBytes = <usize>(h * wd * c) << 2;
  const perImage = oh * ow;
  zeroFloats(window + (<usize>k << 2), (groups << 2) - k);
  let b = rowStart / perImage;
  let oy = (rowStart % perImage) / ow;
  let ox = rowStart % ow;
  for (let p0 = rowStart; p0 < rowEnd; p0 += block) {
    const steps = min(block, rowEnd - p0);
    const first = p0 == rowStart;
    for (let p = 0; p < steps; p++) {
      gatherWindow(window, x + <usize>b * imageBytes, oy * sh - padTop, ox * sw - padLeft, h, wd, c, kh, kw);
      let d = packed + (<usize>p << 4);
      for (let g = 0; g < groups; g++) {
        v128.store(d, v128.load(window + (<usize>g << 4)));
        d += groupBytes;
      }
      if (++ox == ow) {
        ox = 0;
        if (++oy == oh) {
          oy = 0;
          b++;
        }
      }
    }
    const dyBlock = dy + <usize>p0 * ldo;
    if (fFull < filters) {
      // Ragged filter columns of dy, zero-padded to 8.
      const cols = filters - fFull;
      for (let p = 0; p < steps; p++) {
        const dst = dyPanel + (<usize>(p * NR) << 2);
        for (let j = 0; j < NR; j++) {
          store<f32>(dst + (<usize>j << 2), j < cols ? load<f32>(dyBlock + <usize>p * ldo + (<usize>(fFull + j) << 2)) : 0);
        }
      }
    }
    for (let g = 0; g < groups; g++) {
      const q0 = g << 2;
      const valid = min(4, k - q0);
      const pa = packed + <usize>g * groupBytes;
      for (let j = 0; j < fPad; j += NR) {
        const inPlace = j < fFull;
        const pb = inPlace ? dyBlock + (<usize>j << 2) : dyPanel;
        const bStep = inPlace ? ldo : <usize>NR << 2;
        const cp = out + <usize>q0 * ldo + (<usize>j << 2);
        if (valid == 4 && inPlace) {
          tile4x8Packed(pa, steps, pb, bStep, first ? ZEROS : cp, first ? 0 : ldo, cp, ldo, false);
        } else {
          // A ragged corner: through a 4×8 tile, only the valid part read and written back.
          const cols = min(NR, filters - j);
          for (let r = 0; r < 4; r++) {
            for (let cc = 0; cc < NR; cc++) {
              const o = <usize>(r * NR + cc) << 2;
              store<f32>(tile + o, !first && r < valid && cc < cols ? load<f32>(cp + <usize>r * ldo + (<usize>cc << 2)) : 0);
            }
          }
          tile4x8Packed(pa, steps, pb, bStep, tile, <usize>NR << 2, tile, <usize>NR << 2, false);
          for (let r = 0; r < valid; r++) {
            for (let cc = 0; cc < cols; cc++) {
              store<f32>(cp + <usize>r * ldo + (<usize>cc << 2), load<f32>(tile + (<usize>(r * NR + cc) << 2)));
            }
          }
        }
      }
    }
  }
}

/** The scalar build: out = 0, then per pixel its window (gathered) times its row of dy. */
function backwardFilterScalar(
  x: usize, dy: usize, out: usize,
  h: i32, wd: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  filters: i32, rowStart: i32, rowEnd: i32, scratch: usize,
): void {
  const k = kh * kw * c;
  zeroFloats(out, k * filters);
  for (let i = rowStart; i < rowEnd; i++) {
    gatherPixelWindow(scratch, x, i, h, wd, c, kh, kw, sh, sw, padTop, padLeft, oh, ow);
    const g = dy + (<usize>i * <usize>filters << 2);
    for (let q = 0; q < k; q++) {
      const v = load<f32>(scratch + (<usize>q << 2));
      const row = out + (<usize>q * <usize>filters << 2);
      for (let f = 0; f < filters; f++) {
        const o = <usize>f << 2;
        store<f32>(row + o, load<f32>(row + o) + v * load<f32>(g + o));
      }
    }
  }
}
