// Format sniffing and a structural walk over PNG chunks / JPEG markers. It reads
// the dimensions without decompressing anything, so oversized images (and
// decompression bombs) are refused before any pixel memory is allocated, and it
// tells a truncated file from a corrupt one. Browser-safe: no Node APIs.
import { ImageDecodeError } from './errors.js';

export type ImageFormat = 'png' | 'jpeg';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Default bound on decoded pixels (40 megapixels = 160 MB of RGBA). */
export const DEFAULT_MAX_PIXELS = 40_000_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** 'png' or 'jpeg' from the magic bytes, null otherwise. File names are never consulted. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/**
 * Validates the container structure and returns the dimensions; throws
 * ImageDecodeError for empty, unknown, truncated, corrupt or too large input.
 */
export function readImageHeader(bytes: Uint8Array, maxPixels = DEFAULT_MAX_PIXELS): ImageHeader {
  if (bytes.length === 0) throw new ImageDecodeError('EMPTY', 'empty input: no image bytes received');
  const format = sniffImageFormat(bytes);
  if (format === null) {
    // A prefix of a signature is a truncated file, not a foreign format.
    const isPngPrefix = bytes.length < 8 && PNG_SIGNATURE.slice(0, bytes.length).every((b, i) => bytes[i] === b);
    if (isPngPrefix) throw new ImageDecodeError('TRUNCATED', 'truncated PNG: the file ends inside the signature');
    throw new ImageDecodeError('UNKNOWN_FORMAT', 'not a PNG or JPEG image (unrecognised magic bytes)');
  }
  const header = format === 'png' ? walkPng(bytes) : walkJpeg(bytes);
  checkPixelLimit(header, maxPixels);
  return header;
}

function checkPixelLimit({ width, height }: ImageHeader, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new ImageDecodeError(
      'TOO_LARGE',
      `image is ${width}x${height}, larger than the ${formatLimit(maxPixels)} limit`,
    );
  }
}

function formatLimit(pixels: number): string {
  return pixels >= 1e6 ? `${Math.round((pixels / 1e6) * 100) / 100} MP` : `${pixels} pixel`;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

// Valid bit depths per PNG colour type (PNG spec, table 11.1).
const PNG_DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

function walkPng(b: Uint8Array): ImageHeader {
  let offset = 8;
  let width = 0;
  let height = 0;
  let sawIdat = false;
  let first = true;
  for (;;) {
    if (offset + 8 > b.length) throw new ImageDecodeError('TRUNCATED', 'truncated PNG: the file ends before the IEND chunk');
    const length = u32(b, offset);
    const type = String.fromCharCode(b[offset + 4]!, b[offset + 5]!, b[offset + 6]!, b[offset + 7]!);
    if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) {
      throw new ImageDecodeError('CORRUPT', `corrupt PNG: invalid chunk header at byte ${offset}`);
    }
    const dataStart = offset + 8;
    if (first) {
      if (type !== 'IHDR' || length !== 13) throw new ImageDecodeError('CORRUPT', 'corrupt PNG: the first chunk is not a 13-byte IHDR');
      if (dataStart + 13 > b.length) throw new ImageDecodeError('TRUNCATED', 'truncated PNG: the file ends inside the IHDR chunk');
      width = u32(b, dataStart);
      height = u32(b, dataStart + 4);
      const depth = b[dataStart + 8]!;
      const colorType = b[dataStart + 9]!;
      if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
        throw new ImageDecodeError('CORRUPT', `corrupt PNG: invalid dimensions ${width}x${height}`);
      }
      if (!PNG_DEPTHS[colorType]?.includes(depth)) {
        throw new ImageDecodeError('CORRUPT', `corrupt PNG: invalid colour type ${colorType} with bit depth ${depth}`);
      }
      first = false;
    }
    if (dataStart + length + 4 > b.length) {
      throw new ImageDecodeError('TRUNCATED', `truncated PNG: the file ends inside a ${type} chunk`);
    }
    if (type === 'IDAT') sawIdat = true;
    if (type === 'IEND') break;
    offset = dataStart + length + 4;
  }
  if (!sawIdat) throw new ImageDecodeError('CORRUPT', 'corrupt PNG: no IDAT (pixel data) chunk');
  return { format: 'png', width, height };
}

function walkJpeg(b: Uint8Array): ImageHeader {
  let offset = 2;
  let width = 0;
  let height = 0;
  let sawFrame = false;
  let sawScan = false;
  for (;;) {
    if (offset >= b.length) {
      throw new ImageDecodeError('TRUNCATED', 'truncated JPEG: the file ends before the end-of-image marker');
    }
    if (b[offset] !== 0xff) throw new ImageDecodeError('CORRUPT', `corrupt JPEG: expected a marker at byte ${offset}`);
    while (offset < b.length && b[offset] === 0xff) offset++; // fill bytes
    if (offset >= b.length) throw new ImageDecodeError('TRUNCATED', 'truncated JPEG: the file ends inside a marker');
    const marker = b[offset++]!;
    if (marker === 0xd9) break; // EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // standalone markers
    if (offset + 2 > b.length) throw new ImageDecodeError('TRUNCATED', 'truncated JPEG: the file ends inside a segment header');
    const length = u16(b, offset);
    if (length < 2) throw new ImageDecodeError('CORRUPT', `corrupt JPEG: invalid segment length at byte ${offset}`);
    if (offset + length > b.length) throw new ImageDecodeError('TRUNCATED', 'truncated JPEG: the file ends inside a segment');
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      // SOFn: jpeg-js decodes baseline (C0), extended (C1) and progressive (C2) Huffman frames.
      if (marker !== 0xc0 && marker !== 0xc1 && marker !== 0xc2) {
        throw new ImageDecodeError('UNSUPPORTED', `unsupported JPEG: frame type SOF${marker - 0xc0} (lossless, hierarchical or arithmetic coding)`);
      }
      if (length < 8) throw new ImageDecodeError('CORRUPT', 'corrupt JPEG: frame header too short');
      height = u16(b, offset + 3);
      width = u16(b, offset + 5);
      if (width === 0 || height === 0) throw new ImageDecodeError('CORRUPT', `corrupt JPEG: invalid dimensions ${width}x${height}`);
      sawFrame = true;
    }
    offset += length;
    if (marker === 0xda) {
      if (!sawFrame) throw new ImageDecodeError('CORRUPT', 'corrupt JPEG: scan before frame header');
      sawScan = true;
      offset = skipEntropyCodedData(b, offset);
    }
  }
  if (!sawScan) throw new ImageDecodeError('CORRUPT', 'corrupt JPEG: no image scan');
  return { format: 'jpeg', width, height };
}

/** Returns the offset of the next marker after entropy-coded data (0xFF00 is a stuffed byte, RSTn belong to the scan). */
function skipEntropyCodedData(b: Uint8Array, offset: number): number {
  const n = b.length - 1;
  for (let i = offset; i < n; i++) {
    if (b[i] !== 0xff) continue;
    const next = b[i + 1]!;
    if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) continue;
    return i;
  }
  throw new ImageDecodeError('TRUNCATED', 'truncated JPEG: the file ends inside the image data');
}
