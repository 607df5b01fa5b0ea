// RGBA → luminance, compositing transparency onto a backdrop first.
import type { GreyImage, RgbaImage } from './types.js';

/**
 * Rec. 601 luminance in [0,1]. Transparent pixels are composited on white,
 * except when the opaque pixels are a light minority (light strokes drawn on a
 * transparent canvas), which are composited on black so the strokes stay visible.
 */
export function toGrey(image: RgbaImage): GreyImage {
  const { width, height, data } = image;
  const n = width * height;
  if (data.length < n * 4) throw new RangeError(`RGBA data holds ${data.length} bytes, ${width}x${height} needs ${n * 4}`);
  const out = new Float32Array(n);
  let opaque = 0;
  let opaqueLuma = 0;
  let translucent = false;
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    const luma = (0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!) / 255;
    out[i] = luma;
    const a = data[p + 3]!;
    if (a !== 255) translucent = true;
    if (a >= 128) {
      opaque++;
      opaqueLuma += luma;
    }
  }
  if (!translucent) return { width, height, data: out };
  const backdrop = opaque > 0 && opaque < n / 2 && opaqueLuma / opaque > 0.5 ? 0 : 1;
  for (let i = 0, p = 3; i < n; i++, p += 4) {
    const alpha = data[p]! / 255;
    out[i] = out[i]! * alpha + backdrop * (1 - alpha);
  }
  return { width, height, data: out };
}
