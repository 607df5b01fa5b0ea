// JPEG EXIF orientation: phones store the sensor's pixels as they were read out and record in an
// EXIF tag (0x0112) how to turn them upright. Browsers apply it when they draw a photo, so the
// Node decoder must too, or a photo taken holding the phone upright reaches the model on its side.
import type { RgbaImage } from './types.js';

const ORIENTATION_TAG = 0x0112;
const SHORT = 3;

/**
 * The EXIF orientation (1–8) of JPEG bytes, 1 when there is none. A malformed or truncated EXIF
 * block also gives 1: the pixels are still fine, and cameras write odd EXIF often enough that
 * refusing the photo for it would be worse than showing it as stored.
 */
export function jpegOrientation(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Markers after SOI, up to the first scan (SOS): EXIF is an APP1 segment among them.
  for (let at = 2; at + 4 <= bytes.length; ) {
    if (bytes[at] !== 0xff) return 1;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return 1;
    const length = view.getUint16(at + 2);
    const body = at + 4;
    if (marker === 0xe1 && isExifHeader(bytes, body, at + 2 + length)) return tiffOrientation(view, body + 6, at + 2 + length);
    at += 2 + length;
  }
  return 1;
}

function isExifHeader(b: Uint8Array, at: number, end: number): boolean {
  // "Exif\0\0"
  return end - at >= 6 && b[at] === 0x45 && b[at + 1] === 0x78 && b[at + 2] === 0x69 && b[at + 3] === 0x66 && b[at + 4] === 0 && b[at + 5] === 0;
}

/** The orientation entry of IFD0 of the TIFF structure in [start, end). */
function tiffOrientation(view: DataView, start: number, end: number): number {
  end = Math.min(end, view.byteLength);
  if (end - start < 8) return 1;
  const order = view.getUint16(start);
  if (order !== 0x4949 && order !== 0x4d4d) return 1; // "II" little-endian or "MM" big-endian
  const little = order === 0x4949;
  if (view.getUint16(start + 2, little) !== 42) return 1;
  const ifd = start + view.getUint32(start + 4, little);
  if (ifd + 2 > end) return 1;
  const entries = view.getUint16(ifd, little);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + 12 * i;
    if (entry + 12 > end) return 1;
    if (view.getUint16(entry, little) !== ORIENTATION_TAG) continue;
    if (view.getUint16(entry + 2, little) !== SHORT) return 1;
    const value = view.getUint16(entry + 8, little);
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

/** The image turned upright as EXIF orientation `orientation` says (1 returns it unchanged). */
export function applyOrientation(image: RgbaImage, orientation: number): RgbaImage {
  if (orientation <= 1 || orientation > 8) return image;
  const { width: w, height: h, data } = image;
  const swap = orientation >= 5; // 5–8 turn by a quarter: width and height trade places
  const width = swap ? h : w;
  const height = swap ? w : h;
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // The stored pixel that shows at (x, y) once upright.
      let sx: number, sy: number;
      switch (orientation) {
        case 2: sx = w - 1 - x; sy = y; break; // mirrored
        case 3: sx = w - 1 - x; sy = h - 1 - y; break; // upside down
        case 4: sx = x; sy = h - 1 - y; break; // mirrored upside down
        case 5: sx = y; sy = x; break; // transposed
        case 6: sx = y; sy = h - 1 - x; break; // stored a quarter turn anticlockwise: turn clockwise
        case 7: sx = w - 1 - y; sy = h - 1 - x; break; // transversed
        default: sx = w - 1 - y; sy = x; break; // 8: stored a quarter turn clockwise
      }
      const from = 4 * (sy * w + sx);
      out.set(data.subarray(from, from + 4), 4 * (y * width + x));
    }
  }
  return { width, height, data: out };
}
