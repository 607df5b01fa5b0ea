/**
 * The direct decoder for common PNGs (png-fast.ts) against pngjs: the same RGBA bytes for
 * every colour type and filter it takes, null for the kinds it leaves to pngjs, and an
 * error for broken files.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32 as zlibCrc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { decodeSimplePng } from '../src/image/png-fast.js';
import { decodeImage, ImageDecodeError } from '../src/image/node.js';
import { cachedFixtures } from './fixtures/generate.js';
import { encodePng } from '../src/synthetic/png-encode.js';
import { mulberry32 } from './helpers/random.js';

function viaPngjs(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(PNG.sync.read(Buffer.from(bytes)).data);
}

/** Compares bytes without uvu's diff, which takes minutes on arrays this long. */
function sameBytes(got: Uint8Array | Uint8ClampedArray, want: Uint8Array, what: string): void {
  assert.is(got.length, want.length, `${what}: length`);
  const i = got.findIndex((v, k) => v !== want[k]);
  assert.ok(i < 0, `${what}: byte ${i} is ${got[i]}, pngjs says ${want[i]}`);
}

function randomRgba(seed: number, width: number, height: number): Buffer {
  const r = mulberry32(seed);
  const data = Buffer.alloc(width * height * 4);
  // Smooth areas and noise, so the encoder's adaptive filter choice uses every filter type.
  for (let i = 0; i < data.length; i++) data[i] = i % 7 === 0 ? r() * 256 : (i >> 5) & 0xff;
  return data;
}

test('every 8-bit colour type and filter: byte-identical to pngjs', () => {
  let checked = 0;
  for (const colorType of [0, 2, 4, 6] as const) {
    for (const filterType of [-1, 0, 1, 2, 3, 4]) {
      for (const [w, h] of [[28, 28], [1, 1], [37, 5], [3, 64]] as const) {
        const png = new PNG({ width: w, height: h, colorType, inputHasAlpha: true });
        randomRgba(w * h + colorType + filterType, w, h).copy(png.data);
        const bytes = new Uint8Array(PNG.sync.write(png, { colorType, filterType, inputColorType: 6, inputHasAlpha: true }));
        const fast = decodeSimplePng(bytes);
        assert.ok(fast, `colour type ${colorType} should take the fast path`);
        assert.is(fast.width, w);
        assert.is(fast.height, h);
        sameBytes(fast.data, viaPngjs(bytes), `colour type ${colorType}, filter ${filterType}, ${w}x${h}`);
        checked++;
      }
    }
  }
  assert.is(checked, 96);
});

test('the PNG fixtures: each is either decoded identically or left to pngjs', () => {
  let fast = 0;
  for (const f of cachedFixtures(1).filter((x) => x.encoding.startsWith('png'))) {
    const simple = decodeSimplePng(f.bytes);
    const simpleKind = ['png-grey', 'png-rgb', 'png-rgba', 'png-rgba-transparent', 'png-grey-alpha'].includes(f.encoding);
    assert.is(simple !== null, simpleKind, `${f.name} (${f.encoding})`);
    if (simple) {
      fast++;
      sameBytes(simple.data, viaPngjs(f.bytes), f.name);
    }
  }
  assert.ok(fast >= 30, `${fast} fixtures took the fast path`);
});

test('left to pngjs: palette, sub-byte and 16-bit depths, interlaced, colour keys', () => {
  const grey = Uint8Array.from({ length: 16 }, (_, i) => i * 16);
  assert.is(decodeSimplePng(encodePng({ width: 4, height: 4, colorType: 3, bitDepth: 8, samples: new Uint8Array(16), palette: new Uint8Array(3) })), null);
  assert.is(decodeSimplePng(encodePng({ width: 4, height: 4, colorType: 0, bitDepth: 4, samples: grey.map((v) => v >> 4) })), null);
  assert.is(decodeSimplePng(encodePng({ width: 4, height: 4, colorType: 0, bitDepth: 16, samples: Uint16Array.from(grey) })), null);
  const plain = encodePng({ width: 4, height: 4, colorType: 0, bitDepth: 8, samples: grey });
  const interlaced = Uint8Array.from(plain);
  interlaced[28] = 1;
  fixCrc(interlaced, 8);
  assert.is(decodeSimplePng(interlaced), null);
  assert.is(decodeSimplePng(insertChunk(plain, 'tRNS', Uint8Array.of(0, 0))), null);
  // ...and decodeImage still decodes them (through pngjs).
  assert.is(decodeImage(insertChunk(plain, 'tRNS', Uint8Array.of(0, 0))).width, 4);
});

test('broken simple PNGs are errors, not pictures', () => {
  const grey = Uint8Array.from({ length: 64 }, (_, i) => i * 4);
  const good = encodePng({ width: 8, height: 8, colorType: 0, bitDepth: 8, samples: grey });
  const idat = Buffer.from(good).indexOf('IDAT');
  const badCrc = Uint8Array.from(good);
  badCrc[idat + 6] ^= 0xff; // a byte of compressed data: the CRC no longer matches
  assert.throws(() => decodeSimplePng(badCrc), /CRC error in the IDAT chunk/);

  const rows = (height: number, filter: number) => {
    const raw = new Uint8Array(height * 9);
    for (let y = 0; y < height; y++) raw[y * 9] = filter;
    return raw;
  };
  assert.throws(() => decodeSimplePng(withIdat(good, deflateSync(rows(8, 5)))), /invalid filter type 5/);
  assert.throws(() => decodeSimplePng(withIdat(good, deflateSync(rows(7, 0)))), /ends early/);
  assert.throws(() => decodeSimplePng(withIdat(good, deflateSync(rows(9, 0)))), /more than the 72 bytes/);
  assert.throws(() => decodeSimplePng(withIdat(good, Uint8Array.of(1, 2, 3, 4))), /./);
  // Through decodeImage these are CORRUPT (400), as pngjs's errors are.
  try {
    decodeImage(badCrc);
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, ImageDecodeError);
    assert.is((err as ImageDecodeError).code, 'CORRUPT');
  }
});

// ---- PNG surgery ----

function fixCrc(png: Uint8Array, offset: number): void {
  const view = new DataView(png.buffer, png.byteOffset);
  const length = view.getUint32(offset);
  view.setUint32(offset + 8 + length, zlibCrc32(png.subarray(offset + 4, offset + 8 + length)) >>> 0);
}

function makeChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  new DataView(out.buffer).setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  fixCrc(out, 0);
  return out;
}

/** `png` with a chunk inserted after IHDR (which ends at byte 33). */
function insertChunk(png: Uint8Array, type: string, data: Uint8Array): Uint8Array {
  return Buffer.concat([png.subarray(0, 33), makeChunk(type, data), png.subarray(33)]);
}

/** `png` (one IDAT) with its IDAT data replaced. */
function withIdat(png: Uint8Array, data: Uint8Array): Uint8Array {
  const start = Buffer.from(png).indexOf('IDAT') - 4;
  const length = new DataView(png.buffer, png.byteOffset).getUint32(start);
  return Buffer.concat([png.subarray(0, start), makeChunk('IDAT', data), png.subarray(start + 12 + length)]);
}

test.run();
