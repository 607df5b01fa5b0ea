// One scripted "person" with a consistent, unusual handwriting: boxy digits drawn as straight
// strokes with square corners (the way some people copy seven-segment displays), a 1 with a long
// flag and a base, a 7 with a crossbar. The shipped model, trained on MNIST's rounded strokes,
// misreads a good share of them; the teach mode's tests use this person to show that a few samples
// of it are enough to learn it. Pure geometry (no Node imports), so the browser tests draw the same
// strokes on the page's pad with pointer events.
import { placeGlyph, type Stroke } from './glyphs.js';
import type { Rng } from './rng.js';

const L = (...points: number[]): Stroke => ({ points, smooth: false });

/** Stroke skeletons per digit in glyph space (x in [0, 0.6], y in [0, 1], y down). */
export const BOXY_DIGITS: readonly (readonly Stroke[])[] = [
  [L(0.05, 0, 0.55, 0, 0.55, 1, 0.05, 1, 0.05, 0)],
  [L(0.05, 0.3, 0.32, 0, 0.32, 1), L(0.05, 1, 0.58, 1)],
  [L(0.05, 0, 0.55, 0, 0.55, 0.5, 0.05, 0.5, 0.05, 1, 0.55, 1)],
  [L(0.05, 0, 0.55, 0, 0.55, 1, 0.05, 1), L(0.12, 0.5, 0.55, 0.5)],
  [L(0.05, 0, 0.05, 0.55, 0.55, 0.55), L(0.55, 0, 0.55, 1)],
  [L(0.55, 0, 0.05, 0, 0.05, 0.5, 0.55, 0.5, 0.55, 1, 0.05, 1)],
  [L(0.55, 0, 0.05, 0, 0.05, 1, 0.55, 1, 0.55, 0.5, 0.05, 0.5)],
  [L(0.05, 0, 0.55, 0, 0.55, 1), L(0.3, 0.5, 0.6, 0.5)],
  [L(0.05, 0, 0.55, 0, 0.55, 1, 0.05, 1, 0.05, 0), L(0.05, 0.5, 0.55, 0.5)],
  [L(0.55, 0.5, 0.05, 0.5, 0.05, 0, 0.55, 0, 0.55, 1, 0.05, 1)],
];

/** The person's pen on a square pad of `side` pixels: polylines in pad pixels, with the small
 * sample-to-sample variation of real handwriting (size, place, tilt, wobble). */
export function personStrokes(rng: Rng, digit: number, side: number): number[][] {
  const glyph = BOXY_DIGITS[digit];
  if (!glyph) throw new Error(`personStrokes: digit must be 0..9, got ${digit}`);
  const size = side * rng.range(0.5, 0.65);
  return placeGlyph(glyph, {
    size,
    cx: side * (0.5 + rng.range(-0.06, 0.06)),
    cy: side * (0.5 + rng.range(-0.06, 0.06)),
    rotation: rng.range(-5, 5) * (Math.PI / 180),
    slant: rng.range(0.05, 0.15),
    stretch: rng.range(0.9, 1.1),
    radius: 0,
    wobble: 0.02,
  }, rng);
}
