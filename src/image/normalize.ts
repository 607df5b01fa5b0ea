// The MNIST normalisation of one digit crop: longer side to 20 px by area
// averaging (aspect kept), centre of mass moved to the centre of a 28×28 field.
// Thin pen strokes are first thickened towards MNIST's typical stroke width,
// because a 2 px line on a 300 px digit would otherwise fade to a faint trace.
import { resampleArea } from './resample.js';
import { scratchF32 } from './scratch.js';
import { strokeRatio } from './shape.js';
import { MNIST_SIDE } from '../data/mnist.js';

/** Side of an MNIST image (the model's input). */
export const MNIST_SIZE = MNIST_SIDE;
const BOX = 20;
/** Working resolution (longer side) for stroke thickening: 4× the final box; smaller crops are used as they are. */
const MID = 80;
/** Mean stroke width / digit size in MNIST (2·area/perimeter measured on the test set: p10 0.11, median 0.13). */
const MNIST_STROKE_RATIO = 0.13;
const THIN_STROKE_RATIO = 0.1;

export interface NormalizeOptions {
  /** Thicken strokes thinner than MNIST's (default true). */
  thickenStrokes?: boolean;
}

/**
 * crop: soft ink (0..1, ink bright) of exactly one digit, cropped to its bounding box. Returns 784
 * floats (a new array; the intermediate images are scratch arrays). `cropStrokeRatio`, if the
 * caller has measured it (measureShape(crop, width, height).strokeRatio), saves measuring again.
 */
export function normalizeDigit(
  crop: Float32Array,
  width: number,
  height: number,
  options: NormalizeOptions = {},
  cropStrokeRatio?: number,
): Float32Array {
  const longer = Math.max(width, height);
  let mw = width;
  let mh = height;
  let mid = crop;
  if (longer > MID) {
    mw = Math.max(1, Math.round((width * MID) / longer));
    mh = Math.max(1, Math.round((height * MID) / longer));
    mid = resampleArea(crop, width, 0, 0, width, height, mw, mh, scratchF32('normalize.mid', mw * mh));
  }

  if (options.thickenStrokes ?? true) {
    const ratio = mid === crop && cropStrokeRatio !== undefined ? cropStrokeRatio : strokeRatio(mid, mw, mh);
    const radius = ratio > 0 && ratio < THIN_STROKE_RATIO ? Math.round(((MNIST_STROKE_RATIO - ratio) * Math.max(mw, mh)) / 2) : 0;
    if (radius >= 1) {
      mid = dilateDisc(mid, mw, mh, radius);
      mw += 2 * radius;
      mh += 2 * radius;
    }
  }

  const midLonger = Math.max(mw, mh);
  const bw = Math.max(1, Math.round((mw * BOX) / midLonger));
  const bh = Math.max(1, Math.round((mh * BOX) / midLonger));
  const box = resampleArea(mid, mw, 0, 0, mw, mh, bw, bh, scratchF32('normalize.box', bw * bh));

  let max = 0;
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0, i = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++, i++) {
      const v = box[i]!;
      if (v > max) max = v;
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  const out = new Float32Array(MNIST_SIZE * MNIST_SIZE);
  if (mass === 0) return out;
  const gain = max < 1 ? 1 / max : 1; // faint ink is stretched so its core reaches 1, as in MNIST
  // Integer shift placing the centre of mass (pixel-index coordinates) at (14, 14), as MNIST did.
  const centre = MNIST_SIZE / 2;
  const ox = clamp(Math.round(centre - mx / mass), 0, MNIST_SIZE - bw);
  const oy = clamp(Math.round(centre - my / mass), 0, MNIST_SIZE - bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const v = box[y * bw + x]! * gain;
      out[(y + oy) * MNIST_SIZE + x + ox] = v > 1 ? 1 : v; // Math.min(1, v), NaN and −0 included
    }
  }
  return out;
}

/** Grey-level dilation by a disc, into a canvas padded by `radius` on every side. */
function dilateDisc(src: Float32Array, width: number, height: number, radius: number): Float32Array {
  const ow = width + 2 * radius;
  const oh = height + 2 * radius;
  const out = scratchF32('normalize.dilated', ow * oh, true);
  const offsets: number[] = [];
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) if (dx * dx + dy * dy <= radius * radius + radius) offsets.push(dx, dy);
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = src[y * width + x]!;
      if (v <= 0) continue;
      const cx = x + radius;
      const cy = y + radius;
      for (let k = 0; k < offsets.length; k += 2) {
        const o = (cy + offsets[k + 1]!) * ow + cx + offsets[k]!;
        if (v > out[o]!) out[o] = v;
      }
    }
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
