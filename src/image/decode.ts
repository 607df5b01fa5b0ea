// Node-side decoding of PNG (pngjs) and JPEG (jpeg-js) bytes to RGBA. The only
// file of the image pipeline that touches these libraries (plus png-fast.ts, which
// takes the common 8-bit PNGs off pngjs); browsers hand a canvas ImageData instead.
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { ImageDecodeError } from './errors.js';
import { applyOrientation, jpegOrientation } from './exif-orientation.js';
import { DEFAULT_MAX_PIXELS, readImageHeader } from './header.js';
import { decodeSimplePng } from './png-fast.js';
import type { RgbaImage } from './types.js';

export interface DecodeOptions {
  /** Refuse images with more pixels than this, judged from the header before decoding. Default 40 MP. */
  maxPixels?: number;
}

/**
 * PNG (any colour type and bit depth, palette, tRNS, interlaced) or JPEG
 * (baseline/progressive, grey/RGB/CMYK) → RGBA 8-bit. The format comes from the
 * magic bytes. Alpha is kept as in ImageData; toGrey composites it. A JPEG's EXIF orientation
 * is applied, so a phone photo comes out upright as a browser shows it.
 */
export function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): RgbaImage {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const header = readImageHeader(bytes, maxPixels);
  if (header.format === 'png') {
    checkPngDecodeBudget(bytes, maxPixels);
    checkInterlacedPngSize(bytes);
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (header.format === 'png') {
      const simple = decodeSimplePng(bytes);
      if (simple) return simple;
      const png = PNG.sync.read(buffer);
      return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    const img = jpeg.decode(buffer, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: Math.max(512, Math.ceil((maxPixels * 12) / 1e6)),
    });
    const stored = { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
    return applyOrientation(stored, jpegOrientation(bytes));
  } catch (err) {
    const what = header.format === 'png' ? 'PNG' : 'JPEG';
    const detail = err instanceof Error ? err.message : String(err);
    // pngjs's words when the image data ends before the image does (its stream had reads pending).
    if (/read requests waitng|finished stream/.test(detail)) {
      throw new ImageDecodeError('TRUNCATED', `truncated PNG: the image data ends before the ${header.width}x${header.height} image is complete`, { cause: err });
    }
    throw new ImageDecodeError('CORRUPT', `corrupt ${what}: ${detail}`, { cause: err });
  }
}

/**
 * What one decode may inflate: the samples of an 8-bit RGBA image at the pixel limit. A PNG's
 * decoding cost grows with its inflated samples, not its pixels: a 16-bit RGBA PNG holds twice the
 * bytes of an 8-bit one per pixel, and pngjs converts every one of them synchronously. So a tiny
 * file declaring 4000×4000 16-bit RGBA pixels (128 MB of samples) is refused from its header,
 * before any of it is inflated.
 */
function checkPngDecodeBudget(b: Uint8Array, maxPixels: number): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = b[24]!;
  const channels = PNG_CHANNELS[b[25]!]!;
  const sampleBytes = Math.ceil((width * channels * bitDepth) / 8) * height;
  const budget = maxPixels * 4;
  if (sampleBytes > budget) {
    const mb = (n: number): string => `${Math.round(n / 1e5) / 10} MB`;
    throw new ImageDecodeError(
      'TOO_LARGE',
      `a ${width}x${height} PNG with ${channels} channel(s) of ${bitDepth} bits inflates to ${mb(sampleBytes)}, more than the ${mb(budget)} one decode may take (the pixel limit at 8-bit RGBA)`,
    );
  }
}

// Adam7 passes: x start, y start, x step, y step.
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * pngjs bounds the inflated size of non-interlaced PNGs by the header's dimensions but inflates
 * interlaced ones without a limit, so a few hundred KB could expand to gigabytes (a decompression
 * bomb). For those, inflate once with the exact size the header allows as the ceiling.
 * Runs after readImageHeader, so the chunk structure is known to be sound.
 */
function checkInterlacedPngSize(b: Uint8Array): void {
  if (b[28] !== 1) return; // IHDR interlace method (signature 8 + chunk header 8 + offset 12)
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitsPerPixel = b[24]! * PNG_CHANNELS[b[25]!]!;
  let expected = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = width > x0 ? Math.ceil((width - x0) / dx) : 0;
    const h = height > y0 ? Math.ceil((height - y0) / dy) : 0;
    if (w > 0) expected += h * (Math.ceil((w * bitsPerPixel) / 8) + 1); // +1: the filter byte of each row
  }
  const idat: Uint8Array[] = [];
  for (let offset = 8; offset + 8 <= b.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(b[offset + 4]!, b[offset + 5]!, b[offset + 6]!, b[offset + 7]!);
    if (type === 'IDAT') idat.push(b.subarray(offset + 8, offset + 8 + length));
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  try {
    inflateSync(Buffer.concat(idat), { maxOutputLength: Math.max(1, expected) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ImageDecodeError('TOO_LARGE', `PNG pixel data inflates to more than the ${expected} bytes a ${width}x${height} image needs (decompression bomb)`);
    }
    // Other zlib errors: let pngjs report them as corrupt data.
  }
}
