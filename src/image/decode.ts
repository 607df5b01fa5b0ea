// Node-side decoding of PNG (pngjs) and JPEG (jpeg-js) bytes to RGBA. The only
// file of the image pipeline that touches these libraries; browsers hand a
// canvas ImageData to the pipeline instead.
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { ImageDecodeError } from './errors.js';
import { DEFAULT_MAX_PIXELS, readImageHeader } from './header.js';
import type { RgbaImage } from './types.js';

export interface DecodeOptions {
  /** Refuse images with more pixels than this, judged from the header before decoding. Default 40 MP. */
  maxPixels?: number;
}

/**
 * PNG (any colour type and bit depth, palette, tRNS, interlaced) or JPEG
 * (baseline/progressive, grey/RGB/CMYK) → RGBA 8-bit. The format comes from the
 * magic bytes. Alpha is kept as in ImageData; toGrey composites it.
 */
export function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): RgbaImage {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const header = readImageHeader(bytes, maxPixels);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (header.format === 'png') {
      const png = PNG.sync.read(buffer);
      return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    const img = jpeg.decode(buffer, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: Math.max(512, Math.ceil((maxPixels * 12) / 1e6)),
    });
    return { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
  } catch (err) {
    const what = header.format === 'png' ? 'PNG' : 'JPEG';
    const detail = err instanceof Error ? err.message : String(err);
    throw new ImageDecodeError('CORRUPT', `corrupt ${what}: ${detail}`, { cause: err });
  }
}
