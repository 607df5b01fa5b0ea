/**
 * toGreyScaled (greyscale + area downscale in one pass over the RGBA bytes) against the
 * two-step reference: toGrey at full size, then resampleArea.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toGrey, toGreyScaled } from '../src/image/grey.js';
import { resampleArea } from '../src/image/resample.js';
import type { RgbaImage } from '../src/image/types.js';
import { mulberry32 } from './helpers/random.js';

function randomImage(seed: number, width: number, height: number, alpha: (r: () => number) => number): RgbaImage {
  const r = mulberry32(seed);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < data.length; p += 4) {
    data[p] = r() * 256;
    data[p + 1] = r() * 256;
    data[p + 2] = r() * 256;
    data[p + 3] = alpha(r);
  }
  return { width, height, data };
}

function reference(image: RgbaImage, width: number, height: number): Float32Array {
  const g = toGrey(image);
  return resampleArea(g.data, g.width, 0, 0, g.width, g.height, width, height);
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.is(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const SIZES: [number, number, number, number][] = [
  [300, 300, 112, 112], // the load benchmark's photo
  [300, 200, 112, 75],
  [97, 61, 31, 20], // factors that are not integers, odd sizes
  [640, 33, 112, 6],
  [50, 50, 50, 50], // no scaling
  [113, 7, 1, 1], // everything into one pixel
];

test('opaque: equals toGrey then area resampling', () => {
  SIZES.forEach(([w, h, dw, dh], k) => {
    const img = randomImage(k + 1, w, h, () => 255);
    const d = maxDiff(toGreyScaled(img, dw, dh).data, reference(img, dw, dh));
    assert.ok(d < 1e-5, `${w}x${h} → ${dw}x${dh}: differs by ${d}`);
  });
});

test('translucent: compositing on the same backdrop as toGrey, before or after averaging', () => {
  SIZES.forEach(([w, h, dw, dh], k) => {
    // Random alpha: the backdrop is white.
    const mixed = randomImage(k + 11, w, h, (r) => r() * 256);
    assert.ok(maxDiff(toGreyScaled(mixed, dw, dh).data, reference(mixed, dw, dh)) < 1e-5, `${w}x${h} mixed alpha`);
    // Light strokes on a mostly transparent canvas: the backdrop is black.
    const strokes = randomImage(k + 21, w, h, (r) => (r() < 0.1 ? 255 : 0));
    for (let p = 0; p < strokes.data.length; p += 4) if (strokes.data[p + 3] === 255) strokes.data.fill(250, p, p + 3);
    const got = toGreyScaled(strokes, dw, dh).data;
    assert.ok(maxDiff(got, reference(strokes, dw, dh)) < 1e-5, `${w}x${h} strokes`);
    assert.ok(Math.min(...got) < 0.5, 'the transparent canvas is dark');
  });
});

test('refuses to upscale and checks the data length', () => {
  const img = randomImage(1, 10, 10, () => 255);
  assert.throws(() => toGreyScaled(img, 11, 10), /cannot downscale/);
  assert.throws(() => toGreyScaled({ width: 10, height: 11, data: img.data }, 5, 5), /needs/);
});

test.run();
