// The common PNG, decoded with node:zlib directly: 8-bit grey, grey+alpha, RGB or RGBA,
// not interlaced, without palette or transparency chunks (every canvas export). pngjs
// builds a parser, streams and per-filter objects for each image, several times the cost of
// the inflate itself for a 28x28 drawing (bench/load.ts, small PNGs). Every
// other PNG returns null here and goes through pngjs. The output is byte-identical to
// pngjs's (test/image-png-fast.test.ts), and so are the checks: chunk CRCs, exact
// inflated size (which also stops decompression bombs), filter types.
import * as zlib from 'node:zlib';
import type { RgbaImage } from './types.js';

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** null when the PNG is not of the simple kind; throws (→ CORRUPT) when it is but is broken. Call after readImageHeader. */
export function decodeSimplePng(b: Uint8Array): RgbaImage | null {
  // IHDR data starts at byte 16 (signature 8 + length 4 + type 4).
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const channels = CHANNELS[b[25]!];
  if (b[24] !== 8 || channels === undefined || b[26] !== 0 || b[27] !== 0 || b[28] !== 0) return null;

  const idat: Uint8Array[] = [];
  for (let offset = 8; offset + 8 <= b.length; ) {
    const length = view.getUint32(offset);
    const end = offset + 8 + length;
    const t0 = b[offset + 4]!;
    const type = String.fromCharCode(t0, b[offset + 5]!, b[offset + 6]!, b[offset + 7]!);
    if (type === 'PLTE' || type === 'tRNS') return null; // colour keys and suggested palettes: pngjs
    if (type !== 'IHDR' && type !== 'IDAT' && type !== 'IEND' && (t0 & 0x20) === 0) return null; // unknown critical chunk: pngjs reports it
    if (crc32(b.subarray(offset + 4, end)) !== view.getUint32(end)) throw new Error(`CRC error in the ${type} chunk`);
    if (type === 'IDAT') idat.push(b.subarray(offset + 8, end));
    if (type === 'IEND') break;
    offset = end + 4;
  }

  const stride = width * channels;
  const expected = height * (stride + 1); // each row: a filter-type byte, then the samples
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat), { maxOutputLength: expected });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`pixel data inflates to more than the ${expected} bytes a ${width}x${height} image needs`);
    throw err;
  }
  if (raw.length < expected) throw new Error(`pixel data ends early: ${raw.length} of ${expected} bytes`);
  unfilter(raw, height, stride, channels);
  return { width, height, data: toRgba(raw, width, height, channels) };
}

/** Undoes the per-row filters in place (PNG spec, section 9); bpp = bytes per pixel. */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number): void {
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1) + 1;
    const up = row - stride - 1; // the previous row's samples (already unfiltered); unused on row 0
    const filter = raw[row - 1]!;
    switch (filter) {
      case 0:
        break;
      case 1:
        for (let i = bpp; i < stride; i++) raw[row + i] = (raw[row + i]! + raw[row + i - bpp]!) & 0xff;
        break;
      case 2:
        if (y > 0) for (let i = 0; i < stride; i++) raw[row + i] = (raw[row + i]! + raw[up + i]!) & 0xff;
        break;
      case 3:
        for (let i = 0; i < stride; i++) {
          const left = i >= bpp ? raw[row + i - bpp]! : 0;
          const above = y > 0 ? raw[up + i]! : 0;
          raw[row + i] = (raw[row + i]! + ((left + above) >> 1)) & 0xff;
        }
        break;
      case 4:
        for (let i = 0; i < stride; i++) {
          const a = i >= bpp ? raw[row + i - bpp]! : 0;
          const b = y > 0 ? raw[up + i]! : 0;
          const c = i >= bpp && y > 0 ? raw[up + i - bpp]! : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          raw[row + i] = (raw[row + i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
        }
        break;
      default:
        throw new Error(`invalid filter type ${filter} in row ${y}`);
    }
  }
}

/** The unfiltered rows (each after its filter-type byte) → RGBA; one loop per layout, with no per-pixel test of it. */
function toRgba(raw: Uint8Array, width: number, height: number, channels: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  const stride = width * channels + 1;
  for (let y = 0, o = 0; y < height; y++, o += 4 * width) {
    const row = y * stride + 1;
    if (channels === 4) out.set(raw.subarray(row, row + 4 * width), o);
    else if (channels === 3) rgbRow(raw, row, out, o, width);
    else if (channels === 2) greyAlphaRow(raw, row, out, o, width);
    else greyRow(raw, row, out, o, width);
  }
  return out;
}

function rgbRow(raw: Uint8Array, i: number, out: Uint8ClampedArray, o: number, width: number): void {
  for (let x = 0; x < width; x++, i += 3, o += 4) {
    out[o] = raw[i]!;
    out[o + 1] = raw[i + 1]!;
    out[o + 2] = raw[i + 2]!;
    out[o + 3] = 255;
  }
}

function greyAlphaRow(raw: Uint8Array, i: number, out: Uint8ClampedArray, o: number, width: number): void {
  for (let x = 0; x < width; x++, i += 2, o += 4) {
    const v = raw[i]!;
    out[o] = v;
    out[o + 1] = v;
    out[o + 2] = v;
    out[o + 3] = raw[i + 1]!;
  }
}

function greyRow(raw: Uint8Array, i: number, out: Uint8ClampedArray, o: number, width: number): void {
  for (let x = 0; x < width; x++, i++, o += 4) {
    const v = raw[i]!;
    out[o] = v;
    out[o + 1] = v;
    out[o + 2] = v;
    out[o + 3] = 255;
  }
}

// zlib.crc32 is native but only in Node ≥ 20.15; the table version covers older 20.x.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
let table: Uint32Array | null = null;

function crc32(bytes: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(bytes) >>> 0;
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
