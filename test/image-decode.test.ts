import { test } from 'uvu';
import * as assert from 'uvu/assert';
import jpeg from 'jpeg-js';
import { crc32 } from 'node:zlib';
import { decodeImage, ImageDecodeError, readImageHeader, sniffImageFormat, toGrey, type RgbaImage } from '../src/image/node.js';
import { encodePng, type PngSpec } from '../src/synthetic/png-encode.js';

// A 3×2 test picture: black, white, mid grey / red, green, blue (RGB), alpha 255, 0, 128 / 255, 64, 255.
const RGB = [0, 0, 0, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 255, 0, 0, 0, 255];
const ALPHA = [255, 0, 128, 255, 64, 255];
const GREY = [0, 255, 128, 76, 150, 29];

function expectPixels(img: RgbaImage, expected: number[], tolerance = 0): void {
  assert.is(img.width, 3);
  assert.is(img.height, 2);
  assert.is(img.data.length, 24);
  for (let i = 0; i < 24; i++) {
    if (Math.abs(img.data[i]! - expected[i]!) > tolerance) assert.unreachable(`byte ${i}: ${img.data[i]} != ${expected[i]} (${Array.from(img.data).join(',')})`);
  }
}

const rgba = (rgb: number[], alpha: number[] | null): number[] =>
  Array.from({ length: 24 }, (_, i) => (i % 4 === 3 ? (alpha ? alpha[i >> 2]! : 255) : rgb[(i >> 2) * 3 + (i % 4)]!));
const greyRgba = (grey: number[], alpha: number[] | null): number[] => rgba(grey.flatMap((g) => [g, g, g]), alpha);
const png = (spec: Omit<PngSpec, 'width' | 'height'>): Uint8Array => encodePng({ width: 3, height: 2, ...spec });

test('PNG greyscale at every bit depth', () => {
  expectPixels(decodeImage(png({ colorType: 0, bitDepth: 8, samples: Uint8Array.from(GREY) })), greyRgba(GREY, null));
  expectPixels(decodeImage(png({ colorType: 0, bitDepth: 16, samples: Uint16Array.from(GREY, (g) => g * 257) })), greyRgba(GREY, null));
  const levels = [0, 1, 1, 0, 1, 0];
  expectPixels(decodeImage(png({ colorType: 0, bitDepth: 1, samples: Uint8Array.from(levels) })), greyRgba(levels.map((v) => v * 255), null));
  const four = [0, 15, 8, 4, 9, 2];
  expectPixels(decodeImage(png({ colorType: 0, bitDepth: 4, samples: Uint8Array.from(four) })), greyRgba(four.map((v) => v * 17), null));
  const two = [0, 3, 2, 1, 2, 0];
  expectPixels(decodeImage(png({ colorType: 0, bitDepth: 2, samples: Uint8Array.from(two) })), greyRgba(two.map((v) => v * 85), null));
});

test('PNG RGB, RGBA and grey+alpha at 8 and 16 bits', () => {
  expectPixels(decodeImage(png({ colorType: 2, bitDepth: 8, samples: Uint8Array.from(RGB) })), rgba(RGB, null));
  expectPixels(decodeImage(png({ colorType: 2, bitDepth: 16, samples: Uint16Array.from(RGB, (v) => v * 257) })), rgba(RGB, null));
  const withAlpha = rgba(RGB, ALPHA);
  expectPixels(decodeImage(png({ colorType: 6, bitDepth: 8, samples: Uint8Array.from(withAlpha) })), withAlpha);
  expectPixels(decodeImage(png({ colorType: 6, bitDepth: 16, samples: Uint16Array.from(withAlpha, (v) => v * 257) })), withAlpha);
  const ga = GREY.flatMap((g, i) => [g, ALPHA[i]!]);
  expectPixels(decodeImage(png({ colorType: 4, bitDepth: 8, samples: Uint8Array.from(ga) })), greyRgba(GREY, ALPHA));
  expectPixels(decodeImage(png({ colorType: 4, bitDepth: 16, samples: Uint16Array.from(ga, (v) => v * 257) })), greyRgba(GREY, ALPHA));
});

test('PNG palette with and without tRNS, 8 and 2 bits', () => {
  const palette = Uint8Array.from([10, 20, 30, 200, 100, 50, 255, 255, 255]);
  const idx = [0, 1, 2, 2, 1, 0];
  const colours = idx.flatMap((i) => [palette[3 * i]!, palette[3 * i + 1]!, palette[3 * i + 2]!]);
  expectPixels(decodeImage(png({ colorType: 3, bitDepth: 8, samples: Uint8Array.from(idx), palette })), rgba(colours, null));
  const paletteAlpha = Uint8Array.from([255, 128, 0]);
  expectPixels(
    decodeImage(png({ colorType: 3, bitDepth: 2, samples: Uint8Array.from(idx), palette, paletteAlpha })),
    rgba(colours, idx.map((i) => paletteAlpha[i]!)),
  );
});

test('JPEG (jpeg-js encoded) decodes to RGBA of the same size', () => {
  const w = 16, h = 8;
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set(i % w < 8 ? [20, 40, 200, 255] : [240, 240, 240, 255], 4 * i);
  const bytes = new Uint8Array(jpeg.encode({ data, width: w, height: h }, 90).data);
  assert.is(sniffImageFormat(bytes), 'jpeg');
  const img = decodeImage(bytes);
  assert.is(img.width, w);
  assert.is(img.height, h);
  assert.ok(img.data instanceof Uint8ClampedArray);
  const p = 4 * (3 * w + 2); // well inside the blue half
  assert.ok(Math.abs(img.data[p + 2]! - 200) < 12 && img.data[p]! < 40 && img.data[p + 3] === 255);
});

test('format comes from magic bytes, not a name', () => {
  const bytes = png({ colorType: 0, bitDepth: 8, samples: Uint8Array.from(GREY) });
  assert.is(sniffImageFormat(bytes), 'png');
  assert.equal(readImageHeader(bytes), { format: 'png', width: 3, height: 2 });
  assert.is(sniffImageFormat(new TextEncoder().encode('GIF89a...')), null);
});

test('toGrey composites transparency on white, light strokes on a transparent canvas on black', () => {
  const img: RgbaImage = { width: 3, height: 1, data: Uint8ClampedArray.from([0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128]) };
  const g = toGrey(img).data;
  assert.ok(Math.abs(g[0]! - 1) < 1e-6, 'transparent → white');
  assert.ok(Math.abs(g[1]! - 0) < 1e-6, 'opaque black stays black');
  assert.ok(Math.abs(g[2]! - (1 - 128 / 255)) < 1e-6, 'half transparent black → mid grey');
  // White strokes on a mostly transparent canvas: keep them visible (backdrop black).
  const light: RgbaImage = { width: 4, height: 1, data: Uint8ClampedArray.from([255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) };
  assert.equal(Array.from(toGrey(light).data), [1, 0, 0, 0]);
});

function expectError(bytes: Uint8Array, code: string, message: RegExp, maxPixels?: number): void {
  try {
    decodeImage(bytes, maxPixels === undefined ? {} : { maxPixels });
  } catch (err) {
    assert.instance(err, ImageDecodeError);
    const e = err as ImageDecodeError;
    assert.is(e.code, code, e.message);
    assert.match(e.message, message);
    assert.ok(e.httpStatus >= 400 && e.httpStatus < 500);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('errors: empty, text, unknown format', () => {
  expectError(new Uint8Array(0), 'EMPTY', /empty input/);
  expectError(new TextEncoder().encode('hello, this is text'), 'UNKNOWN_FORMAT', /not a PNG or JPEG image/);
  expectError(Uint8Array.from([0x89, 0x50, 0x4e]), 'TRUNCATED', /truncated PNG/);
});

test('errors: truncated and corrupt PNG', () => {
  const bytes = png({ colorType: 2, bitDepth: 8, samples: Uint8Array.from(RGB) });
  for (const cut of [10, 20, 33, bytes.length - 20, bytes.length - 1]) expectError(bytes.subarray(0, cut), 'TRUNCATED', /truncated PNG/);
  const corrupt = bytes.slice();
  corrupt[41] ^= 0xff; // inside the IDAT data: CRC and deflate stream break
  expectError(corrupt, 'CORRUPT', /corrupt PNG/);
  const badHeader = bytes.slice();
  badHeader[12] = 0x41; // first chunk type no longer IHDR
  expectError(badHeader, 'CORRUPT', /IHDR/);
});

test('errors: truncated and corrupt JPEG', () => {
  const data = new Uint8Array(32 * 32 * 4).fill(200);
  const bytes = new Uint8Array(jpeg.encode({ data, width: 32, height: 32 }, 50).data);
  for (const cut of [3, 30, 200, bytes.length - 2]) expectError(bytes.subarray(0, cut), 'TRUNCATED', /truncated JPEG/);
  const garbage = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34, 0x56]);
  expectError(garbage, 'CORRUPT', /corrupt JPEG/);
});

test('oversized dimensions are refused from the header, before decoding', () => {
  // A tiny PNG whose IHDR claims 100000×100000: refused without inflating anything.
  const real = png({ colorType: 0, bitDepth: 8, samples: Uint8Array.from(GREY) });
  const bomb = real.slice();
  const view = new DataView(bomb.buffer);
  view.setUint32(16, 100000);
  view.setUint32(20, 100000);
  assert.ok(bomb.length < 100);
  expectError(bomb, 'TOO_LARGE', /image is 100000x100000, larger than the 40 MP limit/);
  expectError(real, 'TOO_LARGE', /image is 3x2, larger than the 5 pixel limit/, 5);
  // A JPEG frame header claiming 60000×60000.
  const data = new Uint8Array(8 * 8 * 4).fill(100);
  const jpg = new Uint8Array(jpeg.encode({ data, width: 8, height: 8 }, 50).data);
  for (let i = 2; i < jpg.length - 8; i++) {
    if (jpg[i] === 0xff && jpg[i + 1] === 0xc0) {
      new DataView(jpg.buffer).setUint16(i + 5, 60000);
      new DataView(jpg.buffer).setUint16(i + 7, 60000);
      break;
    }
  }
  expectError(jpg, 'TOO_LARGE', /image is 60000x60000, larger than the 40 MP limit/);
});

test('16-bit PNGs: a decode budget by bit depth from the header, and truncated data named as such', () => {
  // A tiny PNG whose IHDR claims 4000×4000 16-bit RGBA (128 MB of samples) under the server's
  // 16 MP limit: refused before inflating, naming the budget; 8-bit RGBA of that size is not.
  const small = png({ colorType: 6, bitDepth: 16, samples: Uint16Array.from(GREY.flatMap((g) => [g, g, g, 255]), (v) => v * 257) });
  expectError(withIhdr(small, 4000, 4000), 'TOO_LARGE', /4000x4000 PNG with 4 channel\(s\) of 16 bits inflates to 128 MB, more than the 64 MB one decode may take/, 16_000_000);
  const small8 = png({ colorType: 6, bitDepth: 8, samples: Uint8Array.from(GREY.flatMap((g) => [g, g, g, 255])) });
  expectError(withIhdr(small8, 4000, 4000), 'CORRUPT', /pixel data ends early/, 16_000_000); // (png-fast's own check)
  // IDAT holding half the rows the header declares, 16-bit and palette: whatever pngjs makes of
  // them, the answer is a named ImageDecodeError, never pngjs's stream internals.
  const w = 16, h = 8;
  const half16 = encodePng({ width: w, height: h / 2, colorType: 0, bitDepth: 16, samples: new Uint16Array((w * h) / 2).fill(40000) });
  const halfPalette = encodePng({ width: w, height: h / 2, colorType: 3, bitDepth: 8, samples: new Uint8Array((w * h) / 2), palette: Uint8Array.from([0, 0, 0, 255, 255, 255]) });
  for (const bytes of [withIhdr(half16, w, h), withIhdr(halfPalette, w, h)]) {
    try {
      const img = decodeImage(bytes);
      assert.equal([img.width, img.height], [w, h]);
    } catch (err) {
      assert.instance(err, ImageDecodeError);
      assert.not.match((err as Error).message, /read requests|waitng|finished stream/);
    }
  }
});

/** A copy of a PNG with other IHDR dimensions (and the IHDR CRC fixed). */
function withIhdr(bytes: Uint8Array, width: number, height: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(out.subarray(12, 29)));
  return out;
}

test.run();
