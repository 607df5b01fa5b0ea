/**
 * JPEG EXIF orientation 1–8: the stored pixels are laid out as the EXIF spec's table says for
 * each value (where the stored 0th row and 0th column show), the APP1 segment is written here
 * byte by byte, and decodeImage, recognizeDigit and the server's /api/predict see the picture upright.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import jpeg from 'jpeg-js';
import { decodeImage, recognizeDigit, type RgbaImage } from '../src/image/node.js';
import { jpegOrientation } from '../src/image/exif-orientation.js';
import { loadModel, type Sequential } from '../src/index.node.js';
import { defaultModelDir } from '../src/pretrained.js';
import { modelClassifier } from '../src/recognizer/prediction.js';
import { startServer } from '../src/server/server.js';
import { drawDigits, paint, randomLook } from '../src/synthetic/handwriting.js';
import { Rng } from '../src/synthetic/rng.js';

/** EXIF table: for each orientation, where the stored 0th row and 0th column show once upright. */
const SPEC: Record<number, [row: 'top' | 'bottom' | 'left' | 'right', column: 'left' | 'right' | 'top' | 'bottom']> = {
  1: ['top', 'left'],
  2: ['top', 'right'],
  3: ['bottom', 'right'],
  4: ['bottom', 'left'],
  5: ['left', 'top'],
  6: ['right', 'top'],
  7: ['right', 'bottom'],
  8: ['left', 'bottom'],
};

/** The stored pixels of `upright` for `orientation`: stored (sx, sy) shows at the upright spot the table names. */
function stored(upright: RgbaImage, orientation: number): RgbaImage {
  const [row, column] = SPEC[orientation]!;
  const W = upright.width, H = upright.height;
  const quarter = row === 'left' || row === 'right';
  const width = quarter ? H : W, height = quarter ? W : H;
  const data = new Uint8Array(width * height * 4);
  for (let sy = 0; sy < height; sy++) {
    for (let sx = 0; sx < width; sx++) {
      const [x, y] = quarter
        ? [row === 'left' ? sy : W - 1 - sy, column === 'top' ? sx : H - 1 - sx]
        : [column === 'left' ? sx : W - 1 - sx, row === 'top' ? sy : H - 1 - sy];
      data.set(upright.data.subarray(4 * (y * W + x), 4 * (y * W + x) + 4), 4 * (sy * width + sx));
    }
  }
  return { width, height, data };
}

/** A JPEG of `image` with an EXIF APP1 segment right after SOI holding only the orientation tag. */
function jpegWithOrientation(image: RgbaImage, orientation: number, littleEndian = false): Uint8Array {
  const plain = new Uint8Array(jpeg.encode({ data: image.data, width: image.width, height: image.height }, 95).data);
  const tiff = new Uint8Array(26);
  const v = new DataView(tiff.buffer);
  tiff.set(littleEndian ? [0x49, 0x49] : [0x4d, 0x4d]);
  v.setUint16(2, 42, littleEndian);
  v.setUint32(4, 8, littleEndian); // IFD0 right after the header
  v.setUint16(8, 1, littleEndian); // one entry
  v.setUint16(10, 0x0112, littleEndian); // Orientation
  v.setUint16(12, 3, littleEndian); // SHORT
  v.setUint32(14, 1, littleEndian); // one value
  v.setUint16(18, orientation, littleEndian); // the value, left-justified in the 4-byte field
  v.setUint32(22, 0, littleEndian); // no next IFD
  const payload = [...new TextEncoder().encode('Exif'), 0, 0, ...tiff];
  const length = payload.length + 2;
  const app1 = Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, ...payload]);
  return Uint8Array.from([...plain.subarray(0, 2), ...app1, ...plain.subarray(2)]);
}

/** 5 × 3 blocks of 8x8 pixels, each its own grey: any turn or mirror moves some block. */
function blocks(): RgbaImage {
  const W = 40, H = 24;
  const data = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const g = 10 + 16 * ((y >> 3) * 5 + (x >> 3));
    data.set([g, g, g, 255], 4 * (y * W + x));
  }
  return { width: W, height: H, data };
}

test('orientations 1–8 (big- and little-endian EXIF): decodeImage returns the upright pixels', () => {
  const upright = blocks();
  for (let o = 1; o <= 8; o++) {
    for (const little of [false, true]) {
      const bytes = jpegWithOrientation(stored(upright, o), o, little);
      assert.is(jpegOrientation(bytes), o);
      const img = decodeImage(bytes);
      assert.is(img.width, upright.width, `orientation ${o}`);
      assert.is(img.height, upright.height, `orientation ${o}`);
      for (let by = 0; by < 3; by++) for (let bx = 0; bx < 5; bx++) {
        const at = 4 * ((8 * by + 4) * upright.width + 8 * bx + 4); // a block's centre, away from JPEG's edge ringing
        assert.ok(Math.abs(img.data[at]! - upright.data[at]!) <= 4, `orientation ${o}, block (${bx}, ${by}): ${img.data[at]} vs ${upright.data[at]}`);
      }
    }
  }
});

test('no EXIF, another APP1, or a broken EXIF block: pixels as stored', () => {
  const image = blocks();
  const plain = new Uint8Array(jpeg.encode({ data: image.data, width: image.width, height: image.height }, 95).data);
  assert.is(jpegOrientation(plain), 1);
  const xmp = Uint8Array.from([...plain.subarray(0, 2), 0xff, 0xe1, 0, 8, ...new TextEncoder().encode('http'), 0, 0, ...plain.subarray(2)]);
  assert.is(jpegOrientation(xmp), 1);
  const good = jpegWithOrientation(image, 6);
  const broken = good.slice();
  broken[12] = 0x41; // byte order "AM": not a TIFF header
  assert.is(jpegOrientation(broken), 1);
  assert.is(decodeImage(broken).width, image.width);
  const cut = good.slice();
  cut[5] = 14; // APP1 length too short to hold IFD0
  assert.is(jpegOrientation(cut), 1);
});

/** A phone-like photo of a pen "7", upright, 160x120. */
function sevenPhoto(): RgbaImage {
  const rng = new Rng(11);
  const d = drawDigits(rng, '7', { width: 160, height: 120, size: 80, radiusFraction: 0.05 });
  return { width: 160, height: 120, data: paint(rng, d, randomLook(rng, 'pen')) };
}

let model: Sequential;

test.before(async () => {
  model = await loadModel(defaultModelDir());
});

test.after(() => model.dispose());

test('a photo of a 7 stored in each orientation is read as 7 by recognizeDigit and by the server', async () => {
  const classify = modelClassifier(model);
  const upright = sevenPhoto();
  const server = await startServer({ port: 0, host: '127.0.0.1', log: () => undefined });
  try {
    for (let o = 1; o <= 8; o++) {
      const bytes = jpegWithOrientation(stored(upright, o), o);
      const r = await recognizeDigit(decodeImage(bytes), classify);
      assert.is(r.digit, 7, `orientation ${o}: ${JSON.stringify({ digit: r.digit, reason: r.reason })}`);
      const res = await fetch(`${server.url}/api/predict`, { method: 'POST', headers: { 'Content-Type': 'image/jpeg' }, body: new Uint8Array(bytes) });
      const body = (await res.json()) as Record<string, unknown>;
      assert.is(res.status, 200, JSON.stringify(body));
      assert.is(body['digit'], 7, `server, orientation ${o}: ${JSON.stringify(body)}`);
    }
  } finally {
    await server.close();
  }
});

test.run();
