// Ink coverage rendered the way real inputs arrive: a 28x28 web-canvas export (white on black), or
// a photo or scan (pen, chalk, coloured paper, clean), sometimes blurred, sometimes JPEG-compressed.
// The non-digit generator and the open-set training's painted digits both render through here, so
// the classifier cannot tell digits from non-digits by how they were rendered.
import jpeg from 'jpeg-js';
import { paint, randomLook, type Look } from './handwriting.js';
import type { Rng } from './rng.js';

const CANVAS_LOOK: Look = { paper: [0, 0, 0], ink: [1, 1, 1], lighting: 0, texture: 0, noise: 0 };

/** Opaque RGBA bytes of `coverage` (blurred in place when the draw says so). `small`: the web-canvas look. */
export function renderAsInput(rng: Rng, coverage: Float32Array, width: number, height: number, small: boolean): Uint8Array {
  if (!small && rng.chance(0.3)) boxBlur(coverage, width, height, rng.int(1, 2));
  const look = small ? CANVAS_LOOK : randomLook(rng, rng.pick(['pen', 'pen', 'chalk', 'colour', 'clean'] as const));
  const rgba = paint(rng, { width, height, coverage }, look);
  return !small && rng.chance(0.12) ? jpegRoundTrip(rgba, width, height, rng.pick([30, 50, 75])) : rgba;
}

function boxBlur(c: Float32Array, width: number, height: number, r: number): void {
  const tmp = new Float32Array(c.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0, k = 0;
      for (let d = -r; d <= r; d++) if (x + d >= 0 && x + d < width) { s += c[y * width + x + d]!; k++; }
      tmp[y * width + x] = s / k;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0, k = 0;
      for (let d = -r; d <= r; d++) if (y + d >= 0 && y + d < height) { s += tmp[(y + d) * width + x]!; k++; }
      c[y * width + x] = Math.min(1, (1.6 * s) / k); // keep thin strokes from fading out entirely
    }
  }
}

function jpegRoundTrip(rgba: Uint8Array, width: number, height: number, quality: number): Uint8Array {
  const file = jpeg.encode({ data: rgba, width, height }, quality).data;
  return new Uint8Array(jpeg.decode(file, { useTArray: true, formatAsRGBA: true }).data);
}
